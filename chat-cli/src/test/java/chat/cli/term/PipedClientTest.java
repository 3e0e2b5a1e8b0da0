package chat.cli.term;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import chat.client.ChatClient;
import chat.client.ClientOptions;
import chat.protocol.Frame;
import chat.protocol.Types;
import chat.server.ChatServer;
import chat.server.ServerConfig;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code chat connect} with piped input, in-process, against a real server on 127.0.0.1. */
class PipedClientTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private ChatServer server;
  private ChatClient watcher;
  private final List<Frame> seen = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    server = new ChatServer(ServerConfig.defaults().withAddress("127.0.0.1", 0)).start();
    watcher = ChatClient.connect(ClientOptions.of("127.0.0.1", server.port(), "watcher"),
        seen::add);
    watcher.join("rust").get();
  }

  @AfterEach
  void stop() {
    if (watcher != null) {
      watcher.close();
    }
    if (server != null) {
      server.close();
    }
  }

  record Run(int exitCode, String out, String err) {
    List<String> lines() {
      return out.lines().toList();
    }
  }

  private static Run run(String stdin, String... args) {
    ConnectCommand command = new ConnectCommand();
    command.stdin = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(command)
        .setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  private List<Frame> messagesFrom(String nick) {
    return seen.stream()
        .filter(f -> Types.MESSAGE.equals(f.type()) && nick.equals(f.string("from"))).toList();
  }

  @Test
  void pipedLinesAreSentAndRepliesAwaitedBeforeQuitting() {
    Run run = run("hello from bot\n/join #rust\nin rust now\n/me waves\n/msg watcher psst\n"
            + "/who\n/bogus\n",
        "--plain", "--port", String.valueOf(server.port()), "--nick", "bot");

    assertThat(run.exitCode()).as(run.err()).isZero();
    // The watcher (in lobby and rust) saw what the piped client sent, in order.
    await().atMost(WAIT).until(() -> messagesFrom("bot").size() == 3);
    assertThat(messagesFrom("bot")).extracting(f -> f.string("room") + ":" + f.contentAsText())
        .containsExactly("lobby:hello from bot", "rust:in rust now", "rust:waves");
    assertThat(seen).anyMatch(f -> Types.PRIVMSG.equals(f.type())
        && "psst".equals(f.contentAsText()) && "bot".equals(f.string("from")));
    await().atMost(WAIT).until(() -> seen.stream()
        .anyMatch(f -> Types.QUIT_EVENT.equals(f.type()) && "bot".equals(f.string("nick"))));

    // Its own output: plain lines, no escape codes, every reply seen before it quit.
    assertThat(run.out()).doesNotContain("\u001b");
    assertThat(run.lines()).anyMatch(l -> l.matches("\\[\\d\\d:\\d\\d:\\d\\d] #lobby <bot> hello from bot"));
    assertThat(run.lines()).anyMatch(l -> l.matches("\\[\\d\\d:\\d\\d:\\d\\d] #rust <bot> in rust now"));
    assertThat(run.lines()).anyMatch(l -> l.matches("\\[\\d\\d:\\d\\d:\\d\\d] #rust \\* bot waves"));
    assertThat(run.lines()).anyMatch(l -> l.matches("\\[\\d\\d:\\d\\d:\\d\\d] -> \\*watcher\\* psst"));
    assertThat(run.lines()).contains("-- members of #rust: @watcher bot");
    assertThat(run.lines()).contains(
        "!! unknown command /bogus (/help lists the commands, //text sends /text)");
  }

  @Test
  void moderationCommandsReachTheServerAndTheirEventsAreShown() {
    Run run = run("/join #mod\n/topic all about moderation\n/mode +m\n/invite watcher\n"
            + "/mode\n/kick #rust watcher\n/mode +z\n",
        "--plain", "--port", String.valueOf(server.port()), "--nick", "bot");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(seen).anyMatch(f -> "invited".equals(f.type()) && "mod".equals(f.string("room"))
        && "bot".equals(f.string("by")));
    assertThat(run.lines()).contains("-- members of #mod: @bot");
    assertThat(run.lines()).anyMatch(l -> l.endsWith("-- bot set the topic of #mod: all about moderation"));
    assertThat(run.lines()).anyMatch(l -> l.endsWith("-- bot made #mod moderated (only operators and voiced members speak)"));
    assertThat(run.lines()).anyMatch(l -> l.endsWith("-- bot invited watcher to #mod"));
    assertThat(run.lines()).contains("-- modes of #mod: +mnt; invites: nick:watcher");
    assertThat(run.lines()).contains("!! you are not in room rust");
    assertThat(run.lines()).anyMatch(l -> l.startsWith("!! unknown mode z"));
  }

  @Test
  void quitEndsTheInputAndServerErrorsAreShown() {
    Run run = run("/msg nobody hi\n/nick 9bad\n/quit gone fishing\nnot sent\n",
        "--plain", "--port", String.valueOf(server.port()), "--nick", "bot2");
    assertThat(run.exitCode()).isZero();
    assertThat(run.lines()).anyMatch(l -> l.startsWith("!! ") && l.contains("nobody"));
    assertThat(run.lines()).anyMatch(l -> l.startsWith("!! nick"));
    await().atMost(WAIT).until(() -> seen.stream().anyMatch(f -> Types.QUIT_EVENT.equals(f.type())
        && "bot2".equals(f.string("nick")) && "gone fishing".equals(f.string("reason"))));
    assertThat(messagesFrom("bot2")).isEmpty();
  }

  @Test
  void anUnreachableServerIsOneLineOnStderrAndExitCode2() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    Run run = run("hello\n", "--plain", "--port", String.valueOf(port), "--nick", "bot");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).isEqualTo(
        "could not connect to 127.0.0.1:" + port + ": Connection refused" + System.lineSeparator());
    assertThat(run.out()).isEmpty();
  }

  @Test
  void severalHostsAreTriedInTurnAndABadListIsAUsageError() throws Exception {
    int dead;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      dead = socket.getLocalPort();
    }
    Run run = run("via the second address\n", "--plain", "--nick", "bot",
        "--host", "127.0.0.1:" + dead + ",127.0.0.1:" + server.port());
    assertThat(run.exitCode()).as(run.err()).isZero();
    await().atMost(WAIT).until(() -> messagesFrom("bot").size() == 1);
    assertThat(messagesFrom("bot").get(0).contentAsText()).isEqualTo("via the second address");

    Run bad = run("", "--plain", "--host", "127.0.0.1:1,,127.0.0.1:2");
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err()).startsWith("--host: empty server address");
  }

  @Test
  void aTakenNickIsRefusedClearly() {
    Run run = run("hello\n", "--plain", "--port", String.valueOf(server.port()),
        "--nick", "WATCHER");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().lines().toList()).singleElement().satisfies(line ->
        assertThat(line).startsWith("127.0.0.1:" + server.port() + " refused the connection: "));
  }
}
