package chat.core;

/** What the hub tells sessions. Every event carries the server's time in UTC milliseconds. */
public sealed interface Event {

  long ts();

  /** A room message; {@code seq} counts up by one per message in that room. */
  record RoomMessage(String room, String msgId, long seq, long ts, String from,
      MessageKind kind, String text) implements Event {}

  record PrivateMessage(String msgId, long ts, String from, String to, MessageKind kind,
      String text) implements Event {}

  record Joined(String room, String nick, long ts) implements Event {}

  record Left(String room, String nick, String reason, long ts) implements Event {}

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

  /** A room's topic changed; {@code topic} is empty when it was cleared. */
  record TopicChanged(String room, String topic, String by, long ts) implements Event {}

  /** {@code nick} was removed from {@code room}; sent to the members, {@code nick} included. */
  record Kicked(String room, String nick, String by, String reason, long ts) implements Event {}

  /**
   * A room's modes changed ({@link ModeChange} arguments resolved); {@code by} is null when the
   * server made the change (operator status passing on), {@code reason} null when none was given.
   */
  record ModeChanged(String room, String by, java.util.List<ModeChange> changes, String reason,
      long ts) implements Event {}

  /** You were invited to {@code room}; sent to the invited user only. */
  record Invited(String room, String by, long ts) implements Event {}

  /** An admin disconnects you from the server; the connection closes after this. */
  record Killed(String by, String reason, long ts) implements Event {}
}
