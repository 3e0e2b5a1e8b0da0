package chat.cli.term;

import chat.client.FileTransfers;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Duration;
import java.util.Locale;
import java.util.function.IntSupplier;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * One transfer's progress bar: me.tongfei:progressbar keeps the count and renders the bar, the
 * bytes, the rate, the time so far and the ETA ({@code ↑ report.pdf  42% [====>   ] 1012/2400 KB
 * (0:00:01 / 0:00:02) 812.4 KB/s}). Its own console output would write to the terminal behind
 * JLine's back and garble the input line, so it renders into a string instead, which the terminal
 * draws in its status line below the input line ({@link ChatSession.Output#status}).
 *
 * <p>Thread-safe: updated from the transfer's threads, rendered on the library's timer thread.
 */
final class TransferProgress implements FileTransfers.Progress {

  static final int REFRESH_MILLIS = 250;

  private final String task;
  private final IntSupplier width;
  private final Runnable changed;
  private ProgressBar bar; // guarded by this
  private volatile String text;
  private volatile long done = -1;
  private volatile long total = -1;

  /**
   * @param task what goes on, e.g. {@code ↑ report.pdf}
   * @param width the columns the line may take
   * @param changed told when {@link #text()} has changed (on the library's thread)
   */
  TransferProgress(String task, IntSupplier width, Runnable changed) {
    this.task = task;
    this.width = width;
    this.changed = changed;
    this.text = task;
  }

  @Override
  public void update(long done, long total) {
    ProgressBar b;
    synchronized (this) {
      this.done = done;
      this.total = total;
      if (bar == null) {
        bar = start(done, total);
      }
      b = bar;
    }
    b.maxHint(total);
    b.stepTo(done);
  }

  /** A bar from {@code done} on: rate and ETA count what this run moves, not what was there. */
  private ProgressBar start(long done, long total) {
    long unit = total >= 10_000_000 ? 1_000_000 : total >= 10_000 ? 1000 : 1;
    String unitName = unit == 1_000_000 ? " MB" : unit == 1000 ? " KB" : " B";
    return new ProgressBarBuilder()
        .setTaskName(task)
        .setInitialMax(total)
        .startsFrom(done, Duration.ZERO)
        .setUnit(unitName, unit)
        .showSpeed(new DecimalFormat("0.0", DecimalFormatSymbols.getInstance(Locale.ROOT)))
        .setStyle(ProgressBarStyle.ASCII)
        .setUpdateIntervalMillis(REFRESH_MILLIS)
        .setConsumer(new DelegatingProgressBarConsumer(this::rendered,
            Math.max(20, width.getAsInt() - 1)))
        .build();
  }

  private void rendered(String line) {
    text = line;
    changed.run();
  }

  /** The line to show. */
  String text() {
    return text;
  }

  long done() {
    return done;
  }

  long total() {
    return total;
  }

  /** How far, e.g. {@code 1.2 MB of 2.4 MB (50%)}; empty before the first update. */
  String howFar() {
    long d = done;
    long t = total;
    if (d < 0 || t <= 0) {
      return "";
    }
    return chat.core.FileRef.bytes(d) + " of " + chat.core.FileRef.bytes(t) + " ("
        + (int) (100 * (double) d / t) + "%)";
  }

  /**
   * Stops the bar and shows {@code note} in its place ({@code ↑ report.pdf: ...}); a later
   * {@link #update} starts a new bar from where the transfer goes on.
   */
  void pause(String note) {
    stop();
    text = task + ": " + note;
  }

  /** Stops the bar (its last rendering included); blocks until that is done. */
  void stop() {
    ProgressBar b;
    synchronized (this) {
      b = bar;
      bar = null;
    }
    if (b != null) {
      b.close();
    }
  }
}
