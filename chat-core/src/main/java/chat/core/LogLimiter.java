package chat.core;

import java.time.Clock;
import java.time.Duration;

/**
 * Keeps one offender from flooding the log: {@link #permit()} says yes at most once per
 * interval and counts the lines it held back. Use one per connection and kind of trouble.
 */
public final class LogLimiter {

  /** The interval the server uses: one line per offender and kind per minute at most. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(1);

  private final Clock clock;
  private final long intervalMillis;
  private long next = Long.MIN_VALUE;
  private long suppressed;

  public LogLimiter(Clock clock, Duration interval) {
    this.clock = clock;
    this.intervalMillis = interval.toMillis();
  }

  public LogLimiter(Clock clock) {
    this(clock, DEFAULT_INTERVAL);
  }

  /**
   * -1 if this line should be held back; otherwise it may be logged, and the result is how many
   * were held back since the last one that was.
   */
  public synchronized long permit() {
    long now = clock.millis();
    if (now < next) {
      suppressed++;
      return -1;
    }
    next = now + intervalMillis;
    long held = suppressed;
    suppressed = 0;
    return held;
  }
}
