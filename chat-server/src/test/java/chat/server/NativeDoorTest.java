package chat.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import chat.protocol.Frame;
import chat.protocol.FrameLimits;
import chat.protocol.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** The native door over real sockets on 127.0.0.1: framing, errors, lifecycle. */
class NativeDoorTest {

  private ChatServer server;

  @BeforeEach
  void start() throws Exception {
    server = new ChatServer(ServerConfig.defaults().withAddress("127.0.0.1", 0)
        .withFrameLimits(new FrameLimits(1024, 2048, 10))
        .withPingInterval(Duration.ofMillis(300)))
        .start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static ObjectNode msg(String id, String room) {
    return Json.header("msg").put("id", id).put("room", room);
  }

  @Test
  void helloThenWelcomeWithLimitsThenLobbyJoin() throws Exception {
    try (WireClient c = new WireClient(server.port())) {
      c.send(Json.header("hello").put("id", "1").put("version", 1).put("nick", "alice"));
      Frame welcome = c.read();
      assertThat(welcome.type()).isEqualTo("welcome");
      assertThat(welcome.id()).isEqualTo("1");
      assertThat(welcome.string("nick")).isEqualTo("alice");
      assertThat(welcome.header().get("limits").get("max-content-bytes").asInt()).isEqualTo(2048);
      Frame joined = c.read();
      assertThat(joined.type()).isEqualTo("joined");
      assertThat(joined.string("room")).isEqualTo("lobby");
    }
  }

  @Test
  void requestsBeforeHelloAreRefusedButTheConnectionStays() throws Exception {
    try (WireClient c = new WireClient(server.port())) {
      c.send(Json.header("join").put("id", "1").put("room", "x"));
      Frame error = c.awaitReply("1");
      assertThat(error.string("code")).isEqualTo("not-ready");
      c.send(Json.header("hello").put("id", "2").put("version", 1));
      assertThat(c.awaitReply("2").type()).isEqualTo("welcome");
    }
  }

  @Test
  void wrongProtocolVersionIsRefused() throws Exception {
    try (WireClient c = new WireClient(server.port())) {
      c.send(Json.header("hello").put("id", "1").put("version", 99));
      assertThat(c.awaitReply("1").string("code")).isEqualTo("unsupported-version");
    }
  }

  @Test
  void framesMergedIntoOneWriteAreAllAnswered() throws Exception {
    try (WireClient c = WireClient.hello(server.port(), "alice")) {
      byte[] one = WireClient.bytes(msg("a", "lobby"), "one".getBytes(StandardCharsets.UTF_8));
      byte[] two = WireClient.bytes(msg("b", "lobby"), "two".getBytes(StandardCharsets.UTF_8));
      byte[] three = WireClient.bytes(Json.header("ping").put("id", "c"), new byte[0]);
      byte[] all = new byte[one.length + two.length + three.length];
      System.arraycopy(one, 0, all, 0, one.length);
      System.arraycopy(two, 0, all, one.length, two.length);
      System.arraycopy(three, 0, all, one.length + two.length, three.length);
      c.raw(all);
      assertThat(c.awaitReply("a").contentAsText()).isEqualTo("one");
      assertThat(c.awaitReply("b").contentAsText()).isEqualTo("two");
      assertThat(c.awaitReply("c").type()).isEqualTo("pong");
    }
  }

  @Test
  void frameSentOneByteAtATimeWithUtf8SplitArrivesIntact() throws Exception {
    try (WireClient c = WireClient.hello(server.port(), "alice")) {
      String text = "h\u00e9llo \u20ac \uD83D\uDE00";
      byte[] frame = WireClient.bytes(msg("a", "lobby"), text.getBytes(StandardCharsets.UTF_8));
      for (byte b : frame) {
        c.raw(new byte[] {b});
      }
      assertThat(c.awaitReply("a").contentAsText()).isEqualTo(text);
    }
  }

  @Test
  void oversizedContentGetsAnErrorNamingTheLimitAndTheConnectionStaysUsable() throws Exception {
    try (WireClient c = WireClient.hello(server.port(), "alice")) {
      byte[] big = new byte[5000];
      Arrays.fill(big, (byte) 'x');
      c.send(msg("big", "lobby"), big);
      Frame error = c.awaitReply("big");
      assertThat(error.string("code")).isEqualTo("content-too-large");
      assertThat(error.string("message")).contains("2048");
      assertThat(error.header().get("fatal").asBoolean()).isFalse();
      c.send(msg("after", "lobby"), "still here");
      assertThat(c.awaitReply("after").contentAsText()).isEqualTo("still here");
    }
  }

  @Test
  void invalidJsonUnknownTypeMissingKeysAndBadUtf8AreErrorsNotDisconnects() throws Exception {
    try (WireClient c = WireClient.hello(server.port(), "alice")) {
      c.raw(new byte[] {0, 3, '{', 'x', '}'});
      assertThat(c.awaitType("error").string("code")).isEqualTo("bad-json");
      c.raw(new byte[] {0, 2, (byte) 0xC3, (byte) 0x28});
      assertThat(c.awaitType("error").string("code")).isEqualTo("bad-utf8");
      c.send(Json.header("dance").put("id", "u"));
      assertThat(c.awaitReply("u").string("code")).isEqualTo("unknown-type");
      c.send(Json.header("join").put("id", "k"));
      Frame missing = c.awaitReply("k");
      assertThat(missing.string("code")).isEqualTo("missing-key");
      assertThat(missing.string("message")).contains("room");
      c.send(msg("t", "lobby"), new byte[] {(byte) 0xFF, (byte) 0xFE});
      assertThat(c.awaitReply("t").string("code")).isEqualTo("bad-content");
      c.send(Json.header("ping").put("id", "p"));
      assertThat(c.awaitReply("p").type()).isEqualTo("pong");
    }
  }

  @Test
  void theOriginalDesignsTextHeaderIsAcceptedAndItsUnknownKeysIgnored() throws Exception {
    try (WireClient c = WireClient.hello(server.port(), "alice")) {
      byte[] text = "héllo".getBytes(java.nio.charset.StandardCharsets.UTF_8);
      c.send(msg("o", "lobby").put("byteorder", "little").put("content-type", "text/json")
          .put("content-encoding", "utf-8"), text);
      Frame echo = c.awaitReply("o");
      assertThat(echo.type()).isEqualTo("message");
      assertThat(echo.contentAsText()).isEqualTo("héllo");
      c.send(msg("g", "lobby").put("content-encoding", "gzip"), text);
      assertThat(c.awaitReply("g").string("code")).isEqualTo("bad-content");
      c.send(msg("l", "lobby").put("content-type", "text/plain; charset=latin1"), text);
      assertThat(c.awaitReply("l").string("code")).isEqualTo("bad-content");
      c.send(msg("b", "lobby").put("content-type", "image/png"), text);
      assertThat(c.awaitReply("b").string("code")).isEqualTo("bad-content");
    }
  }

  @Test
  void headerOverTheLimitEndsTheConnectionWithAFinalError() throws Exception {
    try (WireClient c = WireClient.hello(server.port(), "alice");
         WireClient bystander = WireClient.hello(server.port(), "bob")) {
      c.raw(new byte[] {(byte) 0xFF, (byte) 0xFF, '{'});
      List<Frame> last = c.readUntilClosed();
      assertThat(last).isNotEmpty();
      Frame error = last.get(last.size() - 1);
      assertThat(error.string("code")).isEqualTo("header-too-large");
      assertThat(error.string("message")).contains("65535").contains("1024");
      assertThat(error.header().get("fatal").asBoolean()).isTrue();
      Frame quit = bystander.awaitType("quit");
      assertThat(quit.string("nick")).isEqualTo("alice");
      assertThat(quit.string("reason")).contains("header-too-large");
      bystander.send(msg("still", "lobby"), "fine");
      assertThat(bystander.awaitReply("still").contentAsText()).isEqualTo("fine");
    }
  }

  @Test
  void cleanCloseAndAbruptResetAreAnnouncedToOthers() throws Exception {
    try (WireClient carol = WireClient.hello(server.port(), "carol")) {
      WireClient alice = WireClient.hello(server.port(), "alice");
      alice.close();
      Frame quit = carol.await(f -> "quit".equals(f.type()) && "alice".equals(f.string("nick")));
      assertThat(quit.string("reason")).isEqualTo("connection closed");

      WireClient bob = WireClient.hello(server.port(), "bob");
      bob.socket.setSoLinger(true, 0); // close sends RST
      bob.close();
      Frame reset = carol.await(f -> "quit".equals(f.type()) && "bob".equals(f.string("nick")));
      assertThat(reset.string("reason")).isIn("connection reset", "connection closed");
      await().atMost(Duration.ofSeconds(5)).until(() -> server.hub().sessionCount() == 1);
    }
  }

  @Test
  void silentPeerIsPingedThenDroppedAsDead() throws Exception {
    try (WireClient watcher = WireClient.hello(server.port(), "watcher");
         WireClient silent = WireClient.hello(server.port(), "silent")) {
      // watcher answers pings; silent reads them but never answers (like a half-open peer)
      Frame ping = silent.awaitType("ping");
      assertThat(ping.id()).isNotNull();
      long started = System.nanoTime();
      Frame quit = null;
      while (quit == null && System.nanoTime() - started < 5_000_000_000L) {
        Frame f = watcher.read();
        if ("ping".equals(f.type())) {
          watcher.send(Json.header("pong").put("id", f.id()));
        } else if ("quit".equals(f.type())) {
          quit = f;
        }
      }
      assertThat(quit).isNotNull();
      assertThat(quit.string("nick")).isEqualTo("silent");
      assertThat(quit.string("reason")).isEqualTo("ping timeout");
      List<Frame> rest = silent.readUntilClosed();
      assertThat(rest).extracting(f -> f.string("code")).contains("ping-timeout");
    }
  }

  @Test
  void shutdownSendsEveryClientANoticeAndCloses() throws Exception {
    try (WireClient a = WireClient.hello(server.port(), "alice");
         WireClient b = WireClient.hello(server.port(), "bob")) {
      server.close();
      for (WireClient c : List.of(a, b)) {
        List<Frame> rest = c.readUntilClosed();
        assertThat(rest).anySatisfy(f -> {
          assertThat(f.type()).isEqualTo("notice");
          assertThat(f.contentAsText()).isEqualTo(ChatServer.SHUTDOWN_NOTICE);
        });
      }
    }
  }

  @Test
  void quitRepliesOkAnnouncesReasonAndCloses() throws Exception {
    try (WireClient a = WireClient.hello(server.port(), "alice");
         WireClient b = WireClient.hello(server.port(), "bob")) {
      a.send(Json.header("quit").put("id", "q").put("reason", "dinner"));
      assertThat(a.awaitReply("q").type()).isEqualTo("ok");
      assertThat(a.readUntilClosed()).isEmpty();
      Frame quit = b.await(f -> "quit".equals(f.type()));
      assertThat(quit.string("reason")).isEqualTo("dinner");
    }
  }

  @Test
  void garbageFromOneClientDoesNotDisturbAnother() throws Exception {
    try (WireClient good = WireClient.hello(server.port(), "good");
         WireClient bad = new WireClient(server.port())) {
      java.util.Random random = new java.util.Random(42);
      byte[] noise = new byte[4096];
      random.nextBytes(noise);
      try {
        bad.raw(noise);
      } catch (IOException closedAlready) {
        // the server may close before all bytes are written
      }
      for (int i = 0; i < 20; i++) {
        good.send(msg("m" + i, "lobby"), "n" + i);
        assertThat(good.awaitReply("m" + i).number("seq", -1)).isEqualTo(i + 1);
      }
      assertThat(bad.readUntilClosed()).last().satisfies(f ->
          assertThat(f.header().get("fatal").asBoolean()).isTrue());
    }
  }

  private static ObjectNode mode(String id, String room, String... signsAndArgs) {
    ObjectNode h = Json.header("mode").put("id", id).put("room", room);
    var changes = h.putArray("changes");
    for (String change : signsAndArgs) {
      String[] parts = change.split(" ", 2);
      ObjectNode c = changes.addObject().put("mode", parts[0]);
      if (parts.length > 1) {
        c.put("arg", parts[1]);
      }
    }
    return h;
  }

  @Test
  void anOutsiderSpeaksToAMinusNRoomAndARefusedChangeIsNamed() throws Exception {
    try (WireClient alice = WireClient.hello(server.port(), "alice");
         WireClient carol = WireClient.hello(server.port(), "carol")) {
      alice.send(Json.header("join").put("id", "j").put("room", "dev"));
      alice.awaitReply("j");
      carol.send(msg("c1", "dev"), "knock knock");
      assertThat(carol.awaitReply("c1").string("code")).isEqualTo("not-in-room");

      alice.send(mode("m1", "dev", "-n", "+l many"));
      Frame refused = alice.awaitReply("m1");
      assertThat(refused.string("code")).isEqualTo("invalid-mode");
      assertThat(refused.string("about")).isEqualTo("+l");
      alice.send(mode("m2", "dev", "-n", "+s"));
      alice.awaitReply("m2");
      carol.send(Json.header("who").put("id", "w").put("room", "dev"));
      assertThat(carol.awaitReply("w").string("code")).as("secret").isEqualTo("no-such-room");
      alice.send(mode("m3", "dev", "-s"));
      alice.awaitReply("m3");
      carol.send(msg("c2", "dev"), "hello from outside");
      assertThat(carol.awaitReply("c2").contentAsText()).isEqualTo("hello from outside");
      Frame heard = alice.await(f -> "message".equals(f.type()) && "dev".equals(f.string("room")));
      assertThat(heard.string("from")).isEqualTo("carol");
      assertThat(heard.contentAsText()).isEqualTo("hello from outside");
    }
  }

  @Test
  void tagsReachTheRoomAndThePersonAndAreAnsweredWithTheirEvent() throws Exception {
    try (WireClient alice = WireClient.hello(server.port(), "alice");
         WireClient bob = WireClient.hello(server.port(), "bob")) {
      ObjectNode typing = Json.header("tags").put("id", "t1").put("room", "lobby");
      typing.putObject("tags").put("typing", "active");
      alice.send(typing);
      Frame answer = alice.awaitReply("t1");
      assertThat(answer.type()).isEqualTo("tags");
      Frame heard = bob.await(f -> "tags".equals(f.type()));
      assertThat(heard.string("room")).isEqualTo("lobby");
      assertThat(heard.string("from")).isEqualTo("alice");
      assertThat(heard.header().get("tags").get("typing").asString()).isEqualTo("active");
      assertThat(heard.string("msgid")).isEqualTo(answer.string("msgid"));

      ObjectNode direct = Json.header("tags").put("id", "t2").put("to", "bob");
      direct.putObject("tags").put("draft/react", "+1");
      alice.send(direct);
      alice.awaitReply("t2");
      Frame toBob = bob.await(f -> "tags".equals(f.type()) && f.header().has("to"));
      assertThat(toBob.string("to")).isEqualTo("bob");

      ObjectNode bad = Json.header("tags").put("id", "t3").put("room", "lobby");
      bad.putObject("tags").put("no spaces", "x");
      alice.send(bad);
      assertThat(alice.awaitReply("t3").string("code")).isEqualTo("invalid-tags");
    }
  }
}
