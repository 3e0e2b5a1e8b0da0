package chat.core;

import static org.assertj.core.api.Assertions.assertThat;

import chat.core.Command.Hello;
import chat.core.Command.Join;
import chat.core.Command.Kick;
import chat.core.Command.Mode;
import chat.core.Command.RoomAction;
import chat.core.Command.RoomCommand;
import chat.core.Command.SayToRoom;
import chat.core.Command.SetTopic;
import chat.core.HubAccountsTest.TestClock;
import chat.core.HubClusterTest.MemoryBus;
import chat.core.store.Account;
import chat.core.store.Conversation;
import chat.core.store.MemoryStore;
import chat.core.store.MessageStore;
import chat.core.store.RoomRecord;
import chat.core.store.StoredMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Two servers sharing one store and a bus: a room change made on one is applied to the room's
 * state on the other (topic, modes, lists, roles, kicks, registration), so the other server's
 * rules follow it.
 */
class HubReplicaTest {

  private final TestClock clock = new TestClock();
  private final MemoryStore store = new MemoryStore();
  private final MemoryBus[] buses = MemoryBus.pair();
  private final Hub a = node(buses[0]);
  private final Hub b = node(buses[1]);

  private record User(Session session, RecordingSink sink) {}

  private Hub node(MemoryBus bus) {
    return node(bus, store);
  }

  private Hub node(MemoryBus bus, MessageStore messages) {
    Hub hub = new Hub(CoreLimits.DEFAULT.withFlood(FloodLimits.OFF), clock, messages, store,
        new HubAccountsTest.FakeHasher(), Runnable::run);
    hub.share(bus);
    return hub;
  }

  private static User guest(Hub hub, String nick) {
    RecordingSink sink = new RecordingSink();
    Session session = hub.open(sink, "10.0.0.1");
    hub.handle(session, "hello", new Hello(nick, null));
    assertThat(session.isReady()).as("%s connected", nick).isTrue();
    return new User(session, sink);
  }

  /** A logged-in user of account {@code name}, which may be logged in on the other hub too. */
  private User account(Hub hub, String name) {
    if (store.find(Names.fold(name)).isEmpty()) {
      store.create(new Account(name, "fake:pw-" + name, false, 0));
    }
    RecordingSink sink = new RecordingSink();
    Session session = hub.open(sink, "10.0.0.1");
    hub.handle(session, "hello", new Hello(name, ("pw-" + name).toCharArray()));
    assertThat(session.account()).as("%s logged in", name).isEqualTo(name);
    return new User(session, sink);
  }

  private static Object ask(Hub hub, User user, Command command) {
    hub.handle(user.session(), "r", command);
    assertThat(user.sink().lastCall().id()).isEqualTo("r");
    return user.sink().last();
  }

  private static Object ok(Hub hub, User user, Command command) {
    Object reply = ask(hub, user, command);
    assertThat(reply).isNotInstanceOf(Reply.Failed.class);
    return reply;
  }

  private static CoreError error(Hub hub, User user, Command command) {
    Object reply = ask(hub, user, command);
    assertThat(reply).isInstanceOf(Reply.Failed.class);
    return ((Reply.Failed) reply).error();
  }

  private static Mode mode(ModeChange... changes) {
    return new Mode("dev", List.of(changes), null);
  }

  /** alice, an account, makes #dev on A (its operator); bob, a guest, is in it on B. */
  private User[] room() {
    User alice = account(a, "alice");
    ok(a, alice, new Join("dev"));
    User bob = guest(b, "bob");
    ok(b, bob, new Join("dev"));
    return new User[] {alice, bob};
  }

  private static Reply.RoomModeList modes(Hub hub, User member) {
    return (Reply.RoomModeList) ok(hub, member, new Mode("dev", List.of(), null));
  }

  @Test
  void aTopicSetOnAIsWhatAJoinerOnBIsTold() {
    User[] users = room();
    ok(a, users[0], new SetTopic("dev", "release on friday"));
    Topic onA = ((Reply.RoomTopic) ok(a, users[0], new SetTopic("dev", null))).topic();
    assertThat(onA.text()).isEqualTo("release on friday");
    User carol = guest(b, "carol");
    Reply.JoinedRoom joined = (Reply.JoinedRoom) ok(b, carol, new Join("dev"));
    assertThat(joined.topic()).isEqualTo(onA);
    ok(a, users[0], new SetTopic("dev", ""));
    assertThat(((Reply.RoomTopic) ok(b, carol, new SetTopic("dev", null))).topic())
        .as("a cleared topic is cleared on B too").isNull();
  }

