package chat.core;

import static org.assertj.core.api.Assertions.assertThat;

import chat.core.Command.Hello;
import chat.core.Command.Join;
import chat.core.store.Account;
import chat.core.store.MemoryStore;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What IRC operators and modern IRC clients need of the core: operator status without taking
 * the administrator's identity, lines to everyone from administrators, watched nicks (MONITOR),
 * users found by a nick pattern (WHO masks), and messages for a room's operators (STATUSMSG).
 */
class HubOperatorsTest {

  private final HubAccountsTest.TestClock clock = new HubAccountsTest.TestClock();
  private final MemoryStore store = new MemoryStore();
  private final Hub hub = new Hub(CoreLimits.DEFAULT, clock, store, store,
      new HubAccountsTest.FakeHasher(), Runnable::run);

  private record User(Session session, RecordingSink sink) {}

  private User connect(String nick) {
    RecordingSink sink = new RecordingSink();
    Session session = hub.open(sink, "test");
    hub.handle(session, "hello", new Hello(nick, null, false));
    sink.clear();
    return new User(session, sink);
  }

  @Test
  void operKeepsTheNickAndAccountAndGivesAdminRights() {
    store.create(new Account("root", "fake:secret123", true, 0));
    store.create(new Account("plain", "fake:secret456", false, 0));
    User alice = connect("alice");
    User bob = connect("bob");

    hub.handle(alice.session(), "o1", new Command.Oper("root", "wrong".toCharArray()));
    assertThat(alice.sink().last()).isInstanceOf(Reply.Failed.class);
    assertThat(((Reply.Failed) alice.sink().last()).error()).isEqualTo(CoreError.LOGIN_FAILED);
    hub.handle(alice.session(), "o2", new Command.Oper("plain", "secret456".toCharArray()));
    assertThat(((Reply.Failed) alice.sink().last()).error()).isEqualTo(CoreError.NOT_ADMIN);
    assertThat(alice.session().isAdmin()).isFalse();

    hub.handle(alice.session(), "o3", new Command.Oper("root", "secret123".toCharArray()));
    assertThat(alice.sink().last()).isEqualTo(new Reply.Operator("root"));
    assertThat(alice.session().nick()).isEqualTo("alice");
    assertThat(alice.session().account()).isNull();
    assertThat(alice.session().isAdmin()).isTrue();

    hub.handle(alice.session(), "k", new Command.Kill("bob", "bye"));
    assertThat(bob.session().isClosed()).isTrue();
  }

  @Test
  void wallopsComeFromAdministratorsOnlyAndReachEveryone() {
    store.create(new Account("root", "fake:secret123", true, 0));
    User alice = connect("alice");
    User bob = connect("bob");
    hub.handle(bob.session(), "w0", new Command.Wallops("hi"));
    assertThat(((Reply.Failed) bob.sink().last()).error()).isEqualTo(CoreError.NOT_ADMIN);
    assertThat(alice.sink().of(Event.Wallops.class)).isEmpty();

    hub.handle(alice.session(), "o", new Command.Oper("root", "secret123".toCharArray()));
    hub.handle(alice.session(), "w1", new Command.Wallops("maintenance\r\nat noon"));
    Event.Wallops line = new Event.Wallops("alice", "maintenance  at noon", clock.millis());
    assertThat(bob.sink().of(Event.Wallops.class)).containsExactly(line);
    assertThat(alice.sink().of(Event.Wallops.class)).containsExactly(line);
  }

  @Test
  void watchersHearNicksComeAndGo() {
    User alice = connect("alice");
    hub.handle(alice.session(), "w", new Command.Watch(List.of("Bob", "carol"), List.of(),
        false, false));
    assertThat(alice.sink().last()).isEqualTo(new Reply.Watching(List.of(),
        List.of("Bob", "carol"), List.of(), List.of("Bob", "carol")));

    User bob = connect("bob");
    assertThat(alice.sink().of(Event.Watched.class)).containsExactly(
        new Event.Watched("bob", true, null, clock.millis()));
    hub.handle(bob.session(), "n", new Command.SetNick("bobby"));
    hub.handle(bob.session(), "n2", new Command.SetNick("carol"));
    assertThat(alice.sink().of(Event.Watched.class)).as("offline as its last holder wrote it")
        .containsExactly(
        new Event.Watched("bob", true, null, clock.millis()),
        new Event.Watched("bob", false, null, clock.millis()),
        new Event.Watched("carol", true, null, clock.millis()));
    alice.sink().clear();
    hub.disconnect(bob.session(), "gone");
    assertThat(alice.sink().of(Event.Watched.class)).containsExactly(
        new Event.Watched("carol", false, null, clock.millis()));

    hub.handle(alice.session(), "w2", new Command.Watch(List.of("dave"), List.of("carol"),
        false, false));
    assertThat(alice.sink().last()).isEqualTo(new Reply.Watching(List.of(), List.of("dave"),
        List.of(), List.of("Bob", "dave")));
    hub.handle(alice.session(), "w3", new Command.Watch(List.of(), List.of(), true, false));
    alice.sink().clear();
    connect("dave");
    assertThat(alice.sink().of(Event.Watched.class)).isEmpty();
  }

