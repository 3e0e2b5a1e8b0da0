package chat.store;

import static org.assertj.core.api.Assertions.assertThat;

import chat.core.MessageKind;
import chat.core.store.Conversation;
import chat.core.store.MessageStore.Bound;
import chat.core.store.StoredMessage;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The store contract for history read between places (what IRC's CHATHISTORY and read markers
 * need): slices of a room's log between seqs, where a time falls in it, slices of a
 * conversation between messages or times, a private message by id, and an account's
 * conversations. Mixed into {@link StoreContractTest}, so it runs on every store.
 */
interface HistorySliceContract {

  long T0 = 1_800_000_000_000L;
  AtomicLong IDS = new AtomicLong();

  Store store();

  void appendAll(List<StoredMessage> messages) throws Exception;

  static StoredMessage at(String room, long seq, long ts, MessageKind kind) {
    return new StoredMessage("s" + IDS.incrementAndGet(), room, seq, ts, "Alice", "Alice",
        kind == MessageKind.KICK ? "Bob" : null, null, kind, "entry " + seq);
  }

  static StoredMessage dm(String from, String to, long ts) {
    return new StoredMessage("d" + IDS.incrementAndGet(), null, 0, ts, from, from, to, to,
        MessageKind.TEXT, from + " to " + to + " at " + ts);
  }

  @Test
  default void roomSlicesTakeTheNewestOrTheOldestBetweenTwoSeqs() throws Exception {
    List<StoredMessage> log = new java.util.ArrayList<>();
    for (int seq = 1; seq <= 8; seq++) {
      log.add(at("Dev", seq, T0 + seq * 10, MessageKind.TEXT));
    }
    appendAll(log);
    appendAll(List.of(at("Other", 1, T0, MessageKind.TEXT)));

    assertThat(store().roomSlice("dev", 0, Long.MAX_VALUE, 3, true, false))
        .as("the newest, oldest first").containsExactlyElementsOf(log.subList(5, 8));
    assertThat(store().roomSlice("dev", 0, Long.MAX_VALUE, 3, false, false))
        .as("the oldest").containsExactlyElementsOf(log.subList(0, 3));
    assertThat(store().roomSlice("dev", 2, 7, 10, false, false))
        .as("both bounds exclusive").containsExactlyElementsOf(log.subList(2, 6));
    assertThat(store().roomSlice("dev", 2, 7, 2, false, false))
        .containsExactlyElementsOf(log.subList(2, 4));
    assertThat(store().roomSlice("dev", 2, 7, 2, true, false))
        .containsExactlyElementsOf(log.subList(4, 6));
    assertThat(store().roomSlice("dev", 3, 4, 10, true, false)).isEmpty();
    assertThat(store().roomSlice("dev", 5, 2, 10, true, false)).isEmpty();
    assertThat(store().roomSlice("dev", 0, Long.MAX_VALUE, 0, true, false)).isEmpty();
    assertThat(store().roomSlice("nowhere", 0, Long.MAX_VALUE, 5, true, false)).isEmpty();
  }

  @Test
  default void roomSlicesLeaveRoomChangesOutWhenAskedAndCountOnlyMessages() throws Exception {
    StoredMessage m1 = at("Ops", 1, T0 + 1, MessageKind.TEXT);
    StoredMessage topic = at("Ops", 2, T0 + 2, MessageKind.TOPIC);
    StoredMessage m3 = at("Ops", 3, T0 + 3, MessageKind.ACTION);
    StoredMessage mode = at("Ops", 4, T0 + 4, MessageKind.MODE);
    StoredMessage kick = at("Ops", 5, T0 + 5, MessageKind.KICK);
    StoredMessage m6 = at("Ops", 6, T0 + 6, MessageKind.NOTICE);
    appendAll(List.of(m1, topic, m3, mode, kick, m6));

    assertThat(store().roomSlice("ops", 0, Long.MAX_VALUE, 2, true, true))
        .containsExactly(m3, m6);
    assertThat(store().roomSlice("ops", 0, Long.MAX_VALUE, 2, true, false))
        .containsExactly(kick, m6);
    assertThat(store().roomSlice("ops", 1, Long.MAX_VALUE, 10, false, true))
        .containsExactly(m3, m6);
  }

