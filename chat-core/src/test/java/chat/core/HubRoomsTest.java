package chat.core;

import static org.assertj.core.api.Assertions.assertThat;

import chat.core.Command.Hello;
import chat.core.Command.Join;
import chat.core.Command.Leave;
import chat.core.Command.RoomAction;
import chat.core.Command.RoomCommand;
import chat.core.Command.SayToRoom;
import chat.core.Command.SetTopic;
import chat.core.HubAccountsTest.FakeHasher;
import chat.core.HubAccountsTest.TestClock;
import chat.core.HubHistoryTest.ManualStore;
import chat.core.store.Account;
import chat.core.store.MemoryStore;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Durable rooms: the shared log, state across restarts, registration, expiry, resume. */
class HubRoomsTest {

  private final TestClock clock = new TestClock();
  private final MemoryStore store = new MemoryStore();
  private final FakeHasher hasher = new FakeHasher();
  private Hub hub = newHub(CoreLimits.DEFAULT);

  private Hub newHub(CoreLimits limits) {
    return new Hub(limits, clock, store, store, hasher, Runnable::run);
  }

  /** A restart: a new hub on the same store. */
  private void restart() {
    hub.shutdown("restart");
    hub = newHub(CoreLimits.DEFAULT);
  }

  private record User(Session session, RecordingSink sink) {}

  private User guest(String nick) {
    RecordingSink sink = new RecordingSink();
    Session session = hub.open(sink, "10.0.0.1");
    hub.handle(session, "hello", new Hello(nick));
    return new User(session, sink);
  }

  private User account(String name, boolean admin) {
    if (store.find(Names.fold(name)).isEmpty()) {
      store.create(new Account(name, hasher.hash("password1".toCharArray()), admin, 1));
    }
    RecordingSink sink = new RecordingSink();
    Session session = hub.open(sink, "10.0.0.1");
    hub.handle(session, "hello", new Hello(name, "password1".toCharArray()));
    assertThat(sink.of(Reply.Welcome.class)).hasSize(1);
    return new User(session, sink);
  }

  private Object ask(User user, Command command) {
    user.sink().clear();
    hub.handle(user.session(), "q", command);
    return user.sink().calls.stream().filter(c -> "q".equals(c.id())).reduce((a, b) -> b)
        .map(RecordingSink.Call::what).orElse(null);
  }

  private CoreError error(User user, Command command) {
    Object reply = ask(user, command);
    assertThat(reply).isInstanceOf(Reply.Failed.class);
    return ((Reply.Failed) reply).error();
  }

  private void say(User user, String room, String text) {
    hub.handle(user.session(), text, new SayToRoom(room, MessageKind.TEXT, text));
  }

  private static Command.Mode mode(String room, ModeChange... changes) {
    return new Command.Mode(room, List.of(changes), null);
  }

  @Test
  void messagesAndRoomChangesShareOneSequenceAndComeBackInHistory() {
    User alice = guest("alice");
    ask(alice, new Join("dev"));
    say(alice, "dev", "one");
    ask(alice, new SetTopic("dev", "plans"));
    ask(alice, mode("dev", ModeChange.set(RoomMode.MODERATED)));
    say(alice, "dev", "two");
    User bob = guest("bob");
    ask(bob, new Join("dev"));
    List<Event> replay = bob.sink().of(Event.History.class).stream().map(Event.History::message)
        .toList();
    assertThat(replay).extracting(RoomLogTestSupport::seq).containsExactly(1L, 2L, 3L, 4L);
    assertThat(replay.get(1)).isEqualTo(new Event.TopicChanged("dev", "plans", "alice",
        clock.millis(), 2));
    assertThat(replay.get(2)).isEqualTo(new Event.ModeChanged("dev", "alice",
        List.of(ModeChange.set(RoomMode.MODERATED)), null, clock.millis(), 3));
  }

