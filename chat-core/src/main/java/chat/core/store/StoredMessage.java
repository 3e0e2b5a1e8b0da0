package chat.core.store;

import chat.core.MessageKind;

/**
 * A message as kept in history: a room message ({@code room} set, {@code seq} >= 1) or a private
 * message ({@code room} null, {@code seq} 0, {@code to} set).
 *
 * @param msgId server-unique id, as sent to clients
 * @param room the room's display name, or null for a private message
 * @param seq the room's sequence number, or 0 for a private message
 * @param ts server time, UTC milliseconds
 * @param from sender's nick at the time
 * @param fromAccount sender's account, or null for a guest
 * @param to recipient's nick for a private message, else null
 * @param toAccount recipient's account for a private message, or null
 * @param kind text or action
 * @param text the message
 */
public record StoredMessage(String msgId, String room, long seq, long ts, String from,
    String fromAccount, String to, String toAccount, MessageKind kind, String text) {

  /** The same entry with the room sequence number {@code n}. */
  public StoredMessage withSeq(long n) {
    return new StoredMessage(msgId, room, n, ts, from, fromAccount, to, toAccount, kind, text);
  }

  public boolean isPrivate() {
    return room == null;
  }

  /**
   * Who a side of a conversation is, for finding its messages: an account's folded name, or a
   * guest's folded nick after {@code ~} (no nick or account holds '~'). An account's history with
   * a guest is its messages with whoever used that nick without an account; the nick registered
   * later is another side (the account), with none of them.
   */
  public static String side(String nick, String account) {
    return account != null ? chat.core.Names.fold(account) : guest(nick);
  }

  /** The side of a guest using {@code nick}. */
  public static String guest(String nick) {
    return "~" + chat.core.Names.fold(nick);
  }

  /** {@link #side} of the sender. */
  public String fromSide() {
    return side(from, fromAccount);
  }

  /** {@link #side} of the recipient of a private message. */
  public String toSide() {
    return side(to, toAccount);
  }
}
