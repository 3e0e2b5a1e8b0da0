package chat.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import chat.core.ConnectionLimits;
import chat.core.CoreLimits;
import chat.core.FloodLimits;
import chat.protocol.Frame;
import chat.protocol.FrameLimits;
import chat.protocol.Json;
import java.io.IOException;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/**
 * Hostile and broken clients over real sockets on 127.0.0.1. Throughout, alice and bob keep
 * chatting, and each offender gets a clear error or a close with a reason.
 */
class AbuseTest {

  private ChatServer server;
  private WireClient alice;
  private WireClient bob;
  private final List<WireClient> offenders = new ArrayList<>();
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private int round;

  /** Limits for these tests: no connect-rate limit, a short hello deadline. */
  private static CoreLimits base() {
    return CoreLimits.DEFAULT.withConnections(new ConnectionLimits(400, 0, 1,
        Duration.ofSeconds(1)));
  }

  private void start(CoreLimits limits) throws Exception {
    server = new ChatServer(ServerConfig.defaults().withAddress("127.0.0.1", 0)
        .withFrameLimits(new FrameLimits(1024, 8192, 10))
        .withCoreLimits(limits))
        .start();
    alice = WireClient.hello(server.port(), "alice");
    bob = WireClient.hello(server.port(), "bob");
  }

