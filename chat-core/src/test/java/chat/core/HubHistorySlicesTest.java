package chat.core;

import static org.assertj.core.api.Assertions.assertThat;

import chat.core.Command.Hello;
import chat.core.Command.Join;
import chat.core.Command.SayToNick;
import chat.core.Command.SayToRoom;
import chat.core.HubAccountsTest.FakeHasher;
import chat.core.HubAccountsTest.TestClock;
import chat.core.store.Account;
import chat.core.store.MemoryStore;
import chat.core.store.ReadMarker;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * History between places, around a place and where a session has history (IRC's CHATHISTORY
 * in core terms), and read markers set by time: on a room whose seqs and times the test knows.
 */
class HubHistorySlicesTest {

  private final TestClock clock = new TestClock();
  private final MemoryStore store = new MemoryStore();
  private final Hub hub = new Hub(CoreLimits.DEFAULT, clock, store, store, new FakeHasher(),
      Runnable::run);

  private record User(Session session, RecordingSink sink) {}

  HubHistorySlicesTest() {
    store.create(new Account("alice", "fake:password1", false, 1));
    store.create(new Account("bob", "fake:password2", false, 1));
  }

  private User connect(String nick, String password) {
    RecordingSink sink = new RecordingSink();
    Session session = hub.open(sink, "10.0.0.1");
    hub.handle(session, "hello", new Hello(nick, password == null ? null : password.toCharArray(),
        false));
    return new User(session, sink);
  }

  /**
   * Alice in #dev with messages "m1".."m8" at seqs 1..8; m1..m4 are 10 ms apart from 2,000,000,
   * m5 and m6 share a millisecond (2,000,050), m7 and m8 follow 10 ms apart. A topic change sits
   * between m3 and m4 (seq 4), so the messages after it have seqs one higher.
   */
  private User aliceInDev() {
    User alice = connect("alice", "password1");
    hub.handle(alice.session(), "j", new Join("dev"));
    long[] times = {2_000_000, 2_000_010, 2_000_020, 2_000_030, 2_000_050, 2_000_050, 2_000_060,
        2_000_070};
    for (int i = 0; i < times.length; i++) {
      clock.millis.set(times[i]);
      if (i == 3) {
        hub.handle(alice.session(), "t", new Command.SetTopic("dev", "a topic"));
      }
      hub.handle(alice.session(), "m", new SayToRoom("dev", MessageKind.TEXT, "m" + (i + 1)));
    }
    clock.millis.set(3_000_000);
    return alice;
  }

  /** The texts of the history a read sent, and its reply. */
  private List<String> read(User user, Command command) {
    user.sink().clear();
    hub.handle(user.session(), "r", command);
    return user.sink().of(Event.History.class).stream().map(h -> switch (h.message()) {
      case Event.RoomMessage m -> m.text();
      case Event.PrivateMessage m -> m.text();
      case Event.TopicChanged t -> "topic";
      default -> "other";
    }).toList();
  }

  private static Command room(Place from, Place to, int limit) {
    return new Command.ReadHistory("dev", null, from, to, limit, true);
  }

  @Test
  void aReadTakesTheEntriesNearestItsStartOldestFirst() {
    User alice = aliceInDev();
    assertThat(read(alice, room(Place.END, Place.START, 3))).as("the latest")
        .containsExactly("m6", "m7", "m8");
    assertThat(alice.sink().last()).isEqualTo(new Reply.HistorySent("dev", 3, 7, true));
    assertThat(read(alice, room(Place.seq(6), Place.START, 10))).as("before seq 6")
        .containsExactly("m1", "m2", "m3", "m4");
    assertThat(read(alice, room(Place.seq(3), Place.END, 2))).as("after seq 3, the topic skipped")
        .containsExactly("m4", "m5");
    assertThat(read(alice, room(Place.END, Place.seq(7), 10))).as("latest after seq 7")
        .containsExactly("m7", "m8");
    assertThat(read(alice, room(Place.seq(1), Place.seq(9), 2))).as("between, forwards")
        .containsExactly("m2", "m3");
    assertThat(read(alice, room(Place.seq(9), Place.seq(1), 2))).as("between, backwards")
        .containsExactly("m6", "m7");
    assertThat(read(alice, new Command.ReadHistory("dev", null, Place.seq(3), Place.seq(6), 10,
        false))).as("room changes when asked").containsExactly("topic", "m4");
  }

