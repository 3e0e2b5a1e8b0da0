package chat.core;

import static org.assertj.core.api.Assertions.assertThat;

import chat.core.Command.Hello;
import chat.core.Command.Join;
import chat.core.HubAccountsTest.FakeHasher;
import chat.core.HubAccountsTest.TestClock;
import chat.core.store.Account;
import chat.core.store.MemoryFileStore;
import chat.core.store.MemoryStore;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Files in the core, on a fixed clock: quotas, the disk budget, abandoned and expired files. */
class HubFilesTest {

  private static final long MIB = 1024L * 1024;

  private final TestClock clock = new TestClock();
  private final MemoryStore store = new MemoryStore();
  private final MemoryFileStore files = new MemoryFileStore();

  private Hub hub(FileLimits limits) {
    store.create(new Account("alice", "fake:password1", false, 1));
    return new Hub(CoreLimits.DEFAULT.withFiles(limits), clock, store, store, new FakeHasher(),
        Runnable::run, files, Runnable::run);
  }

  private record User(Session session, RecordingSink sink) {}

  private static User connect(Hub hub, String nick, String password) {
    RecordingSink sink = new RecordingSink();
    Session session = hub.open(sink, "10.0.0.1");
    hub.handle(session, "h", new Hello(nick, password == null ? null : password.toCharArray()));
    hub.handle(session, "j", new Join("dev"));
    return new User(session, sink);
  }

  private static Object ask(Hub hub, User user, Command command) {
    user.sink().clear();
    hub.handle(user.session(), "q", command);
    return user.sink().calls.stream().filter(c -> "q".equals(c.id())).reduce((a, b) -> b)
        .map(RecordingSink.Call::what).orElse(null);
  }

  private static CoreError error(Object reply) {
    assertThat(reply).isInstanceOf(Reply.Failed.class);
    return ((Reply.Failed) reply).error();
  }

  static String sha(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  private static Command.Upload upload(String name, long size, String sha) {
    return new Command.Upload("dev", null, name, size, "text/plain", sha, null);
  }

  @Test
  void aGuestHasASmallerQuotaThanAnAccountAndTheDiskBudgetHoldsForEveryone() {
    Hub hub = hub(FileLimits.DEFAULT.withQuotas(10 * MIB, 2 * MIB).withDiskBudget(13 * MIB));
    User guest = connect(hub, "guest", null);
    User alice = connect(hub, "alice", "password1");
    String sha = "0".repeat(64);
    assertThat(ask(hub, guest, upload("a.bin", 2 * MIB, sha))).isInstanceOf(Reply.UploadReady.class);
    assertThat(error(ask(hub, guest, upload("b.bin", 1, sha)))).as("the guest's 2 MiB are used")
        .isEqualTo(CoreError.QUOTA_EXCEEDED);
    assertThat(ask(hub, alice, upload("c.bin", 10 * MIB, sha))).isInstanceOf(Reply.UploadReady.class);
    assertThat(error(ask(hub, alice, upload("d.bin", 1, sha)))).isEqualTo(CoreError.QUOTA_EXCEEDED);
    User bob = connect(hub, "bob", null);
    assertThat(error(ask(hub, bob, upload("e.bin", 2 * MIB, sha)))).as("12 of 13 MiB are taken")
        .isEqualTo(CoreError.DISK_FULL);
  }

  @Test
  void anAbandonedUploadIsRemovedAndAnExpiredFileSaysSo() throws Exception {
    Hub hub = hub(FileLimits.DEFAULT.withRetention(Duration.ofDays(2), Duration.ofHours(1)));
    User alice = connect(hub, "alice", "password1");
    User bob = connect(hub, "bob", null);
    byte[] bytes = "twelve bytes".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    Reply.UploadReady left = (Reply.UploadReady) ask(hub, alice, upload("left.txt", 100, sha(bytes)));
    Reply.UploadReady done = (Reply.UploadReady) ask(hub, alice,
        upload("done.txt", bytes.length, sha(bytes)));
    hub.handle(alice.session(), "c", new Command.Chunk(done.file().id(), 0, bytes));
    assertThat(bob.sink().of(Event.RoomMessage.class)).last()
        .satisfies(m -> assertThat(m.kind()).isEqualTo(MessageKind.FILE));
    Object got = ask(hub, bob, new Command.Download(done.file().id(), 0, 100));
    assertThat(((Reply.FileBytes) got).bytes()).isEqualTo(bytes);

    clock.millis.addAndGet(Duration.ofMinutes(61).toMillis());
    assertThat(hub.expireFiles()).isEqualTo(1);
    assertThat(files.find(left.file().id())).as("abandoned after an hour").isEmpty();
    assertThat(files.find(done.file().id())).isPresent();

    clock.millis.addAndGet(Duration.ofDays(2).toMillis());
    assertThat(error(ask(hub, bob, new Command.Download(done.file().id(), 0, 100))))
        .isEqualTo(CoreError.FILE_EXPIRED);
    assertThat(hub.expireFiles()).isEqualTo(1);
    assertThat(error(ask(hub, bob, new Command.Download(done.file().id(), 0, 100))))
        .as("its record stays, so it still says it expired").isEqualTo(CoreError.FILE_EXPIRED);
    assertThat(files.totalBytes()).as("its bytes are gone").isZero();
  }

  @Test
  void anUploadCannotBeResumedOrContinuedBySomeoneElse() throws Exception {
    Hub hub = hub(FileLimits.DEFAULT);
    User alice = connect(hub, "alice", "password1");
    User bob = connect(hub, "bob", null);
    Reply.UploadReady ready = (Reply.UploadReady) ask(hub, alice, upload("x.txt", 4, sha(new byte[4])));
    assertThat(error(ask(hub, bob, new Command.Upload(null, null, null, 0, null, null,
        ready.file().id())))).isEqualTo(CoreError.NO_SUCH_FILE);
    assertThat(error(ask(hub, bob, new Command.Chunk(ready.file().id(), 0, new byte[4]))))
        .isEqualTo(CoreError.NO_SUCH_FILE);
    Object resumed = ask(hub, alice, new Command.Upload(null, null, null, 0, null, null,
        ready.file().id()));
    assertThat(((Reply.UploadReady) resumed).offset()).isZero();
  }
}
