package chat.core;

/**
 * How much one request may carry and how much the core keeps of it, the same for every door.
 * Doors read these to tell their clients (IRC's ISUPPORT) instead of copying the numbers.
 *
 * @param maxReasonLength longest quit, part, kick or kill reason kept; longer ones are cut
 *     (default 256)
 * @param maxAwayLength longest away message kept, in characters; longer ones are cut
 *     (default 200)
 * @param maxRealnameLength longest real name kept, in characters; longer ones are cut
 *     (default 100)
 * @param maxKeyLength longest room key (default 32)
 * @param maxListSize most entries in each of a room's ban, mute and invitation lists
 *     (default 100)
 * @param maxModeChanges most mode changes in one request (default 16)
 * @param maxLookup most nicks one lookup may ask about (default 32)
 * @param maxTargets most targets a door lets one command name (IRC's {@code TARGMAX} for
 *     messages and kicks); each core request has one target, so this bounds how many requests
 *     one line of a client may become (default 4)
 */
public record SizeLimits(int maxReasonLength, int maxAwayLength, int maxRealnameLength,
    int maxKeyLength, int maxListSize, int maxModeChanges, int maxLookup, int maxTargets) {

  public static final SizeLimits DEFAULT = new SizeLimits(256, 200, 100, 32, 100, 16, 32, 4);

  public SizeLimits {
    if (maxReasonLength < 1 || maxAwayLength < 1 || maxRealnameLength < 1 || maxKeyLength < 1
        || maxListSize < 1 || maxModeChanges < 1 || maxLookup < 1 || maxTargets < 1) {
      throw new IllegalArgumentException("every size limit must be >= 1: " + this);
    }
  }
}
