package chat.core.store;

import java.util.List;
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

  /** Finishes pending appends (their callbacks run) and releases resources. */
  @Override
  void close();
}