  @AfterEach
  void stop() throws IOException {
    threads.shutdownNow();
    for (WireClient c : offenders) {
      c.close();
    }
    if (alice != null) {
      alice.close();
      bob.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private WireClient offender() throws IOException {
    WireClient c = new WireClient(server.port());
    offenders.add(c);
    return c;
  }

  private static ObjectNode msg(String id) {
    return Json.header("msg").put("id", id).put("room", "lobby");
  }

  /** alice and bob still reach each other. */
  private void chatStillWorks() throws IOException {
    String text = "still chatting " + (++round);
    alice.send(msg("a" + round), text);
    assertThat(alice.awaitReply("a" + round).contentAsText()).isEqualTo(text);
    bob.await(f -> "message".equals(f.type()) && text.equals(f.contentAsText()));
    bob.send(msg("b" + round), text + " too");
    assertThat(bob.awaitReply("b" + round).type()).isEqualTo("message");
    alice.await(f -> "message".equals(f.type()) && (text + " too").equals(f.contentAsText()));
  }

  private static Frame lastFatal(List<Frame> frames) {
    assertThat(frames).as("frames before the close").isNotEmpty();
    Frame last = frames.get(frames.size() - 1);
    assertThat(last.type()).isEqualTo("error");
    assertThat(last.header().get("fatal").asBoolean()).isTrue();
    return last;
  }

  @Test
  void aLengthPrefixOverTheLimitEndsThatConnectionOnly() throws Exception {
    start(base());
    WireClient c = offender();
    c.raw(new byte[] {(byte) 0xFF, (byte) 0xF0, '{'});
    Frame error = lastFatal(c.readUntilClosed());
    assertThat(error.string("code")).isEqualTo("header-too-large");
    assertThat(error.string("message")).contains("65520").contains("1024");
    chatStillWorks();
  }

  @Test
  void aFrameCutOffByACloseIsAnOrdinaryDisconnect() throws Exception {
    start(base());
    WireClient mallory = WireClient.hello(offender(), "mallory");
    byte[] frame = WireClient.bytes(msg("cut"), "never finished".getBytes(StandardCharsets.UTF_8));
    mallory.raw(java.util.Arrays.copyOf(frame, frame.length - 5));
    mallory.close();
    Frame quit = bob.await(f -> "quit".equals(f.type()) && "mallory".equals(f.string("nick")));
    assertThat(quit.string("reason")).isIn("connection closed", "connection reset");
    await().atMost(Duration.ofSeconds(5)).until(() -> server.hub().sessionCount() == 2);
    chatStillWorks();
  }

  @Test
  void randomBytesGetAFatalErrorOrTheHelloDeadline() throws Exception {
    start(base());
    for (int seed = 1; seed <= 20; seed++) {
      WireClient c = offender();
      byte[] noise = new byte[2048];
      new Random(seed).nextBytes(noise);
      try {
        c.raw(noise);
      } catch (IOException closedAlready) {
        // the server may close before every byte is written
      }
      List<Frame> frames;
      try {
        frames = c.readUntilClosed();
      } catch (SocketException reset) {
        continue; // closed with a reset before we read: closed all the same
      }
      if (!frames.isEmpty()) {
        assertThat(lastFatal(frames).string("code")).isIn("header-too-large", "bad-header",
            "too-many-errors", "hello-timeout");
      }
    }
    chatStillWorks();
  }

  @Test
  void invalidUtf8AndDeeplyNestedJsonAreErrorsThatKeepTheConnection() throws Exception {
    start(base());
    WireClient mallory = WireClient.hello(offender(), "mallory");
    mallory.raw(new byte[] {0, 4, '{', (byte) 0xC0, (byte) 0x80, '}'});
    assertThat(mallory.awaitType("error").string("code")).isEqualTo("bad-utf8");
    mallory.send(msg("content"), new byte[] {'o', 'k', (byte) 0xED, (byte) 0xA0, (byte) 0x80});
    assertThat(mallory.awaitReply("content").string("code")).isEqualTo("bad-content");
    String deep = "{\"type\":\"msg\",\"id\":\"deep\",\"room\":\"lobby\",\"x\":"
        + "[".repeat(400) + "]".repeat(400) + "}";
    byte[] header = deep.getBytes(StandardCharsets.UTF_8);
    byte[] frame = new byte[2 + header.length];
    frame[0] = (byte) (header.length >> 8);
    frame[1] = (byte) header.length;
    System.arraycopy(header, 0, frame, 2, header.length);
    mallory.raw(frame);
    Frame error = mallory.awaitType("error");
    assertThat(error.string("code")).isEqualTo("bad-json");
    assertThat(error.string("message")).containsIgnoringCase("nesting depth");
    assertThat(error.header().get("fatal").asBoolean()).isFalse();
    String nestedObjects = "{\"type\":\"ping\",\"id\":\"p\",\"a\":" + "{\"a\":".repeat(100)
        + "1" + "}".repeat(100) + "}";
    mallory.send(Json.header("ping").put("id", "p2"));
    assertThat(mallory.awaitReply("p2").type()).isEqualTo("pong");
    byte[] objects = nestedObjects.getBytes(StandardCharsets.UTF_8);
    byte[] objectFrame = new byte[2 + objects.length];
    objectFrame[0] = (byte) (objects.length >> 8);
    objectFrame[1] = (byte) objects.length;
    System.arraycopy(objects, 0, objectFrame, 2, objects.length);
    mallory.raw(objectFrame);
    assertThat(mallory.awaitType("error").string("code")).isEqualTo("bad-json");
    mallory.send(Json.header("ping").put("id", "alive"));
    assertThat(mallory.awaitReply("alive").type()).isEqualTo("pong");
    chatStillWorks();
  }

  @Test
  void joiningThousandsOfRoomsIsRefusedPolitelyPastTheLimit() throws Exception {
    start(base().withFlood(FloodLimits.OFF).withMaxRoomsPerSession(100));
    WireClient greedy = WireClient.hello(offender(), "greedy");
    int joins = 3000;
    Future<?> writer = threads.submit(() -> {
      java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
      for (int i = 0; i < joins; i++) {
        all.writeBytes(WireClient.bytes(Json.header("join").put("id", "j" + i)
            .put("room", "room" + i), new byte[0]));
      }
      greedy.raw(all.toByteArray());
      return null;
    });
    int ok = 0;
    int refused = 0;
    for (int i = 0; i < joins; i++) {
      Frame reply = greedy.awaitReply("j" + i);
      if ("ok".equals(reply.type())) {
        ok++;
      } else {
        assertThat(reply.string("code")).isEqualTo("too-many-rooms");
        assertThat(reply.string("message")).contains("limit per session is 100");
        refused++;
      }
    }
    writer.get(10, TimeUnit.SECONDS);
    assertThat(ok).isEqualTo(99); // and the lobby
    assertThat(refused).isEqualTo(joins - 99);
    greedy.send(Json.header("ping").put("id", "still"));
    assertThat(greedy.awaitReply("still").type()).isEqualTo("pong");
    chatStillWorks();
  }

  @Test
  void anAddressPastItsConnectionLimitIsRefusedWithTheLimitNamed() throws Exception {
    start(base().withConnections(new ConnectionLimits(50, 0, 1, Duration.ofSeconds(1))));
    List<WireClient> crowd = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      crowd.add(offender());
    }
    assertThat(server.hub().sessionCount()).isLessThanOrEqualTo(50);
    int refused = 0;
    for (WireClient c : crowd) {
      Frame error = lastFatal(c.readUntilClosed());
      assertThat(error.string("code")).isIn("too-many-connections", "hello-timeout");
      if ("too-many-connections".equals(error.string("code"))) {
        assertThat(error.string("message")).contains("127.0.0.1")
            .contains("limit per address is 50");
        refused++;
      }
    }
    // 48 places beside alice and bob; a few more free up as the silent ones time out
    assertThat(refused).isBetween(200, 252);
    await().atMost(Duration.ofSeconds(5)).until(() -> server.hub().sessionCount() == 2);
    chatStillWorks();
  }

  @Test
  void aReconnectStormIsThrottledPerAddress() throws Exception {
    start(base().withConnections(new ConnectionLimits(50, 10, 1, Duration.ofSeconds(1))));
    int welcomed = 0;
    int refused = 0;
    for (int i = 0; i < 100; i++) {
      try (WireClient c = offender()) {
        c.send(Json.header("hello").put("id", "h").put("version", 1));
        Frame first = c.read();
        if ("welcome".equals(first.type())) {
          welcomed++;
        } else {
          assertThat(first.string("code")).isEqualTo("connecting-too-fast");
          assertThat(first.string("message")).contains("try again in");
          assertThat(first.header().get("fatal").asBoolean()).isTrue();
          refused++;
        }
      }
    }
    // 10 in the burst, 2 of them taken by alice and bob, one more per second of the storm
    assertThat(welcomed).isBetween(8, 30);
    assertThat(refused).isEqualTo(100 - welcomed);
    await().atMost(Duration.ofSeconds(5)).until(() -> server.hub().sessionCount() == 2);
    chatStillWorks();
  }

  @Test
  void aClientTricklingBytesIsClosedAtTheHelloDeadline() throws Exception {
    start(base());
    WireClient slow = offender();
    byte[] hello = WireClient.bytes(Json.header("hello").put("id", "h").put("version", 1)
        .put("nick", "trickle"), new byte[0]);
    ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
    try {
      int[] next = {0};
      ticker.scheduleAtFixedRate(() -> {
        try {
          if (next[0] < hello.length) {
            slow.raw(new byte[] {hello[next[0]++]});
          }
        } catch (IOException closed) {
          throw new IllegalStateException(closed); // stops the ticker
        }
      }, 0, 250, TimeUnit.MILLISECONDS);
      Frame error = lastFatal(slow.readUntilClosed());
      assertThat(error.string("code")).isEqualTo("hello-timeout");
      assertThat(error.string("message")).isEqualTo("no hello within 1 s");
      assertThat(next[0]).isLessThan(hello.length);
    } finally {
      ticker.shutdownNow();
    }
    chatStillWorks();
  }

  @Test
  void aFloodIsPushedBackWithANoticeThenDisconnectedWithAReason() throws Exception {
    start(base().withFlood(new FloodLimits(20, 20, 0, 1, 2, 5, Duration.ofSeconds(1))));
    WireClient flooder = WireClient.hello(offender(), "flooder");
    int sent = 2000;
    threads.submit(() -> {
      try {
        for (int i = 0; i < sent; i++) {
          flooder.send(msg("f" + i), "flood " + i);
        }
      } catch (IOException closed) {
        // the server hung up on us, as it should
      }
      return null;
    });
    List<Frame> frames = flooder.readUntilClosed();
    Frame error = lastFatal(frames);
    assertThat(error.string("code")).isEqualTo("flooding");
    assertThat(error.string("message")).contains("excess flood");
    assertThat(frames).filteredOn(f -> "notice".equals(f.type()))
        .anySatisfy(f -> assertThat(f.contentAsText()).startsWith("slow down"));
    List<Frame> confirmed = frames.stream().filter(f -> "message".equals(f.type())
        && f.id() != null).toList();
    assertThat(confirmed.size()).isBetween(20, sent - 1);
    assertThat(frames).noneSatisfy(f -> assertThat(f.string("code")).isEqualTo("rate-limited"));
    Frame quit = bob.await(f -> "quit".equals(f.type()) && "flooder".equals(f.string("nick")));
    assertThat(quit.string("reason")).contains("excess flood");
    chatStillWorks();
  }
}
