package chat.store;

import static org.assertj.core.api.Assertions.assertThat;

import chat.core.MessageKind;
import chat.core.store.Account;
import chat.core.store.StoredMessage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every store does, as {@code chat.core.store.MemoryStore} defines it. Subclasses say how
 * to open a fresh, empty store.
 */
abstract class StoreContractTest {

  static final long WAIT_SECONDS = 20;

  private static final AtomicLong ids = new AtomicLong();

  protected Store store;

  /** A fresh store with no messages and no accounts. */
  protected abstract Store open() throws Exception;

  @BeforeEach
  void openStore() throws Exception {
    store = open();
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  // ------------------------------------------------------------------ helpers

  static String newId() {
    return "m" + ids.incrementAndGet();
  }

  static StoredMessage roomMessage(String room, long seq, String text) {
    return new StoredMessage(newId(), room, seq, 1_700_000_000_000L + seq, "Alice", "Alice",
        null, null, seq % 2 == 0 ? MessageKind.ACTION : MessageKind.TEXT, text);
  }

  static StoredMessage privateMessage(String from, String fromAccount, String to,
      String toAccount, String text) {
    return new StoredMessage(newId(), null, 0, 1_700_000_000_000L + ids.get(), from, fromAccount,
        to, toAccount, MessageKind.TEXT, text);
  }

  /** Appends in order and waits for every callback; fails on any error. */
  void appendAll(List<StoredMessage> messages) throws Exception {
    List<CompletableFuture<Void>> done = new ArrayList<>();
    for (StoredMessage m : messages) {
      CompletableFuture<Void> f = new CompletableFuture<>();
      done.add(f);
      store.append(m, error -> {
        if (error == null) {
          f.complete(null);
        } else {
          f.completeExceptionally(error);
        }
      });
    }
    CompletableFuture.allOf(done.toArray(CompletableFuture[]::new))
        .get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  List<StoredMessage> roomMessages(String room, int count) {
    List<StoredMessage> out = new ArrayList<>();
    for (int seq = 1; seq <= count; seq++) {
      out.add(roomMessage(room, seq, "message " + seq + " in " + room));
    }
    return out;
  }

  // ------------------------------------------------------------------ history

  @Test
  void appendedMessagesComeBackInOrderWithEveryField() throws Exception {
    List<StoredMessage> sent = roomMessages("Lobby", 5);
    appendAll(sent);

    assertThat(store.roomHistory("lobby", Long.MAX_VALUE, 100)).containsExactlyElementsOf(sent);
    assertThat(store.roomHistory("Lobby", Long.MAX_VALUE, 100))
        .as("keys are folded by the caller").isEmpty();
  }

  @Test
  void historyPagesBackwardsWithBeforeSeq() throws Exception {
    List<StoredMessage> sent = roomMessages("Lobby", 10);
    appendAll(sent);

    assertThat(store.roomHistory("lobby", Long.MAX_VALUE, 3)).containsExactlyElementsOf(
        sent.subList(7, 10));
    assertThat(store.roomHistory("lobby", 8, 3)).containsExactlyElementsOf(sent.subList(4, 7));
    assertThat(store.roomHistory("lobby", 3, 3)).containsExactlyElementsOf(sent.subList(0, 2));
    assertThat(store.roomHistory("lobby", 1, 3)).isEmpty();
    assertThat(store.roomHistory("lobby", Long.MAX_VALUE, 0)).isEmpty();
    assertThat(store.roomHistory("nowhere", Long.MAX_VALUE, 10)).isEmpty();
  }

  @Test
  void lastSeqIsPerRoomUnderTheFoldedName() throws Exception {
    appendAll(roomMessages("Lobby", 3));
    appendAll(roomMessages("Other", 7));
    appendAll(List.of(roomMessage("LOBBY", 4, "same room, other spelling")));

    assertThat(store.lastSeq("lobby")).isEqualTo(4);
    assertThat(store.lastSeq("other")).isEqualTo(7);
    assertThat(store.lastSeq("nowhere")).isZero();
    assertThat(store.roomHistory("lobby", Long.MAX_VALUE, 10)).extracting(StoredMessage::room)
        .containsExactly("Lobby", "Lobby", "Lobby", "LOBBY");
  }

  @Test
  void privateHistoryIsByAccountPairInBothDirections() throws Exception {
    StoredMessage a1 = privateMessage("Alice", "Alice", "Bob", "Bob", "hi bob");
    StoredMessage b1 = privateMessage("Bob", "bob", "alice", "ALICE", "hi alice");
    StoredMessage c1 = privateMessage("Alice", "Alice", "Carol", "Carol", "hi carol");
    StoredMessage guest = privateMessage("Guest", null, "Bob", "Bob", "from a guest");
    StoredMessage toGuest = privateMessage("Bob", "Bob", "Guest", null, "to a guest");
    StoredMessage a2 = privateMessage("Alice", "Alice", "Bob", "Bob", "again");
    StoredMessage inRoom = roomMessage("Lobby", 1, "not private");
    StoredMessage b2 = privateMessage("bob", "Bob", "Alice", "Alice", "and again");
    appendAll(List.of(a1, b1, c1, guest, toGuest, a2, inRoom, b2));

    assertThat(store.privateHistory("alice", "bob", null, 10)).containsExactly(a1, b1, a2, b2);
    assertThat(store.privateHistory("BOB", "Alice", null, 10)).containsExactly(a1, b1, a2, b2);
    assertThat(store.privateHistory("Alice", "Carol", null, 10)).containsExactly(c1);
    assertThat(store.privateHistory("Carol", "Bob", null, 10)).isEmpty();

    // Paging backwards by message id.
    assertThat(store.privateHistory("alice", "bob", null, 2)).containsExactly(a2, b2);
    assertThat(store.privateHistory("alice", "bob", a2.msgId(), 2)).containsExactly(a1, b1);
    assertThat(store.privateHistory("alice", "bob", b1.msgId(), 2)).containsExactly(a1);
    assertThat(store.privateHistory("alice", "bob", a1.msgId(), 2)).isEmpty();
    // A message of another conversation still bounds by its position.
    assertThat(store.privateHistory("alice", "bob", toGuest.msgId(), 10)).containsExactly(a1, b1);
    // An id that names no private message sets no bound.
    assertThat(store.privateHistory("alice", "bob", "no-such-id", 10))
        .containsExactly(a1, b1, a2, b2);
    assertThat(store.privateHistory("alice", "bob", inRoom.msgId(), 10))
        .containsExactly(a1, b1, a2, b2);
    assertThat(store.privateHistory("alice", "bob", null, 0)).isEmpty();
  }

  // ------------------------------------------------------------------ group commit

  @Test
  void callbacksRunInAppendOrderAndOnlyOnceTheRowIsVisibleElsewhere() throws Exception {
    int count = 200;
    List<StoredMessage> sent = roomMessages("Lobby", count);
    List<Long> order = Collections.synchronizedList(new ArrayList<>());
    List<String> problems = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch done = new CountDownLatch(count);
    for (StoredMessage m : sent) {
      store.append(m, error -> {
        if (error != null) {
          problems.add(m.seq() + ": " + error);
        }
        order.add(m.seq());
        // A reader on another connection must already see the row.
        List<StoredMessage> seen = store.roomHistory("lobby", m.seq() + 1, 1);
        if (!seen.equals(List.of(m))) {
          problems.add(m.seq() + " not visible from a reader: " + seen);
        }
        done.countDown();
      });
    }
    assertThat(done.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(problems).isEmpty();
    assertThat(order).isSorted().hasSize(count);
  }

  @Test
  void concurrentAppendersAllGetTheirCallbacksAndEveryRowIsStored() throws Exception {
    int threads = 8;
    int perThread = 500;
    CountDownLatch done = new CountDownLatch(threads * perThread);
    ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        String room = "Room" + t;
        futures.add(pool.submit(() -> {
          AtomicLong lastConfirmed = new AtomicLong();
          start.await(WAIT_SECONDS, TimeUnit.SECONDS);
          for (StoredMessage m : roomMessages(room, perThread)) {
            store.append(m, error -> {
              if (error != null) {
                problems.add(room + "/" + m.seq() + ": " + error);
              }
              // One thread's appends are confirmed in the order it made them.
              if (lastConfirmed.getAndSet(m.seq()) != m.seq() - 1) {
                problems.add(room + "/" + m.seq() + " confirmed out of order");
              }
              done.countDown();
            });
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get(WAIT_SECONDS, TimeUnit.SECONDS);
      }
      assertThat(done.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    } finally {
      pool.shutdownNow();
    }
    assertThat(problems).isEmpty();
    for (int t = 0; t < threads; t++) {
      String key = "room" + t;
      assertThat(store.lastSeq(key)).isEqualTo(perThread);
      List<StoredMessage> all = store.roomHistory(key, Long.MAX_VALUE, perThread + 10);
      assertThat(all).hasSize(perThread).extracting(StoredMessage::seq).isSorted();
    }
  }

  @Test
  void closeFinishesPendingAppends() throws Exception {
    int count = 300;
    AtomicInteger ok = new AtomicInteger();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    for (StoredMessage m : roomMessages("Lobby", count)) {
      store.append(m, error -> {
        if (error == null) {
          ok.incrementAndGet();
        } else {
          failure.set(error);
        }
      });
    }
    store.close();
    assertThat(failure.get()).isNull();
    assertThat(ok.get()).as("every callback ran before close returned").isEqualTo(count);
    store.close(); // twice is harmless
    store = reopen();
    if (store != null) {
      assertThat(store.lastSeq("lobby")).isEqualTo(count);
    }
  }

  /** A new handle on the same data after close, or null where data does not outlive close. */
  protected Store reopen() throws Exception {
    return null;
  }

  // ------------------------------------------------------------------ accounts

  @Test
  void accountsAreKeyedByFoldedNameAndRefuseDuplicates() {
    Account alice = new Account("Alice", "hash-1", false, 1000);
    assertThat(store.create(alice)).isTrue();
    assertThat(store.create(new Account("ALICE", "other", true, 2000))).isFalse();
    assertThat(store.find("alice")).contains(alice);
    assertThat(store.find("Alice")).as("keys are folded by the caller").isEmpty();
    assertThat(store.find("nobody")).isEmpty();

    assertThat(store.updatePassword("alice", "hash-2")).isTrue();
    assertThat(store.setAdmin("alice", true)).isTrue();
    assertThat(store.find("alice")).contains(new Account("Alice", "hash-2", true, 1000));
    assertThat(store.setAdmin("alice", false)).isTrue();
    assertThat(store.find("alice").orElseThrow().admin()).isFalse();
    assertThat(store.updatePassword("nobody", "x")).isFalse();
    assertThat(store.setAdmin("nobody", true)).isFalse();

    assertThat(store.create(new Account("carol", "h", false, 3))).isTrue();
    assertThat(store.create(new Account("Bob", "h", false, 2))).isTrue();
    assertThat(store.create(new Account("_under", "h", false, 4))).isTrue();
    assertThat(store.list()).extracting(Account::name)
        .as("ordered by folded name, code point by code point")
        .containsExactly("_under", "Alice", "Bob", "carol");

    assertThat(store.delete("bob")).isTrue();
    assertThat(store.delete("bob")).isFalse();
    assertThat(store.find("bob")).isEmpty();
    assertThat(store.create(new Account("BOB", "new", false, 5))).isTrue();
    assertThat(store.list()).extracting(Account::name)
        .containsExactly("_under", "Alice", "BOB", "carol");
  }
}
