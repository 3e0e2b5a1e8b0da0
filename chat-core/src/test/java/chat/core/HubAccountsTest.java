package chat.core;

import static org.assertj.core.api.Assertions.assertThat;

import chat.core.Command.Hello;
import chat.core.store.Account;
import chat.core.store.MemoryStore;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Accounts through the hub: registration, login, nick ownership, throttling. */
class HubAccountsTest {

  /** A clock the test moves by hand. */
  static final class TestClock extends Clock {
    final AtomicLong millis = new AtomicLong(1_000_000L);

    @Override
    public long millis() {
      return millis.get();
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  /** Fast and obviously fake; the real Argon2id hasher is tested in the server module. */
  static final class FakeHasher implements PasswordHasher {
    int verifications;

    @Override
    public String hash(char[] password) {
      return "fake:" + new String(password);
    }

    @Override
    public boolean verify(char[] password, String encoded) {
      verifications++;
      return encoded.equals("fake:" + new String(password));
    }
  }

  private final TestClock clock = new TestClock();
  private final MemoryStore store = new MemoryStore();
  private final FakeHasher hasher = new FakeHasher();
  private final Hub hub = new Hub(CoreLimits.DEFAULT, clock, store, store, hasher, Runnable::run);

  private record User(Session session, RecordingSink sink) {}

  private User open() {
    RecordingSink sink = new RecordingSink();
    return new User(hub.open(sink, "10.0.0.1"), sink);
  }

  private User connect(String nick, String password) {
    User user = open();
    hub.handle(user.session(), "hello",
        new Hello(nick, password == null ? null : password.toCharArray()));
    return user;
  }

  private static CoreError error(User user) {
    return ((Reply.Failed) user.sink().last()).error();
  }

  @Test
  void registerThenLogInOnANewConnectionWithTheAccountsNick() {
    User alice = connect("alice", null);
    hub.handle(alice.session(), "r", new Command.Register("correct horse".toCharArray()));
    assertThat(alice.sink().last()).isEqualTo(new Reply.Registered("alice"));
    assertThat(alice.session().account()).isEqualTo("alice");
    assertThat(store.find("alice")).get().extracting(Account::passwordHash)
        .isEqualTo("fake:correct horse");
    hub.handle(alice.session(), "q", new Command.Quit(null));

    User again = connect("ALICE", "correct horse");
    assertThat(again.sink().all()).first().isEqualTo(new Reply.Welcome("alice", "alice"));
    assertThat(again.session().nick()).isEqualTo("alice");
  }

  @Test
  void aGuestCannotTakeARegisteredNick() {
    store.create(new Account("alice", "fake:secret123", false, 0));
    User guest = connect("alice", null);
    assertThat(error(guest)).isEqualTo(CoreError.NICK_REGISTERED);
    assertThat(guest.session().isReady()).isFalse();
    User bob = connect("bob", null);
    hub.handle(bob.session(), "n", new Command.SetNick("Alice"));
    assertThat(error(bob)).isEqualTo(CoreError.NICK_REGISTERED);
  }

  @Test
  void wrongPasswordAndUnknownAccountGiveTheSameAnswerAfterTheSameWork() {
    store.create(new Account("alice", "fake:secret123", false, 0));
    User wrong = connect("alice", "nope-nope");
    User unknown = connect("nobody", "nope-nope");
    assertThat(wrong.sink().last()).isEqualTo(unknown.sink().last());
    assertThat(error(wrong)).isEqualTo(CoreError.LOGIN_FAILED);
    assertThat(hasher.verifications).as("a hash is checked even for unknown accounts").isEqualTo(2);
  }

  @Test
  void failedLoginsSlowDownPerAccountUntilTheWaitPasses() {
    store.create(new Account("alice", "fake:secret123", false, 0));
    for (int i = 0; i < LoginThrottle.FREE_FAILURES; i++) {
      assertThat(error(connect("alice", "guess" + i))).isEqualTo(CoreError.LOGIN_FAILED);
    }
    User blocked = connect("alice", "secret123");
    assertThat(error(blocked)).isEqualTo(CoreError.LOGIN_THROTTLED);
    assertThat(((Reply.Failed) blocked.sink().last()).message()).contains("1 s");
    clock.millis.addAndGet(1001);
    assertThat(connect("alice", "secret123").session().isReady()).isTrue();
  }

  @Test
  void failedLoginsSlowDownPerAddressAcrossAccounts() {
    for (int i = 0; i < LoginThrottle.FREE_FAILURES; i++) {
      connect("user" + i, "wrongpass");
    }
    store.create(new Account("carol", "fake:secret123", false, 0));
    assertThat(error(connect("carol", "secret123"))).isEqualTo(CoreError.LOGIN_THROTTLED);
  }

  @Test
  void aSecondConnectionOfTheSameAccountJoinsTheFirstInsteadOfPushingItOff() {
    store.create(new Account("alice", "fake:secret123", false, 0));
    User watcher = connect("bob", null);
    User old = connect("alice", "secret123");
    User fresh = connect("alice", "secret123");
    assertThat(fresh.session().isReady()).isTrue();
    assertThat(old.sink().closedWith).isNull();
    assertThat(watcher.sink().of(Event.Quit.class)).isEmpty();
  }

  @Test
  void loginAfterHelloRenamesTheGuestAndAnnouncesIt() {
    store.create(new Account("alice", "fake:secret123", true, 0));
    User watcher = connect("bob", null);
    User guest = connect(null, null);
    String guestNick = guest.session().nick();
    hub.handle(guest.session(), "l", new Command.Login("alice", "secret123".toCharArray()));
    assertThat(guest.sink().last()).isEqualTo(new Reply.LoggedIn("alice", "alice", true));
    assertThat(guest.session().isAdmin()).isTrue();
    assertThat(watcher.sink().of(Event.NickChanged.class))
        .containsExactly(new Event.NickChanged(guestNick, "alice", clock.millis()));
    User other = connect(guestNick, null);
    assertThat(other.session().isReady()).as("the guest nick is free again").isTrue();
  }

  @Test
  void aLoginThatKeepsTheNickLeavesItAndTheAccountsNameStaysGuarded() {
    store.create(new Account("alice", "fake:secret123", false, 0));
    User watcher = connect("bob", null);
    User netcat = connect("netcat", null);
    hub.handle(netcat.session(), "l",
        new Command.Login("alice", "secret123".toCharArray(), true));
    assertThat(netcat.sink().last()).isEqualTo(new Reply.LoggedIn("alice", "netcat", false));
    assertThat(netcat.session().nick()).isEqualTo("netcat");
    assertThat(netcat.session().account()).isEqualTo("alice");
    assertThat(watcher.sink().of(Event.NickChanged.class)).isEmpty();
    RecordingSink sink = new RecordingSink();
    Session squatter = hub.open(sink, "10.0.0.9");
    hub.handle(squatter, "h", new Command.Hello("alice", null));
    assertThat(((Reply.Failed) sink.last()).error()).as("the account's name is still its own")
        .isEqualTo(CoreError.NICK_REGISTERED);
    hub.handle(watcher.session(), "w", new Command.Lookup(java.util.List.of("netcat")));
    assertThat(((Reply.Users) watcher.sink().last()).users().get(0).account()).isEqualTo("alice");
  }

  @Test
  void passwordChangeNeedsTheOldPasswordAndAStrongNewOne() {
    User alice = connect("alice", null);
    hub.handle(alice.session(), "r", new Command.Register("first-password".toCharArray()));
    hub.handle(alice.session(), "p1", new Command.ChangePassword("wrong".toCharArray(), "second-password".toCharArray()));
    assertThat(error(alice)).isEqualTo(CoreError.LOGIN_FAILED);
    hub.handle(alice.session(), "p2", new Command.ChangePassword("first-password".toCharArray(), "short".toCharArray()));
    assertThat(error(alice)).isEqualTo(CoreError.WEAK_PASSWORD);
    hub.handle(alice.session(), "p3", new Command.ChangePassword("first-password".toCharArray(), "second-password".toCharArray()));
    assertThat(alice.sink().last()).isEqualTo(new Reply.Done());
    assertThat(store.find("alice")).get().extracting(Account::passwordHash).isEqualTo("fake:second-password");
  }

  @Test
  void registrationRulesAreEnforced() {
    User guest = connect(null, null);
    hub.handle(guest.session(), "r", new Command.Register("long enough".toCharArray()));
    assertThat(error(guest)).isEqualTo(CoreError.INVALID_NICK);
    User alice = connect("alice", null);
    hub.handle(alice.session(), "r", new Command.Register("short".toCharArray()));
    assertThat(error(alice)).isEqualTo(CoreError.WEAK_PASSWORD);
    hub.handle(alice.session(), "r", new Command.Register("long enough".toCharArray()));
    hub.handle(alice.session(), "r", new Command.Register("long enough".toCharArray()));
    assertThat(error(alice)).isEqualTo(CoreError.ALREADY_REGISTERED);
  }

  @Test
  void privateHistoryIsKeptBetweenAccounts() {
    store.create(new Account("alice", "fake:secret123", false, 0));
    store.create(new Account("bob", "fake:secret456", false, 0));
    User alice = connect("alice", "secret123");
    User bob = connect("bob", "secret456");
    hub.handle(alice.session(), "1", new Command.SayToNick("bob", MessageKind.TEXT, "one"));
    hub.handle(bob.session(), "2", new Command.SayToNick("alice", MessageKind.TEXT, "two"));
    hub.handle(alice.session(), "3", new Command.SayToNick("bob", MessageKind.TEXT, "three"));
    bob.sink().clear();
    hub.handle(bob.session(), "h", new Command.PrivateHistory("alice", null, 2));
    assertThat(bob.sink().of(Event.History.class)).extracting(h -> ((Event.PrivateMessage) h.message()).text())
        .containsExactly("two", "three");
    assertThat(((Reply.PrivateHistorySent) bob.sink().last()).more()).isTrue();
    User guest = connect(null, null);
    hub.handle(guest.session(), "h", new Command.PrivateHistory("alice", null, 2));
    assertThat(error(guest)).isEqualTo(CoreError.NOT_LOGGED_IN);
  }

  @Test
  void commandsSentBehindASlowLoginWaitForItAndKeepTheirOrder() throws Exception {
    store.create(new Account("alice", "fake:secret123", false, 0));
    java.util.concurrent.ExecutorService slow = java.util.concurrent.Executors.newSingleThreadExecutor();
    try {
      Hub async = new Hub(CoreLimits.DEFAULT, clock, store, store, hasher, slow);
      RecordingSink sink = new RecordingSink();
      Session s = async.open(sink, "10.0.0.2");
      async.handle(s, "1", new Hello("alice", "secret123".toCharArray()));
      async.handle(s, "2", new Command.SayToRoom("lobby", MessageKind.TEXT, "first"));
      async.handle(s, "3", new Command.Join("dev"));
      async.answerInOrder(s, "4", () -> sink.reply("4", new Reply.Done()));
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
          .until(() -> sink.last() instanceof Reply.Done);
      assertThat(sink.calls).extracting(RecordingSink.Call::id).containsSubsequence("1", "2", "3", "4");
      assertThat(sink.of(Reply.Failed.class)).isEmpty();
      assertThat(sink.all().get(0)).isEqualTo(new Reply.Welcome("alice", "alice"));
    } finally {
      slow.shutdownNow();
    }
  }

  @Test
  void withoutAnAccountStoreAccountsAreDisabled() {
    Hub plain = new Hub(CoreLimits.DEFAULT, clock);
    RecordingSink sink = new RecordingSink();
    Session s = plain.open(sink, "h");
    plain.handle(s, "1", new Hello("alice", "whatever1".toCharArray()));
    assertThat(((Reply.Failed) sink.last()).error()).isEqualTo(CoreError.ACCOUNTS_DISABLED);
  }
}
