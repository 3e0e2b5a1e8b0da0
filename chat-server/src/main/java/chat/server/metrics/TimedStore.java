package chat.server.metrics;

import chat.core.store.MessageStore;
import chat.core.store.RoomRecord;
import chat.core.store.StoredMessage;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** A {@link MessageStore} that times each append until its durable callback, and counts it. */
final class TimedStore implements MessageStore {

  private final MessageStore store;
  private final ServerMetrics metrics;

  TimedStore(MessageStore store, ServerMetrics metrics) {
    this.store = store;
    this.metrics = metrics;
  }

  @Override
  public long lastSeq(String roomKey) {
    return store.lastSeq(roomKey);
  }

  @Override
  public void append(StoredMessage message, Consumer<Throwable> onDurable) {
    long start = System.nanoTime();
    boolean room = !message.isPrivate();
    store.append(message, failure -> {
      metrics.durable(System.nanoTime() - start, room, failure);
      onDurable.accept(failure);
    });
  }
  @Override
  public long nodeNumber() {
    return store.nodeNumber();
  }

  @Override
  public void saveRoomNumbered(chat.core.store.RoomRecord room, StoredMessage change,
      java.util.function.BiConsumer<Long, Throwable> onDurable) {
    store.saveRoomNumbered(room, change, onDurable);
  }

  @Override
  public void appendNumbered(StoredMessage message,
      java.util.function.BiConsumer<Long, Throwable> onDurable) {
    long start = System.nanoTime();
    store.appendNumbered(message, (seq, failure) -> {
      metrics.durable(System.nanoTime() - start, true, failure);
      onDurable.accept(seq, failure);
    });
  }


  @Override
  public List<StoredMessage> roomHistory(String roomKey, long beforeSeq, int limit) {
    return store.roomHistory(roomKey, beforeSeq, limit);
  }

  @Override
  public List<StoredMessage> privateHistory(String accountA, String accountB, String beforeMsgId,
      int limit) {
    return store.privateHistory(accountA, accountB, beforeMsgId, limit);
  }

  @Override
  public List<StoredMessage> privateSince(String account, String afterMsgId, int limit) {
    return store.privateSince(account, afterMsgId, limit);
  }

  @Override
  public List<StoredMessage> roomSlice(String roomKey, long afterSeq, long beforeSeq, int limit,
      boolean newest, boolean messagesOnly) {
    return store.roomSlice(roomKey, afterSeq, beforeSeq, limit, newest, messagesOnly);
  }

  @Override
  public long roomSeqAt(String roomKey, long ts) {
    return store.roomSeqAt(roomKey, ts);
  }

  @Override
  public List<StoredMessage> privateSlice(String accountA, String accountB,
      chat.core.store.MessageStore.Bound after, chat.core.store.MessageStore.Bound before,
      int limit, boolean newest) {
    return store.privateSlice(accountA, accountB, after, before, limit, newest);
  }

  @Override
  public java.util.Optional<StoredMessage> privateMessage(String msgId) {
    return store.privateMessage(msgId);
  }

  @Override
  public List<chat.core.store.Conversation> conversations(String account, long afterTs,
      long beforeTs, int limit) {
    return store.conversations(account, afterTs, beforeTs, limit);
  }

  @Override
  public List<RoomRecord> rooms() {
    return store.rooms();
  }

  @Override
  public Optional<RoomRecord> room(String roomKey) {
    return store.room(roomKey);
  }

  @Override
  public void saveRoom(RoomRecord room, StoredMessage change, Consumer<Throwable> onDurable) {
    store.saveRoom(room, change, onDurable);
  }

  @Override
  public void deleteRoom(String roomKey, Consumer<Throwable> onDurable) {
    store.deleteRoom(roomKey, onDurable);
  }

  @Override
  public void close() {
    store.close();
  }
}
