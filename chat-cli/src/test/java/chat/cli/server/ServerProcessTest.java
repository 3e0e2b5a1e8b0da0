package chat.cli.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import chat.client.ChatClient;
import chat.client.ClientListener;
import chat.client.ClientOptions;
import chat.protocol.Frame;
import java.nio.file.Files;
import java.util.concurrent.Callable;
import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code chat server} as a real process: it starts, serves, and on SIGTERM drains and exits 0;
 * its file links survive a restart and its IRC lines link through {@code --public-url}.
 */
class ServerProcessTest {

  private Process process;

  @AfterEach
  void kill() {
    if (process != null) {
      process.destroyForcibly();
    }
  }

  /** Starts {@code chat server} with {@code args}, output to {@code log}. */
  private static Process server(Path log, String... args) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new java.util.ArrayList<>(List.of(java,
        "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
        "chat.cli.Main", "server"));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
        .start();
  }

  private static int port(Path log, String regex) {
    Pattern pattern = Pattern.compile(regex);
    return await().atMost(Duration.ofSeconds(30)).until(() -> Files.readAllLines(log).stream()
        .map(pattern::matcher).filter(Matcher::find).map(m -> Integer.parseInt(m.group(1)))
        .findFirst().orElse(-1), p -> p > 0);
  }

  @Test
  void fileLinksOutliveARestartAndIrcLinesUseThePublicUrl() throws Exception {
    Path dir = Files.createTempDirectory("chat-server");
    Path data = dir.resolve("data");
    Path log = dir.resolve("server.out");
    process = server(log, "--port", "0", "--data-dir", data.toString(), "--no-tls",
        "--public-url", "https://chat.example.org/");
    int port = port(log, "listening on 127\\.0\\.0\\.1:(\\d+)");
    int webPort = port(log, "web client at http://127\\.0\\.0\\.1:(\\d+)/");
    int ircPort = port(log, "IRC clients on 127\\.0\\.0\\.1:(\\d+)");
    Path key = data.resolve("files").resolve("link.key");
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
        Files.getPosixFilePermissions(key))).isEqualTo("rw-------");

    String line;
    Path file = dir.resolve("notes.txt");
    Files.writeString(file, "what we said\n");
    try (java.net.Socket irc = new java.net.Socket("127.0.0.1", ircPort);
        ChatClient alice = ChatClient.connect(ClientOptions.of("127.0.0.1", port, "alice"),
            ClientListener.NONE)) {
      irc.setSoTimeout(15_000);
      var in = new java.io.BufferedReader(new java.io.InputStreamReader(irc.getInputStream(),
          StandardCharsets.UTF_8));
      var out = irc.getOutputStream();
      out.write("NICK dana\r\nUSER dana 0 * :dana\r\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
      String l;
      do {
        l = in.readLine();
      } while (l != null && !l.contains(" 376 ") && !l.contains(" 422 "));
      out.write("JOIN #lobby\r\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
      do {
        l = in.readLine();
      } while (l != null && !l.contains(" 366 "));
      chat.client.FileTransfers.upload(alice, "lobby", null, file, "text/plain", null,
          chat.client.FileTransfers.Progress.NONE).get(30, TimeUnit.SECONDS);
      do {
        l = in.readLine();
      } while (l != null && !l.contains("PRIVMSG #lobby"));
      line = l;
    }
    assertThat(line).contains(":shared notes.txt (13 B, text/plain) https://chat.example.org/files/");
    String path = line.substring(line.indexOf("https://chat.example.org") + 24);
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest get = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webPort + path)).build();
    assertThat(http.send(get, HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("what we said\n");

    // After a restart with the same data directory, the same link still works.
    process.destroy();
    assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
    Path log2 = dir.resolve("server2.out");
    process = server(log2, "--port", "0", "--data-dir", data.toString(), "--no-tls",
        "--http-port", Integer.toString(webPort));
    port(log2, "web client at http://127\\.0\\.0\\.1:(\\d+)/");
    HttpResponse<String> again = http.send(get, HttpResponse.BodyHandlers.ofString());
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(again.body()).isEqualTo("what we said\n");
  }

  @Test
  void sigtermNotifiesClientsAndExitsZero() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    // Output goes to a file, not a pipe: nothing is lost however the process ends.
    Path log = Files.createTempDirectory("chat-server").resolve("server.out");
    process = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
        "-cp", System.getProperty("java.class.path"), "chat.cli.Main", "server", "--port", "0",
        "--data-dir", log.getParent().resolve("data").toString())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    Callable<List<String>> lines = () -> Files.readAllLines(log, StandardCharsets.UTF_8);
    Pattern listening = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");
    int port = await().atMost(Duration.ofSeconds(30)).until(() -> lines.call().stream()
        .map(listening::matcher).filter(Matcher::find).map(m -> Integer.parseInt(m.group(1)))
        .findFirst().orElse(-1), p -> p > 0);

    // The web door came up too, on a free port since --port is 0, and says it is ready.
    Pattern web = Pattern.compile("web client at http://127\\.0\\.0\\.1:(\\d+)/");
    int webPort = await().atMost(Duration.ofSeconds(10)).until(() -> lines.call().stream()
        .map(web::matcher).filter(Matcher::find).map(m -> Integer.parseInt(m.group(1)))
        .findFirst().orElse(-1), p -> p > 0);
    HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + webPort + "/healthz")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).contains("\"ready\":true");

    List<Frame> seen = new CopyOnWriteArrayList<>();
    ClientListener listener = seen::add;
    try (ChatClient alice = ChatClient.connect(ClientOptions.of("127.0.0.1", port, "alice"), listener)) {
      alice.say("lobby", "hello").get(10, TimeUnit.SECONDS);
      process.destroy(); // SIGTERM
      Frame notice = await().atMost(Duration.ofSeconds(10)).until(() -> seen.stream()
          .filter(f -> "notice".equals(f.type())).findFirst().orElse(null), f -> f != null);
      assertThat(notice.contentAsText()).contains("shutting down");
      assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue()).as("exit status; output: %s", lines.call()).isZero();
      assertThat(lines.call()).anyMatch(l -> l.contains("stopped"))
          .anyMatch(l -> l.matches("IRC clients on 127\\.0\\.0\\.1:\\d+"));
    }
  }
}
