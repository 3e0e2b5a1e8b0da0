package chat.core;

/** What a session asks of the hub. Doors translate their syntax into these. */
public sealed interface Command {

  /** Opens the session; {@code nick} null or empty asks for a guest nick. */
  record Hello(String nick) implements Command {}

  record SetNick(String nick) implements Command {}

  record Join(String room) implements Command {}

  record Leave(String room, String reason) implements Command {}

  record ListRooms() implements Command {}

  record Who(String room) implements Command {}

  record SayToRoom(String room, MessageKind kind, String text) implements Command {}

  record SayToNick(String nick, MessageKind kind, String text) implements Command {}

  record Quit(String reason) implements Command {}

  /**
   * A page of a room's history: up to {@code limit} messages with {@code seq < beforeSeq}
   * ({@code beforeSeq} 0 or less means the newest).
   */
  record RoomHistory(String room, long beforeSeq, int limit) implements Command {}
}
