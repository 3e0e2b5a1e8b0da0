package chat.core;

/** What the hub tells sessions. Every event carries the server's time in UTC milliseconds. */
public sealed interface Event {

  long ts();

  /**
   * A room message; {@code seq} counts up by one per message in that room.
   *
   * @param fromAccount the sender's account, or null for a guest
   */
  record RoomMessage(String room, String msgId, long seq, long ts, String from,
      MessageKind kind, String text, String fromAccount) implements Event {
    public RoomMessage(String room, String msgId, long seq, long ts, String from,
        MessageKind kind, String text) {
      this(room, msgId, seq, ts, from, kind, text, null);
    }
  }

  /** @param fromAccount the sender's account, or null for a guest */
  record PrivateMessage(String msgId, long ts, String from, String to, MessageKind kind,
      String text, String fromAccount) implements Event {
    public PrivateMessage(String msgId, long ts, String from, String to, MessageKind kind,
        String text) {
      this(msgId, ts, from, to, kind, text, null);
    }
  }

  /**
   * @param account the member's account, or null for a guest
   * @param realname the member's real name, or null when none was given
   */
  /** {@code away}: the joiner's away message, or null (IRC's away-notify tells it on join). */
  record Joined(String room, String nick, String account, String realname, String away,
      long ts) implements Event {
    public Joined(String room, String nick, long ts) {
      this(room, nick, null, null, null, ts);
    }

    public Joined(String room, String nick, String account, String realname, long ts) {
      this(room, nick, account, realname, null, ts);
    }
  }

  record Left(String room, String nick, String reason, long ts) implements Event {}

  /**
   * A room went quiet ({@code quiet}: it has more people than {@link CoreLimits#presenceLimit()},
   * so nobody hears of arrivals and departures any more; lists empty) or speaks again (the
   * members now, as a join's reply names them). Sent to every member but the one whose join or
   * departure switched it.
   */
  record RoomPresence(String room, boolean quiet, int count, java.util.List<String> members,
      java.util.List<String> ops, java.util.List<String> voiced, long ts) implements Event {}

  record NickChanged(String oldNick, String nick, long ts) implements Event {}

  record Quit(String nick, String reason, long ts) implements Event {}

  /** A stored message sent again (history), not a live one; clients render it apart. */
  record History(Event message) implements Event {
    @Override
    public long ts() {
      return message.ts();
    }
  }

  /** A message from the server itself; {@code room} is null when it is not about a room. */
  record Notice(String room, String text, long ts) implements Event {}

  /**
   * A room's topic changed; {@code topic} is empty when it was cleared. Room changes are entries
   * of the room's log: {@code seq} is their place in it, shared with messages (0 when unknown).
   */
  record TopicChanged(String room, String topic, String by, long ts, long seq) implements Event {
    public TopicChanged(String room, String topic, String by, long ts) {
      this(room, topic, by, ts, 0);
    }
  }

  /** {@code nick} was removed from {@code room}; sent to the members, {@code nick} included. */
  record Kicked(String room, String nick, String by, String reason, long ts, long seq)
      implements Event {
    public Kicked(String room, String nick, String by, String reason, long ts) {
      this(room, nick, by, reason, ts, 0);
    }
  }

  /**
   * A room's modes changed ({@link ModeChange} arguments resolved); {@code by} is null when the
   * server made the change (operator status passing on), {@code reason} null when none was given.
   */
  record ModeChanged(String room, String by, java.util.List<ModeChange> changes, String reason,
      long ts, long seq) implements Event {
    public ModeChanged(String room, String by, java.util.List<ModeChange> changes, String reason,
        long ts) {
      this(room, by, changes, reason, ts, 0);
    }
  }

  /**
   * Client-only tags ({@link Command.SendTags}) for a room ({@code room} set) or for {@code to};
   * never stored, so never in history.
   */
  record TagMessage(String room, String to, String msgId, long ts, String from,
      String fromAccount, java.util.Map<String, String> tags) implements Event {}

  /**
   * You were invited to {@code room} (put on its invitation list); sent to the invited user only.
   * {@code reason} is the mode request's (null for none): a door may tell an invitation asked
   * for as one (IRC's {@code INVITE}) from a list change ({@code MODE +I}) by it.
   */
  record Invited(String room, String by, String byAccount, String reason, long ts)
      implements Event {}

  /**
   * A roommate went away ({@code message} non-null) or came back (null). Sent to everyone
   * sharing a room with {@code nick}.
   */
  record AwayChanged(String nick, String message, long ts) implements Event {}

  /** A roommate changed their real name (null: none). */
  record RealnameChanged(String nick, String realname, long ts) implements Event {}

  /** A roommate logged in to {@code account} (or registered it). */
  record AccountChanged(String nick, String account, long ts) implements Event {}

  /**
   * Another connection of your account moved a read marker: the same unread counts on every
   * device.
   */
  record MarkerMoved(chat.core.store.ReadMarker marker, long ts) implements Event {}

  /** An admin disconnects you from the server; the connection closes after this. */
  record Killed(String by, String reason, long ts) implements Event {}

  /**
   * A nick this session watches ({@link Command.Watch}) came online ({@code nick} as it is now
   * written, {@code account} its account) or went offline ({@code nick} as watched).
   */
  record Watched(String nick, boolean online, String account, long ts) implements Event {}

  /** A line from administrator {@code from} to everyone who wants such lines. */
  record Wallops(String from, String text, long ts) implements Event {}

  /**
   * A message for a room's operators ({@code voicedToo}: and voiced members), not stored.
   *
   * @param fromAccount the sender's account, or null for a guest
   */
  record StatusMessage(String room, boolean voicedToo, String msgId, long ts, String from,
      MessageKind kind, String text, String fromAccount) implements Event {}
}