  @Test
  void timesLeaveOutTheEntriesStampedExactlyThenOnBothSides() {
    User alice = aliceInDev();
    assertThat(read(alice, room(Place.time(2_000_050), Place.START, 10)))
        .containsExactly("m1", "m2", "m3", "m4");
    assertThat(read(alice, room(Place.time(2_000_050), Place.END, 10)))
        .containsExactly("m7", "m8");
    assertThat(read(alice, room(Place.END, Place.time(2_000_020), 10)))
        .containsExactly("m4", "m5", "m6", "m7", "m8");
    assertThat(read(alice, room(Place.time(2_000_070), Place.time(2_000_000), 2)))
        .containsExactly("m6", "m7");
    assertThat(read(alice, room(Place.time(2_000_001), Place.time(2_000_069), 100)))
        .as("times between entries").containsExactly("m2", "m3", "m4", "m5", "m6", "m7");
    assertThat(read(alice, room(Place.seq(2), Place.time(2_000_050), 10)))
        .as("a seq and a time").containsExactly("m3", "m4");
  }

  @Test
  void aroundTakesAboutHalfBeforeAndTheRestFromThePlaceOn() {
    User alice = aliceInDev();
    assertThat(read(alice, new Command.HistoryAround("dev", null, Place.seq(7), 1, true)))
        .containsExactly("m6");
    assertThat(read(alice, new Command.HistoryAround("dev", null, Place.seq(7), 3, true)))
        .containsExactly("m5", "m6", "m7");
    assertThat(read(alice, new Command.HistoryAround("dev", null, Place.time(2_000_050), 4,
        true))).containsExactly("m4", "m5", "m6", "m7");
    assertThat(read(alice, new Command.HistoryAround("dev", null, Place.seq(1), 5, true)))
        .as("near the start, the rest from it on").containsExactly("m1", "m2", "m3", "m4", "m5");
  }

  @Test
  void readsNeedMembershipAnAccountAndPlacesThatFit() {
    User alice = aliceInDev();
    User guest = connect(null, null);
    hub.handle(guest.session(), "r", room(Place.END, Place.START, 5));
    assertThat(((Reply.Failed) guest.sink().last()).error()).isEqualTo(CoreError.NOT_IN_ROOM);
    hub.handle(guest.session(), "r", new Command.ReadHistory(null, "alice", Place.END,
        Place.START, 5, true));
    assertThat(((Reply.Failed) guest.sink().last()).error()).isEqualTo(CoreError.NOT_LOGGED_IN);
    hub.handle(alice.session(), "r", new Command.ReadHistory("dev", null, Place.message("x"),
        Place.START, 5, true));
    assertThat(((Reply.Failed) alice.sink().last()).error()).isEqualTo(CoreError.INVALID_HISTORY);
    hub.handle(alice.session(), "r", new Command.ReadHistory("dev", "bob", Place.END,
        Place.START, 5, true));
    assertThat(((Reply.Failed) alice.sink().last()).error()).isEqualTo(CoreError.INVALID_HISTORY);
  }

  @Test
  void conversationsAreReadByMessagesAndTimes() {
    User alice = connect("alice", "password1");
    User bob = connect("bob", "password2");
    String[] ids = new String[6];
    for (int i = 0; i < 6; i++) {
      clock.millis.set(2_000_000 + (i / 2) * 10); // two messages per millisecond
      User from = i % 2 == 0 ? alice : bob;
      from.sink().clear();
      hub.handle(from.session(), "p", new SayToNick(i % 2 == 0 ? "bob" : "alice",
          MessageKind.TEXT, "p" + (i + 1)));
      ids[i] = from.sink().of(Event.PrivateMessage.class).get(0).msgId();
    }
    assertThat(read(alice, new Command.ReadHistory(null, "bob", Place.END, Place.START, 2,
        true))).containsExactly("p5", "p6");
    assertThat(read(alice, new Command.ReadHistory(null, "bob", Place.message(ids[2]),
        Place.END, 10, true))).as("a message splits its millisecond").containsExactly("p4", "p5",
        "p6");
    assertThat(read(alice, new Command.ReadHistory(null, "bob", Place.message(ids[5]),
        Place.message(ids[0]), 2, true))).containsExactly("p4", "p5");
    assertThat(read(bob, new Command.ReadHistory(null, "alice", Place.time(2_000_010),
        Place.START, 10, true))).containsExactly("p1", "p2");
    assertThat(read(bob, new Command.ReadHistory(null, "alice", Place.time(2_000_000),
        Place.message(ids[5]), 10, true))).containsExactly("p3", "p4", "p5");
    assertThat(read(alice, new Command.HistoryAround(null, "bob", Place.message(ids[3]), 3,
        true))).containsExactly("p3", "p4", "p5");
    assertThat(read(alice, new Command.HistoryAround(null, "bob", Place.time(2_000_010), 2,
        true))).as("none before: half of 2 is 0").containsExactly("p3", "p4");
  }

