package chat.core.store;

/**
 * How far an account has read in one room or conversation. Markers only move forward.
 *
 * <p>A marker is a place in the log and the time of that place: the time of the entry read up
 * to, or the time a client named (IRC's markers are times, and may fall between entries, or
 * before the first). Clients of either kind thus see the same marker.
 *
 * @param target a room's folded name, or {@code @} and the folded account of a conversation
 * @param seq for a room: the last sequence number read (0: none yet); 0 for a conversation
 * @param msgId for a conversation: the last message id read (null: none yet); null for a room
 * @param ts the time read up to, UTC milliseconds: the entry's own time, or the time a client
 *     gave (markers stored by earlier versions hold the time they were set, a little later)
 */
public record ReadMarker(String target, long seq, String msgId, long ts) {

  /** The target of the conversation with {@code accountKey} (folded). */
  public static String conversation(String accountKey) {
    return "@" + accountKey;
  }

  public boolean isConversation() {
    return target.startsWith("@");
  }
}
