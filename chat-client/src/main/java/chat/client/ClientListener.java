package chat.client;

import chat.protocol.Frame;

/**
 * Receives what the server sends that is not only a reply.
 *
 * <p>Called on the connection's event loop thread, one frame at a time in arrival order: keep the
 * work short and never block (hand off to another thread for anything slow). Exceptions thrown
 * by the listener are logged and otherwise ignored.
 */
public interface ClientListener {

  /**
   * The server has welcomed the client: called once per connection, before any event and
   * before {@link ChatClient#connect} returns, so that a listener shared by successive
   * connections (a reconnecting client) learns which client its events belong to.
   */
  default void onConnected(ChatClient client) {}

  /**
   * A frame that is an event: {@code message}, {@code privmsg}, {@code joined}, {@code left},
   * {@code nick}, {@code quit}, {@code notice}, the moderation events {@code topic},
   * {@code mode}, {@code kicked}, {@code invited}, {@code killed}, and {@code error} frames that
   * answer no pending request (or answer a rejoin of the client's own, see
   * {@link ChatClient#connect(ClientOptions, ClientListener, ResumeState)}).
   *
   * <p>An entry of a room's log ({@code message}, {@code topic}, {@code mode}, {@code kicked})
   * or a private message comes here once: a replay of what was passed on before is dropped. Pages
   * asked for with {@code history} are passed on as they come.
   *
   * <p>The sender's own copy of a {@code message} or {@code privmsg} is the reply to its
   * {@code msg}/{@code action}/{@code privmsg} request: it completes that request's future
   * <em>and</em> is passed here first, so that a user interface can show its own messages in the
   * room's order (the order of {@code seq}) among everyone else's, from one place.
   */
  void onEvent(Frame event);

  /**
   * A room of the {@link ResumeState} the client was connected with has been rejoined, after the
   * last seq passed on: called before its missed entries (replayed, {@code "history": true}, in
   * seq order) are passed to {@link #onEvent}.
   *
   * @param room the room, spelled as the server spells it
   * @param since the seq resumed after: the last one passed on
   * @param skipped how many entries after {@code since} the server left out, being more than it
   *     replays at once: those up to {@code since + skipped} (read them with
   *     {@link ChatClient#history}, before {@code since + skipped + 1}); 0 when none
   * @param reply the join's {@code ok}: members, topic, modes, {@code last-seq}
   */
  default void onResumed(String room, long since, long skipped, Frame reply) {}

  /**
   * The private messages missed since the last connection have been asked for: called before
   * they are passed to {@link #onEvent}. The reply's {@code more} is true when older ones were
   * left out, being more than the server sends at once.
   */
  default void onPrivateResumed(Frame reply) {}

  /**
   * The connection is closed, after every pending request has failed. Called once, also after
   * {@link ChatClient#close()}.
   *
   * @param causeOrNull the error that broke the connection, or null for an orderly close
   */
  default void onDisconnected(Throwable causeOrNull) {}

  /** A listener that ignores everything. */
  ClientListener NONE = event -> {};
}
