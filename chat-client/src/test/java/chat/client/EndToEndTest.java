package chat.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import chat.protocol.Frame;
import chat.server.ChatServer;
import chat.server.ServerConfig;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A real server on 127.0.0.1 and several real clients, through the client library. */
class EndToEndTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private ChatServer server;
  private final List<ChatClient> clients = new ArrayList<>();

  /** Every frame a client's listener saw, in order. */
  static final class Recorder implements ClientListener {
    final List<Frame> frames = new CopyOnWriteArrayList<>();
    volatile boolean disconnected;

    @Override
    public void onEvent(Frame event) {
      frames.add(event);
    }

    @Override
    public void onDisconnected(Throwable cause) {
      disconnected = true;
    }

    List<Frame> matching(Predicate<Frame> p) {
      return frames.stream().filter(p).toList();
    }

    Frame await(Predicate<Frame> p) {
      return org.awaitility.Awaitility.await().atMost(WAIT)
          .until(() -> matching(p).stream().findFirst().orElse(null), f -> f != null);
    }

    List<Frame> messages(String room) {
      return matching(f -> "message".equals(f.type()) && room.equals(f.string("room")));
    }
  }

  record User(ChatClient client, Recorder recorder) {}

  @BeforeEach
  void start() throws Exception {
    server = new ChatServer(ServerConfig.defaults().withAddress("127.0.0.1", 0)
        .withPingInterval(Duration.ofMillis(200))).start();
  }

  @AfterEach
  void stop() {
    clients.forEach(ChatClient::close);
    server.close();
  }

  private User connect(String nick) throws Exception {
    Recorder recorder = new Recorder();
    ChatClient client = ChatClient.connect(ClientOptions.of("127.0.0.1", server.port(), nick), recorder);
    clients.add(client);
    recorder.await(f -> "joined".equals(f.type()) && client.nick().equals(f.string("nick")));
    return new User(client, recorder);
  }

  private static <T> T get(CompletableFuture<T> future) throws Exception {
    return future.get(10, TimeUnit.SECONDS);
  }

  @Test
  void threeClientsJoinAndEveryoneSeesEveryMessageInOneOrder() throws Exception {
    User alice = connect("alice");
    User bob = connect("bob");
    User carol = connect("carol");
    for (User u : List.of(alice, bob, carol)) {
      get(u.client().join("#dev"));
    }
    assertThat(get(alice.client().who("dev")).field("members").toString())
        .contains("alice", "bob", "carol");
    int perSender = 100;
    List<CompletableFuture<Frame>> sent = new ArrayList<>();
    for (int i = 0; i < perSender; i++) {
      for (User u : List.of(alice, bob, carol)) {
        sent.add(u.client().say("dev", u.client().nick() + " " + i));
      }
    }
    for (CompletableFuture<Frame> f : sent) {
      assertThat(get(f).type()).isEqualTo("message");
    }
    List<String> reference = null;
    for (User u : List.of(alice, bob, carol)) {
      await().atMost(WAIT).until(() -> u.recorder().messages("dev").size() == 3 * perSender);
      List<Frame> got = u.recorder().messages("dev");
      for (int i = 0; i < got.size(); i++) {
        assertThat(got.get(i).number("seq", -1)).as("seq at %d for %s", i, u.client().nick())
            .isEqualTo(i + 1);
        assertThat(got.get(i).number("ts", 0)).isPositive();
        assertThat(got.get(i).string("msgid")).isNotBlank();
      }
      List<String> order = got.stream().map(f -> f.string("msgid")).toList();
      if (reference == null) {
        reference = order;
      } else {
        assertThat(order).isEqualTo(reference);
      }
    }
    // each sender's own messages appear in the order it sent them
    List<String> aliceTexts = alice.recorder().messages("dev").stream()
        .filter(f -> "alice".equals(f.string("from"))).map(Frame::contentAsText).toList();
    assertThat(aliceTexts).startsWith("alice 0", "alice 1", "alice 2").hasSize(perSender);
  }

  @Test
  void privateMessageReachesOnlyItsRecipient() throws Exception {
    User alice = connect("alice");
    User bob = connect("bob");
    User carol = connect("carol");
    Frame echo = get(alice.client().privmsg("bob", "just between us"));
    assertThat(echo.string("from")).isEqualTo("alice");
    Frame got = bob.recorder().await(f -> "privmsg".equals(f.type()));
    assertThat(got.contentAsText()).isEqualTo("just between us");
    assertThat(got.string("msgid")).isEqualTo(echo.string("msgid"));
    get(carol.client().ping());
    assertThat(carol.recorder().matching(f -> "privmsg".equals(f.type()))).isEmpty();
    assertThatThrownBy(() -> get(alice.client().privmsg("nobody", "x")))
        .hasCauseInstanceOf(ChatErrorException.class)
        .hasMessageContaining("no-such-nick");
  }

  @Test
  void actionsAreMarkedAsSuch() throws Exception {
    User alice = connect("alice");
    User bob = connect("bob");
    get(alice.client().action("lobby", "waves"));
    Frame got = bob.recorder().await(f -> "message".equals(f.type()));
    assertThat(got.string("kind")).isEqualTo("action");
    assertThat(got.contentAsText()).isEqualTo("waves");
  }

  @Test
  void nickChangeAndLeaveAreAnnounced() throws Exception {
    User alice = connect("alice");
    User bob = connect("bob");
    User carol = connect("carol");
    get(alice.client().nick("alicia"));
    assertThat(alice.client().nick()).isEqualTo("alicia");
    for (User u : List.of(bob, carol)) {
      Frame n = u.recorder().await(f -> "nick".equals(f.type()));
      assertThat(n.string("old")).isEqualTo("alice");
      assertThat(n.string("nick")).isEqualTo("alicia");
    }
    assertThatThrownBy(() -> get(bob.client().nick("ALICIA"))).hasMessageContaining("nick-in-use");
    get(carol.client().leave("lobby", "off to work"));
    Frame left = bob.recorder().await(f -> "left".equals(f.type()));
    assertThat(left.string("nick")).isEqualTo("carol");
    assertThat(left.string("reason")).isEqualTo("off to work");
    Frame message = get(bob.client().say("lobby", "after carol left"));
    await().atMost(WAIT).until(() -> !alice.recorder().messages("lobby").isEmpty());
    assertThat(carol.recorder().messages("lobby")).isEmpty();
    assertThat(message.number("seq", -1)).isEqualTo(1);
  }

  @Test
  void cleanQuitAndAbruptDisconnectAreAnnounced() throws Exception {
    User alice = connect("alice");
    User bob = connect("bob");
    get(bob.client().quit("gone fishing"));
    Frame quit = alice.recorder().await(f -> "quit".equals(f.type()) && "bob".equals(f.string("nick")));
    assertThat(quit.string("reason")).isEqualTo("gone fishing");

    // A raw socket that says hello and then vanishes with a reset.
    try (Socket raw = new Socket("127.0.0.1", server.port())) {
      byte[] hello = "{\"type\":\"hello\",\"version\":1,\"nick\":\"mallory\"}".getBytes();
      raw.getOutputStream().write(new byte[] {0, (byte) hello.length});
      raw.getOutputStream().write(hello);
      raw.getOutputStream().flush();
      alice.recorder().await(f -> "joined".equals(f.type()) && "mallory".equals(f.string("nick")));
      raw.setSoLinger(true, 0);
    }
    Frame gone = alice.recorder().await(f -> "quit".equals(f.type()) && "mallory".equals(f.string("nick")));
    assertThat(gone.string("reason")).isIn("connection reset", "connection closed");
    assertThat(get(alice.client().who("lobby")).field("members").toString())
        .doesNotContain("mallory").doesNotContain("bob");
  }

  @Test
  void clientAnswersKeepAlivePingsAndStaysConnected() throws Exception {
    User alice = connect("alice");
    User bob = connect("bob");
    // several ping intervals of silence
    await().pollDelay(Duration.ofMillis(1200)).atMost(WAIT).until(() -> true);
    assertThat(alice.client().isConnected()).isTrue();
    assertThat(bob.recorder().matching(f -> "quit".equals(f.type()))).isEmpty();
    get(alice.client().say("lobby", "still here"));
  }

  @Test
  void connectingToNothingSaysSoClearly() {
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
    assertThatThrownBy(() -> ChatClient.connect(ClientOptions.of("127.0.0.1", port, "x"), new Recorder()))
        .isInstanceOf(ChatClientException.class)
        .hasMessageStartingWith("could not connect to 127.0.0.1:" + port);
  }

  @Test
  void joiningMemberGetsRecentHistoryMarkedAsSuchAndCanPageBack() throws Exception {
    User alice = connect("alice");
    get(alice.client().join("archive"));
    for (int i = 1; i <= 60; i++) {
      get(alice.client().say("archive", "m" + i));
    }
    User bob = connect("bob");
    get(bob.client().join("archive"));
    List<Frame> replayed = bob.recorder().matching(f -> "message".equals(f.type())
        && f.header().has("history"));
    assertThat(replayed).hasSize(50); // --history-on-join default
    assertThat(replayed.get(0).contentAsText()).isEqualTo("m11");
    assertThat(replayed.get(49).number("seq", -1)).isEqualTo(60);
    Frame ok = get(bob.client().history("archive", 11L, 200));
    assertThat(ok.number("count", -1)).isEqualTo(10);
    assertThat(ok.header().get("more").asBoolean()).isFalse();
    assertThat(bob.recorder().messages("archive")).extracting(Frame::contentAsText)
        .contains("m1", "m10");
  }

  @Test
  void shutdownNoticeReachesClients() throws Exception {
    User alice = connect("alice");
    server.close();
    Frame notice = alice.recorder().await(f -> "notice".equals(f.type()));
    assertThat(notice.contentAsText()).isEqualTo(ChatServer.SHUTDOWN_NOTICE);
    await().atMost(WAIT).until(() -> alice.recorder().disconnected);
  }
}
