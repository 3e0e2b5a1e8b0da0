package chat.core;

import static org.assertj.core.api.Assertions.assertThat;

import chat.core.Command.Hello;
import chat.core.Command.Join;
import chat.core.Command.Leave;
import chat.core.Command.SayToNick;
import chat.core.Command.SayToRoom;
import chat.core.HubAccountsTest.FakeHasher;
import chat.core.HubAccountsTest.TestClock;
import chat.core.store.Account;
import chat.core.store.MemoryStore;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One account on several connections: same rooms, same stream, presence while any is on. */
class HubDevicesTest {

  private final TestClock clock = new TestClock();
  private final MemoryStore store = new MemoryStore();
  private final FakeHasher hasher = new FakeHasher();
  private Hub hub = new Hub(CoreLimits.DEFAULT, clock, store, store, hasher, Runnable::run);

  private record User(Session session, RecordingSink sink) {}

  HubDevicesTest() {
    store.create(new Account("alice", "fake:password1", false, 1));
  }

  private User connect(String nick, String password) {
    RecordingSink sink = new RecordingSink();
    Session session = hub.open(sink, "10.0.0.1");
    hub.handle(session, "hello", new Hello(nick, password == null ? null : password.toCharArray()));
    return new User(session, sink);
  }

  private User alice() {
    return connect("alice", "password1");
  }

  private void handle(User user, String id, Command command) {
    hub.handle(user.session(), id, command);
  }

  @Test
  void aSecondDeviceSeesTheAccountsRoomsAndTheSameStream() {
    User laptop = alice();
    handle(laptop, "j", new Join("dev"));
    User bob = connect("bob", null);
    handle(bob, "j", new Join("dev"));
    hub.handle(bob.session(), "m", new SayToRoom("dev", MessageKind.TEXT, "before"));
    bob.sink().clear();

    User phone = alice();
    assertThat(phone.sink().of(Reply.Welcome.class)).singleElement()
        .satisfies(w -> assertThat(w.nick()).isEqualTo("alice"));
    assertThat(phone.sink().of(Event.Joined.class)).extracting(Event.Joined::room)
        .containsExactlyInAnyOrder("lobby", "dev");
    assertThat(phone.sink().of(Event.History.class)).extracting(h -> h.message())
        .filteredOn(Event.RoomMessage.class::isInstance)
        .extracting(m -> ((Event.RoomMessage) m).text()).contains("before");
    assertThat(bob.sink().of(Event.Joined.class)).as("nobody else sees a second alice").isEmpty();

    Reply.Members who = ask(bob, new Command.Who("dev"));
    assertThat(who.members()).containsExactly("alice", "bob");

    laptop.sink().clear();
    phone.sink().clear();
    hub.handle(phone.session(), "p1", new SayToRoom("dev", MessageKind.TEXT, "from the phone"));
    RecordingSink.Call confirmation = phone.sink().lastCall();
    assertThat(confirmation.id()).isEqualTo("p1");
    assertThat(laptop.sink().of(Event.RoomMessage.class)).singleElement()
        .satisfies(m -> assertThat(m.from()).as("marked as one's own").isEqualTo("alice"));
    assertThat(laptop.sink().calls.get(laptop.sink().calls.size() - 1).id()).isNull();
    assertThat(bob.sink().of(Event.RoomMessage.class)).hasSize(1);
  }

  @Test
  void privateMessagesReachEveryConnectionOfBothPeople() {
    User laptop = alice();
    User phone = alice();
    User bob = connect("bob", null);
    hub.handle(bob.session(), "pm", new SayToNick("alice", MessageKind.TEXT, "hi alice"));
    assertThat(laptop.sink().of(Event.PrivateMessage.class)).hasSize(1);
    assertThat(phone.sink().of(Event.PrivateMessage.class)).hasSize(1);
    hub.handle(phone.session(), "pm", new SayToNick("bob", MessageKind.TEXT, "hi bob"));
    assertThat(laptop.sink().of(Event.PrivateMessage.class)).as("the reply shows on the laptop")
        .extracting(Event.PrivateMessage::text).containsExactly("hi alice", "hi bob");
    assertThat(bob.sink().of(Event.PrivateMessage.class)).extracting(Event.PrivateMessage::text)
        .containsExactly("hi alice", "hi bob");
  }

