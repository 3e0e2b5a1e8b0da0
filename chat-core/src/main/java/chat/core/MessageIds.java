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
}