  @Test
  default void aTimeFallsOnTheNewestEntryAtOrBeforeIt() throws Exception {
    // Two entries in one millisecond: a time names the later one.
    appendAll(List.of(at("Clock", 1, T0 + 10, MessageKind.TEXT),
        at("Clock", 2, T0 + 20, MessageKind.TEXT), at("Clock", 3, T0 + 20, MessageKind.TOPIC),
        at("Clock", 4, T0 + 30, MessageKind.TEXT)));

    assertThat(store().roomSeqAt("clock", T0)).as("before everything").isZero();
    assertThat(store().roomSeqAt("clock", T0 + 10)).isEqualTo(1);
    assertThat(store().roomSeqAt("clock", T0 + 19)).isEqualTo(1);
    assertThat(store().roomSeqAt("clock", T0 + 20)).isEqualTo(3);
    assertThat(store().roomSeqAt("clock", T0 + 29)).isEqualTo(3);
    assertThat(store().roomSeqAt("clock", Long.MAX_VALUE)).isEqualTo(4);
    assertThat(store().roomSeqAt("nowhere", Long.MAX_VALUE)).isZero();
  }

  @Test
  default void anAccountsConversationWithAGuestIsFoundByTheGuestsNickAndNotByItsLaterAccount()
      throws Exception {
    StoredMessage toGuest = new StoredMessage("g" + IDS.incrementAndGet(), null, 0, T0 + 10,
        "Alice", "Alice", "Zed", null, MessageKind.TEXT, "hello guest");
    StoredMessage fromGuest = new StoredMessage("g" + IDS.incrementAndGet(), null, 0, T0 + 20,
        "zed", null, "alice", "Alice", MessageKind.TEXT, "hello account");
    StoredMessage guests = new StoredMessage("g" + IDS.incrementAndGet(), null, 0, T0 + 25,
        "zed", null, "yan", null, MessageKind.TEXT, "between guests");
    StoredMessage asAccount = dm("Zed", "Alice", T0 + 30);
    appendAll(List.of(toGuest, fromGuest, guests, asAccount));
    String guestSide = StoredMessage.guest("ZED");
    assertThat(store().privateSlice("alice", guestSide, null, null, 10, true))
        .containsExactly(toGuest, fromGuest);
    assertThat(store().privateHistory("alice", guestSide, null, 10))
        .containsExactly(toGuest, fromGuest);
    assertThat(store().privateSlice("alice", "zed", null, null, 10, true))
        .as("the account zed registered later has only its own").containsExactly(asAccount);
    assertThat(store().conversations("alice", 0, Long.MAX_VALUE, 10))
        .as("conversations list accounts only").extracting(c -> c.account())
        .containsExactly("Zed");
  }

