package chat.cli.term;

import static org.assertj.core.api.Assertions.assertThat;

import chat.server.ChatServer;
import chat.server.ServerConfig;
import chat.server.tls.ServerTls;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code chat connect} over TLS, piped, against a real TLS server on 127.0.0.1. */
class PipedTlsTest {

  @TempDir
  Path temp;

  private final List<ChatServer> servers = new ArrayList<>();

  @AfterEach
  void stop() {
    servers.forEach(ChatServer::close);
  }

  private ServerTls tls(String dir) throws Exception {
    return ServerTls.load(null, null, temp.resolve(dir), List.of("localhost", "127.0.0.1"));
  }

  private ChatServer server(ServerTls tls) throws Exception {
    ChatServer server = new ChatServer(
        ServerConfig.defaults().withAddress("127.0.0.1", 0).withTls(tls, false)).start();
    servers.add(server);
    return server;
  }

  record Run(int exitCode, String out, String err) {}

  private Run run(Map<String, String> env, String... args) {
    ConnectCommand command = new ConnectCommand();
    command.stdin = new ByteArrayInputStream("hello\n".getBytes(StandardCharsets.UTF_8));
    command.env = env;
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = new CommandLine(command).setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true)).execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  private Path knownServers() {
    return temp.resolve("config").resolve("known_servers");
  }

  private String[] args(ChatServer server, String... more) {
    List<String> all = new ArrayList<>(List.of("--plain", "--tls", "--port",
        String.valueOf(server.port()), "--nick", "tina"));
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  @Test
  void firstUseIsAnnouncedOnStderrThenSilentAndAChangeIsRefusedWithExitCode2() throws Exception {
    ServerTls tls = tls("a");
    ChatServer server = server(tls);
    String key = "127.0.0.1:" + server.port();
    Map<String, String> env = Map.of("CHAT_KNOWN_SERVERS", knownServers().toString());

    Run first = run(env, args(server));
    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(first.err()).isEqualTo("trusting " + key + " on first use: " + tls.fingerprint()
        + System.lineSeparator());
    assertThat(first.out()).contains("<tina> hello");
    assertThat(Files.readString(knownServers())).isEqualTo(key + " " + tls.fingerprint() + "\n");

    Run second = run(env, args(server));
    assertThat(second.exitCode()).isZero();
    assertThat(second.err()).isEmpty();

    // Another certificate under the same host:port.
    Path other = temp.resolve("other_known_servers");
    Files.writeString(other, key + " " + tls("b").fingerprint() + "\n");
    Run changed = run(Map.of(), args(server, "--known-servers", other.toString()));
    assertThat(changed.exitCode()).isEqualTo(2);
    assertThat(changed.err()).contains("WARNING: THE TLS CERTIFICATE OF " + key + " HAS CHANGED!")
        .contains("offered:    " + tls.fingerprint())
        .contains("remove line 1 of " + other.toAbsolutePath());
    assertThat(changed.out()).isEmpty();
  }

  @Test
  void caFileAndInsecure() throws Exception {
    ChatServer server = server(tls("a"));
    Path ca = temp.resolve("a").resolve("tls").resolve("server-cert.pem");

    Run verified = run(Map.of(), args(server, "--ca", ca.toString(),
        "--known-servers", knownServers().toString()));
    assertThat(verified.exitCode()).as(verified.err()).isZero();
    assertThat(verified.err()).isEmpty();
    assertThat(knownServers()).doesNotExist();

    Run insecure = run(Map.of(), args(server, "--insecure",
        "--known-servers", knownServers().toString()));
    assertThat(insecure.exitCode()).isZero();
    assertThat(insecure.err()).startsWith("WARNING: not verifying the TLS certificate of 127.0.0.1:"
        + server.port());
    assertThat(knownServers()).doesNotExist();
  }

  @Test
  void contradictoryOptionsAreRefused() throws Exception {
    Run both = run(Map.of(), "--plain", "--insecure", "--ca", "x.pem");
    assertThat(both.exitCode()).isEqualTo(2);
    assertThat(both.err()).contains("--insecure and --ca exclude each other");
    Run noTls = run(Map.of(), "--plain", "--no-tls", "--insecure");
    assertThat(noTls.exitCode()).isEqualTo(2);
    assertThat(noTls.err()).contains("--insecure needs TLS: drop --no-tls");
  }

  @Test
  void helpListsEveryFlagAndCommand() {
    StringWriter out = new StringWriter();
    new CommandLine(new ConnectCommand()).setOut(new PrintWriter(out, true)).execute("--help");
    String help = out.toString();
    for (String flag : List.of("--host", "--port", "--nick", "--password-file", "--[no-]tls",
        "--ca", "--known-servers", "--insecure", "--plain", "--help", "--version")) {
      assertThat(help).contains(flag);
    }
    for (String line : CommandParser.HELP) {
      assertThat(help).contains(line);
    }
  }
}
