package chat.server.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chat.protocol.Frame;
import chat.protocol.FrameLimits;
import chat.protocol.Json;
import chat.server.ChatServer;
import chat.server.ServerConfig;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The web door over real sockets on 127.0.0.1: static files, health, origin check, framing. */
class WebDoorTest {

  private ChatServer server;
  private int port;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeEach
  void start() throws Exception {
    server = new ChatServer(ServerConfig.defaults().withAddress("127.0.0.1", 0)
        .withFrameLimits(new FrameLimits(1024, 2048, 10))
        .withPingInterval(Duration.ofSeconds(5)))
        .withWeb(WebConfig.on("127.0.0.1", 0).withOrigins(java.util.List.of("https://chat.example.org")))
        .start();
    port = server.webAddress().getPort();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(5));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A raw HTTP/1.1 exchange, for headers the JDK client will not set (Host); returns it all. */
  private String rawHttp(String request) throws Exception {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      int n;
      while ((n = in.read(buf)) > 0) {
        all.write(buf, 0, n);
      }
      return all.toString(StandardCharsets.UTF_8);
    }
  }

  @Test
  void indexIsServedWithStrictSecurityHeadersAndRevalidation() throws Exception {
    HttpResponse<String> index = get("/");
    assertThat(index.statusCode()).isEqualTo(200);
    assertThat(index.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
    String csp = index.headers().firstValue("content-security-policy").orElseThrow();
    assertThat(csp).contains("default-src 'self'", "script-src 'self'", "style-src 'self'",
        "connect-src 'self' ws://127.0.0.1:" + port + " wss://127.0.0.1:" + port,
        "frame-ancestors 'none'", "object-src 'none'");
    assertThat(csp).doesNotContain("unsafe-inline", "unsafe-eval", "http:", "https:");
    assertThat(index.headers().firstValue("x-content-type-options")).hasValue("nosniff");
    assertThat(index.headers().firstValue("referrer-policy")).hasValue("no-referrer");
    assertThat(index.headers().firstValue("cache-control")).hasValue("no-cache");
    String etag = index.headers().firstValue("etag").orElseThrow();
    assertThat(etag).matches("\"[A-Za-z0-9_-]{22}\"");

    HttpResponse<String> again = get("/index.html", "If-None-Match", etag);
    assertThat(again.statusCode()).isEqualTo(304);
    assertThat(again.body()).isEmpty();
    assertThat(again.headers().firstValue("etag")).hasValue(etag);

    HttpResponse<String> script = get("/app.js");
    assertThat(script.statusCode()).isEqualTo(200);
    assertThat(script.headers().firstValue("content-type")).hasValue("text/javascript; charset=utf-8");
    assertThat(script.headers().firstValue("etag")).isPresent().isNotEqualTo(java.util.Optional.of(etag));
  }

  @Test
  void unknownPathsAndMethodsAreRefused() throws Exception {
    assertThat(get("/../pom.xml").statusCode()).isEqualTo(404);
    assertThat(get("/nothing-here").statusCode()).isEqualTo(404);
    HttpResponse<String> post = http.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + "/index.html"))
        .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("allow")).hasValue("GET, HEAD");
    assertThat(post.headers().firstValue("content-security-policy")).isPresent();
  }

  @Test
  void healthzSaysLiveAndReadyWithTheStore() throws Exception {
    HttpResponse<String> health = get("/healthz");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.headers().firstValue("content-type")).hasValue("application/json");
    var json = Json.MAPPER.readTree(health.body());
    assertThat(json.get("status").asString()).isEqualTo("ok");
    assertThat(json.get("live").asBoolean()).isTrue();
    assertThat(json.get("ready").asBoolean()).isTrue();
    assertThat(json.get("store").get("status").asString()).isEqualTo("ok");
    assertThat(json.get("bus").get("status").asString()).as("one server, no bus").isEqualTo("none");
    assertThat(get("/healthz/live").statusCode()).isEqualTo(200);
  }

  @Test
  void metricsAreForThisMachineByItsOwnNamesOnly() throws Exception {
    HttpResponse<String> metrics = get("/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.headers().firstValue("content-type").orElseThrow())
        .startsWith("text/plain; version=0.0.4");
    assertThat(metrics.body()).contains("jvm_memory_used_bytes", "chat_connections{door=\"websocket\"}");
    // A page on a foreign name that resolves to 127.0.0.1 (DNS rebinding) is refused.
    String refused = rawHttp("GET /metrics HTTP/1.1\r\nHost: evil.example:" + port
        + "\r\nConnection: close\r\n\r\n");
    assertThat(refused).startsWith("HTTP/1.1 403");
  }

  @Test
  void theWebSocketSpeaksNativeFramesOnePerBinaryMessage() throws Exception {
    try (WsClient alice = WsClient.hello(port, "alice")) {
      Frame welcome = alice.await(f -> "welcome".equals(f.type()));
      assertThat(welcome.header().get("limits").get("max-content-bytes").asInt()).isEqualTo(2048);
      alice.send(Json.header("msg").put("id", "m1").put("room", "lobby"), "hello över ws");
      Frame mine = alice.awaitReply("m1");
      assertThat(mine.type()).isEqualTo("message");
      assertThat(mine.contentAsText()).isEqualTo("hello över ws");
      alice.send(Json.header("ping").put("id", "p"));
      assertThat(alice.awaitReply("p").type()).isEqualTo("pong");
      alice.send(Json.header("frobnicate").put("id", "u"));
      assertThat(alice.awaitReply("u").string("code")).isEqualTo("unknown-type");
    }
  }

  @Test
  void messagesThatAreNotExactlyOneFrameAreRefusedAndTheSessionGoesOn() throws Exception {
    try (WsClient c = WsClient.hello(port, "bob")) {
      byte[] frame = WsClient.bytes(Json.header("ping").put("id", "x"), new byte[0]);
      c.raw(Arrays.copyOf(frame, frame.length - 3)); // cut short
      c.await(f -> "error".equals(f.type()) && "bad-frame".equals(f.string("code")));
      byte[] two = new byte[frame.length * 2];
      System.arraycopy(frame, 0, two, 0, frame.length);
      System.arraycopy(frame, 0, two, frame.length, frame.length);
      c.raw(two); // two frames in one message
      c.await(f -> "error".equals(f.type()) && "x".equals(f.id()) && "bad-frame".equals(f.string("code")));
      c.text("{\"type\":\"ping\"}");
      c.await(f -> f.string("message") != null && f.string("message").startsWith("text messages"));
      assertThat(c.matching(f -> "bad-frame".equals(f.string("code")))).hasSize(3);
      byte[] badJson = {0, 3, '{', 'x', 'y'};
      c.raw(badJson);
      c.await(f -> "bad-json".equals(f.string("code")));
      c.send(Json.header("ping").put("id", "still-there"));
      assertThat(c.awaitReply("still-there").type()).isEqualTo("pong");
      assertThat(c.closed).isNull();
    }
  }

  @Test
  void fatalFramingErrorsCloseAsOnTheNativePort() throws Exception {
    try (WsClient c = WsClient.hello(port, "carol")) {
      byte[] huge = new byte[2 + 1500];
      huge[0] = (byte) (1500 >> 8);
      huge[1] = (byte) (1500 & 0xff);
      c.raw(huge); // header over the 1024-byte limit
      Frame error = c.await(f -> "header-too-large".equals(f.string("code")));
      assertThat(error.header().get("fatal").asBoolean()).isTrue();
      assertThat(c.awaitClosed()).startsWith("1000");
    }
  }

  @Test
  void aMessageOverTheLargestFrameIsRefusedByTheWebSocketLayer() throws Exception {
    try (WsClient c = WsClient.hello(port, "dave")) {
      c.raw(new byte[2 + 1024 + 2048 + 1]);
      assertThat(c.awaitClosed()).startsWith("1009");
    }
  }

  @Test
  void foreignOriginsAreRefusedOwnAndConfiguredOnesAllowed() throws Exception {
    ExecutionException refused = (ExecutionException) org.assertj.core.api.Assertions.catchThrowable(
        () -> WsClient.connect(port, "https://evil.example"));
    assertThat(refused).isNotNull();
    assertThat(refused.getCause()).isInstanceOf(WebSocketHandshakeException.class);
    assertThat(((WebSocketHandshakeException) refused.getCause()).getResponse().statusCode())
        .isEqualTo(403);
    assertThatThrownBy(() -> WsClient.connect(port, "http://127.0.0.1:" + (port + 1)))
        .isInstanceOf(ExecutionException.class);
    assertThatThrownBy(() -> WsClient.connect(port, "null")).isInstanceOf(ExecutionException.class);
    try (WsClient own = WsClient.connect(port, "http://localhost:" + port);
         WsClient proxied = WsClient.connect(port, "https://chat.example.org")) {
      assertThat(own.closed).isNull();
      assertThat(proxied.closed).isNull();
    }
    assertThat(get("/metrics").body()).contains("chat_websocket_refused_total{reason=\"origin\"} 3.0");
  }

  @Test
  void closingTheServerTellsWebSocketClientsAndClosesThem() throws Exception {
    WsClient c = WsClient.hello(port, "erin");
    server.close();
    Frame notice = c.await(f -> "notice".equals(f.type()));
    assertThat(notice.contentAsText()).contains("shutting down");
    assertThat(c.awaitClosed()).isNotNull();
    c.close();
  }

}
