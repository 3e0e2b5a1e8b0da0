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
