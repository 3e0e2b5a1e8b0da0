package chat.client;

import chat.protocol.Frame;
import chat.protocol.Json;
import chat.protocol.Keys;
import chat.protocol.Types;
import java.util.concurrent.CompletableFuture;
import tools.jackson.databind.node.ObjectNode;

/**
 * Read markers (docs/PROTOCOL.md, "Read markers"): how far the logged-in account has read, per
 * room and per conversation, kept by the server and passed on to the account's other
 * connections as {@code marker} events.
 */
public final class MarkerRequests {
  private MarkerRequests() {}

  /** Marks a room read up to {@code seq}; the reply says where the marker is now. */
  public static CompletableFuture<Frame> mark(ChatClient client, String room, long seq) {
    ObjectNode header = Json.header(Types.MARK);
    header.put(Keys.ROOM, room);
    header.put(Keys.SEQ, seq);
    return client.request(header, null);
  }

  /** Marks the conversation with {@code with} read up to the message {@code msgId}. */
  public static CompletableFuture<Frame> markConversation(ChatClient client, String with,
      String msgId) {
    ObjectNode header = Json.header(Types.MARK);
    header.put(Keys.WITH, with);
    header.put(Keys.MSGID, msgId);
    return client.request(header, null);
  }

  /**
   * The account's markers: the reply's {@code markers} is an array of
   * {@code {room, seq | with, msgid, ts, unread, mentions, last-seq?, more?}}.
   */
  public static CompletableFuture<Frame> list(ChatClient client) {
    return client.request(Json.header(Types.MARKERS), null);
  }
}
