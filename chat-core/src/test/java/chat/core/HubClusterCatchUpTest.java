package chat.core;

import static org.assertj.core.api.Assertions.assertThat;

import chat.core.Command.Hello;
import chat.core.Command.Join;
import chat.core.Command.SayToRoom;
import chat.core.HubAccountsTest.TestClock;
import chat.core.cluster.Bus;
import chat.core.cluster.RoomEntry;
import chat.core.store.AccountStore;
import chat.core.store.MemoryStore;
import chat.core.store.MessageStore;
import chat.core.store.StoreFailure;
import chat.core.store.StoreOutcomeUnknown;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Catching up with the store when the bus lost entries that no later entry reveals (a room's
 * last entries), and what requests do while the store fails (docs/ARCHITECTURE.md, "When NATS
 * or PostgreSQL fails"). In memory; the real outages are in chat-cli's cluster fault tests.
 */
class HubClusterCatchUpTest {

  private final TestClock clock = new TestClock();
  private final MemoryStore memory = new MemoryStore();
  /** While set, every store call but appends throws (a database away). */
  private volatile boolean storeDown;
  /** While set, numbered appends fail as if the commit's answer was lost. */
  private volatile boolean commitsUnknown;
  private final MessageStore store = (MessageStore) Proxy.newProxyInstance(
      MessageStore.class.getClassLoader(),
      new Class<?>[] {MessageStore.class, AccountStore.class}, (p, m, args) -> {
        if (commitsUnknown && m.getName().equals("appendNumbered")) {
          @SuppressWarnings("unchecked")
          BiConsumer<Long, Throwable> done = (BiConsumer<Long, Throwable>) args[1];
          done.accept(0L, new StoreOutcomeUnknown("lost", null));
          return null;
        }
        if (storeDown && !m.getName().equals("close")) {
          throw new StoreFailure("the database is away", null);
        }
        try {
          return m.invoke(memory, args);
        } catch (InvocationTargetException e) {
          throw e.getCause();
        }
      });

  /** A bus that loses what {@code drop} matches and can say so, as NATS does on reconnect. */
  static final class LossyBus implements Bus {
    final String id;
    final List<LossyBus> peers = new CopyOnWriteArrayList<>();
    Consumer<RoomEntry> handler = e -> { };
    Runnable loss = () -> { };
    Predicate<RoomEntry> drop = e -> false;
    final List<RoomEntry> dropped = new ArrayList<>();

    LossyBus(String id) {
      this.id = id;
    }

    @Override
    public void publish(RoomEntry entry) {
      for (LossyBus peer : peers) {
        if (drop.test(entry)) {
          peer.dropped.add(entry);
        } else {
          peer.handler.accept(entry);
        }
      }
    }

    @Override
    public void onRemote(Consumer<RoomEntry> h) {
      handler = h;
    }

    @Override
    public void onLoss(Runnable handler) {
      loss = handler;
    }

    @Override
    public String nodeId() {
      return id;
    }

    @Override
    public void close() {}
  }

  private record User(Session session, RecordingSink sink) {}

  private Hub node(LossyBus bus) {
    Hub hub = new Hub(CoreLimits.DEFAULT, clock, store);
    hub.share(bus);
    return hub;
  }

  private static User join(Hub hub, String nick) {
    RecordingSink sink = new RecordingSink();
    Session session = hub.open(sink, "10.0.0.1");
    hub.handle(session, "h", new Hello(nick, null));
    hub.handle(session, "j", new Join("dev"));
    return new User(session, sink);
  }

  private static List<String> seen(User user) {
    return user.sink().of(Event.RoomMessage.class).stream().filter(m -> m.room().equals("dev"))
        .map(m -> m.seq() + " " + m.text()).toList();
  }

  private static Reply replyTo(User user, String id) {
    return user.sink().calls.stream().filter(c -> id.equals(c.id()) && c.what() instanceof Reply)
        .map(c -> (Reply) c.what()).findFirst().orElse(null);
  }

  private LossyBus[] pair() {
    LossyBus a = new LossyBus("a");
    LossyBus b = new LossyBus("b");
    a.peers.add(b);
    b.peers.add(a);
    return new LossyBus[] {a, b};
  }

  private static void say(Hub hub, User user, int from, int to) {
    for (int i = from; i <= to; i++) {
      hub.handle(user.session(), "m" + i, new SayToRoom("dev", MessageKind.TEXT, "m" + i));
    }
  }

  @Test
  void aRoomWhoseLastEntriesWereLostCatchesUpWhenTheBusSaysItMayHaveLostSome() {
    LossyBus[] bus = pair();
    Hub hubA = node(bus[0]);
    Hub hubB = node(bus[1]);
    User alice = join(hubA, "alice");
    User bob = join(hubB, "bob");
    say(hubA, alice, 1, 2);
    bus[0].drop = e -> true; // NATS away: the rest never reaches B
    say(hubA, alice, 3, 5);
    clock.millis.addAndGet(Cluster.GAP_MILLIS + 1);
    hubB.tick();
    assertThat(seen(bob)).as("no later entry shows the gap").containsExactly("1 m1", "2 m2");
    bus[0].drop = e -> false;
    bus[1].loss.run(); // reconnected
    assertThat(seen(bob)).containsExactly("1 m1", "2 m2", "3 m3", "4 m4", "5 m5");
    bus[1].dropped.forEach(bus[1].handler); // what jnats buffered arrives after all
    say(hubA, alice, 6, 6);
    assertThat(seen(bob)).as("nothing twice").containsExactly("1 m1", "2 m2", "3 m3", "4 m4",
        "5 m5", "6 m6");
    assertThat(seen(alice)).isEqualTo(seen(bob));
  }

  @Test
  void aQuietRoomIsComparedWithTheStoreEverySweepWithoutAnySignal() {
    LossyBus[] bus = pair();
    Hub hubA = node(bus[0]);
    Hub hubB = node(bus[1]);
    User alice = join(hubA, "alice");
    User bob = join(hubB, "bob");
    say(hubA, alice, 1, 1);
    bus[0].drop = e -> true; // a slow consumer's drops the bus did not report
    say(hubA, alice, 2, 3);
    hubB.tick(); // the first look only notes what the room has
    assertThat(seen(bob)).containsExactly("1 m1");
    clock.millis.addAndGet(CatchUp.SWEEP_MILLIS);
    hubB.tick(); // quiet since the last look: compared with the store
    assertThat(seen(bob)).containsExactly("1 m1", "2 m2", "3 m3");
  }

  @Test
  void aCatchUpTheStoreRefusesIsTriedAgainOnTheNextTick() {
    LossyBus[] bus = pair();
    Hub hubA = node(bus[0]);
    Hub hubB = node(bus[1]);
    User alice = join(hubA, "alice");
    User bob = join(hubB, "bob");
    bus[0].drop = e -> true;
    say(hubA, alice, 1, 2);
    storeDown = true;
    bus[1].loss.run();
    assertThat(seen(bob)).isEmpty();
    storeDown = false;
    hubB.tick();
    assertThat(seen(bob)).containsExactly("1 m1", "2 m2");
  }

  @Test
  void joinsAndHistoryFailCleanlyWhileTheStoreIsAwayAndWorkAfter() {
    LossyBus[] bus = pair();
    Hub hubA = node(bus[0]);
    User alice = join(hubA, "alice");
    say(hubA, alice, 1, 1);
    User bob = join(hubA, "bob"); // in dev already, so the store was read
    storeDown = true;
    RecordingSink carolSink = new RecordingSink();
    Session carol = hubA.open(carolSink, "10.0.0.2");
    hubA.handle(carol, "h", new Hello("carol", null, false));
    hubA.handle(carol, "j", new Join("dev"));
    User c = new User(carol, carolSink);
    assertThat(replyTo(c, "j")).isEqualTo(new Reply.Failed(CoreError.STORE_UNAVAILABLE,
        "the store is unavailable; nothing was changed; try again later"));
    assertThat(carolSink.closedWith).as("the connection stays").isNull();
    assertThat(bob.sink().of(Event.Joined.class).stream().map(Event.Joined::nick))
        .as("nobody heard of a join that failed").doesNotContain("carol");
    hubA.handle(bob.session(), "hist", new Command.RoomHistory("dev", Long.MAX_VALUE, 10));
    assertThat(replyTo(bob, "hist")).isInstanceOf(Reply.Failed.class)
        .extracting(r -> ((Reply.Failed) r).error()).isEqualTo(CoreError.STORE_UNAVAILABLE);
    storeDown = false;
    hubA.handle(carol, "j2", new Join("dev"));
    assertThat(replyTo(c, "j2")).isInstanceOf(Reply.JoinedRoom.class);
  }

  @Test
  void loginsAndRegisteredHellosFailCleanlyWhileTheStoreIsAwayAndWorkAfter() {
    Hub hub = new Hub(CoreLimits.DEFAULT, clock, store, (AccountStore) store,
        new HubAccountsTest.FakeHasher(), Runnable::run);
    RecordingSink sink = new RecordingSink();
    Session alice = hub.open(sink, "10.0.0.1");
    hub.handle(alice, "h", new Hello("alice", null));
    hub.handle(alice, "r", new Command.Register("password1".toCharArray()));
    User a = new User(alice, sink);
    assertThat(replyTo(a, "r")).isNotInstanceOf(Reply.Failed.class);
    RecordingSink otherSink = new RecordingSink();
    Session other = hub.open(otherSink, "10.0.0.2");
    hub.handle(other, "h", new Hello("guest7", null, false));
    User o = new User(other, otherSink);
    storeDown = true;
    RecordingSink lateSink = new RecordingSink();
    Session late = hub.open(lateSink, "10.0.0.3");
    hub.handle(late, "h", new Hello("guest8", null, false));
    assertThat(replyTo(new User(late, lateSink), "h")).as("is the nick registered? unknown")
        .isInstanceOf(Reply.Failed.class).extracting(r -> ((Reply.Failed) r).error())
        .isEqualTo(CoreError.STORE_UNAVAILABLE);
    assertThat(lateSink.closedWith).isNull();
    hub.handle(other, "l", new Command.Login("alice", "password1".toCharArray()));
    assertThat(replyTo(o, "l")).isInstanceOf(Reply.Failed.class)
        .extracting(r -> ((Reply.Failed) r).error()).isEqualTo(CoreError.STORE_UNAVAILABLE);
    assertThat(otherSink.closedWith).as("the connection stays").isNull();
    storeDown = false;
    hub.handle(other, "l2", new Command.Login("alice", "password1".toCharArray()));
    assertThat(replyTo(o, "l2")).isNotInstanceOf(Reply.Failed.class).isNotNull();
  }

  @Test
  void aCommitWhoseOutcomeIsUnknownIsNeitherConfirmedNorShownToTheSender() {
    LossyBus[] bus = pair();
    Hub hubA = node(bus[0]);
    User alice = join(hubA, "alice");
    commitsUnknown = true;
    say(hubA, alice, 1, 1);
    assertThat(replyTo(alice, "m1")).isEqualTo(new Reply.Failed(CoreError.STORE_UNKNOWN,
        StoreOutcomeUnknown.TO_SENDER));
    assertThat(seen(alice)).isEmpty();
  }
}
