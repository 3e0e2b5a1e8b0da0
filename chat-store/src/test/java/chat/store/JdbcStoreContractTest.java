package chat.store;

import static org.assertj.core.api.Assertions.assertThat;

import chat.core.MessageKind;
import chat.core.RoomModes;
import chat.core.Topic;
import chat.core.store.RoomRecord;
import chat.core.store.StoredMessage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** What the JDBC stores add to the contract: group commit, failure isolation, close. */
abstract class JdbcStoreContractTest extends StoreContractTest {

  /**
   * A new, empty database migrated to schema version 1 only, with {@code statements} run on it,
   * then opened as a store (which migrates it the rest of the way).
   */
  protected abstract Store openFromVersion1(List<String> statements) throws Exception;

  JdbcStore jdbc() {
    return (JdbcStore) store;
  }

  /** Appends {@code m} with a future for its callback's argument (null means durable). */
  CompletableFuture<Throwable> append(StoredMessage m) {
    CompletableFuture<Throwable> f = new CompletableFuture<>();
    store.append(m, f::complete);
    return f;
  }

  /**
   * Appends a message whose callback holds the writer until {@link #release} opens, and waits
   * until the writer is in it: everything appended meanwhile waits in the queue.
   */
  CountDownLatch holdWriter() throws Exception {
    CountDownLatch inCallback = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    store.append(roomMessage("Holder", store.lastSeq("holder") + 1, "hold"), error -> {
      inCallback.countDown();
      try {
        release.await(WAIT_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    assertThat(inCallback.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    return release;
  }

  @Test
  void appendsWaitingTogetherAreCommittedInOneTransaction() throws Exception {
    CountDownLatch release = holdWriter();
    JdbcStore.WriterStats before = jdbc().writerStats();
    List<CompletableFuture<Throwable>> results = new ArrayList<>();
    for (StoredMessage m : roomMessages("Lobby", 100)) {
      results.add(append(m));
    }
    release.countDown();
    for (CompletableFuture<Throwable> r : results) {
      assertThat(r.get(WAIT_SECONDS, TimeUnit.SECONDS)).isNull();
    }
    JdbcStore.WriterStats after = jdbc().writerStats();
    assertThat(after.batches() - before.batches()).isEqualTo(1);
    assertThat(after.messages() - before.messages()).isEqualTo(100);
    assertThat(store.lastSeq("lobby")).isEqualTo(100);
  }

  @Test
  void aRefusedMessageFailsAloneAndTheRestOfItsBatchIsStored() throws Exception {
    CountDownLatch release = holdWriter();
    StoredMessage first = roomMessage("Lobby", 1, "one");
    StoredMessage sameSeq = roomMessage("lobby", 1, "a second seq 1 for the room");
    StoredMessage sameId = new StoredMessage(first.msgId(), null, 0, 5, "Bob", "Bob", "Alice",
        "Alice", MessageKind.TEXT, "a reused msgid");
    StoredMessage last = roomMessage("Lobby", 2, "two");
    CompletableFuture<Throwable> r1 = append(first);
    CompletableFuture<Throwable> r2 = append(sameSeq);
    CompletableFuture<Throwable> r3 = append(sameId);
    CompletableFuture<Throwable> r4 = append(last);
    release.countDown();

    assertThat(r1.get(WAIT_SECONDS, TimeUnit.SECONDS)).isNull();
    assertThat(r2.get(WAIT_SECONDS, TimeUnit.SECONDS)).isNotNull();
    assertThat(r3.get(WAIT_SECONDS, TimeUnit.SECONDS)).isNotNull();
    assertThat(r4.get(WAIT_SECONDS, TimeUnit.SECONDS)).isNull();
    assertThat(store.roomHistory("lobby", Long.MAX_VALUE, 10)).containsExactly(first, last);
    assertThat(store.privateHistory("alice", "bob", null, 10)).isEmpty();
  }

  @Test
  void aFailedBatchDoesNotStopTheWriter() throws Exception {
    StoredMessage noText = new StoredMessage(newId(), "Lobby", 1, 1, "Alice", null, null, null,
        MessageKind.TEXT, null);
    assertThat(append(noText).get(WAIT_SECONDS, TimeUnit.SECONDS)).isNotNull();
    StoredMessage ok = roomMessage("Lobby", 1, "fine");
    assertThat(append(ok).get(WAIT_SECONDS, TimeUnit.SECONDS)).isNull();
    assertThat(store.roomHistory("lobby", Long.MAX_VALUE, 10)).containsExactly(ok);
  }

  @Test
  void appendsAfterCloseFailAtOnce() throws Exception {
    store.close();
    CompletableFuture<Throwable> late = append(roomMessage("Lobby", 1, "too late"));
    assertThat(late).isDone();
    assertThat(late.get()).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void roomWritesRideInTheTransactionOfTheMessagesAroundThem() throws Exception {
    CountDownLatch release = holdWriter();
    JdbcStore.WriterStats before = jdbc().writerStats();
    List<String> order = Collections.synchronizedList(new ArrayList<>());
    StoredMessage a = roomMessage("Lobby", 1, "a");
    StoredMessage b = logEntry("Lobby", 2, MessageKind.TOPIC, "Alice", "Alice", null, null, "b");
    StoredMessage c = roomMessage("Lobby", 3, "c");
    RoomRecord lobby = plainRoom("Lobby", 2);
    List<CompletableFuture<Throwable>> results = new ArrayList<>();
    results.add(tracked(order, "A", f -> store.append(a, f)));
    results.add(tracked(order, "B", f -> store.saveRoom(lobby, b, f)));
    results.add(tracked(order, "save other", f -> store.saveRoom(plainRoom("Other", 1), null, f)));
    results.add(tracked(order, "delete other", f -> store.deleteRoom("other", f)));
    results.add(tracked(order, "C", f -> store.append(c, f)));
    release.countDown();
    for (CompletableFuture<Throwable> r : results) {
      assertThat(r.get(WAIT_SECONDS, TimeUnit.SECONDS)).isNull();
    }
    JdbcStore.WriterStats after = jdbc().writerStats();
    assertThat(after.batches() - before.batches()).isEqualTo(1);
    assertThat(after.messages() - before.messages()).isEqualTo(5);
    assertThat(order).containsExactly("A", "B", "save other", "delete other", "C");
    assertThat(store.roomHistory("lobby", Long.MAX_VALUE, 10)).containsExactly(a, b, c);
    assertThat(store.rooms()).as("saved, then deleted in the same transaction")
        .containsExactly(lobby);
  }

  private static CompletableFuture<Throwable> tracked(List<String> order, String name,
      Consumer<Consumer<Throwable>> queue) {
    CompletableFuture<Throwable> f = new CompletableFuture<>();
    queue.accept(error -> {
      order.add(name);
      f.complete(error);
    });
    return f;
  }

  @Test
  void aRefusedRoomChangeFailsAloneAndLeavesTheRoomAsItWas() throws Exception {
    RoomRecord before = new RoomRecord("Lobby", "Alice", 1, 1, new Topic("old", "Alice", 1),
        RoomModes.DEFAULT, List.of("nick:b1"), List.of(), List.of(), List.of("Op"), List.of());
    saveRoom(before, null);
    CountDownLatch release = holdWriter();
    StoredMessage first = roomMessage("Lobby", 1, "one");
    RoomRecord refused = new RoomRecord("Lobby", null, 1, 2, new Topic("new", "Bob", 2),
        new RoomModes(true, true, true, "k", 5, false, true), List.of("nick:x", "nick:y"), List.of("nick:q"),
        List.of(), List.of(), List.of("V"));
    StoredMessage sameSeq = logEntry("lobby", 1, MessageKind.TOPIC, "Bob", "Bob", null, null,
        "new");
    StoredMessage last = roomMessage("Lobby", 2, "two");
    RoomRecord other = plainRoom("Other", 3);
    StoredMessage otherTopic = logEntry("Other", 1, MessageKind.TOPIC, "Bob", null, null, null,
        "fine");
    CompletableFuture<Throwable> r1 = append(first);
    CompletableFuture<Throwable> r2 = saveRoomAsync(refused, sameSeq);
    CompletableFuture<Throwable> r3 = append(last);
    CompletableFuture<Throwable> r4 = saveRoomAsync(other, otherTopic);
    release.countDown();

    assertThat(r1.get(WAIT_SECONDS, TimeUnit.SECONDS)).isNull();
    assertThat(r2.get(WAIT_SECONDS, TimeUnit.SECONDS)).isNotNull();
    assertThat(r3.get(WAIT_SECONDS, TimeUnit.SECONDS)).isNull();
    assertThat(r4.get(WAIT_SECONDS, TimeUnit.SECONDS)).isNull();
    assertThat(store.room("lobby")).as("state and log entry are one").contains(before);
    assertThat(store.roomHistory("lobby", Long.MAX_VALUE, 10)).containsExactly(first, last);
    assertThat(store.rooms()).containsExactly(before, other);
    assertThat(store.roomHistory("other", Long.MAX_VALUE, 10)).containsExactly(otherTopic);
  }

  @Test
  void aDeletedRoomLeavesNoRowsBehind() throws Exception {
    saveRoom(new RoomRecord("Lobby", "Alice", 1, 1, null, RoomModes.DEFAULT, List.of("nick:b"),
        List.of("nick:q"), List.of("nick:i"), List.of("Op"), List.of("V")), null);
    saveRoom(new RoomRecord("Other", null, 1, 1, null, RoomModes.DEFAULT, List.of("nick:b"),
        List.of(), List.of(), List.of(), List.of()), null);
    assertThat(count("room_lists")).isEqualTo(6);
    deleteRoom("lobby");
    // Orphaned list rows would not show through the store, only waste space: count them.
    assertThat(count("room_lists")).isEqualTo(1);
    assertThat(count("rooms")).isEqualTo(1);
  }

  private long count(String table) {
    return ((Number) jdbc().queryValue(false, "SELECT COUNT(*) FROM " + table)).longValue();
  }

  @Test
  void messagesStoredBeforeVersion2AreFoundByAccount() throws Exception {
    store.close();
    String insert = "INSERT INTO messages (msg_id, room_key, room, seq, ts, from_nick,"
        + " from_account, to_nick, to_account, pair_key, kind, text) VALUES ";
    store = openFromVersion1(List.of(
        insert + "('old-1', NULL, NULL, 0, 1, 'Alice', 'Alice', 'bob', 'BOB', '"
            + MessageRows.pairKey("Alice", "BOB") + "', 'text', 'before')",
        insert + "('old-2', 'lobby', 'Lobby', 1, 2, 'Alice', 'Alice', NULL, NULL, NULL,"
            + " 'action', 'in a room')",
        insert + "('old-3', NULL, NULL, 0, 3, 'Guest', NULL, 'Carol', 'CaRoL', NULL, 'notice',"
            + " 'from a guest')"));
    StoredMessage old1 = new StoredMessage("old-1", null, 0, 1, "Alice", "Alice", "bob", "BOB",
        MessageKind.TEXT, "before");
    StoredMessage old2 = new StoredMessage("old-2", "Lobby", 1, 2, "Alice", "Alice", null, null,
        MessageKind.ACTION, "in a room");
    StoredMessage old3 = new StoredMessage("old-3", null, 0, 3, "Guest", null, "Carol", "CaRoL",
        MessageKind.NOTICE, "from a guest");
    StoredMessage reply = privateMessage("Bob", "Bob", "Alice", "Alice", "after");
    appendAll(List.of(reply, roomMessage("Lobby", 2, "after")));

    assertThat(store.privateSince("alice", null, 10)).containsExactly(old1, reply);
    assertThat(store.privateSince("bob", null, 10)).containsExactly(old1, reply);
    assertThat(store.privateSince("bob", "old-1", 10)).containsExactly(reply);
    assertThat(store.privateSince("carol", null, 10)).containsExactly(old3);
    assertThat(store.privateHistory("bob", "alice", null, 10)).containsExactly(old1, reply);
    assertThat(store.roomHistory("lobby", 2, 10)).containsExactly(old2);
    assertThat(store.lastSeq("lobby")).isEqualTo(2);
    StoredMessage mode = logEntry("Lobby", 3, MessageKind.MODE, null, null, null, null, "+i");
    saveRoom(plainRoom("Lobby", 4), mode);
    assertThat(store.roomHistory("lobby", Long.MAX_VALUE, 1)).containsExactly(mode);
  }
}
