package chat.server;

import io.netty.channel.EventLoop;
import java.util.concurrent.TimeUnit;

/**
 * When a connection's queued output is drained (docs/ARCHITECTURE.md, "Write coalescing"): at
 * once after a quiet spell, and while messages keep coming at most once per {@code gap}, one
 * write carrying everything that came meanwhile. In a busy room each member's connection would
 * otherwise get one write (one system call, one segment) per message: with 100 members and 10,000
 * messages a second, a million writes, which cost the server most of its core; coalescing makes
 * them ten per millisecond-gap at most and adds at most the gap to a message's latency, nothing
 * when traffic is light.
 */
public final class WriteCoalescing {

  private WriteCoalescing() {}

  /**
   * Runs {@code drain} on {@code loop} now, or at {@code lastDrain + gapNanos} when that is still
   * ahead ({@code lastDrain} from {@link System#nanoTime()}; {@code gapNanos} 0: always now).
   */
  public static void schedule(EventLoop loop, Runnable drain, long lastDrain, long gapNanos) {
    long wait = gapNanos <= 0 ? 0 : lastDrain + gapNanos - System.nanoTime();
    if (wait > 0) {
      loop.schedule(drain, wait, TimeUnit.NANOSECONDS);
    } else {
      loop.execute(drain);
    }
  }

  /** A {@code lastDrain} that lets the first drain run at once. */
  public static long never(long gapNanos) {
    return System.nanoTime() - gapNanos;
  }
}
