package chat.cli.term;

import java.time.Duration;

/**
 * Delays between reconnect attempts: {@code initial}, doubling up to {@code max}; at most
 * {@code maxAttempts} attempts.
 */
record Backoff(Duration initial, Duration max, int maxAttempts) {

  /** 1 s, 2 s, 4 s ... 30 s, for about five minutes. */
  static final Backoff DEFAULT = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 14);

  /** The delay before attempt {@code n} (1-based). */
  Duration delay(int attempt) {
    long millis = initial.toMillis();
    for (int i = 1; i < attempt && millis < max.toMillis(); i++) {
      millis *= 2;
    }
    return Duration.ofMillis(Math.min(millis, max.toMillis()));
  }

  /** {@code 1s}, {@code 500ms}: how a delay is shown. */
  static String show(Duration delay) {
    long millis = delay.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
  }
}
