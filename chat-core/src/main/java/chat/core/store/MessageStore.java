package chat.core.store;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where messages become durable and where history comes from. The hub appends a message, and
 * only when the store reports it durable does the hub fan it out and confirm it to its sender:
 * a confirmed message survives a crash.
 *
 * <p>Implementations batch appends (group commit): many messages per transaction from one
 * writer. Room keys are case-folded room names (see {@code Names.fold}).
 */
public interface MessageStore extends AutoCloseable {

  /** The highest sequence number stored for the room, 0 if none; seeds the room's counter. */
  long lastSeq(String roomKey);

  /**
   * Queues {@code message} for durable storage. {@code onDurable} runs exactly once, on a store
   * thread, with null once the transaction holding the message has committed, or with the
   * failure. Callbacks run in the order of the {@code append} calls.
   */
  void append(StoredMessage message, Consumer<Throwable> onDurable);

  /**
   * Like {@link #append}, for a room entry whose {@code seq} the store decides (the message's own
   * seq is ignored): the room's next, taken in the same transaction as the entry, so that several
   * servers sharing the store give each room one order with no gap and no number twice.
   * {@code onDurable} gets the seq (with a null failure) once committed; callbacks run in the
   * order of the calls, and one store hands out a room's seqs in that order too.
   */
  /**
   * A number no other server sharing this store got (for ids unique among them). One server
   * alone may always get 0.
   */
  default long nodeNumber() {
    return 0;
  }

  /**
   * Like {@link #saveRoom}, with the change numbered as {@link #appendNumbered} numbers entries;
   * {@code onDurable} gets the change's seq.
   */
  default void saveRoomNumbered(RoomRecord room, StoredMessage change,
      java.util.function.BiConsumer<Long, Throwable> onDurable) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " does not number entries");
  }

  default void appendNumbered(StoredMessage message,
      java.util.function.BiConsumer<Long, Throwable> onDurable) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " does not number entries");
  }

  /**
   * Up to {@code limit} of the room's newest messages with {@code seq < beforeSeq}, in
   * ascending {@code seq} order. {@code Long.MAX_VALUE} asks for the newest.
   */
  List<StoredMessage> roomHistory(String roomKey, long beforeSeq, int limit);

  /**
   * Up to {@code limit} of the newest private messages between the two accounts (either
   * direction) older than the message {@code beforeMsgId} (null for the newest), oldest first.
   */
  List<StoredMessage> privateHistory(String accountA, String accountB, String beforeMsgId,
      int limit);

  /**
   * Up to {@code limit} of the newest private messages from or to {@code account} (any
   * conversation) stored after the message {@code afterMsgId} (null: no bound), oldest first:
   * what a device of the account missed.
   */
  List<StoredMessage> privateSince(String account, String afterMsgId, int limit);

  // ---------------------------------------------------------------- history by place

  /**
   * A slice of the room's log: up to {@code limit} of its entries with
   * {@code afterSeq < seq < beforeSeq}, the newest of them ({@code newest}) or the oldest, in
   * ascending {@code seq} order. With {@code messagesOnly}, room changes (topic, mode and kick
   * entries) are left out, and the limit counts messages.
   */
  List<StoredMessage> roomSlice(String roomKey, long afterSeq, long beforeSeq, int limit,
      boolean newest, boolean messagesOnly);

  /**
   * Where a time falls in the room's log: the seq of its newest entry stamped at or before
   * {@code ts} (UTC milliseconds), 0 if none. The hub stamps a room's entries in seq order, so
   * their times only grow (unless the server's clock is set back).
   */
  long roomSeqAt(String roomKey, long ts);

  /**
   * One end of a slice of private history, exclusive: the message {@code msgId}, or (with
   * {@code msgId} null) the time {@code ts}.
   */
  record Bound(String msgId, long ts) {
    public static Bound message(String msgId) {
      return new Bound(java.util.Objects.requireNonNull(msgId, "msgId"), 0);
    }

    public static Bound time(long ts) {
      return new Bound(null, ts);
    }
  }

  /**
   * A slice of the private messages between two accounts (either direction): up to
   * {@code limit} of those after {@code after} and before {@code before} (null: no bound), the
   * newest of them ({@code newest}) or the oldest, oldest first. A bound naming a message that is
   * not a private message matches nothing.
   */
  List<StoredMessage> privateSlice(String accountA, String accountB, Bound after, Bound before,
      int limit, boolean newest);

  /** The private message with this id, if there is one. */
  Optional<StoredMessage> privateMessage(String msgId);

  /**
   * The accounts {@code account} has private history with (messages between the two accounts)
   * whose newest message is stamped strictly between {@code afterTs} and {@code beforeTs}, the
   * least recent first (then by folded name), at most {@code limit}.
   */
  List<Conversation> conversations(String account, long afterTs, long beforeTs, int limit);

  // ---------------------------------------------------------------- rooms

  /** Every stored room, ordered by key. */
  List<RoomRecord> rooms();

  /** The stored state of the room with this folded name. */
  Optional<RoomRecord> room(String roomKey);

  /**
   * Queues the room's new state, and with it {@code change} (a log entry with the room's next
   * {@code seq}, or null when the change has no place in the log), in order with
   * {@link #append}: one transaction holds both, and {@code onDurable} runs like an append's.
   */
  void saveRoom(RoomRecord room, StoredMessage change, Consumer<Throwable> onDurable);

  /** Queues the removal of a room's state (its history stays), in order with appends. */
  void deleteRoom(String roomKey, Consumer<Throwable> onDurable);

  /** Finishes pending appends (their callbacks run) and releases resources. */
  @Override
  void close();
}
