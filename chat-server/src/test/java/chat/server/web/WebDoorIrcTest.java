package chat.server.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chat.core.ConnectionLimits;
import chat.core.CoreLimits;
import chat.protocol.Json;
import chat.server.ChatServer;
import chat.server.ServerConfig;
import chat.server.irc.IrcConfig;
import chat.server.irc.IrcMessage;
import chat.server.irc.IrcTestClient;
import chat.server.tls.ServerTls;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * IRC over WebSocket on the web door, over real sockets on 127.0.0.1: the IRCv3 subprotocols,
 * one line per message, the IRC door's limits and timers, the Origin check, and IRC clients on
 * the WebSocket, on the IRC port and native clients talking in one room.
 */
class WebDoorIrcTest {

  private ChatServer server;
  private int web;
  private int irc;
  private final List<AutoCloseable> clients = new ArrayList<>();

  private void start(ServerConfig config, boolean withIrc) throws Exception {
    ChatServer s = new ChatServer(config.withAddress("127.0.0.1", 0))
        .withWeb(WebConfig.on("127.0.0.1", 0)
            .withOrigins(List.of("https://irc-client.example.org")));
    if (withIrc) {
      s.irc(IrcConfig.of("127.0.0.1", 0).withMotd(List.of("welcome")));
    }
    server = s.start();
    web = server.webAddress().getPort();
    irc = server.ircPort();
  }