  @Test
  void joiningOrLeavingFromOneConnectionDoesItForTheAccount() {
    User laptop = alice();
    User phone = alice();
    User bob = connect("bob", null);
    handle(bob, "j", new Join("dev"));
    handle(laptop, "j", new Join("dev"));
    assertThat(phone.sink().of(Event.Joined.class)).extracting(Event.Joined::room).contains("dev");
    assertThat(bob.sink().of(Event.Joined.class)).filteredOn(j -> j.nick().equals("alice"))
        .hasSize(1);
    handle(phone, "l", new Leave("dev", "bye"));
    assertThat(laptop.sink().of(Event.Left.class)).singleElement()
        .satisfies(l -> assertThat(l.room()).isEqualTo("dev"));
    assertThat(bob.sink().of(Event.Left.class)).hasSize(1);
    assertThat(laptop.session().rooms()).extracting(Room::name).containsExactly("lobby");
  }

  @Test
  void theAccountIsOnlineWhileAnyConnectionIs() {
    User laptop = alice();
    User phone = alice();
    User bob = connect("bob", null);
    hub.disconnect(laptop.session(), "connection reset");
    assertThat(bob.sink().of(Event.Quit.class)).isEmpty();
    Reply.Users users = ask(bob, new Command.Lookup(List.of("alice")));
    assertThat(users.users()).hasSize(1);
    hub.handle(bob.session(), "pm", new SayToNick("alice", MessageKind.TEXT, "still there?"));
    assertThat(phone.sink().of(Event.PrivateMessage.class)).hasSize(1);
    hub.disconnect(phone.session(), "connection closed");
    assertThat(bob.sink().of(Event.Quit.class)).singleElement()
        .satisfies(q -> assertThat(q.nick()).isEqualTo("alice"));
    User again = alice();
    assertThat(again.session().isReady()).isTrue();
  }

  @Test
  void anAccountMayHoldOnlySoManyConnections() {
    hub = new Hub(CoreLimits.DEFAULT.withContinuity(new ContinuityLimits(1000, 2,
        Duration.ofMinutes(2), Duration.ofHours(24))), clock, store, store, hasher,
        Runnable::run);
    alice();
    alice();
    User third = alice();
    assertThat(third.session().isReady()).isFalse();
    assertThat(third.sink().of(Reply.Failed.class)).singleElement()
        .satisfies(f -> assertThat(f.error()).isEqualTo(CoreError.TOO_MANY_CONNECTIONS));
  }

  @Test
  void aGuestLoggingInToAnAccountOnlineElsewhereBecomesOneOfItsConnections() {
    User laptop = alice();
    User bob = connect("bob", null);
    User guest = connect(null, null);
    handle(guest, "j", new Join("side"));
    handle(bob, "j", new Join("side"));
    bob.sink().clear();
    handle(guest, "l", new Command.Login("alice", "password1".toCharArray()));
    assertThat(guest.session().nick()).isEqualTo("alice");
    assertThat(guest.session().identity()).isSameAs(laptop.session().identity());
    assertThat(bob.sink().of(Event.Left.class)).filteredOn(l -> l.room().equals("side"))
        .hasSize(1);
    assertThat(bob.sink().of(Event.Joined.class)).filteredOn(j -> j.room().equals("side"))
        .singleElement()
        .satisfies(j -> assertThat(j.nick()).isEqualTo("alice"));
    assertThat(laptop.session().rooms()).extracting(Room::name)
        .containsExactlyInAnyOrder("lobby", "side");
  }

  private User resumableGuest(String resume) {
    RecordingSink sink = new RecordingSink();
    Session session = hub.open(sink, "10.0.0.1");
    hub.handle(session, "hello", new Hello(null, null, true, resume));
    return new User(session, sink);
  }

