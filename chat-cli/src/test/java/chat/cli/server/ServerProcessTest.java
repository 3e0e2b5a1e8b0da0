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

/** {@code chat server} as a real process: it starts, serves, and on SIGTERM drains and exits 0. */
class ServerProcessTest {

  private Process process;

  @AfterEach
  void kill() {
    if (process != null) {
      process.destroyForcibly();
    }
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
      assertThat(lines.call()).anyMatch(l -> l.contains("stopped"));
    }
  }
}
