package chat.core;

import static org.assertj.core.api.Assertions.assertThat;

import chat.core.Command.Hello;
import chat.core.Command.Join;
import chat.core.store.Account;
import chat.core.store.MemoryStore;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What doors other than the native one need from the core: a hello that joins nothing, away
 * messages, real names, lookups, and the sender's account on messages and joins.
 */
class HubPresenceTest {

  private final HubAccountsTest.TestClock clock = new HubAccountsTest.TestClock();
  private final MemoryStore store = new MemoryStore();
  private final Hub hub = new Hub(CoreLimits.DEFAULT, clock, store, store,
      new HubAccountsTest.FakeHasher(), Runnable::run);

  private record User(Session session, RecordingSink sink) {}

  private User connect(String nick, String password, boolean joinDefault) {
    RecordingSink sink = new RecordingSink();
    Session session = hub.open(sink, "test");
    hub.handle(session, "hello", new Hello(nick,
        password == null ? null : password.toCharArray(), joinDefault));
    return new User(session, sink);
  }

  private User connect(String nick) {
    return connect(nick, null, false);
  }

  @Test
  void aHelloThatJoinsNothingOnlyWelcomes() {
    User alice = connect("alice");
    assertThat(alice.sink().all()).containsExactly(new Reply.Welcome("alice"));
    assertThat(alice.session().rooms()).isEmpty();
    assertThat(hub.roomCount()).isZero();
    User bob = connect("bob", null, true);
    assertThat(bob.sink().of(Event.Joined.class)).hasSize(1);
    assertThat(hub.roomCount()).isEqualTo(1);
  }

  @Test
  void awayAndRealnameAreAnnouncedToRoommatesOnlyAndOneLine() {
    User alice = connect("alice");
    User bob = connect("bob");
    User carol = connect("carol");
    hub.handle(alice.session(), "j", new Join("dev"));
    hub.handle(bob.session(), "j", new Join("dev"));
    bob.sink().clear();
    carol.sink().clear();

    hub.handle(alice.session(), "a", new Command.SetAway("lunch\r\nPRIVMSG x :injected"));
    assertThat(alice.sink().last()).isEqualTo(new Reply.AwaySet("lunch  PRIVMSG x :injected"));
    assertThat(bob.sink().last()).isEqualTo(
        new Event.AwayChanged("alice", "lunch  PRIVMSG x :injected", clock.millis()));
    assertThat(carol.sink().all()).isEmpty();

    hub.handle(alice.session(), "b", new Command.SetAway(""));
    assertThat(alice.sink().last()).isEqualTo(new Reply.AwaySet(null));
    assertThat(alice.session().away()).isNull();

    hub.handle(alice.session(), "r", new Command.SetRealname("Alice " + "x".repeat(500)));
    assertThat(alice.session().realname()).hasSize(CoreLimits.DEFAULT.sizes().maxRealnameLength());
    assertThat(bob.sink().last()).isInstanceOf(Event.RealnameChanged.class);

    hub.handle(carol.session(), "j", new Join("dev"));
    assertThat(bob.sink().last()).isEqualTo(new Event.Joined("dev", "carol", null, null,
        clock.millis()));
  }

  @Test
  void lookupReportsTheOnlineUsersInTheOrderAsked() {
    User alice = connect("alice");
    connect("bob");
    hub.handle(alice.session(), "j", new Join("dev"));
    hub.handle(alice.session(), "a", new Command.SetAway("gone"));
    User asker = connect("carol");
    hub.handle(asker.session(), "l", new Command.Lookup(List.of("BOB", "nobody", "alice")));
    assertThat(asker.sink().last()).isEqualTo(new Reply.Users(List.of(
        new Reply.UserInfo("bob", null, null, null, false, List.of()),
        new Reply.UserInfo("alice", null, null, "gone", false, List.of("dev")))));
  }

  @Test
  void messagesAndJoinsCarryTheAccountAndALoginIsAnnounced() {
    store.create(new Account("alice", "fake:correct horse", true, 0));
    User alice = connect("alice", "correct horse", false);
    assertThat(alice.sink().last()).isEqualTo(new Reply.Welcome("alice", "alice", true));
    User bob = connect("bob");
    hub.handle(bob.session(), "j", new Join("dev"));
    hub.handle(alice.session(), "j", new Join("dev"));
    assertThat(bob.sink().last()).isEqualTo(new Event.Joined("dev", "alice", "alice", null,
        clock.millis()));
    hub.handle(alice.session(), "m", new Command.SayToRoom("dev", MessageKind.NOTICE, "hi"));
    Event.RoomMessage message = (Event.RoomMessage) bob.sink().last();
    assertThat(message.fromAccount()).isEqualTo("alice");
    assertThat(message.kind()).isEqualTo(MessageKind.NOTICE);

    store.create(new Account("dave", "fake:correct horse", false, 0));
    User guest = connect("guest1");
    hub.handle(guest.session(), "j", new Join("dev"));
    bob.sink().clear();
    hub.handle(guest.session(), "l", new Command.Login("dave", "correct horse".toCharArray()));
    assertThat(guest.sink().last()).isEqualTo(new Reply.LoggedIn("dave", "dave", false));
    assertThat(bob.sink().all()).containsExactly(
        new Event.NickChanged("guest1", "dave", clock.millis()),
        new Event.AccountChanged("dave", "dave", clock.millis()));
  }
}
