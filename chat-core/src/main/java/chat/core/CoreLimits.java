package chat.core;

/**
 * Rules on names and messages, the same for every door.
 *
 * @param maxNickLength longest nick in characters (default 24)
 * @param maxRoomLength longest room name in characters (default 48)
 * @param maxMessageBytes longest message text in UTF-8 bytes (default 4096)
 * @param defaultRoom the room every user joins on connect (default {@code lobby})
 * @param historyOnJoin how many of a room's latest messages a joining member is sent (default 50)
 * @param maxHistoryPage the most messages one history request returns (default 200)
 */
public record CoreLimits(int maxNickLength, int maxRoomLength, int maxMessageBytes,
    String defaultRoom, int historyOnJoin, int maxHistoryPage) {

  public static final CoreLimits DEFAULT = new CoreLimits(24, 48, 4096, "lobby", 50, 200);

  public CoreLimits {
    if (maxNickLength < 3 || maxNickLength > 64) {
      throw new IllegalArgumentException("maxNickLength must be in [3, 64]: " + maxNickLength);
    }
    if (maxRoomLength < 1 || maxRoomLength > 200) {
      throw new IllegalArgumentException("maxRoomLength must be in [1, 200]: " + maxRoomLength);
    }
    if (maxMessageBytes < 1) {
      throw new IllegalArgumentException("maxMessageBytes must be >= 1: " + maxMessageBytes);
    }
    if (historyOnJoin < 0 || maxHistoryPage < 1) {
      throw new IllegalArgumentException("historyOnJoin must be >= 0 and maxHistoryPage >= 1");
    }
    if (defaultRoom == null || defaultRoom.isEmpty()) {
      throw new IllegalArgumentException("defaultRoom must be a room name");
    }
  }

  public CoreLimits withMaxMessageBytes(int bytes) {
    return new CoreLimits(maxNickLength, maxRoomLength, bytes, defaultRoom, historyOnJoin,
        maxHistoryPage);
  }

  public CoreLimits withHistoryOnJoin(int count) {
    return new CoreLimits(maxNickLength, maxRoomLength, maxMessageBytes, defaultRoom, count,
        maxHistoryPage);
  }
}
