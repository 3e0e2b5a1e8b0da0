package chat.core;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Server-unique message ids: a 64-bit value, milliseconds since the epoch shifted left by 12
 * bits plus a counter, strictly increasing even across restarts (as long as the clock does not
 * run backwards by more than the ids issued), written in base 36.
 */
final class MessageIds {

  /** Servers sharing rooms: the low 6 bits of an id say which server issued it. */
  static final int NODES = 64;

  private final Clock clock;
  private final AtomicLong last = new AtomicLong();
  private volatile int node = -1;

  MessageIds(Clock clock) {
    this.clock = clock;
  }

  /**
   * Makes the ids unique among servers sharing a store: this one's are {@code node} modulo 64
   * (so 64 a millisecond before they run ahead of the clock); before the first id.
   */
  void node(long number) {
    node = (int) Math.floorMod(number, (long) NODES);
    last.set(0);
  }

  String next() {
    int n = node;
    long id;
    if (n < 0) {
      long candidate = clock.millis() << 12;
      id = last.updateAndGet(previous -> Math.max(previous + 1, candidate));
    } else {
      long candidate = (clock.millis() << 12) | n;
      id = last.updateAndGet(previous -> Math.max(previous + NODES, candidate));
    }
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
