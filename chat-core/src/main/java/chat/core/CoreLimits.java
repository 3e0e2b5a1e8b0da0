package chat.core;

/**
 * Rules on names, messages and resources, the same for every door.
 *
 * @param maxNickLength longest nick in characters (default 24)
 * @param maxRoomLength longest room name in characters (default 48)
 * @param maxMessageBytes longest message text in UTF-8 bytes (default 4096)
 * @param defaultRoom the room every user joins on connect (default {@code lobby})
 * @param historyOnJoin how many of a room's latest messages a joining member is sent (default 50)
 * @param maxHistoryPage the most messages one history request returns (default 200)
 * @param maxTopicBytes longest room topic in UTF-8 bytes (default 512)
 * @param maxRoomsPerSession rooms one session may be in at once (default 100)
 * @param flood request rates per connection and per account
 * @param connections connections per address, connection rate, hello timeout
 * @param slowReaders how far behind a member's connection may fall
 */
public record CoreLimits(int maxNickLength, int maxRoomLength, int maxMessageBytes,
    String defaultRoom, int historyOnJoin, int maxHistoryPage, int maxTopicBytes,
    int maxRoomsPerSession, FloodLimits flood, ConnectionLimits connections,
    SlowReaderLimits slowReaders) {

  public static final CoreLimits DEFAULT = new CoreLimits(24, 48, 4096, "lobby", 50, 200);

  /** Names and messages as given; every other limit at its default. */
  public CoreLimits(int maxNickLength, int maxRoomLength, int maxMessageBytes,
      String defaultRoom, int historyOnJoin, int maxHistoryPage) {
    this(maxNickLength, maxRoomLength, maxMessageBytes, defaultRoom, historyOnJoin,
        maxHistoryPage, 512, 100, FloodLimits.DEFAULT, ConnectionLimits.DEFAULT,
        SlowReaderLimits.DEFAULT);
  }

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
    if (maxTopicBytes < 1) {
      throw new IllegalArgumentException("maxTopicBytes must be >= 1: " + maxTopicBytes);
    }
    if (maxRoomsPerSession < 1) {
      throw new IllegalArgumentException("maxRoomsPerSession must be >= 1: " + maxRoomsPerSession);
    }
    if (flood == null || connections == null || slowReaders == null) {
      throw new IllegalArgumentException("flood, connections and slowReaders are required");
    }
  }

  public CoreLimits withMaxMessageBytes(int bytes) {
    return new CoreLimits(maxNickLength, maxRoomLength, bytes, defaultRoom, historyOnJoin,
        maxHistoryPage, maxTopicBytes, maxRoomsPerSession, flood, connections, slowReaders);
  }

  public CoreLimits withHistoryOnJoin(int count) {
    return new CoreLimits(maxNickLength, maxRoomLength, maxMessageBytes, defaultRoom, count,
        maxHistoryPage, maxTopicBytes, maxRoomsPerSession, flood, connections, slowReaders);
  }

  public CoreLimits withMaxTopicBytes(int bytes) {
    return new CoreLimits(maxNickLength, maxRoomLength, maxMessageBytes, defaultRoom,
        historyOnJoin, maxHistoryPage, bytes, maxRoomsPerSession, flood, connections, slowReaders);
  }

  public CoreLimits withMaxRoomsPerSession(int rooms) {
    return new CoreLimits(maxNickLength, maxRoomLength, maxMessageBytes, defaultRoom,
        historyOnJoin, maxHistoryPage, maxTopicBytes, rooms, flood, connections, slowReaders);
  }

  public CoreLimits withFlood(FloodLimits limits) {
    return new CoreLimits(maxNickLength, maxRoomLength, maxMessageBytes, defaultRoom,
        historyOnJoin, maxHistoryPage, maxTopicBytes, maxRoomsPerSession, limits, connections,
        slowReaders);
  }

  public CoreLimits withConnections(ConnectionLimits limits) {
    return new CoreLimits(maxNickLength, maxRoomLength, maxMessageBytes, defaultRoom,
        historyOnJoin, maxHistoryPage, maxTopicBytes, maxRoomsPerSession, flood, limits,
        slowReaders);
  }

  public CoreLimits withSlowReaders(SlowReaderLimits limits) {
    return new CoreLimits(maxNickLength, maxRoomLength, maxMessageBytes, defaultRoom,
        historyOnJoin, maxHistoryPage, maxTopicBytes, maxRoomsPerSession, flood, connections,
        limits);
  }

  /** Why {@code topic} is not acceptable, or null: the rule for every door that sets topics. */
  public String topicProblem(String topic) {
    if (topic == null) {
      return "topic must be text";
    }
    int bytes = Names.utf8Length(topic);
    return bytes > maxTopicBytes
        ? "topic of " + bytes + " bytes exceeds the limit of " + maxTopicBytes + " bytes"
        : null;
  }
}