  @Test
  void everyKindOfModeSetOnAHoldsOnB() {
    User[] users = room();
    User alice = users[0];
    ok(a, alice, mode(ModeChange.set(RoomMode.INVITE_ONLY), ModeChange.set(RoomMode.MODERATED),
        ModeChange.unset(RoomMode.TOPIC_LOCK), ModeChange.set(RoomMode.KEY, "s3cret"),
        ModeChange.set(RoomMode.LIMIT, "7"), ModeChange.set(RoomMode.BAN, "nick:mallory"),
        ModeChange.set(RoomMode.MUTE, "nick:bob"), ModeChange.set(RoomMode.INVITE, "dan"),
        ModeChange.unset(RoomMode.NO_EXTERNAL), ModeChange.set(RoomMode.SECRET)));
    Reply.RoomModeList onA = modes(a, alice);
    assertThat(onA.modes()).isEqualTo(new RoomModes(true, true, false, "s3cret", 7, false, true));
    assertThat(onA.bans()).containsExactly("nick:mallory");
    assertThat(onA.mutes()).containsExactly("nick:bob");
    assertThat(onA.invites()).containsExactly("nick:dan");
    Reply.RoomModeList onB = modes(b, users[1]);
    assertThat(onB.modes()).isEqualTo(onA.modes());
    assertThat(onB.bans()).isEqualTo(onA.bans());
    assertThat(onB.mutes()).isEqualTo(onA.mutes());
    assertThat(onB.invites()).isEqualTo(onA.invites());
    assertThat(error(b, users[1], new SayToRoom("dev", MessageKind.TEXT, "hi")))
        .as("muted on A, muted on B").isEqualTo(CoreError.MUTED);
    // What each mode refuses on B: invite-only, the limit.
    assertThat(error(b, guest(b, "erin"), new Join("dev", "s3cret")))
        .isEqualTo(CoreError.INVITE_ONLY);
    User dan = guest(b, "dan");
    ok(b, dan, new Join("dev")); // invited: passes +i, +k and +l

    ok(a, alice, mode(ModeChange.unset(RoomMode.INVITE_ONLY), ModeChange.unset(RoomMode.MODERATED),
        ModeChange.set(RoomMode.TOPIC_LOCK), ModeChange.unset(RoomMode.KEY),
        ModeChange.unset(RoomMode.LIMIT), ModeChange.unset(RoomMode.BAN, "nick:mallory"),
        ModeChange.unset(RoomMode.MUTE, "nick:bob"), ModeChange.unset(RoomMode.INVITE, "dan"),
        ModeChange.set(RoomMode.NO_EXTERNAL), ModeChange.unset(RoomMode.SECRET)));
    onB = modes(b, users[1]);
    assertThat(onB.modes()).isEqualTo(RoomModes.DEFAULT).isEqualTo(modes(a, alice).modes());
    assertThat(onB.bans()).isEmpty();
    assertThat(onB.mutes()).isEmpty();
    assertThat(onB.invites()).isEmpty();
    ok(b, users[1], new SayToRoom("dev", MessageKind.TEXT, "unmuted"));
    ok(b, guest(b, "frank"), new Join("dev"));
  }

  @Test
  void aBanSetOnARefusesAJoinOnB() {
    User alice = room()[0];
    User mallory = guest(b, "mallory");
    ok(a, alice, mode(ModeChange.set(RoomMode.BAN, "mallory")));
    assertThat(error(b, mallory, new Join("dev"))).isEqualTo(CoreError.BANNED);
    ok(a, alice, mode(ModeChange.unset(RoomMode.BAN, "mallory")));
    ok(b, mallory, new Join("dev"));
  }

  @Test
  void aKeySetOnAIsNeededOnB() {
    User alice = room()[0];
    ok(a, alice, mode(ModeChange.set(RoomMode.KEY, "s3cret")));
    User dan = guest(b, "dan");
    assertThat(error(b, dan, new Join("dev"))).isEqualTo(CoreError.BAD_KEY);
    assertThat(error(b, dan, new Join("dev", "wrong"))).isEqualTo(CoreError.BAD_KEY);
    ok(b, dan, new Join("dev", "s3cret"));
  }

