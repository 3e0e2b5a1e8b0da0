package chat.core;

import java.time.Duration;

/**
 * What a network address may open, decided by the hub when a door opens a session. Addresses
 * are counted as given by the door, IPv6 addresses by their /64 prefix (one subscriber's
 * block).
 *
 * @param perAddress connections one address may hold open at once (default 20; 0: no limit)
 * @param connectBurst connections one address may open in a quick burst (default 20; 0: no
 *     limit on the rate)
 * @param connectsPerSecond connections per second an address regains after a burst (default 2)
 * @param helloTimeout a connection that has not said hello this long after opening is closed
 *     (default 15 s)
 */
public record ConnectionLimits(int perAddress, int connectBurst, double connectsPerSecond,
    Duration helloTimeout) {

  public static final ConnectionLimits DEFAULT =
      new ConnectionLimits(20, 20, 2, Duration.ofSeconds(15));

  public ConnectionLimits {
    if (perAddress < 0 || connectBurst < 0) {
      throw new IllegalArgumentException("perAddress and connectBurst must be >= 0 (0: no limit)");
    }
    if (!(connectsPerSecond > 0)) {
      throw new IllegalArgumentException("connectsPerSecond must be positive");
    }
    if (helloTimeout == null || helloTimeout.isNegative() || helloTimeout.isZero()) {
      throw new IllegalArgumentException("helloTimeout must be positive");
    }
  }

  public ConnectionLimits withPerAddress(int count) {
    return new ConnectionLimits(count, connectBurst, connectsPerSecond, helloTimeout);
  }

  public ConnectionLimits withConnectRate(int burst, double perSecond) {
    return new ConnectionLimits(perAddress, burst, perSecond, helloTimeout);
  }

  public ConnectionLimits withHelloTimeout(Duration timeout) {
    return new ConnectionLimits(perAddress, connectBurst, connectsPerSecond, timeout);
  }
}