  @Test
  void aDroppedGuestGetsItsNickAndRoomsBackWithItsTokenWithinTheGrace() {
    User guest = resumableGuest("");
    Reply.Welcome welcome = guest.sink().of(Reply.Welcome.class).get(0);
    assertThat(welcome.resumeToken()).isNotBlank();
    handle(guest, "j", new Join("dev"));
    User bob = connect("bob", null);
    handle(bob, "j", new Join("dev"));
    bob.sink().clear();
    hub.disconnect(guest.session(), "connection reset");
    hub.tick();
    assertThat(bob.sink().of(Event.Quit.class)).as("nobody notices within the grace").isEmpty();
    assertThat(connect(welcome.nick(), null).session().isReady()).as("the nick waits").isFalse();
    clock.millis.addAndGet(Duration.ofSeconds(60).toMillis());

    User back = resumableGuest(welcome.resumeToken());
    Reply.Welcome again = back.sink().of(Reply.Welcome.class).get(0);
    assertThat(again.resumed()).isTrue();
    assertThat(again.nick()).isEqualTo(welcome.nick());
    assertThat(back.session().rooms()).extracting(Room::name).containsExactlyInAnyOrder("lobby",
        "dev");
    Reply.Members who = ask(bob, new Command.Who("dev"));
    assertThat(who.members()).containsExactly(welcome.nick(), "bob");
    assertThat(bob.sink().of(Event.Joined.class)).isEmpty();
    hub.handle(bob.session(), "m", new SayToRoom("dev", MessageKind.TEXT, "welcome back"));
    assertThat(back.sink().of(Event.RoomMessage.class)).extracting(Event.RoomMessage::text)
        .contains("welcome back");
  }

  @Test
  void afterTheGraceTheGuestIsGoneAndItsNickFree() {
    User guest = resumableGuest("");
    Reply.Welcome welcome = guest.sink().of(Reply.Welcome.class).get(0);
    User bob = connect("bob", null);
    hub.disconnect(guest.session(), "connection reset");
    clock.millis.addAndGet(ContinuityLimits.DEFAULT.guestGrace().toMillis() + 1);
    hub.tick();
    assertThat(bob.sink().of(Event.Quit.class)).singleElement()
        .satisfies(q -> assertThat(q.reason()).isEqualTo("connection reset"));
    User late = resumableGuest(welcome.resumeToken());
    Reply.Welcome fresh = late.sink().of(Reply.Welcome.class).get(0);
    assertThat(fresh.resumed()).isFalse();
    assertThat(fresh.nick()).isNotEqualTo(welcome.nick());
    assertThat(connect(welcome.nick(), null).session().isReady()).isTrue();
  }

  @Test
  void aGuestThatQuitsDoesNotWait() {
    User guest = resumableGuest("");
    User bob = connect("bob", null);
    hub.handle(guest.session(), "q", new Command.Quit("bye"));
    assertThat(bob.sink().of(Event.Quit.class)).hasSize(1);
  }

