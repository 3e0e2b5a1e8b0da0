package chat.core.store;

/**
 * How far an account has read in one room or conversation. Markers only move forward.
 *
 * @param target a room's folded name, or {@code @} and the folded account of a conversation
 * @param seq for a room: the last sequence number read; 0 for a conversation
 * @param msgId for a conversation: the last message id read; null for a room
 * @param ts when the marker was set, UTC milliseconds
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
