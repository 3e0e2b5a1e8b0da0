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
 * @param maxTopicLength longest room topic in characters (default 390)
 * @param maxRoomsPerSession rooms one session may be in at once (default 100)
 * @param flood request rates per connection and per account
 * @param connections connections per address, connection rate, hello timeout
 * @param slowReaders how far behind a member's connection may fall
 * @param continuity resume, connections per account, guest grace, room expiry
 * @param files shared files: sizes, quotas, rates, disk budget, retention, chunks
 * @param sizes reasons, away messages, real names, keys, lists, mode changes, lookups, targets
 * @param presenceLimit above this many people a room is quiet: joins, leaves and other presence
 *     changes are told only to the person's own connections, and a join's reply lists only the
 *     joiner (the members are fetched on demand); it speaks again at nine tenths of it
 *     (default {@link #PRESENCE_LIMIT})
 */
public record CoreLimits(int maxNickLength, int maxRoomLength, int maxMessageBytes,
    String defaultRoom, int historyOnJoin, int maxHistoryPage, int maxTopicLength,
    int maxRoomsPerSession, FloodLimits flood, ConnectionLimits connections,
    SlowReaderLimits slowReaders, ContinuityLimits continuity, FileLimits files,
    SizeLimits sizes, int presenceLimit) {

  /** Above this many people a room is quiet by default ({@code --presence-limit}). */
  public static final int PRESENCE_LIMIT = 250;

  public static final CoreLimits DEFAULT = new CoreLimits(24, 48, 4096, "lobby", 50, 200);

  /** Names and messages as given; every other limit at its default. */
  public CoreLimits(int maxNickLength, int maxRoomLength, int maxMessageBytes,
      String defaultRoom, int historyOnJoin, int maxHistoryPage) {
    this(maxNickLength, maxRoomLength, maxMessageBytes, defaultRoom, historyOnJoin,
        maxHistoryPage, 390, 100, FloodLimits.DEFAULT, ConnectionLimits.DEFAULT,
        SlowReaderLimits.DEFAULT, ContinuityLimits.DEFAULT, FileLimits.DEFAULT,
        SizeLimits.DEFAULT, PRESENCE_LIMIT);
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
    if (maxTopicLength < 1) {
      throw new IllegalArgumentException("maxTopicLength must be >= 1: " + maxTopicLength);
    }
    if (maxRoomsPerSession < 1) {
      throw new IllegalArgumentException("maxRoomsPerSession must be >= 1: " + maxRoomsPerSession);
    }
    if (flood == null || connections == null || slowReaders == null || continuity == null
        || files == null || sizes == null) {
      throw new IllegalArgumentException(
          "flood, connections, slowReaders, continuity, files and sizes are required");
    }
    if (presenceLimit < 1) {
      throw new IllegalArgumentException("presenceLimit must be >= 1: " + presenceLimit);
    }
  }

  public CoreLimits withMaxMessageBytes(int bytes) {
    return new CoreLimits(maxNickLength, maxRoomLength, bytes, defaultRoom, historyOnJoin,
        maxHistoryPage, maxTopicLength, maxRoomsPerSession, flood, connections, slowReaders, continuity, files, sizes, presenceLimit);
  }

  public CoreLimits withHistoryOnJoin(int count) {
    return new CoreLimits(maxNickLength, maxRoomLength, maxMessageBytes, defaultRoom, count,
        maxHistoryPage, maxTopicLength, maxRoomsPerSession, flood, connections, slowReaders, continuity, files, sizes, presenceLimit);
  }

  public CoreLimits withMaxTopicLength(int length) {
    return new CoreLimits(maxNickLength, maxRoomLength, maxMessageBytes, defaultRoom,
        historyOnJoin, maxHistoryPage, length, maxRoomsPerSession, flood, connections, slowReaders, continuity, files, sizes, presenceLimit);
  }

  public CoreLimits withMaxRoomsPerSession(int rooms) {
    return new CoreLimits(maxNickLength, maxRoomLength, maxMessageBytes, defaultRoom,
        historyOnJoin, maxHistoryPage, maxTopicLength, rooms, flood, connections, slowReaders, continuity, files, sizes, presenceLimit);
  }

  public CoreLimits withFlood(FloodLimits limits) {
    return new CoreLimits(maxNickLength, maxRoomLength, maxMessageBytes, defaultRoom,
        historyOnJoin, maxHistoryPage, maxTopicLength, maxRoomsPerSession, limits, connections,
        slowReaders, continuity, files, sizes, presenceLimit);
  }

  public CoreLimits withConnections(ConnectionLimits limits) {
    return new CoreLimits(maxNickLength, maxRoomLength, maxMessageBytes, defaultRoom,
        historyOnJoin, maxHistoryPage, maxTopicLength, maxRoomsPerSession, flood, limits,
        slowReaders, continuity, files, sizes, presenceLimit);
  }

  public CoreLimits withSlowReaders(SlowReaderLimits limits) {
    return new CoreLimits(maxNickLength, maxRoomLength, maxMessageBytes, defaultRoom,
        historyOnJoin, maxHistoryPage, maxTopicLength, maxRoomsPerSession, flood, connections,
        limits, continuity, files, sizes, presenceLimit);
  }

  public CoreLimits withContinuity(ContinuityLimits limits) {
    return new CoreLimits(maxNickLength, maxRoomLength, maxMessageBytes, defaultRoom,
        historyOnJoin, maxHistoryPage, maxTopicLength, maxRoomsPerSession, flood, connections,
        slowReaders, limits, files, sizes, presenceLimit);
  }

  public CoreLimits withSizes(SizeLimits limits) {
    return new CoreLimits(maxNickLength, maxRoomLength, maxMessageBytes, defaultRoom,
        historyOnJoin, maxHistoryPage, maxTopicLength, maxRoomsPerSession, flood, connections,
        slowReaders, continuity, files, limits, presenceLimit);
  }

  public CoreLimits withFiles(FileLimits limits) {
    return new CoreLimits(maxNickLength, maxRoomLength, maxMessageBytes, defaultRoom,
        historyOnJoin, maxHistoryPage, maxTopicLength, maxRoomsPerSession, flood, connections,
        slowReaders, continuity, limits, sizes, presenceLimit);
  }

  public CoreLimits withPresenceLimit(int people) {
    return new CoreLimits(maxNickLength, maxRoomLength, maxMessageBytes, defaultRoom,
        historyOnJoin, maxHistoryPage, maxTopicLength, maxRoomsPerSession, flood, connections,
        slowReaders, continuity, files, sizes, people);
  }
}
