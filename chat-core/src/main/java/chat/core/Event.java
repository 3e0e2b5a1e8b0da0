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
}
