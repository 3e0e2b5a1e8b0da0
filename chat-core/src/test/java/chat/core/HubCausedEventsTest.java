package chat.core;

import static org.assertj.core.api.Assertions.assertThat;

import chat.core.Command.Hello;
import chat.core.Command.Join;
import chat.core.Command.Kick;
import chat.core.Command.Leave;
import chat.core.Command.Mode;
import chat.core.Command.RoomHistory;
import chat.core.Command.SayToRoom;
import chat.core.Command.SetTopic;
import chat.core.store.MemoryStore;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The events a request causes for its own session reach the sink marked with the request's id
 * ({@link EventSink#caused}), before its reply; everyone else gets them unmarked, and a sink
 * that keeps the default gets them as plain events.
 */
class HubCausedEventsTest {

  private static final long NOW = 1_763_721_045_000L;
  private final MemoryStore store = new MemoryStore();
  private final Hub hub = new Hub(CoreLimits.DEFAULT.withFlood(FloodLimits.OFF),
      Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC), store, store,
      new HubAccountsTest.FakeHasher(), Runnable::run);

  private record User(Session session, RecordingSink sink) {}

  private User connect(String nick) {
    RecordingSink sink = new RecordingSink();
    Session session = hub.open(sink, "10.0.0.1");
    hub.handle(session, "hello", new Hello(nick));
    assertThat(session.isReady()).isTrue();
    return new User(session, sink);
  }

  @Test
  void theJoinersOwnJoinedAndHistoryCarryTheJoinsId() {
    User alice = connect("alice");
    hub.handle(alice.session(), "j1", new Join("dev"));
    hub.handle(alice.session(), "m1", new SayToRoom("dev", MessageKind.TEXT, "hello"));
    User bob = connect("bob");
    alice.sink().clear();

    hub.handle(bob.session(), "j2", new Join("dev"));

    List<Object> caused = bob.sink().causedBy("j2");
    assertThat(caused).hasSize(2);
    assertThat(caused.get(0)).isInstanceOfSatisfying(Event.Joined.class,
        j -> assertThat(j.nick()).isEqualTo("bob"));
    assertThat(caused.get(1)).isInstanceOfSatisfying(Event.History.class,
        h -> assertThat(((Event.RoomMessage) h.message()).text()).isEqualTo("hello"));
    // Before the reply, which is the last call.
    RecordingSink.Call last = bob.sink().lastCall();
    assertThat(last.id()).isEqualTo("j2");
    assertThat(last.what()).isInstanceOf(Reply.JoinedRoom.class);
    // The other member hears of the join as an event of its own, not caused by it.
    assertThat(alice.sink().of(Event.Joined.class)).hasSize(1);
    assertThat(alice.sink().caused).isEmpty();
  }

  @Test
  void aPartKickModeAndTopicAreMarkedForWhoeverMadeThem() {
    User alice = connect("alice");
    hub.handle(alice.session(), "j", new Join("dev"));
    User bob = connect("bob");
    hub.handle(bob.session(), "j", new Join("dev"));
    User carol = connect("carol");
    hub.handle(carol.session(), "j", new Join("dev"));
    alice.sink().clear();
    bob.sink().clear();
    carol.sink().clear();

    hub.handle(alice.session(), "t", new SetTopic("dev", "news"));
    hub.handle(alice.session(), "m", new Mode("dev", List.of(ModeChange.set(RoomMode.VOICE,
        "bob")), null));
    hub.handle(alice.session(), "k", new Kick("dev", "bob", "bye"));
    hub.handle(carol.session(), "p", new Leave("dev", "later"));

    assertThat(alice.sink().causedBy("t")).singleElement()
        .isInstanceOf(Event.TopicChanged.class);
    assertThat(alice.sink().causedBy("m")).singleElement()
        .isInstanceOf(Event.ModeChanged.class);
    assertThat(alice.sink().causedBy("k")).singleElement()
        .isInstanceOfSatisfying(Event.Kicked.class, k -> assertThat(k.nick()).isEqualTo("bob"));
    assertThat(carol.sink().causedBy("p")).singleElement()
        .isInstanceOfSatisfying(Event.Left.class, l -> assertThat(l.nick()).isEqualTo("carol"));
    // Alice sees carol leave as a plain event; bob, kicked, hears of it unmarked.
    assertThat(alice.sink().caused).hasSize(3);
    assertThat(alice.sink().of(Event.Left.class)).hasSize(1);
    assertThat(bob.sink().caused).isEmpty();
    assertThat(bob.sink().of(Event.Kicked.class)).hasSize(1);
  }

  @Test
  void aBanMarksTheModeAndEveryKickItCauses() {
    User alice = connect("alice");
    hub.handle(alice.session(), "j", new Join("dev"));
    User bob = connect("bob");
    hub.handle(bob.session(), "j", new Join("dev"));
    alice.sink().clear();

    hub.handle(alice.session(), "b", new Mode("dev", List.of(ModeChange.set(RoomMode.BAN,
        "bob")), null));

    assertThat(alice.sink().causedBy("b")).hasSize(2);
    assertThat(alice.sink().causedBy("b").get(0)).isInstanceOf(Event.ModeChanged.class);
    assertThat(alice.sink().causedBy("b").get(1)).isInstanceOf(Event.Kicked.class);
    assertThat(alice.sink().lastCall().id()).isEqualTo("b");
  }

  @Test
  void aHistoryRequestsPageIsMarkedWithItsId() {
    User alice = connect("alice");
    hub.handle(alice.session(), "j", new Join("dev"));
    hub.handle(alice.session(), "m1", new SayToRoom("dev", MessageKind.TEXT, "one"));
    hub.handle(alice.session(), "m2", new SayToRoom("dev", MessageKind.TEXT, "two"));
    alice.sink().clear();

    hub.handle(alice.session(), "h", new RoomHistory("dev", 0, 10));

    assertThat(alice.sink().causedBy("h")).hasSize(2).allMatch(e -> e instanceof Event.History);
  }

  @Test
  void aSinkWithTheDefaultGetsCausedEventsAsPlainEvents() {
    List<String> seen = new ArrayList<>();
    EventSink plain = new EventSink() {
      @Override
      public synchronized void event(Event event, String replyId) {
        seen.add(event.getClass().getSimpleName() + ":" + replyId);
      }

      @Override
      public synchronized void reply(String replyId, Reply reply) {
        seen.add(reply.getClass().getSimpleName() + ":" + replyId);
      }

      @Override
      public void close(String reason) {}
    };
    Session session = hub.open(plain, "10.0.0.1");
    hub.handle(session, "hello", new Hello("dora"));
    hub.handle(session, "j", new Join("dev"));

    assertThat(seen).containsSubsequence("Joined:null", "JoinedRoom:j");
  }
}
