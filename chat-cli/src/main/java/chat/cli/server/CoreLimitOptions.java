package chat.cli.server;

import chat.core.ConnectionLimits;
import chat.core.ContinuityLimits;
import chat.core.CoreLimits;
import chat.core.FileLimits;
import chat.core.FloodLimits;
import chat.core.SlowReaderLimits;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * {@code chat server}'s options for the core's rules, the same for every door: messages and
 * rooms, flood control, connections, slow readers, continuity and big rooms.
 */
final class CoreLimitOptions {

  @Option(names = "--max-message-bytes", defaultValue = "4096",
      description = "Longest message text in UTF-8 bytes. Default: ${DEFAULT-VALUE}.")
  int maxMessageBytes;

  @Option(names = "--history-on-join", defaultValue = "50",
      description = "How many of a room's latest messages a joining member is sent. Default: ${DEFAULT-VALUE}.")
  int historyOnJoin;

  @Option(names = "--max-topic-length", defaultValue = "390",
      description = "Longest room topic in characters. Default: ${DEFAULT-VALUE}.")
  int maxTopicLength;

  @Option(names = "--max-rooms-per-session", defaultValue = "100",
      description = "Rooms one connection may be in at once. Default: ${DEFAULT-VALUE}.")
  int maxRoomsPerSession;

  @Option(names = "--flood-burst", defaultValue = "40",
      description = "Requests a connection may send at once before it is slowed down; 0 turns "
          + "flood control off. Default: ${DEFAULT-VALUE}.")
  int floodBurst;

  @Option(names = "--flood-rate", defaultValue = "5",
      description = "Requests per second a connection may keep sending. Default: ${DEFAULT-VALUE}.")
  double floodRate;

  @Option(names = "--account-flood-burst", defaultValue = "80",
      description = "Requests all connections of one account may send at once; 0: no account "
          + "limit. Default: ${DEFAULT-VALUE}.")
  int accountFloodBurst;

  @Option(names = "--account-flood-rate", defaultValue = "10",
      description = "Requests per second one account may keep sending. Default: ${DEFAULT-VALUE}.")
  double accountFloodRate;

  @Option(names = "--flood-heavy-cost", defaultValue = "2",
      description = "What join, nick, history, who and rooms cost (a message costs 1). "
          + "Default: ${DEFAULT-VALUE}.")
  int floodHeavyCost;

  @Option(names = "--flood-auth-cost", defaultValue = "5",
      description = "What a password check costs (login, register, passwd, hello with a "
          + "password). Default: ${DEFAULT-VALUE}.")
  int floodAuthCost;

  @Option(names = "--flood-disconnect-after", defaultValue = "60",
      description = "Seconds of unbroken flooding after which a connection is dropped. "
          + "Default: ${DEFAULT-VALUE}.")
  int floodDisconnectSeconds;

  @Option(names = "--max-connections-per-address", defaultValue = "20",
      description = "Connections one address (IPv6: one /64) may hold open; 0: no limit. "
          + "Default: ${DEFAULT-VALUE}.")
  int maxConnectionsPerAddress;

  @Option(names = "--connect-burst", defaultValue = "20",
      description = "Connections one address may open in a quick burst; 0: no limit on the "
          + "rate. Default: ${DEFAULT-VALUE}.")
  int connectBurst;

  @Option(names = "--connect-rate", defaultValue = "2",
      description = "Connections per second one address may open after a burst. "
          + "Default: ${DEFAULT-VALUE}.")
  double connectRate;

  @Option(names = "--hello-timeout", defaultValue = "15",
      description = "Seconds a new connection has to say hello. Default: ${DEFAULT-VALUE}.")
  int helloTimeoutSeconds;

  @Option(names = "--outbound-high-water", defaultValue = "524288",
      description = "Bytes waiting for a client past which it is behind: room traffic for it is "
          + "dropped (it is told how much). Default: ${DEFAULT-VALUE}.")
  long outboundHighWater;

  @Option(names = "--outbound-hard-limit", defaultValue = "4194304",
      description = "Bytes waiting for a client past which it is disconnected at once. "
          + "Default: ${DEFAULT-VALUE}.")
  long outboundHardLimit;

  @Option(names = "--slow-reader-timeout", defaultValue = "30",
      description = "Seconds a client may stay behind before it is disconnected. "
          + "Default: ${DEFAULT-VALUE}.")
  int slowReaderSeconds;

  @Option(names = "--max-connections-per-account", defaultValue = "10",
      description = "Connections one account may hold at once (devices, doors); 0: no limit. "
          + "Default: ${DEFAULT-VALUE}.")
  int maxConnectionsPerAccount;

  @Option(names = "--max-resume", defaultValue = "1000",
      description = "Most entries of one room a reconnecting client is sent; older ones are "
          + "counted and read with history. Default: ${DEFAULT-VALUE}.")
  int maxResume;

  @Option(names = "--guest-grace", defaultValue = "120",
      description = "Seconds a dropped guest's nick and rooms wait for it to resume. "
          + "Default: ${DEFAULT-VALUE}.")
  int guestGraceSeconds;

  @Option(names = "--room-expiry", defaultValue = "24",
      description = "Hours the state of an empty, unregistered room without history is kept. "
          + "Default: ${DEFAULT-VALUE}.")
  int roomExpiryHours;

  @Option(names = "--presence-limit", defaultValue = "" + CoreLimits.PRESENCE_LIMIT,
      paramLabel = "PEOPLE",
      description = "People in a room above which it is quiet: arrivals, departures, nick and "
          + "away changes are not told to its members, and a join lists only the joiner (who, "
          + "or IRC's NAMES, lists everyone); it speaks again at nine tenths of this. "
          + "Default: ${DEFAULT-VALUE}.")
  int presenceLimit;

  /** The core's limits from these options, with {@code files} for shared files. */
  CoreLimits limits(FileLimits files) {
    return CoreLimits.DEFAULT.withMaxMessageBytes(maxMessageBytes)
        .withHistoryOnJoin(historyOnJoin)
        .withMaxTopicLength(maxTopicLength)
        .withMaxRoomsPerSession(maxRoomsPerSession)
        .withFlood(new FloodLimits(floodBurst, floodRate, accountFloodBurst, accountFloodRate,
            floodHeavyCost, floodAuthCost, Duration.ofSeconds(floodDisconnectSeconds)))
        .withConnections(new ConnectionLimits(maxConnectionsPerAddress, connectBurst,
            connectRate, Duration.ofSeconds(helloTimeoutSeconds)))
        .withSlowReaders(new SlowReaderLimits(outboundHighWater, outboundHardLimit,
            Duration.ofSeconds(slowReaderSeconds)))
        .withContinuity(new ContinuityLimits(maxResume, maxConnectionsPerAccount,
            Duration.ofSeconds(guestGraceSeconds), Duration.ofHours(roomExpiryHours)))
        .withFiles(files)
        .withPresenceLimit(presenceLimit);
  }
}
