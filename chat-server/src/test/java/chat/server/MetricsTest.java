package chat.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import chat.protocol.Json;
import chat.server.web.WebConfig;
import chat.server.web.WsClient;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** /metrics scraped over HTTP after known traffic through both doors; its counters match it. */
class MetricsTest {

  private ChatServer server;
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private ChatServer start(WebConfig web) throws InterruptedException {
    server = new ChatServer(ServerConfig.defaults().withAddress("127.0.0.1", 0)
        .withPingInterval(Duration.ofSeconds(30))).withWeb(web).start();
    return server;
  }

  private String scrape() throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
        + server.webAddress().getPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }

  /** The value of one sample, such as {@code chat_frames_in_total{door="native"}}; -1 if absent. */
  static double value(String scrape, String sample) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(sample) + " (\\S+)$").matcher(scrape);
    return m.find() ? Double.parseDouble(m.group(1)) : -1;
  }

  @Test
  void countersMatchTheTrafficSentThroughBothDoors() throws Exception {
    start(WebConfig.on("127.0.0.1", 0));
    int webPort = server.webAddress().getPort();
    try (WireClient alice = WireClient.hello(server.port(), "alice");
         WsClient bob = WsClient.hello(webPort, "bob")) {
      alice.await(f -> "joined".equals(f.type()) && "bob".equals(f.string("nick")));
      for (int i = 0; i < 3; i++) {
        alice.send(Json.header("msg").put("id", "a" + i).put("room", "lobby"), "from alice " + i);
        alice.awaitReply("a" + i);
      }
      for (int i = 0; i < 2; i++) {
        bob.send(Json.header("msg").put("id", "b" + i).put("room", "lobby"), "from bob " + i);
        bob.awaitReply("b" + i);
      }
      alice.send(Json.header("privmsg").put("id", "p").put("to", "bob"), "psst");
      alice.awaitReply("p");
      bob.await(f -> "privmsg".equals(f.type()));
      bob.text("not a frame"); // one malformed frame on the WebSocket
      bob.await(f -> "bad-frame".equals(f.string("code")));

      // native in: hello, 3 msg, 1 privmsg; websocket in: hello, 2 msg, 1 malformed.
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        String s = scrape();
        assertThat(value(s, "chat_frames_in_total{door=\"native\"}")).isEqualTo(5.0);
        assertThat(value(s, "chat_frames_in_total{door=\"websocket\"}")).isEqualTo(4.0);
        assertThat(value(s, "chat_frames_malformed_total{door=\"websocket\"}")).isEqualTo(1.0);
        assertThat(value(s, "chat_frames_malformed_total{door=\"native\"}")).isEqualTo(0.0);
        assertThat(value(s, "chat_room_messages_total")).isEqualTo(5.0);
        assertThat(value(s, "chat_private_messages_total")).isEqualTo(1.0);
        assertThat(value(s, "chat_store_durable_seconds_count")).isEqualTo(6.0);
        assertThat(value(s, "chat_store_failures_total")).isEqualTo(0.0);
        // Every room message reaches both members; the private one its sender and recipient.
        assertThat(value(s, "chat_deliveries_total{door=\"native\"}")).isEqualTo(6.0);
        assertThat(value(s, "chat_deliveries_total{door=\"websocket\"}")).isEqualTo(6.0);
        assertThat(value(s, "chat_connections{door=\"native\"}")).isEqualTo(1.0);
        assertThat(value(s, "chat_connections{door=\"websocket\"}")).isEqualTo(1.0);
        assertThat(value(s, "chat_connections_opened_total{door=\"native\"}")).isEqualTo(1.0);
        assertThat(value(s, "chat_connections_opened_total{door=\"websocket\"}")).isEqualTo(1.0);
        // native out: welcome, 2 joined, 5 messages, 1 privmsg; websocket out: welcome,
        // joined, 5 messages, 1 privmsg, 1 error.
        assertThat(value(s, "chat_frames_out_total{door=\"native\"}")).isEqualTo(9.0);
        assertThat(value(s, "chat_frames_out_total{door=\"websocket\"}")).isEqualTo(9.0);
      });
      String s = scrape();
      assertThat(s).contains("# TYPE chat_store_durable_seconds histogram",
          "jvm_memory_used_bytes{", "jvm_gc_", "jvm_threads_live_threads", "process_uptime_seconds");
      assertThat(value(s, "chat_http_requests_total{endpoint=\"ws\",status=\"101\"}")).isEqualTo(1.0);
    }
    await().atMost(Duration.ofSeconds(10)).until(
        () -> value(scrape(), "chat_connections{door=\"websocket\"}") == 0.0
            && value(scrape(), "chat_connections{door=\"native\"}") == 0.0);
  }

  @Test
  void aMetricsTokenOpensMetricsToRequestsThatAreNotFromThisMachine() throws Exception {
    start(WebConfig.on("127.0.0.1", 0).withMetricsToken("s3cret-token"));
    // From this machine by its own name: no token needed.
    assertThat(scrape()).contains("chat_connections");
    // A request naming another host counts as not from this machine.
    assertThat(raw("GET /metrics HTTP/1.1\r\nHost: metrics.example\r\nConnection: close\r\n\r\n"))
        .startsWith("HTTP/1.1 401").contains("www-authenticate: Bearer");
    assertThat(raw("GET /metrics HTTP/1.1\r\nHost: metrics.example\r\n"
        + "Authorization: Bearer wrong\r\nConnection: close\r\n\r\n")).startsWith("HTTP/1.1 401");
    assertThat(raw("GET /metrics HTTP/1.1\r\nHost: metrics.example\r\n"
        + "Authorization: Bearer s3cret-token\r\nConnection: close\r\n\r\n"))
        .startsWith("HTTP/1.1 200").contains("chat_frames_in_total");
  }

  @Test
  void limitRefusalsAndSlowReaderDropsAreCounted() throws Exception {
    server = new ChatServer(ServerConfig.defaults().withAddress("127.0.0.1", 0)
        .withCoreLimits(chat.core.CoreLimits.DEFAULT.withFlood(
            new chat.core.FloodLimits(5, 50, 0, 1, 2, 5, Duration.ofSeconds(30)))))
        .withWeb(WebConfig.on("127.0.0.1", 0)).start();
    try (WsClient c = WsClient.hello(server.webAddress().getPort(), "flood")) {
      for (int i = 0; i < 40; i++) {
        c.send(Json.header("ping").put("id", "p" + i));
      }
      await().atMost(Duration.ofSeconds(20)).until(() -> c.matching(f -> f.id() != null
          && f.id().startsWith("p")).size() == 40);
      long refused = c.matching(f -> "rate-limited".equals(f.string("code"))).size();
      String s = scrape();
      assertThat(value(s, "chat_flood_pushbacks_total")).isPositive()
          .isEqualTo((double) server.hub().floodPushbacks());
      assertThat(value(s, "chat_limit_hits_total{code=\"rate-limited\",door=\"websocket\"}"))
          .isEqualTo((double) refused);
      assertThat(value(s, "chat_limit_hits_total{code=\"rate-limited\",door=\"native\"}"))
          .isEqualTo(0.0);
      assertThat(value(s, "chat_slow_reader_drops_total")).isEqualTo(0.0);
    }
  }

  private String raw(String request) throws Exception {
    try (Socket s = new Socket("127.0.0.1", server.webAddress().getPort())) {
      s.setSoTimeout(5000);
      s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      InputStream in = s.getInputStream();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      in.transferTo(all);
      return all.toString(StandardCharsets.UTF_8);
    }
  }
}
