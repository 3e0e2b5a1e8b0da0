package chat.core;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Server-unique message ids: a 64-bit value, milliseconds since the epoch shifted left by 12
 * bits plus a counter, strictly increasing even across restarts (as long as the clock does not
 * run backwards by more than the ids issued), written in base 36.
 */
final class MessageIds {

  private final Clock clock;
  private final AtomicLong last = new AtomicLong();

  MessageIds(Clock clock) {
    this.clock = clock;
  }

  String next() {
    long candidate = clock.millis() << 12;
    long id = last.updateAndGet(previous -> Math.max(previous + 1, candidate));
    return Long.toString(id, 36);
  }

  /**
   * The order of two message ids: the order they were issued in. They are base 36 numbers that
   * only grow, so a longer one is later, and one of the same length compares digit by digit.
   */
  static int compare(String a, String b) {
    return a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b);
  }
}
