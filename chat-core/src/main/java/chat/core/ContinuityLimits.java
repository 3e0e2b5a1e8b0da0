package chat.core;

import java.time.Duration;

/**
 * What carries over a dropped connection, and for how long.
 *
 * @param maxResume the most log entries one room's resume replays (default 1000); older ones
 *     are counted, not sent, and read with history
 * @param maxConnectionsPerAccount connections one account may hold at once (default 10; 0: no
 *     limit)
 * @param guestGrace how long a guest's nick and rooms wait for its resume token (default 2 min)
 * @param roomExpiry how long the state of an empty, unregistered room without history is kept
 *     (default 24 h)
 */
public record ContinuityLimits(int maxResume, int maxConnectionsPerAccount, Duration guestGrace,
    Duration roomExpiry) {

  public static final ContinuityLimits DEFAULT = new ContinuityLimits(1000, 10,
      Duration.ofMinutes(2), Duration.ofHours(24));

  public ContinuityLimits {
    if (maxResume < 1) {
      throw new IllegalArgumentException("maxResume must be >= 1: " + maxResume);
    }
    if (maxConnectionsPerAccount < 0) {
      throw new IllegalArgumentException(
          "maxConnectionsPerAccount must be >= 0: " + maxConnectionsPerAccount);
    }
    if (guestGrace == null || guestGrace.isNegative() || roomExpiry == null
        || roomExpiry.isNegative()) {
      throw new IllegalArgumentException("guestGrace and roomExpiry must be >= 0");
    }
  }
}