  @Test
  void anOperatorAccountMadeOnAActsOnB() {
    User[] users = room();
    User alice = users[0];
    User bobby = account(a, "bobby");
    ok(a, bobby, new Join("dev"));
    User bobbyOnB = account(b, "bobby");
    ok(b, bobbyOnB, new Join("dev"));
    User eve = guest(b, "eve");
    ok(b, eve, new Join("dev"));
    assertThat(error(b, bobbyOnB, new Kick("dev", "eve", null))).isEqualTo(CoreError.NOT_OPERATOR);

    ok(a, alice, mode(ModeChange.set(RoomMode.OP, "bobby"), ModeChange.set(RoomMode.VOICE, "bobby")));
    ok(b, bobbyOnB, new Kick("dev", "eve", "out"));
    Reply.JoinedRoom joined = (Reply.JoinedRoom) ok(b, guest(b, "carol"), new Join("dev"));
    assertThat(joined.ops()).contains("bobby");
    assertThat(joined.voiced()).contains("bobby");

    ok(a, alice, mode(ModeChange.unset(RoomMode.OP, "bobby")));
    assertThat(error(b, bobbyOnB, new Kick("dev", "carol", null)))
        .isEqualTo(CoreError.NOT_OPERATOR);
  }

  @Test
  void statusGivenOnAToAnAccountNotOnBHoldsWhenItComesToB() {
    User alice = room()[0];
    User bobby = account(a, "bobby");
    ok(a, bobby, new Join("dev"));
    ok(a, alice, mode(ModeChange.set(RoomMode.OP, "bobby")));
    User bobbyOnB = account(b, "bobby");
    Reply.JoinedRoom joined = (Reply.JoinedRoom) ok(b, bobbyOnB, new Join("dev"));
    assertThat(joined.ops()).contains("bobby");
  }

  @Test
  void aGuestMadeOperatorOnAIsOperatorOnBUnderThatNick() {
    User[] users = room();
    // Nicks are not yet one across servers: a guest carol on each, the same nick.
    User carolOnA = guest(a, "carol");
    ok(a, carolOnA, new Join("dev"));
    User carolOnB = guest(b, "carol");
    ok(b, carolOnB, new Join("dev"));
    assertThat(error(b, carolOnB, new SetTopic("dev", "mine")))
        .as("+t: operators only").isEqualTo(CoreError.NOT_OPERATOR);
    ok(a, users[0], mode(ModeChange.set(RoomMode.OP, "carol")));
    ok(b, carolOnB, new SetTopic("dev", "mine"));
    assertThat(((Reply.JoinedRoom) ok(b, guest(b, "dan"), new Join("dev"))).ops())
        .contains("carol");
    ok(a, users[0], mode(ModeChange.unset(RoomMode.OP, "carol")));
    assertThat(error(b, carolOnB, new SetTopic("dev", "again")))
        .isEqualTo(CoreError.NOT_OPERATOR);
  }

  @Test
  void aKickOnAOfAMemberAlsoOnBRemovesThemOnB() {
    User[] users = room();
    User dave = account(a, "dave");
    ok(a, dave, new Join("dev"));
    User daveOnB = account(b, "dave");
    ok(b, daveOnB, new Join("dev"));
    daveOnB.sink().clear();
    ok(a, users[0], new Kick("dev", "dave", "enough"));
    assertThat(daveOnB.sink().of(Event.Kicked.class)).singleElement()
        .satisfies(k -> assertThat(k.nick()).isEqualTo("dave"))
        .satisfies(k -> assertThat(k.reason()).isEqualTo("enough"));
    assertThat(daveOnB.session().rooms()).extracting(Room::name).doesNotContain("dev");
    ok(b, users[1], new SayToRoom("dev", MessageKind.TEXT, "after the kick"));
    assertThat(users[0].sink().of(Event.RoomMessage.class)).extracting(Event.RoomMessage::text)
        .contains("after the kick");
    assertThat(daveOnB.sink().of(Event.RoomMessage.class)).isEmpty();
    Reply.Members who = (Reply.Members) ok(b, users[1], new Command.Who("dev"));
    assertThat(who.members()).doesNotContain("dave");
  }

