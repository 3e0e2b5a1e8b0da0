package chat.cli.term;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import chat.client.ChatClient;
import chat.client.ClientOptions;
import chat.core.CoreLimits;
import chat.core.store.MemoryStore;
import chat.protocol.Frame;
import chat.protocol.Types;
import chat.server.Argon2Hasher;
import chat.server.ChatServer;
import chat.server.ServerConfig;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Accounts and history in {@code chat connect} with piped input, against a real server. */
class PipedAccountsTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String SECRET = "piped-secret-1";

  @TempDir
  Path temp;

  private final MemoryStore store = new MemoryStore();
  private final List<Frame> seen = new CopyOnWriteArrayList<>();
  private final List<ChatClient> clients = new ArrayList<>();
  private ChatServer server;
  private ChatClient watcher;

  @BeforeEach
  void start() throws Exception {
    ServerConfig config = ServerConfig.defaults().withAddress("127.0.0.1", 0)
        .withCoreLimits(CoreLimits.DEFAULT.withHistoryOnJoin(2));
    server = new ChatServer(config, Clock.systemUTC(), store, store,
        new Argon2Hasher(8 * 1024, 1, 1)).start();
    watcher = connect("watcher");
  }

  @AfterEach
  void stop() {
    clients.forEach(ChatClient::close);
    server.close();
  }

  private ChatClient connect(String nick) throws Exception {
    ChatClient client = ChatClient.connect(ClientOptions.of("127.0.0.1", server.port(), nick),
        seen::add);
    clients.add(client);
    return client;
  }

  record Run(int exitCode, String out, String err) {
    List<String> lines() {
      return out.lines().toList();
    }
  }

  private Run run(String stdin, Map<String, String> env, String... args) {
    ConnectCommand command = new ConnectCommand();
    command.stdin = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
    command.env = env;
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    List<String> all = new ArrayList<>(List.of("--plain", "--port", String.valueOf(server.port())));
    all.addAll(List.of(args));
    int code = new CommandLine(command).setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true)).execute(all.toArray(String[]::new));
    return new Run(code, out.toString(), err.toString());
  }

  private Run run(String stdin, String... args) {
    return run(stdin, Map.of(), args);
  }

  private boolean said(String from, String text) {
    return seen.stream().anyMatch(f -> Types.MESSAGE.equals(f.type())
        && from.equals(f.string("from")) && text.equals(f.contentAsText()));
  }

  @Test
  void registerThenLogInWithAPasswordFileOrLaterWithLogin() throws Exception {
    Run registered = run("/register\n" + SECRET + "\n" + SECRET + "\n", "--nick", "dave");
    assertThat(registered.exitCode()).as(registered.err()).isZero();
    assertThat(registered.lines()).contains("-- registered dave; you are logged in");
    assertThat(registered.out() + registered.err()).doesNotContain(SECRET);

    Path file = temp.resolve("password");
    Files.writeString(file, SECRET + "\n");
    Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    Run atConnect = run("back with a file\n", "--nick", "dave", "--password-file", file.toString());
    assertThat(atConnect.exitCode()).as(atConnect.err()).isZero();
    assertThat(atConnect.err()).isEmpty();
    assertThat(atConnect.lines()).first().isEqualTo("-- logged in as dave");
    await().atMost(WAIT).until(() -> said("dave", "back with a file"));

    Run fromEnv = run("back from the environment\n", Map.of("CHAT_PASSWORD", SECRET),
        "--nick", "dave");
    assertThat(fromEnv.exitCode()).as(fromEnv.err()).isZero();
    assertThat(fromEnv.lines()).contains("-- logged in as dave");
    await().atMost(WAIT).until(() -> said("dave", "back from the environment"));

    Run later = run("/login dave\n" + SECRET + "\nlogged in later\n", "--nick", "guesty");
    assertThat(later.exitCode()).as(later.err()).isZero();
    assertThat(later.lines()).contains("-- logged in as dave");
    assertThat(later.out()).doesNotContain(SECRET);
    await().atMost(WAIT).until(() -> said("dave", "logged in later"));
    assertThat(seen).noneMatch(f -> SECRET.equals(f.contentAsText()));
  }

  @Test
  void refusalsAreExplained() throws Exception {
    // Each run is another person: a run whose goodbye is slow must not hold the next one's nick.
    Run differ = run("/register\n" + SECRET + "\nsomething else\n", "--nick", "erin1");
    assertThat(differ.lines()).contains("!! the passwords differ; /register cancelled");

    Run cut = run("/register\n" + SECRET + "\n", "--nick", "erin2");
    assertThat(cut.lines()).contains("!! no password read; /register cancelled");

    Run wrong = run("/login watcher\nnot the password\n", "--nick", "erin3");
    assertThat(wrong.lines()).anyMatch(l -> l.startsWith("!! invalid account or password"));

    Run noNick = run("", Map.of("CHAT_PASSWORD", SECRET));
    assertThat(noNick.exitCode()).isEqualTo(2);
    assertThat(noNick.err()).contains("needs the account's name: add --nick ACCOUNT");

    Run notLoggedIn = run("/passwd\n", "--nick", "erin4");
    assertThat(notLoggedIn.lines()).contains("!! log in first (/login, or /register your nick)");
  }

  @Test
  void passwdAsksForTheOldAndTheNewPasswordTwice() throws Exception {
    run("/register\n" + SECRET + "\n" + SECRET + "\n", "--nick", "fay");
    Run changed = run("/passwd\n" + SECRET + "\nnew-secret-2\nnew-secret-2\n",
        Map.of("CHAT_PASSWORD", SECRET), "--nick", "fay");
    assertThat(changed.lines()).contains("-- password changed");
    Run withNew = run("", Map.of("CHAT_PASSWORD", "new-secret-2"), "--nick", "fay");
    assertThat(withNew.exitCode()).as(withNew.err()).isZero();
    assertThat(withNew.lines()).contains("-- logged in as fay");
  }

  @Test
  void historyPagesBackwardsInTheRoomAndPrivately() throws Exception {
    for (int i = 1; i <= 5; i++) {
      watcher.say("lobby", "m" + i).get(5, TimeUnit.SECONDS);
    }
    Run run = run("/history 2\n/history\n/history\n", "--nick", "gus");
    assertThat(run.exitCode()).as(run.err()).isZero();
    List<String> history = run.lines().stream()
        .filter(l -> l.matches("\\[\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d] #lobby <watcher> .*"))
        .map(l -> l.substring(l.lastIndexOf(' ') + 1)).toList();
    // Two replayed on join, then two older, then the first one.
    assertThat(history).containsExactly("m4", "m5", "m2", "m3", "m1");
    assertThat(run.lines()).contains("-- 2 older messages in #lobby; /history for more",
        "-- 1 older message in #lobby; that is the beginning", "-- no older messages in #lobby");

    ChatClient hana = connect("hana");
    hana.register(SECRET.toCharArray()).get(5, TimeUnit.SECONDS);
    run("/register\n" + SECRET + "\n" + SECRET + "\n/msg hana one\n/msg hana two\n",
        "--nick", "ivan");
    Run privately = run("/history hana 1\n/history hana\n", Map.of("CHAT_PASSWORD", SECRET),
        "--nick", "ivan");
    List<String> stored = privately.lines().stream()
        .filter(l -> l.matches("\\[\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d] -> \\*hana\\* .*"))
        .toList();
    assertThat(stored).extracting(l -> l.substring(l.lastIndexOf(' ') + 1))
        .containsExactly("two", "one");
    assertThat(privately.lines()).contains("-- 1 older message with hana; /history hana for more",
        "-- 1 older message with hana; that is the beginning");
  }

  @Test
  void roomRegisterAndInfoFromTheTerminal() throws Exception {
    Run guest = run("/join dev\n/room register\n", "--nick", "kim");
    assertThat(guest.lines()).anyMatch(l -> l.startsWith("!! log in to register a room"));
    Run owner = run("/register\n" + SECRET + "\n" + SECRET + "\n/join ops\n/room register\n"
        + "/room info\n/room list\n/room transfer\n", "--nick", "lou");
    assertThat(owner.exitCode()).as(owner.err()).isZero();
    assertThat(owner.lines()).contains("-- registered: #ops owned by lou, 1 present, +nt, operators lou");
    assertThat(owner.lines()).contains("-- #ops owned by lou, 1 present, +nt, operators lou");
    assertThat(owner.lines()).anyMatch(l -> l.startsWith("!! only server administrators may list"));
    assertThat(owner.lines()).anyMatch(l -> l.contains("usage: /room transfer"));
    Run later = run("/room info #ops\n", "--nick", "max");
    assertThat(later.lines()).as("a registered room outlives its members")
        .contains("-- #ops owned by lou, 0 present, +nt, operators lou");
  }
}
