package chat.core;

import java.time.Duration;

/**
 * How far behind a member's connection may fall: the bytes waiting to be written to it, as its
 * door measures them (see {@link Backlog}). Past {@code highWaterBytes} the member is behind:
 * room traffic for it (messages, joins, parts, quits, nick changes, private messages) is dropped
 * and counted, while replies to its own requests still go out. Once it has caught up (below half
 * the mark) it gets a notice saying how many messages it missed. Behind for longer than
 * {@code maxBehind}, or with more than {@code hardLimitBytes} waiting, it is disconnected
 * ({@code too-slow}). A member that stops reading therefore never slows a room, and costs the
 * server at most about {@code hardLimitBytes}.
 *
 * @param highWaterBytes bytes waiting past which a member is behind (default 512 KiB)
 * @param hardLimitBytes bytes waiting past which it is disconnected at once (default 4 MiB;
 *     above the largest history page, so a member may ask for one)
 * @param maxBehind how long a member may stay behind (default 30 s)
 */
public record SlowReaderLimits(long highWaterBytes, long hardLimitBytes, Duration maxBehind) {

  public static final SlowReaderLimits DEFAULT =
      new SlowReaderLimits(512 * 1024, 4 * 1024 * 1024, Duration.ofSeconds(30));

  public SlowReaderLimits {
    if (highWaterBytes < 1024) {
      throw new IllegalArgumentException("highWaterBytes must be >= 1024: " + highWaterBytes);
    }
    if (hardLimitBytes < highWaterBytes) {
      throw new IllegalArgumentException("hardLimitBytes must be >= highWaterBytes");
    }
    if (maxBehind == null || maxBehind.isNegative() || maxBehind.isZero()) {
      throw new IllegalArgumentException("maxBehind must be positive");
    }
  }

  /** Below this a member that was behind has caught up. */
  public long lowWaterBytes() {
    return highWaterBytes / 2;
  }
}
