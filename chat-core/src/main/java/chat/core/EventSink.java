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

  /**
   * An event that this session's request {@code requestId} caused for the session itself, and
   * that is not that request's reply: a joiner's own {@code Joined} and the history its join
   * replays, a parter's own {@code Left}, the {@code Kicked}, {@code ModeChanged} or
   * {@code TopicChanged} of the member who made the change, the history pages a history request
   * replays. It comes before the request's reply, in the room's order like any event (under the
   * room's monitor). A door that does not need to tell them from others keeps the default.
   */
  default void caused(Event event, String requestId) {
    event(event, null);
  }

  /** The reply to this session's request {@code replyId} (may be null if it had none). */
  void reply(String replyId, Reply reply);

  /** The hub is done with this session (quit, shutdown): flush what was sent, then close. */
  void close(String reason);

  /**
   * Flood pushback: stop reading this session's requests for {@code millis}, then read on. A
   * door that cannot pause may ignore this; the hub refuses requests past the allowance anyway.
   */
  default void pause(long millis) {}

  /**
   * The hub ends this session (a limit was broken): send {@code error} as the session's last
   * word, marked fatal where the protocol can say so, then close.
   */
  default void fatal(CoreError error, String message) {
    reply(null, new Reply.Failed(error, message));
    close(message);
  }
}