  private void start() throws Exception {
    start(ServerConfig.defaults(), true);
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : clients) {
      c.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private <T extends AutoCloseable> T keep(T client) {
    clients.add(client);
    return client;
  }

  private IrcWsClient register(String nick, String... subprotocols) throws Exception {
    return keep(IrcWsClient.register(web, nick, subprotocols));
  }

  private static boolean privmsg(IrcMessage m, String from, String target, String text) {
    return m.command().equals("PRIVMSG") && m.source() != null
        && m.source().startsWith(from + "!") && target.equals(m.param(0))
        && text.equals(m.param(1));
  }

  @Test
  void aTextClientTalksWithIrcAndNativeClientsInOneRoom() throws Exception {
    start();
    IrcWsClient alice = register("alice", "text.ircv3.net");
    assertThat(alice.subprotocol()).isEqualTo("text.ircv3.net");
    IrcTestClient bob = keep(IrcTestClient.register(irc, "bob"));
    WsClient carol = keep(WsClient.hello(web, "carol")); // the browser client's protocol, /ws

    alice.send("JOIN #lobby");
    alice.await(m -> m.command().equals("366"));
    bob.send("JOIN #lobby");
    bob.await(m -> m.command().equals("366"));
    alice.await(m -> m.command().equals("JOIN") && m.source().startsWith("bob!"));

    alice.send("PRIVMSG #lobby :hello from a browser");
    bob.await(m -> privmsg(m, "alice", "#lobby", "hello from a browser"));
    carol.await(f -> "message".equals(f.type()) && "alice".equals(f.string("from"))
        && "hello from a browser".equals(f.contentAsText()));

    bob.send("PRIVMSG #lobby :hello from a terminal");
    alice.await(m -> privmsg(m, "bob", "#lobby", "hello from a terminal"));
    carol.send(Json.header("msg").put("id", "c1").put("room", "lobby"), "hello from the web client");
    alice.await(m -> privmsg(m, "carol", "#lobby", "hello from the web client"));

    bob.send("PRIVMSG alice :just you");
    alice.await(m -> privmsg(m, "bob", "alice", "just you"));
    alice.send("PRIVMSG bob :just you too");
    bob.await(m -> privmsg(m, "alice", "bob", "just you too"));

    // One line per text message, never with its line ending.
    assertThat(alice.messages).allSatisfy(m -> {
      assertThat(m.binary()).isFalse();
      assertThat(m.text()).doesNotContain("\r", "\n").isNotEmpty();
      assertThat(m.text().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(510 + 8192);
    });
  }

  @Test
  void aBinaryClientGetsBinaryMessagesAndItsInvalidUtf8BecomesReplacementCharacters()
      throws Exception {
    start();
    IrcWsClient alice = register("alice", "binary.ircv3.net");
    assertThat(alice.subprotocol()).isEqualTo("binary.ircv3.net");
    IrcTestClient bob = keep(IrcTestClient.register(irc, "bob"));

    alice.bytes("PRIVMSG bob :caf\u00e9 ok".getBytes(StandardCharsets.UTF_8));
    bob.await(m -> privmsg(m, "alice", "bob", "caf\u00e9 ok"));
    alice.bytes("PRIVMSG bob :caf\u00e9".getBytes(StandardCharsets.ISO_8859_1)); // 0xE9 alone
    bob.await(m -> privmsg(m, "alice", "bob", "caf\uFFFD"));
    alice.bytes("PRIVMSG bob :with its own line ending\r\n".getBytes(StandardCharsets.UTF_8));
    bob.await(m -> privmsg(m, "alice", "bob", "with its own line ending"));

    bob.send("PRIVMSG alice :h\u00e9llo");
    alice.await(m -> privmsg(m, "bob", "alice", "h\u00e9llo"));
    assertThat(alice.messages).allSatisfy(m -> {
      assertThat(m.binary()).isTrue();
      assertThat(m.text()).doesNotContain("\r", "\n");
    });
  }

  @Test
  void theClientsOrderOfPreferenceWinsAndNoSubprotocolMeansText() throws Exception {
    start();
    try (IrcWsClient first = IrcWsClient.connect(web, "/irc", null, "binary.ircv3.net",
        "text.ircv3.net");
        IrcWsClient second = IrcWsClient.connect(web, "/irc", null, "text.ircv3.net",
            "binary.ircv3.net");
        IrcWsClient none = IrcWsClient.connect(web, "/irc", null);
        IrcWsClient unknownToo = IrcWsClient.connect(web, "/irc", null, "x.example",
            "text.ircv3.net")) {
      assertThat(first.subprotocol()).isEqualTo("binary.ircv3.net");
      assertThat(second.subprotocol()).isEqualTo("text.ircv3.net");
      assertThat(none.subprotocol()).isEmpty();
      assertThat(unknownToo.subprotocol()).isEqualTo("text.ircv3.net");
      for (IrcWsClient c : List.of(first, second, none, unknownToo)) {
        c.send("PING :are-you-there");
        assertThat(c.await("PONG").param(1)).isEqualTo("are-you-there");
      }
      // Either kind of message is read, whatever was negotiated.
      second.bytes("PING :binary-too".getBytes(StandardCharsets.UTF_8));
      assertThat(second.await("PONG").param(1)).isEqualTo("binary-too");
      assertThat(first.messages).allMatch(IrcWsClient.Message::binary);
      assertThat(second.messages).noneMatch(IrcWsClient.Message::binary);
      assertThat(none.messages).noneMatch(IrcWsClient.Message::binary);
    }
  }

  @Test
  void capLsAndRegistrationWorkAsOnTheIrcPort() throws Exception {
    start();
    IrcWsClient alice = keep(IrcWsClient.connect(web, "/irc", "http://127.0.0.1:" + web,
        "text.ircv3.net"));
    alice.send("CAP LS 302");
    IrcMessage ls = alice.await("CAP");
    assertThat(ls.param(1)).isEqualTo("LS");
    assertThat(ls.params().get(ls.params().size() - 1))
        .contains("message-tags", "server-time", "echo-message", "batch", "labeled-response");
    alice.send("CAP REQ :echo-message server-time");
    assertThat(alice.await("CAP").param(1)).isEqualTo("ACK");
    alice.send("NICK alice").send("USER alice 0 * :Alice");
    alice.send("JOIN #early"); // before registration: 451, as on the IRC port
    alice.await("451");
    alice.send("CAP END");
    assertThat(alice.await("001").param(1)).contains("alice!alice@chat");
    assertThat(alice.await("372").param(1)).contains("welcome");
    alice.send("JOIN #lobby").send("PRIVMSG #lobby :echo me");
    IrcMessage echo = alice.await(m -> privmsg(m, "alice", "#lobby", "echo me"));
    assertThat(echo.tags()).containsKey("time");
  }

  @Test
  void anOverlongLineGets417AndTheConnectionGoesOn() throws Exception {
    start();
    IrcWsClient alice = register("alice", "text.ircv3.net");
    alice.send("PRIVMSG alice :" + "x".repeat(600));
    alice.await(m -> m.command().equals("417") && "alice".equals(m.param(0)));
    alice.send("@" + "a=" + "b".repeat(9000) + " PING :tags");
    alice.await("417");
    // A fragmented message past the largest taken in: 417, its rest dropped.
    alice.fragments("PRIVMSG alice :", "y".repeat(40_000), "y".repeat(40_000));
    alice.await("417");
    alice.send("PING :still-here");
    assertThat(alice.await("PONG").param(1)).isEqualTo("still-here");
    // The longest legal line (510 bytes) is taken.
    String longest = "PRIVMSG alice :" + "z".repeat(510 - "PRIVMSG alice :".length());
    alice.send(longest);
    alice.send("PING :after-longest");
    List<IrcMessage> seen = new ArrayList<>();
    alice.await(m -> {
      seen.add(m);
      return m.command().equals("PONG");
    });
    assertThat(seen).extracting(IrcMessage::command).doesNotContain("417");
  }

  @Test
  void aSingleFrameBeyondTheLargestMessageIsAWebSocketError() throws Exception {
    start();
    IrcWsClient alice = register("alice", "text.ircv3.net");
    // (A binary message: the JDK's client splits long text messages into several frames.)
    // The server may close before the client has written it all.
    alice.bytesMaybeCut(("PRIVMSG alice :" + "x".repeat(70_000))
        .getBytes(StandardCharsets.UTF_8));
    assertThat(alice.awaitClosed()).satisfiesAnyOf(
        c -> assertThat(c).startsWith("1009"),
        c -> assertThat(c).startsWith("error").contains("IOException"));
  }

  @Test
  void aPageFromAnotherOriginIsRefusedAndAnAllowedOneIsLetIn() throws Exception {
    start();
    assertThatThrownBy(() -> IrcWsClient.connect(web, "/irc", "https://evil.example",
        "text.ircv3.net"))
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(WebSocketHandshakeException.class)
        .satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse().statusCode())
            .isEqualTo(403));
    // The same check when an IRC client offers its subprotocol on /ws.
    assertThatThrownBy(() -> IrcWsClient.connect(web, "/ws", "https://evil.example",
        "binary.ircv3.net"))
        .cause().isInstanceOf(WebSocketHandshakeException.class);
    try (IrcWsClient allowed = IrcWsClient.connect(web, "/irc", "https://irc-client.example.org",
        "text.ircv3.net")) {
      allowed.send("PING :x");
      allowed.await("PONG");
    }
    assertThat(metrics()).contains("chat_websocket_refused_total{reason=\"origin\"} 2.0");
  }