  @Test
  void aRegistrationOnAHoldsOnB() {
    User[] users = room();
    User alice = users[0];
    ok(a, alice, new RoomCommand(RoomAction.REGISTER, "dev", null, null));
    Reply.RoomState onB = (Reply.RoomState) ok(b, users[1],
        new RoomCommand(RoomAction.INFO, "dev", null, null));
    assertThat(onB.owner()).isEqualTo("alice");
    assertThat(users[1].sink().of(Event.Notice.class)).extracting(Event.Notice::text)
        .containsExactly("alice registered #dev to alice");
    // The owner's status: operator on B, whatever B's accounts say.
    User aliceOnB = account(b, "alice");
    ok(b, aliceOnB, new Join("dev"));
    ok(b, aliceOnB, mode(ModeChange.set(RoomMode.KEY, "k")));
    assertThat(modes(a, alice).modes().key()).as("and B's change holds on A").isEqualTo("k");

    ok(a, alice, new RoomCommand(RoomAction.UNREGISTER, "dev", null, null));
    onB = (Reply.RoomState) ok(b, users[1], new RoomCommand(RoomAction.INFO, "dev", null, null));
    assertThat(onB.owner()).isNull();
    assertThat(onB.opAccounts()).containsExactly("alice");
  }

  @Test
  void aChangeTheBusLostIsAppliedWhenReadFromTheStore() {
    User[] users = room();
    buses[0].drop = e -> e.entry().kind() == MessageKind.MODE;
    ok(a, users[0], mode(ModeChange.set(RoomMode.KEY, "s3cret")));
    ok(a, users[0], new SetTopic("dev", "after the key"));
    User dan = guest(b, "dan");
    ok(b, dan, new Join("dev")); // the key is not known on B yet
    clock.millis.addAndGet(Cluster.GAP_MILLIS + 1);
    b.tick();
    clock.millis.addAndGet(Cluster.GAP_MILLIS + 1);
    b.tick();
    assertThat(modes(b, users[1]).modes().key()).isEqualTo("s3cret");
    assertThat(error(b, guest(b, "erin"), new Join("dev"))).isEqualTo(CoreError.BAD_KEY);
  }

  @Test
  void anOwnChangeStillBeingStoredStandsOverAnEarlierOneFromA() {
    HoldingStore held = new HoldingStore(store);
    MemoryBus[] pair = MemoryBus.pair();
    Hub a2 = node(pair[0]);
    Hub b2 = node(pair[1], held);
    User alice = account(a2, "alice");
    ok(a2, alice, new Join("dev"));
    User aliceOnB = account(b2, "alice");
    ok(b2, aliceOnB, new Join("dev"));
    // B's changes are made at once and numbered later: after A's, which B applies meanwhile.
    held.holding = true;
    hubAsk(b2, aliceOnB, new SetTopic("dev", "from B"));
    hubAsk(b2, aliceOnB, new Mode("dev", List.of(ModeChange.set(RoomMode.KEY, "bkey")), null));
    ok(a2, alice, new SetTopic("dev", "from A"));
    ok(a2, alice, mode(ModeChange.set(RoomMode.KEY, "akey")));
    assertThat(((Reply.RoomTopic) ok(b2, aliceOnB, new SetTopic("dev", null))).topic().text())
        .as("B's own change, numbered after A's, stands on B").isEqualTo("from B");
    assertThat(modes(b2, aliceOnB).modes().key()).isEqualTo("bkey");
    held.release();
    assertThat(store.roomHistory("dev", Long.MAX_VALUE, 10)).filteredOn(m -> m.kind().isRoomChange())
        .extracting(m -> m.kind() + " " + m.text().replace('\n', ' '))
        .containsExactly("TOPIC from A", "MODE  +k akey", "TOPIC from B", "MODE  +k bkey");
    for (Hub hub : List.of(a2, b2)) {
      User member = hub == a2 ? alice : aliceOnB;
      assertThat(((Reply.RoomTopic) ok(hub, member, new SetTopic("dev", null))).topic().text())
          .isEqualTo("from B");
      assertThat(modes(hub, member).modes().key()).isEqualTo("bkey");
    }
  }

