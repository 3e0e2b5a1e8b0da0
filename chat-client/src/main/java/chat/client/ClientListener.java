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
   * answer no pending request.
   *
   * <p>The sender's own copy of a {@code message} or {@code privmsg} is the reply to its
   * {@code msg}/{@code action}/{@code privmsg} request: it completes that request's future
   * <em>and</em> is passed here first, so that a user interface can show its own messages in the
   * room's order (the order of {@code seq}) among everyone else's, from one place.
   */
  void onEvent(Frame event);

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