  @Test
  void anIrcSubprotocolOnWsOrTheRootIsIrcAndWithoutOneWsStaysNative() throws Exception {
    start();
    for (String path : List.of("/ws", "/")) {
      try (IrcWsClient c = IrcWsClient.connect(web, path, null, "text.ircv3.net")) {
        assertThat(c.subprotocol()).isEqualTo("text.ircv3.net");
        c.send("NICK n" + path.length()).send("USER u 0 * :u");
        c.await("001");
      }
    }
    try (WsClient nativeClient = WsClient.hello(web, "native")) {
      assertThat(nativeClient.received).isNotEmpty();
    }
  }

  @Test
  void webSocketIrcConnectionsCountAsTheIrcDoor() throws Exception {
    start();
    register("alice", "text.ircv3.net");
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() ->
        metrics().contains("chat_connections{door=\"irc\"} 1.0"));
    String m = metrics();
    assertThat(m).contains("chat_connections{door=\"websocket\"} 0.0");
    assertThat(m).contains("chat_http_requests_total{endpoint=\"irc\",status=\"101\"} 1.0");
  }

  @Test
  void withoutTheIrcDoorThereIsNoIrcOverWebSocket() throws Exception {
    start(ServerConfig.defaults(), false);
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + web + "/irc")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(404);
    // /ws stays the browser client's WebSocket.
    try (WsClient nativeClient = WsClient.hello(web, "native")) {
      assertThat(nativeClient.received).isNotEmpty();
    }
  }

  @Test
  void theServerPingsAndDropsAClientThatDoesNotAnswer() throws Exception {
    start(ServerConfig.defaults().withPingInterval(Duration.ofMillis(700)), true);
    IrcWsClient alice = register("alice", "text.ircv3.net");
    IrcMessage ping = alice.await("PING");
    alice.send("PONG :" + ping.param(0)); // answered: still connected
    alice.await("PING");
    IrcMessage error = alice.await("ERROR"); // not answered
    assertThat(error.param(0)).contains("Ping timeout");
    assertThat(alice.awaitClosed()).startsWith("1000");
  }

  @Test
  void registrationMustFinishWithinTheHelloTimeout() throws Exception {
    start(ServerConfig.defaults().withCoreLimits(CoreLimits.DEFAULT.withConnections(
        ConnectionLimits.DEFAULT.withHelloTimeout(Duration.ofMillis(300)))), true);
    IrcWsClient slow = keep(IrcWsClient.connect(web, "/irc", null, "text.ircv3.net"));
    slow.send("CAP LS 302").send("NICK slow");
    assertThat(slow.await("ERROR").param(0)).contains("no hello within");
    slow.awaitClosed();
  }

  @Test
  void quitSaysErrorThenClosesTheWebSocket() throws Exception {
    start();
    IrcWsClient alice = register("alice", "text.ircv3.net");
    IrcTestClient bob = keep(IrcTestClient.register(irc, "bob"));
    alice.send("JOIN #lobby");
    alice.await("366");
    bob.send("JOIN #lobby");
    bob.await("366");
    alice.send("QUIT :bye now");
    assertThat(alice.await("ERROR").param(0)).contains("bye now");
    assertThat(alice.awaitClosed()).startsWith("1000");
    IrcMessage quit = bob.await("QUIT");
    assertThat(quit.source()).startsWith("alice!");
  }

  @Test
  void wssUsesTheWebDoorsCertificate(@TempDir Path dataDir) throws Exception {
    ServerTls tls = ServerTls.load(null, null, dataDir, List.of("localhost", "127.0.0.1"));
    start(ServerConfig.defaults().withTls(tls, false), true);
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(dataDir.resolve("tls").resolve("server-cert.pem"))) {
      trust.setCertificateEntry("server",
          CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(
        TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    HttpClient https = HttpClient.newBuilder().sslContext(context).build();
    IrcWsClient alice = keep(IrcWsClient.connect(https,
        URI.create("wss://localhost:" + web + "/irc"), "https://localhost:" + web,
        "binary.ircv3.net"));
    assertThat(alice.subprotocol()).isEqualTo("binary.ircv3.net");
    alice.send("NICK alice").send("USER alice 0 * :Alice");
    alice.await("001");
    IrcTestClient bob = keep(IrcTestClient.register(irc, "bob")); // loopback plaintext
    alice.send("PRIVMSG bob :over wss");
    bob.await(m -> privmsg(m, "alice", "bob", "over wss"));
  }

  private String metrics() throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + web + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }
}
