package chat.core;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down password guessing: after {@link #FREE_FAILURES} failed logins for a key (an
 * account name or an address), each further attempt must wait, doubling from one second up to
 * {@link #MAX_WAIT_MS}. A success clears the key; a quiet hour forgets it.
 */
final class LoginThrottle {

  static final int FREE_FAILURES = 3;
  static final long MAX_WAIT_MS = 5 * 60_000L;
  static final long FORGET_AFTER_MS = 60 * 60_000L;
  /** Bounds memory under an attack from many keys: the oldest state is dropped past this. */
  static final int MAX_KEYS = 100_000;

  private record State(int failures, long lastFailure) {}

  private final Clock clock;
  private final Map<String, State> states = new ConcurrentHashMap<>();

  LoginThrottle(Clock clock) {
    this.clock = clock;
  }

  /** Milliseconds until the key may try again; 0 if it may now. */
  long waitMillis(String key) {
    State state = states.get(key);
    if (state == null) {
      return 0;
    }
    long now = clock.millis();
    if (now - state.lastFailure() > FORGET_AFTER_MS) {
      states.remove(key, state);
      return 0;
    }
    if (state.failures() < FREE_FAILURES) {
      return 0;
    }
    int doublings = Math.min(state.failures() - FREE_FAILURES, 20);
    long wait = Math.min(1000L << doublings, MAX_WAIT_MS);
    return Math.max(0, state.lastFailure() + wait - now);
  }

  void failed(String key) {
    if (states.size() >= MAX_KEYS) {
      states.clear(); // crude but bounded; an attacker gains at most a few free guesses
    }
    long now = clock.millis();
    states.merge(key, new State(1, now), (old, one) -> new State(old.failures() + 1, now));
  }

  void succeeded(String key) {
    states.remove(key);
  }
}