  @Test
  void aChangeIsAnnouncedOnlyOnceStoredAndTheRequesterHearsItBeforeTheReply() {
    ManualStore manual = new ManualStore();
    hub = new Hub(CoreLimits.DEFAULT, clock, manual);
    User alice = guest("alice");
    User bob = guest("bob");
    hub.handle(alice.session(), "j", new Join("dev"));
    hub.handle(bob.session(), "j", new Join("dev"));
    manual.commitAll();
    bob.sink().clear();
    alice.sink().clear();
    hub.handle(alice.session(), "t", new SetTopic("dev", "durable first"));
    assertThat(bob.sink().of(Event.TopicChanged.class)).isEmpty();
    assertThat(alice.sink().all()).isEmpty();
    manual.commitAll();
    assertThat(bob.sink().of(Event.TopicChanged.class)).hasSize(1);
    assertThat(alice.sink().all()).hasSize(2);
    assertThat(alice.sink().all().get(0)).isInstanceOf(Event.TopicChanged.class);
    assertThat(alice.sink().all().get(1)).isInstanceOf(Reply.RoomTopic.class);
  }

  @Test
  void settingsListsAndAnAccountsOperatorStatusSurviveTheLastMemberAndARestart() {
    User alice = account("alice", false);
    ask(alice, new Join("dev"));
    ask(alice, new SetTopic("dev", "ship it"));
    ask(alice, mode("dev", ModeChange.set(RoomMode.KEY, "s3cret"), ModeChange.set(RoomMode.BAN,
        "nick:mallory"), ModeChange.set(RoomMode.INVITE_ONLY), ModeChange.set(RoomMode.INVITE,
        "account:bob")));
    User bob = account("bob", false);
    ask(bob, new Join("dev"));
    ask(alice, mode("dev", ModeChange.set(RoomMode.VOICE, "bob")));
    ask(bob, new Leave("dev", null));
    ask(alice, new Leave("dev", null));
    restart();

    User carol = guest("carol");
    assertThat(error(carol, new Join("dev", "s3cret"))).isEqualTo(CoreError.INVITE_ONLY);
    bob = account("bob", false);
    Object answer = ask(bob, new Join("dev"));
    assertThat(answer).isInstanceOf(Reply.JoinedRoom.class);
    Reply.JoinedRoom first = (Reply.JoinedRoom) answer;
    assertThat(first.ops()).as("bob is voiced, not operator: the room keeps its operators")
        .isEmpty();
    assertThat(first.voiced()).containsExactly("bob");
    assertThat(first.topic().text()).isEqualTo("ship it");
    assertThat(first.topic().by()).isEqualTo("alice");
    assertThat(first.modes().key()).isEqualTo("s3cret");
    alice = account("alice", false);
    Reply.JoinedRoom back = (Reply.JoinedRoom) ask(alice, new Join("dev", "s3cret"));
    assertThat(back.ops()).containsExactly("alice");
    Reply.RoomModeList lists = (Reply.RoomModeList) ask(alice, mode("dev"));
    assertThat(lists.bans()).containsExactly("nick:mallory");
    assertThat(lists.invites()).containsExactly("account:bob");
  }

  @Test
  void aRegisteredRoomIsListedWhileEmptyAndItsOwnerIsItsPermanentOperator() {
    User alice = account("alice", false);
    ask(alice, new Join("dev"));
    User guest = guest("Guest_x");
    assertThat(error(guest, new RoomCommand(RoomAction.REGISTER, "dev", null, null)))
        .isEqualTo(CoreError.NOT_LOGGED_IN);
    Reply.RoomState registered =
        (Reply.RoomState) ask(alice, new RoomCommand(RoomAction.REGISTER, "dev", null, null));
    assertThat(registered.owner()).isEqualTo("alice");
    ask(alice, new Leave("dev", null));
    restart();

    User bob = account("bob", false);
    Reply.RoomList list = (Reply.RoomList) ask(bob, new Command.ListRooms());
    assertThat(list.rooms()).extracting(Reply.RoomInfo::room).contains("dev");
    Reply.JoinedRoom joined = (Reply.JoinedRoom) ask(bob, new Join("dev"));
    assertThat(joined.ops()).as("the first to come is not operator of a registered room")
        .isEmpty();
    assertThat(joined.owner()).isEqualTo("alice");
    alice = account("alice", false);
    ask(alice, new Join("dev"));
    ask(alice, mode("dev", ModeChange.set(RoomMode.OP, "bob")));
    assertThat(error(bob, mode("dev", ModeChange.unset(RoomMode.OP, "alice"))))
        .isEqualTo(CoreError.NOT_OPERATOR);
    ask(alice, new Leave("dev", null));
    assertThat(bob.sink().of(Event.ModeChanged.class)).as("no succession in a registered room")
        .isEmpty();
    assertThat(error(bob, new RoomCommand(RoomAction.TRANSFER, "dev", "bob", null)))
        .isEqualTo(CoreError.NOT_OPERATOR);
  }

