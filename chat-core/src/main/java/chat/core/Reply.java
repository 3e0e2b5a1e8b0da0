package chat.core;

import java.util.List;

/** The answer to one command, sent to the requesting session only. */
public sealed interface Reply {

  /** {@code account} is null for a guest. */
  record Welcome(String nick, String account) implements Reply {
    public Welcome(String nick) {
      this(nick, null);
    }
  }

  record LoggedIn(String account, String nick) implements Reply {}

  record Registered(String account) implements Reply {}

  record PrivateHistorySent(String with, int count, String firstMsgId, boolean more)
      implements Reply {}

  record NickSet(String nick) implements Reply {}

  /**
   * @param ops the members with operator status
   * @param voiced the members with voice
   * @param topic the topic, or null when none is set
   */
  record JoinedRoom(String room, List<String> members, List<String> ops, List<String> voiced,
      Topic topic, RoomModes modes) implements Reply {}

  record LeftRoom(String room) implements Reply {}

  record RoomList(List<RoomInfo> rooms) implements Reply {}

  record Members(String room, List<String> members, List<String> ops, List<String> voiced)
      implements Reply {
    public Members(String room, List<String> members) {
      this(room, members, List.of(), List.of());
    }
  }

  /** A room's topic, or null when none is set (after a topic query or change). */
  record RoomTopic(String room, Topic topic) implements Reply {}

  /** The changes a mode request made (resolved); empty when it changed nothing. */
  record ModesChanged(String room, List<ModeChange> changes) implements Reply {}

  /** A room's modes and lists (masks as {@code account:NAME} or {@code nick:NICK}). */
  record RoomModeList(String room, RoomModes modes, List<String> bans, List<String> mutes,
      List<String> invites) implements Reply {}

  record Kicked(String room, String nick) implements Reply {}

  /** Done, nothing to report (quit). */
  record Done() implements Reply {}

  record Failed(CoreError error, String message) implements Reply {}

  /**
   * A history page was sent (as {@link Event.History} events before this reply); {@code count}
   * messages, the oldest with {@code firstSeq}; {@code more} if older ones exist.
   */
  record HistorySent(String room, int count, long firstSeq, boolean more) implements Reply {}

  record RoomInfo(String room, int members) {}
}
