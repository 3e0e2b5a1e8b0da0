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

  record JoinedRoom(String room, List<String> members) implements Reply {}

  record LeftRoom(String room) implements Reply {}

  record RoomList(List<RoomInfo> rooms) implements Reply {}

  record Members(String room, List<String> members) implements Reply {}

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
