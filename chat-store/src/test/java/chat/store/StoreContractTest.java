package chat.store;

import static org.assertj.core.api.Assertions.assertThat;

import chat.core.MessageKind;
import chat.core.RoomModes;
import chat.core.Topic;
import chat.core.store.Account;
import chat.core.store.ReadMarker;
import chat.core.store.RoomRecord;
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
abstract class StoreContractTest implements PrivateHistoryContract, HistorySliceContract,
    NumberedAppendContract {

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

  @Override
  public Store store() {
    return store;
  }

  /** Appends in order and waits for every callback; fails on any error. */
  @Override
  public void appendAll(List<StoredMessage> messages) throws Exception {
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

  /** A room log entry (topic, mode or kick) as the hub would store it. */
  static StoredMessage logEntry(String room, long seq, MessageKind kind, String from,
      String fromAccount, String to, String toAccount, String text) {
    return new StoredMessage(newId(), room, seq, 1_700_000_000_000L + seq, from, fromAccount, to,
        toAccount, kind, text);
  }

  static RoomRecord plainRoom(String name, long ts) {
    return new RoomRecord(name, null, ts, ts, null, RoomModes.DEFAULT, List.of(), List.of(),
        List.of(), List.of(), List.of());
  }

  /** Queues the save and returns a future for its callback's argument (null means durable). */
  CompletableFuture<Throwable> saveRoomAsync(RoomRecord room, StoredMessage change) {
    CompletableFuture<Throwable> f = new CompletableFuture<>();
    store.saveRoom(room, change, f::complete);
    return f;
  }

  void saveRoom(RoomRecord room, StoredMessage change) throws Exception {
    assertThat(saveRoomAsync(room, change).get(WAIT_SECONDS, TimeUnit.SECONDS)).isNull();
  }

  void deleteRoom(String roomKey) throws Exception {
    CompletableFuture<Throwable> f = new CompletableFuture<>();
    store.deleteRoom(roomKey, f::complete);
    assertThat(f.get(WAIT_SECONDS, TimeUnit.SECONDS)).isNull();
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

  // ------------------------------------------------------------------ rooms

  @Test
  void roomStateComesBackWithEveryField() throws Exception {
    RoomRecord lobby = new RoomRecord("Lobby", "Alice", 1_000, 2_000,
        new Topic("welcome, all", "Bob", 1_500), new RoomModes(true, false, true, "sesame", 25, false, true),
        List.of("nick:zed", "account:amy", "nick:bob"), List.of("nick:loud"),
        List.of("account:carol", "nick:dave"), List.of("Bob", "Amy"),
        List.of("Zed", "Carol", "Dave"));
    RoomRecord zoo = new RoomRecord("zoo", null, 3_000, 3_500, null,
        new RoomModes(false, true, false, null, 0, true, false), List.of("account:x"), List.of(),
        List.of(), List.of(), List.of("Voiced"));
    RoomRecord beta = new RoomRecord("Beta", "carol", 4_000, 4_000,
        new Topic("b", "carol", 4_000), RoomModes.DEFAULT, List.of(), List.of("nick:m1", "nick:m2"),
        List.of("nick:i"), List.of("Op"), List.of());
    RoomRecord side = plainRoom("_side", 5_000);
    saveRoom(zoo, null);
    saveRoom(lobby, null);
    saveRoom(beta, null);
    saveRoom(side, null);

    assertThat(store.room("lobby")).contains(lobby);
    assertThat(store.room("zoo")).contains(zoo);
    assertThat(store.room("beta")).contains(beta);
    assertThat(store.room("_side")).contains(side);
    assertThat(store.room("Lobby")).as("keys are folded by the caller").isEmpty();
    assertThat(store.room("nowhere")).isEmpty();
    assertThat(store.rooms()).as("ordered by key, code point by code point")
        .containsExactly(side, beta, lobby, zoo);
  }

  @Test
  void savingARoomAgainReplacesItsStateAndEveryList() throws Exception {
    RoomRecord first = new RoomRecord("Lobby", "Alice", 1_000, 1_000,
        new Topic("old", "Alice", 1_000), new RoomModes(true, true, true, "k", 10, true, true),
        List.of("nick:a", "nick:b", "nick:c"), List.of("nick:m"), List.of("nick:i1", "nick:i2"),
        List.of("Op1", "Op2"), List.of("V1"));
    saveRoom(first, null);
    saveRoom(plainRoom("Other", 1), null);
    RoomRecord second = new RoomRecord("LOBBY", null, 1_000, 2_000, null, RoomModes.DEFAULT,
        List.of("nick:c", "nick:a"), List.of(), List.of("nick:i2"), List.of("Op2", "Op3", "Op1"),
        List.of("V2", "V1"));
    saveRoom(second, null);

    assertThat(store.room("lobby")).contains(second);
    assertThat(store.rooms()).containsExactly(second, plainRoom("Other", 1));
    RoomRecord third = plainRoom("lobby", 3_000);
    saveRoom(third, null);
    assertThat(store.room("lobby")).contains(third);
    assertThat(store.room("other")).contains(plainRoom("Other", 1));
  }

  @Test
  void deletingARoomForgetsItsStateButKeepsItsLog() throws Exception {
    RoomRecord lobby = new RoomRecord("Lobby", "Alice", 1, 2, new Topic("t", "Alice", 2),
        RoomModes.DEFAULT, List.of("nick:b"), List.of("nick:q"), List.of("nick:i"),
        List.of("Op"), List.of("Voice"));
    StoredMessage topic = logEntry("Lobby", 1, MessageKind.TOPIC, "Alice", "Alice", null, null,
        "t");
    saveRoom(lobby, topic);
    saveRoom(plainRoom("Other", 5), null);
    StoredMessage said = roomMessage("Lobby", 2, "said");
    appendAll(List.of(said));

    deleteRoom("lobby");
    assertThat(store.room("lobby")).isEmpty();
    assertThat(store.rooms()).containsExactly(plainRoom("Other", 5));
    assertThat(store.roomHistory("lobby", Long.MAX_VALUE, 10)).containsExactly(topic, said);
    assertThat(store.lastSeq("lobby")).isEqualTo(2);
    deleteRoom("lobby"); // gone already: harmless
    deleteRoom("nowhere");

    // Stored again, it starts from its new state only: none of the old lists come back.
    RoomRecord again = plainRoom("lobby", 10);
    saveRoom(again, null);
    assertThat(store.room("lobby")).contains(again);
  }

  @Test
  void roomChangesShareTheRoomsLogWithItsMessages() throws Exception {
    RoomRecord state = plainRoom("Lobby", 1);
    StoredMessage said = roomMessage("Lobby", 1, "hello");
    StoredMessage topic = logEntry("Lobby", 2, MessageKind.TOPIC, "Alice", "Alice", null, null,
        "a new topic");
    StoredMessage mode = logEntry("lobby", 3, MessageKind.MODE, null, null, null, null, "+m");
    StoredMessage kick = logEntry("LOBBY", 4, MessageKind.KICK, "Alice", "Alice", "Bob", "Bob",
        "spam");
    appendAll(List.of(said));
    saveRoom(state, topic);
    saveRoom(state, mode);
    saveRoom(state, kick);
    saveRoom(state, null); // a change with no place in the log

    assertThat(store.roomHistory("lobby", Long.MAX_VALUE, 10))
        .containsExactly(said, topic, mode, kick);
    assertThat(store.roomHistory("lobby", 4, 1)).singleElement().satisfies(m -> {
      assertThat(m.kind()).isEqualTo(MessageKind.MODE);
      assertThat(m.from()).as("the server changed it").isNull();
      assertThat(m.text()).isEqualTo("+m");
    });
    assertThat(store.roomHistory("lobby", 5, 1)).singleElement().satisfies(m -> {
      assertThat(m.kind()).isEqualTo(MessageKind.KICK);
      assertThat(m.from()).isEqualTo("Alice");
      assertThat(m.to()).isEqualTo("Bob");
      assertThat(m.toAccount()).isEqualTo("Bob");
      assertThat(m.text()).isEqualTo("spam");
      assertThat(m.seq()).isEqualTo(4);
    });
    assertThat(store.lastSeq("lobby")).isEqualTo(4);
    assertThat(store.privateSince("bob", null, 10)).as("a kick is not a private message")
        .isEmpty();
    assertThat(store.privateHistory("alice", "bob", null, 10)).isEmpty();
  }

  @Test
  void roomSavesAndAppendsAreDurableAndCalledBackInQueueOrder() throws Exception {
    int rounds = 100;
    List<String> order = Collections.synchronizedList(new ArrayList<>());
    List<String> problems = Collections.synchronizedList(new ArrayList<>());
    List<StoredMessage> expected = new ArrayList<>();
    CountDownLatch done = new CountDownLatch(rounds * 3);
    List<String> expectedOrder = new ArrayList<>();
    for (int r = 0; r < rounds; r++) {
      long seq = r * 3L;
      StoredMessage a = roomMessage("Lobby", seq + 1, "a" + r);
      StoredMessage b = logEntry("Lobby", seq + 2, MessageKind.TOPIC, "Alice", "Alice", null,
          null, "topic " + r);
      StoredMessage c = roomMessage("Lobby", seq + 3, "c" + r);
      RoomRecord state = new RoomRecord("Lobby", "Alice", 1, seq + 2,
          new Topic("topic " + r, "Alice", seq + 2), RoomModes.DEFAULT, List.of(), List.of(),
          List.of(), List.of(), List.of());
      expected.addAll(List.of(a, b, c));
      String tagA = "A" + r;
      String tagB = "B" + r;
      String tagC = "C" + r;
      expectedOrder.addAll(List.of(tagA, tagB, tagC));
      store.append(a, error -> {
        check(problems, tagA, error);
        order.add(tagA);
        done.countDown();
      });
      store.saveRoom(state, b, error -> {
        check(problems, tagB, error);
        order.add(tagB);
        // Both the log entry and the state are visible from a reader once durable.
        if (!store.roomHistory("lobby", b.seq() + 1, 1).equals(List.of(b))) {
          problems.add(tagB + ": log entry not visible");
        }
        long changed = store.room("lobby").map(RoomRecord::changedTs).orElse(-1L);
        if (changed < state.changedTs()) {
          problems.add(tagB + ": state not visible, changedTs " + changed);
        }
        done.countDown();
      });
      store.append(c, error -> {
        check(problems, tagC, error);
        order.add(tagC);
        done.countDown();
      });
    }
    assertThat(done.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(problems).isEmpty();
    assertThat(order).containsExactlyElementsOf(expectedOrder);
    assertThat(store.roomHistory("lobby", Long.MAX_VALUE, rounds * 3))
        .containsExactlyElementsOf(expected);
    assertThat(store.room("lobby").orElseThrow().topic().text())
        .isEqualTo("topic " + (rounds - 1));
  }

  private static void check(List<String> problems, String what, Throwable error) {
    if (error != null) {
      problems.add(what + ": " + error);
    }
  }

  @Test
  void roomStateAndMarkersOutliveClose() throws Exception {
    RoomRecord lobby = new RoomRecord("Lobby", "Alice", 1, 2, new Topic("kept", "Alice", 2),
        new RoomModes(true, true, false, "key", 3, false, false), List.of("nick:b"), List.of(),
        List.of("account:i"), List.of("Op"), List.of());
    StoredMessage topic = logEntry("Lobby", 1, MessageKind.TOPIC, "Alice", "Alice", null, null,
        "kept");
    assertThat(store.create(new Account("Alice", "h", false, 1))).isTrue();
    ReadMarker marker = new ReadMarker("lobby", 1, null, 3);
    store.setMarker("alice", marker);
    CompletableFuture<Throwable> saved = saveRoomAsync(lobby, topic);
    store.saveRoom(plainRoom("Gone", 1), null, error -> { });
    store.deleteRoom("gone", error -> { });
    store.close(); // finishes what is queued
    assertThat(saved).isCompletedWithValue(null);

    store = reopen();
    if (store != null) {
      assertThat(store.rooms()).containsExactly(lobby);
      assertThat(store.roomHistory("lobby", Long.MAX_VALUE, 10)).containsExactly(topic);
      assertThat(store.markers("alice")).containsExactly(marker);
    }
  }

  // ------------------------------------------------------------------ read markers

  @Test
  void readMarkersAreReplacedPerTargetAndKeptPerAccount() {
    assertThat(store.create(new Account("Alice", "h", false, 1))).isTrue();
    assertThat(store.create(new Account("Bob", "h", false, 1))).isTrue();
    ReadMarker lobby = new ReadMarker("lobby", 5, null, 100);
    ReadMarker withBob = new ReadMarker(ReadMarker.conversation("bob"), 0, "m-1", 101);
    ReadMarker side = new ReadMarker("_side", 2, null, 102);
    store.setMarker("alice", lobby);
    store.setMarker("alice", withBob);
    store.setMarker("alice", side);
    ReadMarker bobsLobby = new ReadMarker("lobby", 9, null, 103);
    store.setMarker("bob", bobsLobby);

    assertThat(store.markers("alice")).as("ordered by target, code point by code point")
        .containsExactly(withBob, side, lobby);

    ReadMarker lobbyLater = new ReadMarker("lobby", 7, null, 200);
    ReadMarker withBobLater = new ReadMarker(ReadMarker.conversation("bob"), 0, "m-2", 201);
    store.setMarker("alice", lobbyLater);
    store.setMarker("alice", withBobLater);
    assertThat(store.markers("alice")).containsExactly(withBobLater, side, lobbyLater);
    assertThat(store.markers("bob")).containsExactly(bobsLobby);
    assertThat(store.markers("Alice")).as("keys are folded by the caller").isEmpty();
    assertThat(store.markers("nobody")).isEmpty();

    assertThat(store.delete("alice")).isTrue();
    assertThat(store.markers("alice")).as("gone with the account").isEmpty();
    assertThat(store.markers("bob")).containsExactly(bobsLobby);
    assertThat(store.create(new Account("ALICE", "h", false, 2))).isTrue();
    assertThat(store.markers("alice")).as("a new account of the name starts afresh").isEmpty();
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