  @Test
  default void privateSlicesAreBoundedByMessagesOrTimesInBothDirections() throws Exception {
    StoredMessage a1 = dm("Alice", "Bob", T0 + 10);
    StoredMessage b1 = dm("Bob", "Alice", T0 + 20);
    StoredMessage other = dm("Alice", "Carol", T0 + 25);
    StoredMessage a2 = dm("Alice", "Bob", T0 + 30);
    StoredMessage b2 = dm("Bob", "Alice", T0 + 30);
    StoredMessage a3 = dm("Alice", "Bob", T0 + 40);
    StoredMessage inRoom = at("Dev", 1, T0 + 35, MessageKind.TEXT);
    appendAll(List.of(a1, b1, other, a2, b2, inRoom, a3));

    assertThat(store().privateSlice("alice", "BOB", null, null, 10, true))
        .containsExactly(a1, b1, a2, b2, a3);
    assertThat(store().privateSlice("bob", "alice", null, null, 2, true))
        .containsExactly(b2, a3);
    assertThat(store().privateSlice("bob", "alice", null, null, 2, false))
        .containsExactly(a1, b1);
    assertThat(store().privateSlice("alice", "bob", Bound.message(b1.msgId()), null, 10, false))
        .as("after a message, exclusive").containsExactly(a2, b2, a3);
    assertThat(store().privateSlice("alice", "bob", null, Bound.message(a2.msgId()), 10, true))
        .as("before a message").containsExactly(a1, b1);
    assertThat(store().privateSlice("alice", "bob", Bound.message(a1.msgId()),
        Bound.message(a3.msgId()), 2, true)).containsExactly(a2, b2);
    assertThat(store().privateSlice("alice", "bob", Bound.message(a1.msgId()),
        Bound.message(a3.msgId()), 2, false)).containsExactly(b1, a2);
    assertThat(store().privateSlice("alice", "bob", Bound.message(a2.msgId()), null, 10, false))
        .as("a message bound splits messages of the same millisecond").containsExactly(b2, a3);
    assertThat(store().privateSlice("alice", "bob", Bound.time(T0 + 20), null, 10, false))
        .as("after a time, exclusive").containsExactly(a2, b2, a3);
    assertThat(store().privateSlice("alice", "bob", null, Bound.time(T0 + 30), 10, true))
        .as("before a time, exclusive").containsExactly(a1, b1);
    assertThat(store().privateSlice("alice", "bob", Bound.time(T0 + 10), Bound.time(T0 + 40),
        10, true)).containsExactly(b1, a2, b2);
    assertThat(store().privateSlice("alice", "bob", Bound.message(other.msgId()), null, 10,
        false)).as("a message of another conversation bounds by its place").containsExactly(a2,
        b2, a3);
    assertThat(store().privateSlice("alice", "bob", Bound.message("no-such-id"), null, 10, false))
        .as("a bound naming no private message matches nothing").isEmpty();
    assertThat(store().privateSlice("alice", "bob", null, Bound.message(inRoom.msgId()), 10,
        true)).isEmpty();
    assertThat(store().privateSlice("alice", "carol", null, null, 10, true))
        .containsExactly(other);
    assertThat(store().privateSlice("alice", "bob", null, null, 0, true)).isEmpty();
  }

  @Test
  default void aPrivateMessageIsFoundByItsIdAndARoomEntryIsNot() throws Exception {
    StoredMessage dm = dm("Alice", "Bob", T0);
    StoredMessage inRoom = at("Dev", 1, T0, MessageKind.TEXT);
    appendAll(List.of(dm, inRoom));

    assertThat(store().privateMessage(dm.msgId())).contains(dm);
    assertThat(store().privateMessage(inRoom.msgId())).isEmpty();
    assertThat(store().privateMessage("no-such-id")).isEmpty();
  }

  @Test
  default void conversationsComeLeastRecentFirstWithinTheirWindow() throws Exception {
    StoredMessage toBob = dm("Alice", "Bob", T0 + 10);
    StoredMessage fromCarol = dm("Carol", "Alice", T0 + 20);
    StoredMessage bobAgain = dm("Bob", "Alice", T0 + 30);
    StoredMessage self = dm("Alice", "Alice", T0 + 40);
    StoredMessage notAlices = dm("Bob", "Carol", T0 + 50);
    StoredMessage fromGuest = new StoredMessage("d" + IDS.incrementAndGet(), null, 0, T0 + 60,
        "Guest1", null, "Alice", "Alice", MessageKind.TEXT, "hi");
    appendAll(List.of(toBob, fromCarol, bobAgain, self, notAlices, fromGuest));

    assertThat(store().conversations("ALICE", Long.MIN_VALUE, Long.MAX_VALUE, 10))
        .containsExactly(new Conversation("Carol", T0 + 20), new Conversation("Bob", T0 + 30),
            new Conversation("Alice", T0 + 40));
    assertThat(store().conversations("alice", Long.MIN_VALUE, Long.MAX_VALUE, 2))
        .extracting(Conversation::account).containsExactly("Carol", "Bob");
    assertThat(store().conversations("alice", T0 + 20, Long.MAX_VALUE, 10))
        .as("a window excludes its ends").extracting(Conversation::account)
        .containsExactly("Bob", "Alice");
    assertThat(store().conversations("alice", Long.MIN_VALUE, T0 + 25, 10))
        .as("Bob's newest message is outside the window").extracting(Conversation::account)
        .containsExactly("Carol");
    assertThat(store().conversations("carol", Long.MIN_VALUE, Long.MAX_VALUE, 10))
        .extracting(Conversation::account).containsExactly("Alice", "Bob");
    assertThat(store().conversations("nobody", Long.MIN_VALUE, Long.MAX_VALUE, 10)).isEmpty();
  }
}