  @Test
  void targetsAreTheRoomsAndConversationsWithTheirNewestMessageInTheWindow() {
    User alice = aliceInDev(); // #dev's newest message at 2,000,070
    User bob = connect("bob", "password2");
    clock.millis.set(2_000_040);
    hub.handle(bob.session(), "p", new SayToNick("alice", MessageKind.TEXT, "hi"));
    hub.handle(alice.session(), "j", new Join("empty"));
    alice.sink().clear();
    hub.handle(alice.session(), "t", new Command.HistoryTargets(0, Long.MAX_VALUE, 10));
    assertThat(((Reply.HistoryTargets) alice.sink().last()).targets()).containsExactly(
        new Reply.HistoryTargets.Target(null, "bob", 2_000_040),
        new Reply.HistoryTargets.Target("dev", null, 2_000_070));
    hub.handle(alice.session(), "t", new Command.HistoryTargets(2_000_060, 2_000_040, 10));
    assertThat(((Reply.HistoryTargets) alice.sink().last()).targets())
        .as("either order; exclusive; a target whose newest message is outside is out").isEmpty();
    hub.handle(alice.session(), "t", new Command.HistoryTargets(Long.MAX_VALUE, 0, 1));
    assertThat(((Reply.HistoryTargets) alice.sink().last()).targets())
        .extracting(Reply.HistoryTargets.Target::with).containsExactly("bob");
  }

  @Test
  void markersSetByTimeFallOnTheNewestEntryAtOrBeforeItAndKeepTheTime() {
    User alice = aliceInDev();
    User phone = connect("alice", "password1");
    phone.sink().clear();
    Reply.MarkerSet set = ask(alice, new Command.SetMarker("dev", null, 0, null, 2_000_055));
    assertThat(set.marker()).isEqualTo(new ReadMarker("dev", 7, null, 2_000_055));
    assertThat(phone.sink().of(Event.MarkerMoved.class)).extracting(Event.MarkerMoved::marker)
        .containsExactly(set.marker());
    Reply.MarkerSet older = ask(phone, new Command.SetMarker("dev", null, 0, null, 2_000_051));
    assertThat(older.marker()).as("markers never move back, not even within a place")
        .isEqualTo(set.marker());
    Reply.MarkerSet byTime = ask(phone, new Command.SetMarker("dev", null, 0, null, 2_000_059));
    assertThat(byTime.marker()).as("a later time at the same place moves it")
        .isEqualTo(new ReadMarker("dev", 7, null, 2_000_059));
    Reply.MarkerSet bySeq = ask(phone, new Command.SetMarker("dev", null, 8, null));
    assertThat(bySeq.marker()).as("a seq's marker has its entry's time")
        .isEqualTo(new ReadMarker("dev", 8, null, 2_000_060));
    Reply.MarkerSet future = ask(alice, new Command.SetMarker("dev", null, 0, null, 9_000_000));
    assertThat(future.marker()).as("at most now")
        .isEqualTo(new ReadMarker("dev", 9, null, 3_000_000));
    Reply.MarkerSet early = ask(alice, new Command.SetMarker("quiet", null, 0, null, 1_500));
    assertThat(early.marker()).as("before anything was said")
        .isEqualTo(new ReadMarker("quiet", 0, null, 1_500));
  }

  @Test
  void conversationMarkersByTimeNameTheNewestMessageAtOrBeforeIt() {
    User alice = connect("alice", "password1");
    User bob = connect("bob", "password2");
    clock.millis.set(2_000_000);
    hub.handle(bob.session(), "p", new SayToNick("alice", MessageKind.TEXT, "one"));
    String first = bob.sink().of(Event.PrivateMessage.class).get(0).msgId();
    clock.millis.set(2_000_100);
    hub.handle(bob.session(), "p", new SayToNick("alice", MessageKind.TEXT, "two"));
    clock.millis.set(3_000_000);
    Reply.MarkerSet set = ask(alice, new Command.SetMarker(null, "Bob", 0, null, 2_000_050));
    assertThat(set.marker()).isEqualTo(new ReadMarker("@bob", 0, first, 2_000_050));
    Reply.MarkerSet none = ask(bob, new Command.SetMarker(null, "alice", 0, null, 1_000));
    assertThat(none.marker()).isEqualTo(new ReadMarker("@alice", 0, null, 1_000));
    Reply.MarkerSet byId = ask(bob, new Command.SetMarker(null, "alice", 0, first));
    assertThat(byId.marker()).as("a message's marker has its time")
        .isEqualTo(new ReadMarker("@alice", 0, first, 2_000_000));
  }

  @SuppressWarnings("unchecked")
  private <T> T ask(User user, Command command) {
    user.sink().clear();
    hub.handle(user.session(), "q", command);
    return (T) user.sink().calls.stream().filter(c -> "q".equals(c.id())).reduce((a, b) -> b)
        .map(RecordingSink.Call::what).orElse(null);
  }
}
