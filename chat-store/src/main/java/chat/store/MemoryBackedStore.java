package chat.store;

import chat.core.store.Account;
import chat.core.store.MemoryStore;
import chat.core.store.ReadMarker;
import chat.core.store.RoomRecord;
import chat.core.store.StoredMessage;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** The core's {@link MemoryStore} as a {@link Store}: {@code --store memory}. */
final class MemoryBackedStore implements Store {

  private final MemoryStore memory;

  MemoryBackedStore(MemoryStore memory) {
    this.memory = memory;
  }

  @Override
  public long lastSeq(String roomKey) {
    return memory.lastSeq(roomKey);
  }

  @Override
  public void append(StoredMessage message, Consumer<Throwable> onDurable) {
    memory.append(message, onDurable);
  }

  @Override
  public long nodeNumber() {
    return memory.nodeNumber();
  }

  @Override
  public void saveRoomNumbered(RoomRecord room, StoredMessage change,
      java.util.function.BiConsumer<Long, Throwable> onDurable) {
    memory.saveRoomNumbered(room, change, onDurable);
  }

  @Override
  public void appendNumbered(StoredMessage message,
      java.util.function.BiConsumer<Long, Throwable> onDurable) {
    memory.appendNumbered(message, onDurable);
  }

  @Override
  public List<StoredMessage> roomHistory(String roomKey, long beforeSeq, int limit) {
    return memory.roomHistory(roomKey, beforeSeq, limit);
  }

  @Override
  public List<StoredMessage> privateHistory(String accountA, String accountB, String beforeMsgId,
      int limit) {
    return memory.privateHistory(accountA, accountB, beforeMsgId, limit);
  }

  @Override
  public List<StoredMessage> privateSince(String account, String afterMsgId, int limit) {
    return memory.privateSince(account, afterMsgId, limit);
  }

  @Override
  public List<StoredMessage> roomSlice(String roomKey, long afterSeq, long beforeSeq, int limit,
      boolean newest, boolean messagesOnly) {
    return memory.roomSlice(roomKey, afterSeq, beforeSeq, limit, newest, messagesOnly);
  }

  @Override
  public long roomSeqAt(String roomKey, long ts) {
    return memory.roomSeqAt(roomKey, ts);
  }

  @Override
  public List<StoredMessage> privateSlice(String accountA, String accountB,
      chat.core.store.MessageStore.Bound after, chat.core.store.MessageStore.Bound before,
      int limit, boolean newest) {
    return memory.privateSlice(accountA, accountB, after, before, limit, newest);
  }

  @Override
  public java.util.Optional<StoredMessage> privateMessage(String msgId) {
    return memory.privateMessage(msgId);
  }

  @Override
  public List<chat.core.store.Conversation> conversations(String account, long afterTs,
      long beforeTs, int limit) {
    return memory.conversations(account, afterTs, beforeTs, limit);
  }

  @Override
  public List<RoomRecord> rooms() {
    return memory.rooms();
  }

  @Override
  public Optional<RoomRecord> room(String roomKey) {
    return memory.room(roomKey);
  }

  @Override
  public void saveRoom(RoomRecord room, StoredMessage change, Consumer<Throwable> onDurable) {
    memory.saveRoom(room, change, onDurable);
  }

  @Override
  public void deleteRoom(String roomKey, Consumer<Throwable> onDurable) {
    memory.deleteRoom(roomKey, onDurable);
  }

  @Override
  public void setMarker(String nameKey, ReadMarker marker) {
    memory.setMarker(nameKey, marker);
  }

  @Override
  public List<ReadMarker> markers(String nameKey) {
    return memory.markers(nameKey);
  }

  @Override
  public Optional<Account> find(String nameKey) {
    return memory.find(nameKey);
  }

  @Override
  public boolean create(Account account) {
    return memory.create(account);
  }

  @Override
  public boolean updatePassword(String nameKey, String passwordHash) {
    return memory.updatePassword(nameKey, passwordHash);
  }

  @Override
  public boolean setAdmin(String nameKey, boolean admin) {
    return memory.setAdmin(nameKey, admin);
  }

  @Override
  public boolean delete(String nameKey) {
    return memory.delete(nameKey);
  }

  @Override
  public List<Account> list() {
    return memory.list();
  }

  @Override
  public void close() {
    memory.close();
  }

  @Override
  public String toString() {
    return "memory";
  }
}
