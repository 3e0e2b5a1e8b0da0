package chat.core;

import static org.assertj.core.api.Assertions.assertThat;

import chat.core.Command.Hello;
import chat.core.Command.Join;
import chat.core.Command.RoomHistory;
import chat.core.Command.SayToRoom;
import chat.core.store.MemoryStore;
import chat.core.store.MessageStore;
import chat.core.store.StoredMessage;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The hub with a store: durable before fan-out, replay on join, paging, restarts. */
class HubHistoryTest {

  private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(1_000_000L), ZoneOffset.UTC);

  /** A store whose appends become durable only when the test says so, in order. */
  static final class ManualStore implements MessageStore {
    final MemoryStore memory = new MemoryStore();
    final List<Runnable> pending = new ArrayList<>();
    boolean failNext;

    @Override
    public long lastSeq(String roomKey) {
      return memory.lastSeq(roomKey);
    }

    @Override
    public synchronized void append(StoredMessage message, Consumer<Throwable> onDurable) {
      boolean fail = failNext;
      failNext = false;
      pending.add(() -> {
        if (fail) {
          onDurable.accept(new IllegalStateException("disk full"));
        } else {
          memory.append(message, onDurable);
        }
      });
    }

    synchronized void commitAll() {
      List<Runnable> batch = new ArrayList<>(pending);
      pending.clear();
      batch.forEach(Runnable::run);
    }

    @Override
    public synchronized void saveRoom(chat.core.store.RoomRecord room, StoredMessage change,
        Consumer<Throwable> onDurable) {
      pending.add(() -> memory.saveRoom(room, change, onDurable));
    }

    @Override
    public synchronized void deleteRoom(String roomKey, Consumer<Throwable> onDurable) {
      pending.add(() -> memory.deleteRoom(roomKey, onDurable));
    }

    @Override
    public List<chat.core.store.RoomRecord> rooms() {
      return memory.rooms();
    }

    @Override
    public java.util.Optional<chat.core.store.RoomRecord> room(String roomKey) {
      return memory.room(roomKey);
    }

    @Override
    public List<StoredMessage> privateSince(String account, String after, int limit) {
      return memory.privateSince(account, after, limit);
    }

    @Override
    public List<StoredMessage> roomHistory(String roomKey, long beforeSeq, int limit) {
      return memory.roomHistory(roomKey, beforeSeq, limit);
    }

    @Override
    public List<StoredMessage> privateHistory(String a, String b, String before, int limit) {
      return memory.privateHistory(a, b, before, limit);
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
    public void close() {}
  }

  private record User(Session session, RecordingSink sink) {}

  private static User connect(Hub hub, String nick) {
    RecordingSink sink = new RecordingSink();
    Session session = hub.open(sink, "test");
    hub.handle(session, "hello", new Hello(nick));
    return new User(session, sink);
  }

  private static void say(Hub hub, User user, String room, String text) {
    hub.handle(user.session(), text, new SayToRoom(room, MessageKind.TEXT, text));
  }

  private static List<String> texts(List<Event.History> history) {
    return history.stream().map(h -> ((Event.RoomMessage) h.message()).text()).toList();
  }

  @Test
  void aMemberRemovedBeforeTheStoreHasAnEarlierChangeStillHearsOfIt() {
    ManualStore store = new ManualStore();
    Hub hub = new Hub(CoreLimits.DEFAULT, CLOCK, store);
    User alice = connect(hub, "alice");
    User bob = connect(hub, "bob");
    User carol = connect(hub, "carol");
    for (User user : List.of(alice, bob, carol)) {
      hub.handle(user.session(), "j", new Join("dev"));
      store.commitAll();
    }
    // two kicks in a row, the second before the store has the first (as with a real disk)
    hub.handle(alice.session(), "k1", new Command.Kick("dev", "bob", null));
    hub.handle(alice.session(), "k2", new Command.Kick("dev", "carol", null));
    store.commitAll();
    assertThat(carol.sink().of(Event.Kicked.class)).extracting(Event.Kicked::nick)
        .containsExactly("bob", "carol");
    assertThat(alice.sink().of(Event.Kicked.class)).extracting(Event.Kicked::nick)
        .containsExactly("bob", "carol");
    assertThat(bob.sink().of(Event.Kicked.class)).extracting(Event.Kicked::nick)
        .containsExactly("bob");
  }

  @Test
  void nothingIsDeliveredOrConfirmedBeforeTheStoreSaysDurable() {
    ManualStore store = new ManualStore();
    Hub hub = new Hub(CoreLimits.DEFAULT, CLOCK, store);
    User alice = connect(hub, "alice");
    User bob = connect(hub, "bob");
    say(hub, alice, "lobby", "one");
    say(hub, bob, "lobby", "two");
    assertThat(alice.sink().of(Event.RoomMessage.class)).isEmpty();
    assertThat(bob.sink().of(Event.RoomMessage.class)).isEmpty();
    store.commitAll();
    assertThat(bob.sink().of(Event.RoomMessage.class)).extracting(Event.RoomMessage::text)
        .containsExactly("one", "two");
    assertThat(alice.sink().calls).filteredOn(c -> c.what() instanceof Event.RoomMessage)
        .extracting(RecordingSink.Call::id).containsExactly("one", null);
  }

  @Test
  void quitWaitsForTheConfirmationsOfMessagesStillBeingStored() throws Exception {
    ManualStore store = new ManualStore();
    java.util.concurrent.ExecutorService blocking = java.util.concurrent.Executors.newSingleThreadExecutor();
    try {
      Hub hub = new Hub(CoreLimits.DEFAULT, CLOCK, store, null, null, blocking);
      User alice = connect(hub, "alice");
      User bob = connect(hub, "bob");
      say(hub, alice, "lobby", "last words");
      hub.handle(alice.session(), "q", new Command.Quit("bye"));
      assertThat(alice.sink().of(Reply.Done.class)).as("quit waits").isEmpty();
      store.commitAll();
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
          .until(() -> alice.sink().closedWith != null);
      assertThat(alice.sink().calls).filteredOn(c -> c.what() instanceof Event.RoomMessage
          || c.what() instanceof Reply.Done).extracting(RecordingSink.Call::id)
          .containsExactly("last words", "q");
      assertThat(bob.sink().of(Event.RoomMessage.class)).hasSize(1);
    } finally {
      blocking.shutdownNow();
    }
  }

  @Test
  void aFailedAppendIsReportedToTheSenderAndSentToNobody() {
    ManualStore store = new ManualStore();
    Hub hub = new Hub(CoreLimits.DEFAULT, CLOCK, store);
    User alice = connect(hub, "alice");
    User bob = connect(hub, "bob");
    store.failNext = true;
    say(hub, alice, "lobby", "lost");
    store.commitAll();
    assertThat(((Reply.Failed) alice.sink().last()).error()).isEqualTo(CoreError.STORE_FAILED);
    assertThat(bob.sink().of(Event.RoomMessage.class)).isEmpty();
  }

  @Test
  void aSenderThatLeftBeforeCommitStillGetsItsConfirmation() {
    ManualStore store = new ManualStore();
    Hub hub = new Hub(CoreLimits.DEFAULT, CLOCK, store);
    User alice = connect(hub, "alice");
    User bob = connect(hub, "bob");
    say(hub, alice, "lobby", "parting words");
    hub.handle(alice.session(), "l", new Command.Leave("lobby", null));
    store.commitAll();
    assertThat(alice.sink().calls).filteredOn(c -> c.what() instanceof Event.RoomMessage)
        .extracting(RecordingSink.Call::id).containsExactly("parting words");
    assertThat(bob.sink().of(Event.RoomMessage.class)).hasSize(1);
  }

  @Test
  void joiningReplaysTheLatestMessagesAsHistoryBeforeTheReply() {
    Hub hub = new Hub(CoreLimits.DEFAULT.withHistoryOnJoin(3), CLOCK, new MemoryStore());
    User alice = connect(hub, "alice");
    hub.handle(alice.session(), "j", new Join("dev"));
    for (int i = 1; i <= 5; i++) {
      say(hub, alice, "dev", "m" + i);
    }
    User bob = connect(hub, "bob");
    bob.sink().clear();
    hub.handle(bob.session(), "j", new Join("dev"));
    assertThat(texts(bob.sink().of(Event.History.class))).containsExactly("m3", "m4", "m5");
    assertThat(bob.sink().last()).isInstanceOf(Reply.JoinedRoom.class);
    assertThat(alice.sink().of(Event.History.class)).as("members are not replayed to").isEmpty();
  }

  @Test
  void historyPagesBackwardsBySequence() {
    Hub hub = new Hub(CoreLimits.DEFAULT.withHistoryOnJoin(0), CLOCK, new MemoryStore());
    User alice = connect(hub, "alice");
    for (int i = 1; i <= 7; i++) {
      say(hub, alice, "lobby", "m" + i);
    }
    alice.sink().clear();
    hub.handle(alice.session(), "h1", new RoomHistory("lobby", 0, 3));
    assertThat(texts(alice.sink().of(Event.History.class))).containsExactly("m5", "m6", "m7");
    assertThat(alice.sink().last()).isEqualTo(new Reply.HistorySent("lobby", 3, 5, true));
    alice.sink().clear();
    hub.handle(alice.session(), "h2", new RoomHistory("lobby", 5, 3));
    assertThat(texts(alice.sink().of(Event.History.class))).containsExactly("m2", "m3", "m4");
    alice.sink().clear();
    hub.handle(alice.session(), "h3", new RoomHistory("lobby", 2, 3));
    assertThat(texts(alice.sink().of(Event.History.class))).containsExactly("m1");
    assertThat(alice.sink().last()).isEqualTo(new Reply.HistorySent("lobby", 1, 1, false));
  }

  @Test
  void historyOfARoomOneIsNotInIsRefused() {
    Hub hub = new Hub(CoreLimits.DEFAULT, CLOCK, new MemoryStore());
    User alice = connect(hub, "alice");
    hub.handle(alice.session(), "h", new RoomHistory("elsewhere", 0, 10));
    assertThat(((Reply.Failed) alice.sink().last()).error()).isEqualTo(CoreError.NOT_IN_ROOM);
  }

  @Test
  void sequenceNumbersContinueAfterARestart() {
    MemoryStore store = new MemoryStore();
    Hub first = new Hub(CoreLimits.DEFAULT, CLOCK, store);
    User alice = connect(first, "alice");
    say(first, alice, "lobby", "before");
    say(first, alice, "lobby", "restart");
    first.shutdown("bye");

    Hub second = new Hub(CoreLimits.DEFAULT, CLOCK, store);
    User again = connect(second, "alice");
    say(second, again, "lobby", "after");
    List<Event.RoomMessage> live = again.sink().of(Event.RoomMessage.class);
    assertThat(live).extracting(Event.RoomMessage::seq).containsExactly(3L);
    assertThat(texts(again.sink().of(Event.History.class))).containsExactly("before", "restart");
  }
}
