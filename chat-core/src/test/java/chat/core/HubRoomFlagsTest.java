package chat.core;

import static org.assertj.core.api.Assertions.assertThat;

import chat.core.Command.Hello;
import chat.core.Command.Join;
import chat.core.Command.ListRooms;
import chat.core.Command.Lookup;
import chat.core.Command.Mode;
import chat.core.Command.SayToRoom;
import chat.core.Command.Who;
import chat.core.store.Account;
import chat.core.store.MemoryStore;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The room flags {@code n} (messages from outside) and {@code s} (secret rooms). */
class HubRoomFlagsTest {

  private final MemoryStore store = new MemoryStore();
  private final Hub hub = new Hub(CoreLimits.DEFAULT.withFlood(FloodLimits.OFF),
      Clock.systemUTC(), store, store, new HubAccountsTest.FakeHasher(), Runnable::run);

  private record User(Session session, RecordingSink sink) {}

  private User connect(String nick) {
    RecordingSink sink = new RecordingSink();
    sink.ignoreChangeSeq = true;
    Session session = hub.open(sink, "10.0.0.1");
    hub.handle(session, "hello", new Hello(nick, null));
    assertThat(session.isReady()).as("%s connected", nick).isTrue();
    return new User(session, sink);
  }

  private User admin(String name) {
    store.create(new Account(name, "fake:password-" + name, true, 0));
    RecordingSink sink = new RecordingSink();
    Session session = hub.open(sink, "10.0.0.1");
    hub.handle(session, "hello", new Hello(name, ("password-" + name).toCharArray()));
    assertThat(session.isAdmin()).isTrue();
    return new User(session, sink);
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

  private static Mode mode(ModeChange... changes) {
    return new Mode("dev", List.of(changes), null);
  }

  private static SayToRoom say(String text) {
    return new SayToRoom("dev", MessageKind.TEXT, text);
  }

  private static List<String> texts(User user) {
    return user.sink().of(Event.RoomMessage.class).stream()
        .filter(m -> m.room().equals("dev")).map(Event.RoomMessage::text).toList();
  }

  private List<String> listed(User user) {
    return ((Reply.RoomList) ask(user, new ListRooms())).rooms().stream()
        .map(Reply.RoomInfo::room).toList();
  }

  @Test
  void aRoomSetMinusNTakesMessagesFromOutsideButNotFromTheBannedOrInAModeratedRoom() {
    User alice = connect("alice");
    User carol = connect("carol");
    ask(alice, new Join("dev"));
    assertThat(error(carol, say("let me in"))).as("+n by default").isEqualTo(CoreError.NOT_IN_ROOM);
    assertThat(texts(alice)).isEmpty();

    assertThat(ask(alice, mode(ModeChange.unset(RoomMode.NO_EXTERNAL))))
        .isEqualTo(new Reply.ModesChanged("dev", List.of(ModeChange.unset(RoomMode.NO_EXTERNAL))));
    assertThat(((Reply.RoomModeList) ask(alice, new Mode("dev", List.of(), null))).modes().flags())
        .isEqualTo("+t");
    Object confirmed = ask(carol, say("hello from outside"));
    assertThat(confirmed).isInstanceOf(Event.RoomMessage.class);
    assertThat(((Event.RoomMessage) confirmed).from()).isEqualTo("carol");
    assertThat(texts(alice)).containsExactly("hello from outside");
    assertThat(carol.session().rooms()).extracting(Room::name).doesNotContain("dev");

    ask(alice, mode(ModeChange.set(RoomMode.MODERATED)));
    assertThat(error(carol, say("moderated"))).isEqualTo(CoreError.MODERATED);
    ask(alice, mode(ModeChange.unset(RoomMode.MODERATED), ModeChange.set(RoomMode.BAN, "carol")));
    assertThat(error(carol, say("banned"))).isEqualTo(CoreError.BANNED);
    assertThat(texts(alice)).containsExactly("hello from outside");

    ask(alice, mode(ModeChange.unset(RoomMode.BAN, "carol"), ModeChange.set(RoomMode.NO_EXTERNAL)));
    assertThat(error(carol, say("again"))).isEqualTo(CoreError.NOT_IN_ROOM);
    assertThat(texts(alice)).containsExactly("hello from outside");
  }

  @Test
  void aSecretRoomIsSeenOnlyByItsMembersAndAdministrators() {
    User alice = connect("alice");
    User bob = connect("bob");
    ask(alice, new Join("dev"));
    assertThat(listed(bob)).contains("dev");
    ask(alice, mode(ModeChange.set(RoomMode.SECRET), ModeChange.unset(RoomMode.NO_EXTERNAL)));

    assertThat(listed(alice)).contains("dev");
    assertThat(((Reply.Members) ask(alice, new Who("dev"))).secret()).isTrue();
    assertThat(listed(bob)).doesNotContain("dev").contains("lobby");
    assertThat(error(bob, new Who("dev"))).isEqualTo(CoreError.NO_SUCH_ROOM);
    Reply.Users seen = (Reply.Users) ask(bob, new Lookup(List.of("alice")));
    assertThat(seen.users().get(0).rooms()).containsExactly("lobby");
    Reply.Users self = (Reply.Users) ask(alice, new Lookup(List.of("alice")));
    assertThat(self.users().get(0).rooms()).containsExactly("dev", "lobby");
    assertThat(error(bob, say("hidden"))).as("even -n: a secret room is not there for outsiders")
        .isEqualTo(CoreError.NOT_IN_ROOM);

    User root = admin("root");
    assertThat(listed(root)).contains("dev");
    assertThat(((Reply.Members) ask(root, new Who("dev"))).members()).containsExactly("alice");

    ask(bob, new Join("dev"));
    assertThat(listed(bob)).contains("dev");
    assertThat(((Reply.Members) ask(bob, new Who("dev"))).members())
        .containsExactlyInAnyOrder("alice", "bob");
    ask(alice, mode(ModeChange.unset(RoomMode.SECRET)));
    User carol = connect("carol");
    assertThat(listed(carol)).contains("dev");
  }

  @Test
  void clientTagsMeetTheRulesAMessageMeetsAndAreNeverStored() throws Exception {
    User alice = connect("alice");
    User carol = connect("carol");
    ask(alice, new Join("dev"));
    Command.SendTags typing = new Command.SendTags("dev", null, java.util.Map.of("typing", "active"));
    assertThat(error(carol, typing)).as("+n").isEqualTo(CoreError.NOT_IN_ROOM);
    ask(alice, mode(ModeChange.unset(RoomMode.NO_EXTERNAL)));
    assertThat(ask(carol, typing)).isInstanceOf(Event.TagMessage.class);
    assertThat(alice.sink().of(Event.TagMessage.class)).singleElement()
        .satisfies(t -> assertThat(t.tags()).containsEntry("typing", "active"));
    ask(alice, mode(ModeChange.set(RoomMode.BAN, "carol")));
    assertThat(error(carol, typing)).isEqualTo(CoreError.BANNED);
    assertThat(error(alice, new Command.SendTags("dev", null, java.util.Map.of())))
        .isEqualTo(CoreError.INVALID_TAGS);
    assertThat(error(alice, new Command.SendTags(null, "nobody", java.util.Map.of("typing", "x"))))
        .isEqualTo(CoreError.NO_SUCH_NICK);
    assertThat(store.roomHistory("dev", Long.MAX_VALUE, 100))
        .as("the room's log holds the two mode changes only").hasSize(2)
        .allMatch(m -> m.kind() == MessageKind.MODE);
  }
}
