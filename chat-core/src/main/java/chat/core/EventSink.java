package chat.core;

/**
 * How the hub reaches one session: implemented by each door, called from any thread.
 * Implementations must not block and must keep the order of calls.
 */
public interface EventSink {

  /**
   * An event for this session. {@code replyId} is non-null when the event is also the reply to
   * the session's request with that id (the sender's own copy of its message).
   */
  void event(Event event, String replyId);

  /** The reply to this session's request {@code replyId} (may be null if it had none). */
  void reply(String replyId, Reply reply);

  /** The hub is done with this session (quit, shutdown): flush what was sent, then close. */
  void close(String reason);
}
