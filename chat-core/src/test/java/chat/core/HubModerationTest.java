package chat.core;

import static org.assertj.core.api.Assertions.assertThat;

import chat.core.Command.Hello;
import chat.core.Command.Join;
import chat.core.Command.Kick;
import chat.core.Command.Kill;
import chat.core.Command.Leave;
import chat.core.Command.Mode;
import chat.core.Command.SayToRoom;
import chat.core.Command.SetTopic;
import chat.core.Command.Who;
import chat.core.store.Account;
import chat.core.store.MemoryStore;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Room moderation and server administration through the hub. */
class HubModerationTest {

  private static final long NOW = 1_763_721_045_000L;
  private final MemoryStore store = new MemoryStore();
  // Flood control is tested on its own (HubLimitsTest); a fixed clock would starve it here.
  private final Hub hub = new Hub(CoreLimits.DEFAULT.withFlood(FloodLimits.OFF),
      Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC), store, store,
      new HubAccountsTest.FakeHasher(), Runnable::run);

  private record User(Session session, RecordingSink sink) {
    String nick() {
      return session.nick();
    }
  }

  private User connect(String nick) {
    return connect(nick, null);
  }

  private User connect(String nick, String password) {
    RecordingSink sink = new RecordingSink();
    sink.ignoreChangeSeq = true;
    Session session = hub.open(sink, "10.0.0.1");
    hub.handle(session, "hello", new Hello(nick, password == null ? null : password.toCharArray()));
    assertThat(session.isReady()).as("%s connected", nick).isTrue();
    return new User(session, sink);
  }

  /** A logged-in user; {@code admin} gives the account the admin flag. */
  private User account(String name, boolean admin) {
    store.create(new Account(name, "fake:password-" + name, admin, 0));
    return connect(name, "password-" + name);
  }

  private Object ask(User user, Command command) {
    hub.handle(user.session(), "r", command);
    assertThat(user.sink().lastCall().id()).isEqualTo("r");
    return user.sink().last();
  }

  private CoreError error(User user, Command command) {
    Object reply = ask(user, command);
    assertThat(reply).isInstanceOf(Reply.Failed.class);
    return ((Reply.Failed) reply).error();
  }

  private void ok(User user, Command command) {
    assertThat(ask(user, command)).isNotInstanceOf(Reply.Failed.class);
  }

  private static Mode mode(String room, ModeChange... changes) {
    return new Mode(room, List.of(changes), null);
  }

  private static SayToRoom say(String room, String text) {
    return new SayToRoom(room, MessageKind.TEXT, text);
  }

  private List<String> members(String room) {
    User probe = connect(null);
    Reply.Members members = (Reply.Members) ask(probe, new Who(room));
    hub.disconnect(probe.session(), "done");
    return members.members();
  }

  /** alice creates #dev; the others join it. */
  private void dev(User creator, User... others) {
    ok(creator, new Join("dev"));
    for (User other : others) {
      ok(other, new Join("dev"));
    }
  }

  // ---------------------------------------------------------------- who is operator

  @Test
  void theCreatorIsOperatorButNobodyIsInTheDefaultRoom() {
    User alice = connect("alice");
    User bob = connect("bob");
    Reply.JoinedRoom created = (Reply.JoinedRoom) ask(alice, new Join("dev"));
    assertThat(created.ops()).containsExactly("alice");
    assertThat(created.modes()).isEqualTo(RoomModes.DEFAULT);
    assertThat(created.modes().flags()).isEqualTo("+nt");
    Reply.JoinedRoom joined = (Reply.JoinedRoom) ask(bob, new Join("dev"));
    assertThat(joined.ops()).containsExactly("alice");
    assertThat(((Reply.Members) ask(bob, new Who("lobby"))).ops()).isEmpty();
    assertThat(error(alice, new SetTopic("lobby", "mine"))).isEqualTo(CoreError.NOT_OPERATOR);
  }

  @Test
  void nonOperatorsAreRefusedEveryOperatorAction() {
    User alice = connect("alice");
    User bob = connect("bob");
    User carol = connect("carol");
    dev(alice, bob);
    for (Command command : List.of(new SetTopic("dev", "x"), new Kick("dev", "alice", null),
        mode("dev", ModeChange.set(RoomMode.INVITE_ONLY)),
        mode("dev", ModeChange.set(RoomMode.BAN, "carol")),
        mode("dev", ModeChange.set(RoomMode.OP, "bob")))) {
      assertThat(error(bob, command)).as("%s", command).isEqualTo(CoreError.NOT_OPERATOR);
      assertThat(error(carol, command)).as("%s", command).isEqualTo(CoreError.NOT_IN_ROOM);
    }
    assertThat(error(bob, new Kill("alice", null))).isEqualTo(CoreError.NOT_ADMIN);
    assertThat(error(alice, new Kick("nowhere", "bob", null))).isEqualTo(CoreError.NO_SUCH_ROOM);
    assertThat(error(bob, new Kick("dev", "carol", null))).isEqualTo(CoreError.NOT_OPERATOR);
    assertThat(members("dev")).containsExactly("alice", "bob");
  }

  @Test
  void operatorsCanGrantAndRevokeOperatorStatus() {
    User alice = connect("alice");
    User bob = connect("bob");
    User carol = connect("carol");
    dev(alice, bob, carol);
    assertThat(ask(alice, mode("dev", ModeChange.set(RoomMode.OP, "BOB"))))
        .isEqualTo(new Reply.ModesChanged("dev", List.of(ModeChange.set(RoomMode.OP, "bob"))));
    assertThat(carol.sink().last()).isEqualTo(new Event.ModeChanged("dev", "alice",
        List.of(ModeChange.set(RoomMode.OP, "bob")), null, NOW));
    ok(bob, new Kick("dev", "carol", "testing"));
    ok(bob, mode("dev", ModeChange.unset(RoomMode.OP, "alice")));
    assertThat(error(alice, new SetTopic("dev", "x"))).isEqualTo(CoreError.NOT_OPERATOR);
    assertThat(((Reply.Members) ask(alice, new Who("dev"))).ops()).containsExactly("bob");
    assertThat(ask(bob, mode("dev", ModeChange.unset(RoomMode.OP, "alice"))))
        .as("no change, no announcement").isEqualTo(new Reply.ModesChanged("dev", List.of()));
    assertThat(error(bob, mode("dev", ModeChange.set(RoomMode.OP, "carol"))))
        .as("carol is not in the room").isEqualTo(CoreError.NOT_A_MEMBER);
  }

  @Test
  void whenTheLastOperatorLeavesTheLongestPresentMemberWhoIsNotMutedTakesOver() {
    User alice = connect("alice");
    User bob = connect("bob");
    User carol = connect("carol");
    dev(alice, bob, carol);
    ok(alice, mode("dev", ModeChange.set(RoomMode.MUTE, "bob")));
    carol.sink().clear();
    ok(alice, new Leave("dev", "bye"));
    assertThat(carol.sink().all()).containsExactly(
        new Event.Left("dev", "alice", "bye", NOW),
        new Event.ModeChanged("dev", null, List.of(ModeChange.set(RoomMode.OP, "carol")),
            Moderation.SUCCESSION_REASON, NOW));
    ok(carol, new SetTopic("dev", "carol's now"));
    // Not when another operator remains, and never in the default room.
    ok(carol, mode("lobby")); // a member may list the modes
    User root = account("root", true);
    ok(root, mode("lobby", ModeChange.set(RoomMode.OP, "bob")));
    hub.handle(bob.session(), "q", new Command.Quit(null));
    assertThat(((Reply.Members) ask(carol, new Who("lobby"))).ops()).isEmpty();
  }

  // ---------------------------------------------------------------- topic

  @Test
  void theTopicIsAnnouncedAndShownOnJoin() {
    User alice = connect("alice");
    User bob = connect("bob");
    dev(alice, bob);
    bob.sink().clear();
    assertThat(ask(alice, new SetTopic("#dev", "release on friday")))
        .isEqualTo(new Reply.RoomTopic("dev", new Topic("release on friday", "alice", NOW)));
    assertThat(bob.sink().all()).containsExactly(
        new Event.TopicChanged("dev", "release on friday", "alice", NOW));
    User carol = connect("carol");
    Reply.JoinedRoom joined = (Reply.JoinedRoom) ask(carol, new Join("dev"));
    assertThat(joined.topic()).isEqualTo(new Topic("release on friday", "alice", NOW));
    assertThat(ask(carol, new SetTopic("dev", null)))
        .as("anyone may ask").isEqualTo(new Reply.RoomTopic("dev", joined.topic()));
    assertThat(error(carol, new SetTopic("dev", "mine"))).isEqualTo(CoreError.NOT_OPERATOR);
    assertThat(error(alice, new SetTopic("dev", "x".repeat(Moderation.MAX_TOPIC_LENGTH + 1))))
        .isEqualTo(CoreError.INVALID_TOPIC);
    assertThat(error(alice, new SetTopic("dev", "two\nlines"))).isEqualTo(CoreError.INVALID_TOPIC);
    ok(alice, mode("dev", ModeChange.unset(RoomMode.TOPIC_LOCK)));
    ok(carol, new SetTopic("dev", "anyone may, now"));
    ok(carol, new SetTopic("dev", ""));
    assertThat(bob.sink().last()).isEqualTo(new Event.TopicChanged("dev", "", "carol", NOW));
    assertThat(ask(bob, new SetTopic("dev", null))).isEqualTo(new Reply.RoomTopic("dev", null));
  }

  // ---------------------------------------------------------------- kick

  @Test
  void aKickedMemberHearsItLeavesAndMayComeBack() {
    User alice = connect("alice");
    User bob = connect("bob");
    User carol = connect("carol");
    dev(alice, bob, carol);
    bob.sink().clear();
    carol.sink().clear();
    Event.Kicked kicked = new Event.Kicked("dev", "bob", "alice", "spam", NOW);
    assertThat(ask(alice, new Kick("dev", "Bob", "spam"))).isEqualTo(new Reply.Kicked("dev", "bob"));
    assertThat(bob.sink().all()).containsExactly(kicked);
    assertThat(carol.sink().all()).containsExactly(kicked);
    assertThat(bob.session().rooms()).extracting(Room::name).containsExactly("lobby");
    assertThat(members("dev")).containsExactly("alice", "carol");
    assertThat(error(bob, say("dev", "hi"))).isEqualTo(CoreError.NOT_IN_ROOM);
    assertThat(error(alice, new Kick("dev", "bob", null))).isEqualTo(CoreError.NOT_A_MEMBER);
    assertThat(error(alice, new Kick("dev", "nobody", null))).isEqualTo(CoreError.NO_SUCH_NICK);
    ok(bob, new Join("dev"));
  }

  // ---------------------------------------------------------------- ban

  @Test
  void aBannedMemberIsRemovedAndCannotRejoinUntilUnbanned() {
    User alice = connect("alice");
    User bob = connect("bob");
    User carol = connect("carol");
    dev(alice, bob, carol);
    carol.sink().clear();
    assertThat(ask(alice, new Mode("dev", List.of(ModeChange.set(RoomMode.BAN, "bob")), "spam")))
        .isEqualTo(new Reply.ModesChanged("dev", List.of(ModeChange.set(RoomMode.BAN, "nick:bob"))));
    assertThat(carol.sink().all()).containsExactly(
        new Event.ModeChanged("dev", "alice", List.of(ModeChange.set(RoomMode.BAN, "nick:bob")),
            "spam", NOW),
        new Event.Kicked("dev", "bob", "alice", "spam", NOW));
    assertThat(bob.sink().last()).isEqualTo(new Event.Kicked("dev", "bob", "alice", "spam", NOW));
    Object refused = ask(bob, new Join("dev"));
    assertThat(refused).isEqualTo(
        new Reply.Failed(CoreError.BANNED, "you are banned from #dev"));
    assertThat(ask(alice, mode("dev")))
        .isEqualTo(new Reply.RoomModeList("dev", RoomModes.DEFAULT, List.of("nick:bob"),
            List.of(), List.of(), NOW));
    assertThat(ask(alice, mode("dev", ModeChange.unset(RoomMode.BAN, "bob"))))
        .isEqualTo(new Reply.ModesChanged("dev", List.of(ModeChange.unset(RoomMode.BAN, "nick:bob"))));
    ok(bob, new Join("dev"));
  }

  @Test
  void aBanByNickOfALoggedInUserHoldsTheAccountAcrossNickChanges() {
    User alice = connect("alice");
    User bob = account("bob", false);
    dev(alice, bob);
    ok(alice, mode("dev", ModeChange.set(RoomMode.BAN, "bob")));
    assertThat(alice.sink().last()).isEqualTo(new Reply.ModesChanged("dev",
        List.of(ModeChange.set(RoomMode.BAN, "account:bob"))));
    ok(bob, new Command.SetNick("bobby"));
    assertThat(error(bob, new Join("dev"))).isEqualTo(CoreError.BANNED);
    User guest = connect("bob2");
    ok(guest, new Join("dev"));
    // unban by the nick of an offline registered user resolves to the account as well
    hub.handle(bob.session(), "q", new Command.Quit(null));
    ok(alice, mode("dev", ModeChange.unset(RoomMode.BAN, "bob")));
    User back = connect("bob", "password-bob");
    ok(back, new Join("dev"));
  }

  @Test
  void aBanByExplicitAccountNeedsNobodyOnline() {
    User alice = connect("alice");
    dev(alice);
    store.create(new Account("mallory", "fake:password-mallory", false, 0));
    ok(alice, mode("dev", ModeChange.set(RoomMode.BAN, "account:mallory"),
        ModeChange.set(RoomMode.BAN, "nick:troll")));
    User mallory = connect("mallory", "password-mallory");
    assertThat(error(mallory, new Join("dev"))).isEqualTo(CoreError.BANNED);
    User troll = connect("Troll");
    assertThat(error(troll, new Join("dev"))).isEqualTo(CoreError.BANNED);
    assertThat(error(alice, mode("dev", ModeChange.set(RoomMode.BAN, "account:no body"))))
        .isEqualTo(CoreError.INVALID_MODE);
  }

  // ---------------------------------------------------------------- mute and moderated

  @Test
  void aMutedMemberReadsButCannotSendEvenAfterANickChangeOrRejoin() {
    User alice = connect("alice");
    User bob = connect("bob");
    User carol = connect("carol");
    dev(alice, bob, carol);
    ok(alice, new Mode("dev", List.of(ModeChange.set(RoomMode.MUTE, "bob")), "calm down"));
    assertThat(carol.sink().last()).isEqualTo(new Event.ModeChanged("dev", "alice",
        List.of(ModeChange.set(RoomMode.MUTE, "nick:bob")), "calm down", NOW));
    assertThat(error(bob, say("dev", "but"))).isEqualTo(CoreError.MUTED);
    ok(carol, say("dev", "bob still reads"));
    assertThat(bob.sink().last()).isInstanceOf(Event.RoomMessage.class);
    ok(bob, say("lobby", "elsewhere I may speak"));
    ok(bob, new Command.SetNick("bobby"));
    assertThat(error(bob, say("dev", "new nick"))).isEqualTo(CoreError.MUTED);
    ok(bob, new Command.SetNick("bob"));
    ok(bob, new Leave("dev", null));
    ok(bob, new Join("dev"));
    assertThat(error(bob, say("dev", "rejoined"))).isEqualTo(CoreError.MUTED);
    assertThat(ask(alice, mode("dev", ModeChange.unset(RoomMode.MUTE, "bob"))))
        .isEqualTo(new Reply.ModesChanged("dev", List.of(ModeChange.unset(RoomMode.MUTE, "nick:bob"))));
    ok(bob, say("dev", "thanks"));
  }

  @Test
  void unmutingARenamedGuestLiftsTheMuteOnTheMember() {
    User alice = connect("alice");
    User bob = connect("bob");
    dev(alice, bob);
    ok(alice, mode("dev", ModeChange.set(RoomMode.MUTE, "bob")));
    ok(bob, new Command.SetNick("bobby"));
    assertThat(ask(alice, mode("dev", ModeChange.unset(RoomMode.MUTE, "bobby"))))
        .isEqualTo(new Reply.ModesChanged("dev", List.of(ModeChange.unset(RoomMode.MUTE, "nick:bobby"))));
    ok(bob, say("dev", "free"));
  }

  @Test
  void inAModeratedRoomOnlyOperatorsAndVoicedMembersSpeak() {
    User alice = connect("alice");
    User bob = connect("bob");
    User carol = connect("carol");
    dev(alice, bob, carol);
    ok(alice, mode("dev", ModeChange.set(RoomMode.MODERATED), ModeChange.set(RoomMode.VOICE, "bob")));
    assertThat(carol.sink().last()).isEqualTo(new Event.ModeChanged("dev", "alice",
        List.of(ModeChange.set(RoomMode.MODERATED), ModeChange.set(RoomMode.VOICE, "bob")), null, NOW));
    assertThat(error(carol, say("dev", "hello?"))).isEqualTo(CoreError.MODERATED);
    ok(bob, say("dev", "voiced"));
    ok(alice, say("dev", "operator"));
    assertThat(((Reply.Members) ask(carol, new Who("dev"))).voiced()).containsExactly("bob");
    ok(alice, mode("dev", ModeChange.unset(RoomMode.MODERATED)));
    ok(carol, say("dev", "at last"));
  }

  // ---------------------------------------------------------------- joining

  @Test
  void anInviteOnlyRoomRefusesTheUninvitedAndTellsTheInvited() {
    User alice = connect("alice");
    User bob = connect("bob");
    User carol = connect("carol");
    dev(alice);
    ok(alice, mode("dev", ModeChange.set(RoomMode.INVITE_ONLY)));
    assertThat(error(bob, new Join("dev"))).isEqualTo(CoreError.INVITE_ONLY);
    bob.sink().clear();
    assertThat(ask(alice, mode("dev", ModeChange.set(RoomMode.INVITE, "bob"))))
        .isEqualTo(new Reply.ModesChanged("dev", List.of(ModeChange.set(RoomMode.INVITE, "nick:bob"))));
    assertThat(bob.sink().all()).containsExactly(new Event.Invited("dev", "alice", null, null, NOW));
    assertThat(carol.sink().of(Event.Invited.class)).isEmpty();
    ok(bob, new Join("dev"));
    assertThat(error(carol, new Join("dev"))).isEqualTo(CoreError.INVITE_ONLY);
    ok(alice, mode("dev", ModeChange.unset(RoomMode.INVITE_ONLY)));
    ok(carol, new Join("dev"));
  }

  @Test
  void aKeyedRoomNeedsTheKeyUnlessInvited() {
    User alice = connect("alice");
    User bob = connect("bob");
    User carol = connect("carol");
    dev(alice);
    assertThat(error(alice, mode("dev", ModeChange.set(RoomMode.KEY, "two words"))))
        .isEqualTo(CoreError.INVALID_MODE);
    assertThat(error(alice, mode("dev", ModeChange.set(RoomMode.KEY))))
        .isEqualTo(CoreError.INVALID_MODE);
    ok(alice, mode("dev", ModeChange.set(RoomMode.KEY, "s3cret")));
    assertThat(((Reply.RoomModeList) ask(alice, mode("dev"))).modes().key()).isEqualTo("s3cret");
    assertThat(error(bob, new Join("dev"))).isEqualTo(CoreError.BAD_KEY);
    assertThat(error(bob, new Join("dev", "wrong"))).isEqualTo(CoreError.BAD_KEY);
    Reply.JoinedRoom joined = (Reply.JoinedRoom) ask(bob, new Join("dev", "s3cret"));
    assertThat(joined.modes().flags()).isEqualTo("+knt");
    ok(alice, mode("dev", ModeChange.set(RoomMode.INVITE, "carol")));
    ok(carol, new Join("dev"));
    ok(alice, mode("dev", ModeChange.unset(RoomMode.KEY)));
    assertThat(bob.sink().last()).isEqualTo(new Event.ModeChanged("dev", "alice",
        List.of(ModeChange.unset(RoomMode.KEY)), null, NOW));
    ok(bob, new Leave("dev", null));
    ok(bob, new Join("dev"));
  }

  @Test
  void aLimitedRoomRefusesMembersBeyondTheLimit() {
    User alice = connect("alice");
    User bob = connect("bob");
    User carol = connect("carol");
    dev(alice);
    assertThat(error(alice, mode("dev", ModeChange.set(RoomMode.LIMIT, "many"))))
        .isEqualTo(CoreError.INVALID_MODE);
    ok(alice, mode("dev", ModeChange.set(RoomMode.LIMIT, "2")));
    ok(bob, new Join("dev"));
    assertThat(error(carol, new Join("dev"))).isEqualTo(CoreError.ROOM_FULL);
    ok(alice, mode("dev", ModeChange.unset(RoomMode.LIMIT)));
    ok(carol, new Join("dev"));
  }

  @Test
  void aRoomThatEmptiesKeepsItsModerationButAGuestsStatusEndsWithTheGuest() {
    User alice = connect("alice");
    User bob = connect("bob");
    User carol = connect("carol");
    dev(alice, bob);
    ok(alice, mode("dev", ModeChange.set(RoomMode.BAN, "bob"), ModeChange.set(RoomMode.KEY, "k")));
    ok(alice, new SetTopic("dev", "old"));
    ok(alice, new Leave("dev", null));
    assertThat(error(bob, new Join("dev"))).isEqualTo(CoreError.BANNED);
    assertThat(error(carol, new Join("dev"))).isEqualTo(CoreError.BAD_KEY);
    Reply.JoinedRoom kept = (Reply.JoinedRoom) ask(carol, new Join("dev", "k"));
    assertThat(kept.topic().text()).isEqualTo("old");
    assertThat(kept.modes().key()).isEqualTo("k");
    assertThat(kept.ops()).as("alice was a guest: her status left with her").containsExactly("carol");
  }

  // ---------------------------------------------------------------- mode requests

  @Test
  void modeChangesAreAllOrNothingAndCheckedForForm() {
    User alice = connect("alice");
    User bob = connect("bob");
    dev(alice, bob);
    assertThat(error(alice, mode("dev", ModeChange.set(RoomMode.INVITE_ONLY),
        ModeChange.set(RoomMode.OP, "nobody")))).isEqualTo(CoreError.NO_SUCH_NICK);
    assertThat(((Reply.RoomModeList) ask(alice, mode("dev"))).modes().inviteOnly()).isFalse();
    assertThat(ask(alice, mode("dev", ModeChange.set(RoomMode.NO_EXTERNAL))))
        .as("+n is on already").isEqualTo(new Reply.ModesChanged("dev", List.of()));
    assertThat(error(alice, mode("dev", ModeChange.set(RoomMode.BAN, "1nvalid"))))
        .isEqualTo(CoreError.INVALID_MODE);
    User carol = connect("carol");
    assertThat(error(carol, mode("dev"))).isEqualTo(CoreError.NOT_IN_ROOM);
    ModeChange[] many = new ModeChange[CoreLimits.DEFAULT.sizes().maxModeChanges() + 1];
    java.util.Arrays.fill(many, ModeChange.set(RoomMode.MODERATED));
    assertThat(error(alice, mode("dev", many))).isEqualTo(CoreError.INVALID_MODE);
  }

  @Test
  void listsAreBounded() {
    User alice = connect("alice");
    dev(alice);
    for (int i = 0; i < CoreLimits.DEFAULT.sizes().maxListSize(); i++) {
      ok(alice, mode("dev", ModeChange.set(RoomMode.BAN, "nick:troll" + i)));
    }
    ok(alice, mode("dev", ModeChange.set(RoomMode.BAN, "nick:troll0")));
    assertThat(error(alice, mode("dev", ModeChange.set(RoomMode.BAN, "nick:one_more"))))
        .isEqualTo(CoreError.INVALID_MODE);
  }

  // ---------------------------------------------------------------- admins

  @Test
  void adminsModerateAnyRoomWithoutBeingOperatorOrMember() {
    User alice = connect("alice");
    User bob = connect("bob");
    User root = account("root", true);
    dev(alice, bob);
    ok(alice, mode("dev", ModeChange.set(RoomMode.INVITE_ONLY), ModeChange.set(RoomMode.KEY, "k"),
        ModeChange.set(RoomMode.BAN, "account:root")));
    ok(root, new SetTopic("dev", "admin was here"));
    assertThat(alice.sink().last()).isEqualTo(new Event.TopicChanged("dev", "admin was here", "root", NOW));
    ok(root, new Kick("dev", "alice", "abuse"));
    ok(root, mode("dev", ModeChange.set(RoomMode.OP, "bob")));
    ok(root, new Join("dev")); // banned, invite-only, keyed: admins pass
    assertThat(error(bob, new Kick("dev", "root", null))).isEqualTo(CoreError.NOT_OPERATOR);
    assertThat(error(bob, mode("dev", ModeChange.unset(RoomMode.OP, "root"))))
        .isEqualTo(CoreError.NOT_OPERATOR); // root is no operator, but would be protected
    ok(bob, mode("dev", ModeChange.set(RoomMode.MUTE, "root"), ModeChange.set(RoomMode.MODERATED)));
    ok(root, say("dev", "admins always speak"));
    assertThat(members("dev")).containsExactly("bob", "root");
  }

  @Test
  void killDisconnectsAUserServerWide() {
    User root = account("root", true);
    User bob = connect("bob");
    User carol = connect("carol");
    ok(bob, new Join("dev"));
    ok(carol, new Join("dev"));
    carol.sink().clear();
    assertThat(ask(root, new Kill("BOB", "spam"))).isEqualTo(new Reply.Done());
    assertThat(bob.sink().last()).isEqualTo(new Event.Killed("root", "spam", NOW));
    assertThat(bob.sink().closedWith).isEqualTo("killed by root: spam");
    assertThat(bob.session().isClosed()).isTrue();
    assertThat(carol.sink().all()).containsExactly(
        new Event.ModeChanged("dev", null, List.of(ModeChange.set(RoomMode.OP, "carol")),
            Moderation.SUCCESSION_REASON, NOW),
        new Event.Quit("bob", "killed by root: spam", NOW));
    assertThat(root.sink().of(Event.Quit.class)).containsExactly(
        new Event.Quit("bob", "killed by root: spam", NOW));
    assertThat(error(root, new Kill("bob", null))).isEqualTo(CoreError.NO_SUCH_NICK);
    connect("bob"); // the nick is free
  }

  // ---------------------------------------------------------------- order

  @Test
  void everyMemberSeesTheAnnouncementsInTheRoomsOrderBeforeTheReply() {
    User alice = connect("alice");
    User bob = connect("bob");
    User carol = connect("carol");
    User dave = connect("dave");
    dev(alice, bob, carol, dave);
    for (User u : List.of(alice, bob, carol, dave)) {
      u.sink().clear();
    }
    ok(alice, new SetTopic("dev", "rules"));
    ok(bob, say("dev", "one"));
    ok(alice, mode("dev", ModeChange.set(RoomMode.VOICE, "carol")));
    ok(alice, new Kick("dev", "dave", "bye"));
    ok(carol, say("dev", "two"));
    List<Object> expected = List.of(
        new Event.TopicChanged("dev", "rules", "alice", NOW),
        Event.RoomMessage.class,
        new Event.ModeChanged("dev", "alice", List.of(ModeChange.set(RoomMode.VOICE, "carol")), null, NOW),
        new Event.Kicked("dev", "dave", "alice", "bye", NOW),
        Event.RoomMessage.class);
    for (User u : List.of(alice, bob, carol)) {
      List<Object> events = u.sink().all().stream().filter(e -> e instanceof Event).toList();
      assertThat(events).hasSize(expected.size());
      for (int i = 0; i < expected.size(); i++) {
        if (expected.get(i) instanceof Class<?> type) {
          assertThat(events.get(i)).isInstanceOf(type);
        } else {
          assertThat(events.get(i)).as("%s event %d", u.nick(), i).isEqualTo(expected.get(i));
        }
      }
    }
    // the requester's own announcement comes before its reply
    List<Object> aliceAll = alice.sink().all();
    int kicked = aliceAll.indexOf(new Event.Kicked("dev", "dave", "alice", "bye", NOW));
    assertThat(aliceAll.get(kicked + 1)).isEqualTo(new Reply.Kicked("dev", "dave"));
    assertThat(dave.sink().all()).containsExactly(
        new Event.TopicChanged("dev", "rules", "alice", NOW),
        bob.sink().of(Event.RoomMessage.class).get(0),
        new Event.ModeChanged("dev", "alice", List.of(ModeChange.set(RoomMode.VOICE, "carol")), null, NOW),
        new Event.Kicked("dev", "dave", "alice", "bye", NOW));
  }
}
