package chat.cli.term;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;

/**
 * The client without line editing, for piped input: reads lines and hands each to the session
 * (slash commands included), prints plain lines without colours. At the end of the input it
 * waits, boundedly, until every request has been answered, then quits.
 */
final class PlainTerminal implements ChatSession.Output {

  /** How long the end of input waits for outstanding replies. */
  static final Duration DRAIN = Duration.ofSeconds(10);

  private final PrintWriter out;

  PlainTerminal(PrintWriter out) {
    this.out = out;
  }

  @Override
  public void show(Line line) {
    synchronized (out) {
      out.println(line.plain());
      out.flush();
    }
  }

  /** Feeds {@code in} to the session on a reading thread; returns the session's exit code. */
  static int run(ChatSession session, BufferedReader in) {
    Thread reader = new Thread(() -> {
      try {
        String line;
        while (!session.ended().isDone() && (line = in.readLine()) != null) {
          session.input(line);
        }
      } catch (IOException e) {
        // Treated as the end of input.
      }
      if (!session.ended().isDone()) {
        session.endOfInput(DRAIN);
      }
    }, "chat-input");
    reader.setDaemon(true); // Blocked in a read when the session ends otherwise.
    reader.start();
    return session.ended().join();
  }
}
