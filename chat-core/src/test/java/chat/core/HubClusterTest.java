package chat.core;

import static org.assertj.core.api.Assertions.assertThat;

import chat.core.Command.Hello;
import chat.core.Command.Join;
import chat.core.Command.SayToRoom;
import chat.core.HubAccountsTest.TestClock;
import chat.core.cluster.Bus;
import chat.core.cluster.RoomEntry;
import chat.core.cluster.RoomNote;
import chat.core.store.MemoryStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Two servers sharing one store and a bus (in memory here; NATS and PostgreSQL in the
 * end-to-end tests): a room's messages reach the members on both in one order, numbered by the
 * store, and what the bus loses is read from the store.
 */
class HubClusterTest {

  private final TestClock clock = new TestClock();
  private final MemoryStore store = new MemoryStore();

  /** A bus between servers in one JVM; {@code drop} loses the entries it matches. */
  static final class MemoryBus implements Bus {
    final String id;
    final List<MemoryBus> peers = new CopyOnWriteArrayList<>();
    Consumer<RoomEntry> handler = e -> { };
    Consumer<RoomNote> noteHandler = n -> { };
    Predicate<RoomEntry> drop = e -> false;
    final List<RoomEntry> held = new ArrayList<>();
    boolean holding;

    MemoryBus(String id) {
      this.id = id;
    }

    @Override
    public void publish(RoomEntry entry) {
      for (MemoryBus peer : peers) {
        if (!drop.test(entry)) {
          if (peer.holding) {
            peer.held.add(entry);
          } else {
            peer.handler.accept(entry);
          }
        }
      }
    }

    @Override
    public void publishNote(RoomNote note) {
      for (MemoryBus peer : peers) {
        peer.noteHandler.accept(note);
      }
    }

    @Override
    public void onRemoteNote(Consumer<RoomNote> h) {
      noteHandler = h;
    }

    /** Two servers' buses, connected. */
    static MemoryBus[] pair() {
      MemoryBus a = new MemoryBus("a");
      MemoryBus b = new MemoryBus("b");
      a.peers.add(b);
      b.peers.add(a);
      return new MemoryBus[] {a, b};
    }

    void release() {
      holding = false;
      List<RoomEntry> late = new ArrayList<>(held);
      held.clear();
      late.forEach(handler);
    }

    @Override
    public void onRemote(Consumer<RoomEntry> h) {
      handler = h;
    }

    @Override
    public String nodeId() {
      return id;
    }

    @Override
    public void close() {}
  }

  private record User(Session session, RecordingSink sink) {}

  private Hub node(MemoryBus bus) {
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

  @Test
  void aRoomsMessagesReachBothServersInTheOneOrderTheStoreGaveThem() {
    MemoryBus a = new MemoryBus("a");
    MemoryBus b = new MemoryBus("b");
    a.peers.add(b);
    b.peers.add(a);
    Hub hubA = node(a);
    Hub hubB = node(b);
    User alice = join(hubA, "alice");
    User bob = join(hubB, "bob");
    // B's copies of A's entries come late, after B numbered some of its own.
    b.holding = true;
    for (int i = 0; i < 5; i++) {
      hubA.handle(alice.session(), "a" + i, new SayToRoom("dev", MessageKind.TEXT, "from a " + i));
      hubB.handle(bob.session(), "b" + i, new SayToRoom("dev", MessageKind.TEXT, "from b " + i));
    }
    assertThat(seen(bob)).as("B holds its own entries behind A's it has not had").isEmpty();
    b.release();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      expected.add((2 * i + 1) + " from a " + i);
      expected.add((2 * i + 2) + " from b " + i);
    }
    assertThat(seen(alice)).isEqualTo(expected);
    assertThat(seen(bob)).isEqualTo(expected);
    assertThat(bob.sink().calls.stream().filter(c -> "b4".equals(c.id())).count())
        .as("the sender's confirmation is its own copy, in order").isEqualTo(1);
  }

  @Test
  void aChangeHeldBehindAnotherServersEntryIsMarkedForItsMakerWhenHandedOut() {
    MemoryBus[] buses = MemoryBus.pair();
    Hub hubA = node(buses[0]);
    Hub hubB = node(buses[1]);
    User alice = join(hubA, "alice");
    User bob = join(hubB, "bob");
    buses[1].holding = true;
    hubA.handle(alice.session(), "m", new SayToRoom("dev", MessageKind.TEXT, "first"));
    bob.sink().clear();
    hubB.handle(bob.session(), "t", new Command.SetTopic("dev", "news"));
    assertThat(bob.sink().causedBy("t")).as("held behind A's message").isEmpty();
    buses[1].release();
    assertThat(bob.sink().causedBy("t")).singleElement()
        .isInstanceOf(Event.TopicChanged.class);
    assertThat(alice.sink().caused.stream().filter(c -> "t".equals(c.id()))).isEmpty();
  }

  @Test
  void whatTheBusLosesIsReadFromTheStoreAfterAHalfSecond() {
    MemoryBus a = new MemoryBus("a");
    MemoryBus b = new MemoryBus("b");
    a.peers.add(b);
    b.peers.add(a);
    a.drop = e -> e.entry().seq() % 3 == 0;
    Hub hubA = node(a);
    Hub hubB = node(b);
    User alice = join(hubA, "alice");
    User bob = join(hubB, "bob");
    for (int i = 1; i <= 7; i++) {
      hubA.handle(alice.session(), "a" + i, new SayToRoom("dev", MessageKind.TEXT, "m" + i));
    }
    assertThat(seen(bob)).containsExactly("1 m1", "2 m2");
    hubB.tick();
    assertThat(seen(bob)).as("not before the gap is half a second old").hasSize(2);
    clock.millis.addAndGet(Cluster.GAP_MILLIS + 1);
    hubB.tick();
    clock.millis.addAndGet(Cluster.GAP_MILLIS + 1);
    hubB.tick();
    assertThat(seen(bob)).containsExactly("1 m1", "2 m2", "3 m3", "4 m4", "5 m5", "6 m6", "7 m7");
  }

  @Test
  void withTheBusAwayEveryHoleIsReadAtOnceAndEachSenderGetsItsOwnConfirmation() {
    MemoryBus[] buses = MemoryBus.pair();
    buses[0].drop = e -> true;
    buses[1].drop = e -> true;
    Hub hubA = node(buses[0]);
    Hub hubB = node(buses[1]);
    User alice = join(hubA, "alice");
    User bob = join(hubB, "bob");
    for (int i = 0; i < 20; i++) {
      hubA.handle(alice.session(), "a" + i, new SayToRoom("dev", MessageKind.TEXT, "from a " + i));
      hubB.handle(bob.session(), "b" + i, new SayToRoom("dev", MessageKind.TEXT, "from b " + i));
    }
    assertThat(seen(bob)).as("B's own entries wait behind A's, which never came").isEmpty();
    clock.millis.addAndGet(Cluster.GAP_MILLIS + 1);
    hubB.tick();
    assertThat(seen(bob)).as("one read fills every hole, not one hole per tick").hasSize(40);
    for (int i = 0; i < 20; i++) {
      String id = "b" + i;
      assertThat(bob.sink().calls.stream().filter(c -> id.equals(c.id())).count())
          .as("the confirmation of %s is its own copy, once", id).isEqualTo(1);
    }
  }
}