  @Test
  void adminsListTransferAndCloseRooms() {
    User root = account("root", true);
    User alice = account("alice", false);
    account("bob", false);
    ask(alice, new Join("dev"));
    ask(alice, new RoomCommand(RoomAction.REGISTER, "dev", null, null));
    assertThat(error(alice, new RoomCommand(RoomAction.LIST, null, null, null)))
        .isEqualTo(CoreError.NOT_ADMIN);
    Reply.RoomStates all = (Reply.RoomStates) ask(root, new RoomCommand(RoomAction.LIST, null,
        null, null));
    assertThat(all.rooms()).extracting(Reply.RoomState::room).contains("dev", "lobby");
    Reply.RoomState moved = (Reply.RoomState) ask(root,
        new RoomCommand(RoomAction.TRANSFER, "dev", "bob", null));
    assertThat(moved.owner()).isEqualTo("bob");
    assertThat(moved.opAccounts()).contains("alice");
    assertThat(error(alice, new RoomCommand(RoomAction.CLOSE, "dev", null, null)))
        .isEqualTo(CoreError.NOT_ADMIN);
    alice.sink().clear();
    ask(root, new RoomCommand(RoomAction.CLOSE, "dev", null, "spam"));
    assertThat(alice.sink().of(Event.Kicked.class)).singleElement()
        .satisfies(k -> assertThat(k.reason()).isEqualTo("room closed: spam"));
    assertThat(store.room("dev")).isEmpty();
    Reply.JoinedRoom fresh = (Reply.JoinedRoom) ask(alice, new Join("dev"));
    assertThat(fresh.owner()).isNull();
    assertThat(fresh.ops()).containsExactly("alice");
    assertThat(fresh.lastSeq()).as("the log goes on: seqs are never reused")
        .isGreaterThan(0);
  }

  @Test
  void anEmptyUnregisteredRoomWithoutHistoryExpires() {
    hub = newHub(CoreLimits.DEFAULT.withContinuity(new ContinuityLimits(1000, 10,
        Duration.ofMinutes(2), Duration.ofHours(1))));
    User alice = account("alice", false);
    ask(alice, new Join("quiet"));
    ask(alice, new Leave("quiet", null));
    assertThat(store.room("quiet")).isPresent();
    clock.millis.addAndGet(Duration.ofMinutes(59).toMillis());
    assertThat(hub.expireRooms()).isZero();
    clock.millis.addAndGet(Duration.ofMinutes(2).toMillis());
    assertThat(hub.expireRooms()).isEqualTo(1);
    assertThat(store.room("quiet")).isEmpty();
  }

  @Test
  void aResumeReplaysExactlyWhatCameAfterTheGivenSeqAndCountsWhatTheCapLeftOut() {
    hub = newHub(CoreLimits.DEFAULT.withContinuity(new ContinuityLimits(3, 10,
        Duration.ofMinutes(2), Duration.ofHours(1))));
    User alice = guest("alice");
    ask(alice, new Join("dev"));
    for (int i = 1; i <= 10; i++) {
      say(alice, "dev", "m" + i);
    }
    User bob = guest("bob");
    Reply.JoinedRoom joined = (Reply.JoinedRoom) ask(bob, new Join("dev", null, 8));
    assertThat(bob.sink().of(Event.History.class)).extracting(h -> RoomLogTestSupport.seq(h.message()))
        .containsExactly(9L, 10L);
    assertThat(joined.lastSeq()).isEqualTo(10);
    assertThat(joined.skipped()).isZero();
    joined = (Reply.JoinedRoom) ask(bob, new Join("dev", null, 4));
    assertThat(bob.sink().of(Event.History.class)).as("a member may resume too")
        .extracting(h -> RoomLogTestSupport.seq(h.message())).containsExactly(8L, 9L, 10L);
    assertThat(joined.skipped()).isEqualTo(3);
    joined = (Reply.JoinedRoom) ask(bob, new Join("dev", null, 10));
    assertThat(bob.sink().of(Event.History.class)).isEmpty();
  }
}
