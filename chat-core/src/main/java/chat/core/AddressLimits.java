package chat.core;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-address rules of {@link ConnectionLimits}: how many connections an address holds
 * open and how fast it opens new ones. Addresses that hold nothing open and have regained their
 * whole burst carry no state and are forgotten.
 */
final class AddressLimits {

  private static final Logger log = LoggerFactory.getLogger(AddressLimits.class);

  /** Past this many tracked addresses, idle ones are swept (at most once a second). */
  private static final int SWEEP_ABOVE = 10_000;

  private static final class State {
    int open;
    final TokenBucket connects;
    final LogLimiter logLimiter;

    State(TokenBucket connects, LogLimiter logLimiter) {
      this.connects = connects;
      this.logLimiter = logLimiter;
    }

    boolean idle(long now) {
      return open <= 0 && (connects == null || connects.isFull(now));
    }
  }

  private final ConnectionLimits limits;
  private final Clock clock;
  private final ConcurrentMap<String, State> states = new ConcurrentHashMap<>();
  private final AtomicLong lastSweep = new AtomicLong();

  AddressLimits(ConnectionLimits limits, Clock clock) {
    this.limits = limits;
    this.clock = clock;
  }

  /** Counts a new connection from {@code remote}; returns why it is refused, or null. */
  Reply.Failed admit(String remote) {
    long now = clock.millis();
    sweepIfLarge(now);
    Reply.Failed[] refusal = new Reply.Failed[1];
    String key = key(remote);
    states.compute(key, (k, state) -> {
      if (state == null) {
        state = new State(limits.connectBurst() > 0
            ? new TokenBucket(limits.connectBurst(), limits.connectsPerSecond(), now) : null,
            new LogLimiter(clock));
      }
      if (limits.perAddress() > 0 && state.open >= limits.perAddress()) {
        refusal[0] = new Reply.Failed(CoreError.TOO_MANY_CONNECTIONS, key + " has "
            + state.open + " connections open, the limit per address is " + limits.perAddress());
      } else if (state.connects != null && !state.connects.tryTake(1, now)) {
        refusal[0] = new Reply.Failed(CoreError.CONNECTING_TOO_FAST, key
            + " is connecting too fast: at most " + limits.connectBurst() + " connections at once, then "
            + limits.connectsPerSecond() + " per second; try again in "
            + state.connects.millisUntil(1, now) + " ms");
      } else {
        state.open++;
      }
      if (refusal[0] != null) {
        long held = state.logLimiter.permit();
        if (held >= 0) {
          log.info("refusing a connection: {} ({} more refusals held back)",
              refusal[0].message(), held);
        }
      }
      return state.idle(now) ? null : state;
    });
    return refusal[0];
  }

  /** A connection counted by {@link #admit} is gone. */
  void release(String remote) {
    long now = clock.millis();
    states.computeIfPresent(key(remote), (k, state) -> {
      state.open--;
      return state.idle(now) ? null : state;
    });
  }

  /** Open connections counted for {@code remote}'s address. */
  int open(String remote) {
    State state = states.get(key(remote));
    return state == null ? 0 : state.open;
  }

  private void sweepIfLarge(long now) {
    long last = lastSweep.get();
    if (states.size() <= SWEEP_ABOVE || now - last < 1000 || !lastSweep.compareAndSet(last, now)) {
      return;
    }
    for (String key : states.keySet()) {
      states.computeIfPresent(key, (k, state) -> state.idle(now) ? null : state);
    }
  }

  /**
   * The address an attacker cannot multiply cheaply: an IPv4 address as it is, an IPv6 address
   * by its /64 prefix. Anything else (a door without addresses) as given.
   */
  static String key(String remote) {
    if (remote == null || remote.indexOf(':') < 0 || !isAddressLiteral(remote)) {
      return String.valueOf(remote);
    }
    try {
      byte[] bytes = InetAddress.getByName(remote).getAddress(); // a literal: no name lookup
      if (bytes.length != 16) {
        return InetAddress.getByAddress(bytes).getHostAddress();
      }
      StringBuilder prefix = new StringBuilder();
      for (int i = 0; i < 8; i += 2) {
        prefix.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff)))
            .append(':');
      }
      return prefix.append(":/64").toString();
    } catch (UnknownHostException e) {
      return remote;
    }
  }

  private static boolean isAddressLiteral(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
          || c == ':' || c == '.';
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