  @Test
  void aWatchListHasALimitAndGoesWithItsSession() {
    User alice = connect("alice");
    List<String> many = new java.util.ArrayList<>();
    for (int i = 0; i <= Hub.MAX_WATCHED; i++) {
      many.add("n" + i);
    }
    hub.handle(alice.session(), "w", new Command.Watch(many, List.of(), false, false));
    Reply.Watching w = (Reply.Watching) alice.sink().last();
    assertThat(w.watched()).hasSize(Hub.MAX_WATCHED);
    assertThat(w.refused()).containsExactly("n" + Hub.MAX_WATCHED);
    hub.disconnect(alice.session(), "gone");
    connect("n1"); // nobody to tell: nothing thrown, nothing kept
    User carol = connect("carol");
    hub.handle(carol.session(), "w", new Command.Watch(List.of("n1"), List.of(), false, false));
    assertThat(carol.sink().last()).isEqualTo(new Reply.Watching(List.of("n1"), List.of(),
        List.of(), List.of("n1")));
  }

  @Test
  void extendedWatchersHearAwayWithoutSharingARoom() {
    User alice = connect("alice");
    User plain = connect("plain");
    User bob = connect("bob");
    hub.handle(alice.session(), "w", new Command.Watch(List.of("bob"), List.of(), false, true));
    hub.handle(plain.session(), "w", new Command.Watch(List.of("bob"), List.of(), false, false));
    hub.handle(bob.session(), "a", new Command.SetAway("lunch"));
    assertThat(alice.sink().of(Event.AwayChanged.class)).containsExactly(
        new Event.AwayChanged("bob", "lunch", clock.millis()));
    assertThat(plain.sink().of(Event.AwayChanged.class)).isEmpty();
  }

  @Test
  void findUsersMatchesNickPatterns() {
    User asker = connect("asker");
    connect("alice");
    connect("alfred");
    connect("bob");
    hub.handle(asker.session(), "f", new Command.FindUsers("AL*", 10));
    assertThat(((Reply.Users) asker.sink().last()).users()).extracting(Reply.UserInfo::nick)
        .containsExactly("alfred", "alice");
    hub.handle(asker.session(), "f2", new Command.FindUsers("?ob", 10));
    assertThat(((Reply.Users) asker.sink().last()).users()).extracting(Reply.UserInfo::nick)
        .containsExactly("bob");
    hub.handle(asker.session(), "f3", new Command.FindUsers("*", 2));
    assertThat(((Reply.Users) asker.sink().last()).users()).hasSize(2);
    assertThat(Names.globMatches("a*b?c", "axxbyc")).isTrue();
    assertThat(Names.globMatches("a*b?c", "axxbc")).isFalse();
  }

  @Test
  void statusMessagesReachOperatorsOnly() {
    User op = connect("op");
    User voiced = connect("voiced");
    User member = connect("member");
    for (User u : List.of(op, voiced, member)) {
      hub.handle(u.session(), "j", new Join("dev"));
    }
    hub.handle(op.session(), "v", new Command.Mode("dev",
        List.of(ModeChange.set(RoomMode.VOICE, "voiced")), null));
    for (User u : List.of(op, voiced, member)) {
      u.sink().clear();
    }
    hub.handle(member.session(), "s", new Command.SayToOps("dev", false, MessageKind.TEXT,
        "psst"));
    assertThat(op.sink().of(Event.StatusMessage.class)).singleElement()
        .satisfies(m -> assertThat(m.text()).isEqualTo("psst"));
    assertThat(voiced.sink().of(Event.StatusMessage.class)).isEmpty();
    assertThat(member.sink().of(Event.StatusMessage.class)).hasSize(1); // its own copy
    hub.handle(member.session(), "s2", new Command.SayToOps("dev", true, MessageKind.TEXT,
        "all"));
    assertThat(voiced.sink().of(Event.StatusMessage.class)).hasSize(1);
    hub.handle(member.session(), "s3", new Command.SayToOps("elsewhere", false,
        MessageKind.TEXT, "x"));
    assertThat(((Reply.Failed) member.sink().last()).error()).isEqualTo(CoreError.NOT_IN_ROOM);
  }
}