  @Test
  void readMarkersMoveForwardOnlyAndReachTheAccountsOtherConnections() {
    User laptop = alice();
    User phone = alice();
    phone.sink().clear();
    Reply.MarkerSet set = ask(laptop, new Command.SetMarker("#dev", null, 5, null));
    assertThat(set.marker().seq()).isEqualTo(5);
    assertThat(phone.sink().of(Event.MarkerMoved.class)).singleElement()
        .satisfies(m -> assertThat(m.marker().target()).isEqualTo("dev"));
    Reply.MarkerSet back = ask(phone, new Command.SetMarker("dev", null, 3, null));
    assertThat(back.marker().seq()).as("markers never move back").isEqualTo(5);
    assertThat(laptop.sink().of(Event.MarkerMoved.class)).isEmpty();
    ask(laptop, new Command.SetMarker(null, "Bob", 0, "zz1"));
    ask(laptop, new Command.SetMarker(null, "bob", 0, "zz0"));
    ask(laptop, new Command.SetMarker(null, "bob", 0, "100a"));
    Reply.Markers all = ask(phone, new Command.Markers());
    assertThat(all.markers()).extracting(chat.core.store.ReadMarker::target,
        chat.core.store.ReadMarker::seq, chat.core.store.ReadMarker::msgId)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("@bob", 0L, "100a"),
            org.assertj.core.groups.Tuple.tuple("dev", 5L, null));
    User guest = connect(null, null);
    assertThat(((Reply.Markers) ask(guest, new Command.Markers())).markers())
        .as("a guest's markers are its own").isEmpty();
    ask(guest, new Command.SetMarker("dev", null, 3, null));
    assertThat(((Reply.Markers) ask(guest, new Command.Markers())).markers())
        .extracting(chat.core.store.ReadMarker::target, chat.core.store.ReadMarker::seq)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("dev", 3L));
    ask(guest, new Command.SetMarker("dev", null, 2, null));
    assertThat(((Reply.Markers) ask(guest, new Command.Markers())).markers())
        .extracting(chat.core.store.ReadMarker::seq).as("forward only").containsExactly(3L);
    assertThat(((Reply.Markers) ask(phone, new Command.Markers())).markers())
        .as("the account's are untouched").hasSize(2);
    assertThat(((Reply.Failed) ask(laptop, new Command.SetMarker("dev", "bob", 1, "x"))).error())
        .isEqualTo(CoreError.INVALID_MARKER);
  }

  @Test
  void theMarkerListSaysWhatIsUnreadAfterEachMarkerAndWhatMentionsTheAccount() {
    store.create(new Account("bob", "fake:password2", false, 1));
    User alice = alice();
    User bob = connect("bob", "password2");
    handle(alice, "j", new Join("dev"));
    handle(bob, "j", new Join("dev"));
    handle(bob, "1", new SayToRoom("dev", MessageKind.TEXT, "read this"));
    long read = alice.sink().of(Event.RoomMessage.class).getLast().seq();
    handle(bob, "2", new SayToRoom("dev", MessageKind.TEXT, "alice: are you there?"));
    handle(alice, "3", new Command.SetTopic("dev", "a topic is not a message"));
    handle(alice, "4", new SayToRoom("dev", MessageKind.TEXT, "my own line is read"));
    handle(bob, "5", new SayToRoom("dev", MessageKind.ACTION, "waves at malice"));
    handle(bob, "6", new SayToNick("alice", MessageKind.TEXT, "first"));
    String firstPrivate = alice.sink().of(Event.PrivateMessage.class).getLast().msgId();
    long last = alice.sink().of(Event.RoomMessage.class).getLast().seq();
    assertThat(alice.sink().of(Event.TopicChanged.class)).as("a room change in the log").hasSize(1);
    handle(bob, "7", new SayToNick("alice", MessageKind.TEXT, "second, Alice!"));
    handle(bob, "8", new SayToNick("alice", MessageKind.TEXT, "third"));
    ask(alice, new Command.SetMarker("dev", null, read, null));
    ask(alice, new Command.SetMarker(null, "bob", 0, firstPrivate));

    Reply.Markers all = ask(alice, new Command.Markers());
    assertThat(all.unread()).extracting(Reply.UnreadCount::target, Reply.UnreadCount::unread,
        Reply.UnreadCount::mentions, Reply.UnreadCount::more)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("@bob", 2, 1, false),
            org.assertj.core.groups.Tuple.tuple("dev", 2, 1, false));
    assertThat(all.unread().get(1).upTo()).isEqualTo(last);

    ask(alice, new Command.SetMarker("dev", null, last, null));
    Reply.Markers after = ask(alice, new Command.Markers());
    assertThat(after.unread().get(1).unread()).isZero();
  }

  @Test
  void pastTheResumeCapTheCountSaysThereIsMore() {
    CoreLimits limits = CoreLimits.DEFAULT.withContinuity(new ContinuityLimits(3, 10,
        Duration.ofMinutes(2), Duration.ofHours(24)));
    hub = new Hub(limits, clock, store, store, hasher, Runnable::run);
    User alice = alice();
    User bob = connect("bob", null);
    handle(alice, "j", new Join("dev"));
    handle(bob, "j", new Join("dev"));
    for (int i = 0; i < 6; i++) {
      handle(bob, "m" + i, new SayToRoom("dev", MessageKind.TEXT, "line " + i));
    }
    long first = alice.sink().of(Event.RoomMessage.class).getFirst().seq();
    ask(alice, new Command.SetMarker("dev", null, first, null));
    Reply.UnreadCount count = ((Reply.Markers) ask(alice, new Command.Markers())).unread().get(0);
    assertThat(count.unread()).isEqualTo(3);
    assertThat(count.more()).isTrue();
  }

  @SuppressWarnings("unchecked")
  private <T> T ask(User user, Command command) {
    user.sink().clear();
    hub.handle(user.session(), "q", command);
    return (T) user.sink().calls.stream().filter(c -> "q".equals(c.id())).reduce((a, b) -> b)
        .map(RecordingSink.Call::what).orElse(null);
  }
}