  @Test
  void aMemberKickedRightAfterAnotherKickHearsOfBothOnAClusteredServer() {
    HoldingStore held = new HoldingStore(store);
    MemoryBus[] pair = MemoryBus.pair();
    Hub a2 = node(pair[0], held);
    node(pair[1]);
    User alice = account(a2, "alice");
    ok(a2, alice, new Join("dev"));
    User bob = guest(a2, "bob");
    ok(a2, bob, new Join("dev"));
    User carol = guest(a2, "carol");
    ok(a2, carol, new Join("dev"));
    // two kicks in a row, the second before the store has numbered the first
    held.holding = true;
    hubAsk(a2, alice, new Kick("dev", "bob", null));
    hubAsk(a2, alice, new Kick("dev", "carol", null));
    held.release();
    assertThat(carol.sink().of(Event.Kicked.class)).extracting(Event.Kicked::nick)
        .containsExactly("bob", "carol");
    assertThat(bob.sink().of(Event.Kicked.class)).extracting(Event.Kicked::nick)
        .containsExactly("bob");
    assertThat(alice.sink().of(Event.Kicked.class)).extracting(Event.Kicked::nick)
        .containsExactly("bob", "carol");
  }

  /** Sends without expecting the reply yet (it waits for the store). */
  private static void hubAsk(Hub hub, User user, Command command) {
    hub.handle(user.session(), "held", command);
  }

  /** A store whose numbered room changes wait for {@link #release} while {@code holding}. */
  static final class HoldingStore implements MessageStore {
    private final MemoryStore store;
    private final List<Runnable> waiting = new ArrayList<>();
    boolean holding;

    HoldingStore(MemoryStore store) {
      this.store = store;
    }

    void release() {
      holding = false;
      List<Runnable> now = List.copyOf(waiting);
      waiting.clear();
      now.forEach(Runnable::run);
    }

    @Override
    public void saveRoomNumbered(RoomRecord room, StoredMessage change,
        BiConsumer<Long, Throwable> onDurable) {
      if (holding) {
        waiting.add(() -> store.saveRoomNumbered(room, change, onDurable));
      } else {
        store.saveRoomNumbered(room, change, onDurable);
      }
    }

    @Override
    public long nodeNumber() {
      return store.nodeNumber();
    }

    @Override
    public void appendNumbered(StoredMessage message, BiConsumer<Long, Throwable> onDurable) {
      store.appendNumbered(message, onDurable);
    }

    @Override
    public long lastSeq(String roomKey) {
      return store.lastSeq(roomKey);
    }

    @Override
    public void append(StoredMessage message, Consumer<Throwable> onDurable) {
      store.append(message, onDurable);
    }

    @Override
    public List<StoredMessage> roomHistory(String roomKey, long beforeSeq, int limit) {
      return store.roomHistory(roomKey, beforeSeq, limit);
    }

    @Override
    public List<StoredMessage> privateHistory(String accountA, String accountB,
        String beforeMsgId, int limit) {
      return store.privateHistory(accountA, accountB, beforeMsgId, limit);
    }

    @Override
    public List<StoredMessage> privateSince(String account, String afterMsgId, int limit) {
      return store.privateSince(account, afterMsgId, limit);
    }

    @Override
    public List<StoredMessage> roomSlice(String roomKey, long afterSeq, long beforeSeq,
        int limit, boolean newest, boolean messagesOnly) {
      return store.roomSlice(roomKey, afterSeq, beforeSeq, limit, newest, messagesOnly);
    }

    @Override
    public long roomSeqAt(String roomKey, long ts) {
      return store.roomSeqAt(roomKey, ts);
    }

    @Override
    public List<StoredMessage> privateSlice(String accountA, String accountB, Bound after,
        Bound before, int limit, boolean newest) {
      return store.privateSlice(accountA, accountB, after, before, limit, newest);
    }

    @Override
    public Optional<StoredMessage> privateMessage(String msgId) {
      return store.privateMessage(msgId);
    }

    @Override
    public List<Conversation> conversations(String account, long afterTs, long beforeTs,
        int limit) {
      return store.conversations(account, afterTs, beforeTs, limit);
    }

    @Override
    public List<RoomRecord> rooms() {
      return store.rooms();
    }

    @Override
    public Optional<RoomRecord> room(String roomKey) {
      return store.room(roomKey);
    }

    @Override
    public void saveRoom(RoomRecord room, StoredMessage change, Consumer<Throwable> onDurable) {
      store.saveRoom(room, change, onDurable);
    }

    @Override
    public void deleteRoom(String roomKey, Consumer<Throwable> onDurable) {
      store.deleteRoom(roomKey, onDurable);
    }

    @Override
    public void close() {}
  }
}
