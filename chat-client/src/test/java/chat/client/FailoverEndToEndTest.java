package chat.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import chat.protocol.Frame;
import chat.server.ChatServer;
import chat.server.ServerConfig;
import chat.server.tls.ServerTls;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client given several servers, against real servers on 127.0.0.1: it connects to the first
 * that answers, and resumes on another when its own goes. The servers share nothing (each is a
 * plain single server with a memory store), which is all the client side needs.
 */
@Timeout(60)
class FailoverEndToEndTest {

  @TempDir
  Path temp;

  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : closeables.reversed()) {
      c.close();
    }
  }

  private ChatServer server() throws Exception {
    return server(ServerConfig.defaults().withAddress("127.0.0.1", 0));
  }

  private ChatServer server(ServerConfig config) throws Exception {
    ChatServer server = new ChatServer(config).start();
    closeables.add(server);
    return server;
  }

  private static InetSocketAddress at(int port) {
    return new InetSocketAddress("127.0.0.1", port);
  }

  private static InetSocketAddress at(ChatServer server) {
    return at(server.port());
  }

  /** A port nothing listens on: connecting to it is refused at once. */
  private static int deadPort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private ChatClient track(ChatClient client) {
    closeables.add(client);
    return client;
  }

  @Test
  void aDeadAddressIsPassedForTheLiveOne() throws Exception {
    ChatServer live = server();
    ClientOptions options = ClientOptions.of(List.of(at(deadPort()), at(live)), "alice");

    ChatClient client = track(ChatClient.connect(options, ClientListener.NONE));

    assertThat(client.server().getPort()).isEqualTo(live.port());
    assertThat(client.nick()).isEqualTo("alice");
    assertThat(live.hub().sessionCount()).isEqualTo(1);
  }

  @Test
  void aServerThatAcceptsButNeverAnswersIsGivenUpAfterTheConnectTimeout() throws Exception {
    ChatServer live = server();
    // The kernel completes the TCP handshake into the backlog; nobody ever reads or answers.
    try (ServerSocket silent = new ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress())) {
      ClientOptions options = ClientOptions.of(List.of(at(silent.getLocalPort()), at(live)),
          "alice").withConnectTimeout(Duration.ofMillis(300));

      ChatClient client = track(ChatClient.connect(options, ClientListener.NONE));

      assertThat(client.server().getPort()).isEqualTo(live.port());
    }
  }

  @Test
  void whenNoneAnswersTheErrorNamesEachAddressAndWhy() throws Exception {
    int a = deadPort();
    int b = deadPort();
    ClientOptions options = ClientOptions.of(List.of(at(a), at(b)), "alice");

    assertThatThrownBy(() -> ChatClient.connect(options, ClientListener.NONE))
        .isInstanceOf(ChatClientException.class)
        .hasMessageContaining("could not connect to any of 2 servers")
        .hasMessageContaining("127.0.0.1:" + a + ": Connection refused")
        .hasMessageContaining("127.0.0.1:" + b + ": Connection refused");
  }

  @Test
  void oneDeadServerFailsWithItsOwnMessageAsBefore() throws Exception {
    int port = deadPort();
    assertThatThrownBy(() -> ChatClient.connect(ClientOptions.of("127.0.0.1", port, "alice"),
        ClientListener.NONE))
        .hasMessage("could not connect to 127.0.0.1:" + port + ": Connection refused");
  }

  @Test
  void aRefusalOfTheUserIsNotTakenToTheNextServer() throws Exception {
    ChatServer first = server();
    ChatServer second = server();
    track(ChatClient.connect(ClientOptions.of("127.0.0.1", first.port(), "alice"),
        ClientListener.NONE));
    ClientOptions both = ClientOptions.of(List.of(at(first), at(second)), "alice");

    // The nick is taken on the first server: that is the user's to answer, not a dead server.
    assertThatThrownBy(() -> ChatClient.connect(both, ClientListener.NONE))
        .isInstanceOfSatisfying(ChatClientException.class,
            e -> assertThat(e.code()).isEqualTo("nick-in-use"));
    assertThat(second.hub().sessionCount()).isZero();
  }

  @Test
  void aClientOfAClosedServerResumesOnTheNextWithItsNickAndRooms() throws Exception {
    ChatServer first = server();
    ChatServer second = server();
    ClientOptions options = ClientOptions.of(List.of(at(first), at(second)), "alice");
    List<String> resumed = new CopyOnWriteArrayList<>();
    List<Frame> events = new CopyOnWriteArrayList<>();
    ClientListener listener = new ClientListener() {
      @Override
      public void onEvent(Frame event) {
        events.add(event);
      }

      @Override
      public void onResumed(String room, long since, long skipped, Frame reply) {
        resumed.add(room);
      }
    };
    ResumeState state = new ResumeState();
    ChatClient client = track(ChatClient.connect(options, listener, state));
    assertThat(client.server().getPort()).isEqualTo(first.port());
    client.join("ops").get(5, TimeUnit.SECONDS);
    client.say("ops", "on the first server").get(5, TimeUnit.SECONDS);
    assertThat(state.server()).isEqualTo(client.server());

    first.close();
    client.closeFuture().get(10, TimeUnit.SECONDS);

    // What a reconnect does (the terminal's Reconnects, a bot, a test): the same options and state.
    ChatClient again = track(ChatClient.connect(options, listener, state));

    assertThat(again.server().getPort()).isEqualTo(second.port());
    assertThat(again.nick()).isEqualTo("alice");
    await().atMost(Duration.ofSeconds(10)).until(() -> again.isInRoom("ops"));
    assertThat(resumed).contains("ops");
    assertThat(state.server()).isEqualTo(again.server());
    Frame said = again.say("ops", "on the second server").get(5, TimeUnit.SECONDS);
    assertThat(said.contentAsText()).isEqualTo("on the second server");
  }

  @Test
  void aReconnectTriesTheServerItWasOnFirst() throws Exception {
    ChatServer first = server();
    ChatServer second = server();
    ResumeState state = new ResumeState();
    // The last connection was on the second server: going back there keeps the guest's place.
    ChatClient onSecond = ChatClient.connect(ClientOptions.of("127.0.0.1", second.port(), "bob"),
        ClientListener.NONE, state);
    onSecond.close();
    await().atMost(Duration.ofSeconds(10)).until(() -> second.hub().sessionCount() == 0);

    ChatClient again = track(ChatClient.connect(
        ClientOptions.of(List.of(at(first), at(second)), "bob"), ClientListener.NONE, state));

    assertThat(again.server().getPort()).isEqualTo(second.port());
    assertThat(first.hub().sessionCount()).isZero();
  }

  @Test
  void eachServerIsTrustedOnFirstUseUnderItsOwnAddress() throws Exception {
    ServerTls tlsA = ServerTls.load(null, null, temp.resolve("a"), List.of("127.0.0.1"));
    ServerTls tlsB = ServerTls.load(null, null, temp.resolve("b"), List.of("127.0.0.1"));
    ChatServer first = server(
        ServerConfig.defaults().withAddress("127.0.0.1", 0).withTls(tlsA, false));
    ChatServer second = server(
        ServerConfig.defaults().withAddress("127.0.0.1", 0).withTls(tlsB, false));
    Path known = temp.resolve("known_servers");
    List<String> notices = new CopyOnWriteArrayList<>();
    ClientTls tls = ClientTls.defaults().withMode(ClientTls.Mode.ON).withKnownServers(known)
        .withNotices(notices::add);
    ClientOptions options = ClientOptions.of(List.of(at(first), at(second)), "carol")
        .withTls(tls);
    ResumeState state = new ResumeState();

    ChatClient client = track(ChatClient.connect(options, ClientListener.NONE, state));
    assertThat(client.serverFingerprint()).isEqualTo(tlsA.fingerprint());
    first.close();
    client.closeFuture().get(10, TimeUnit.SECONDS);
    ChatClient again = track(ChatClient.connect(options, ClientListener.NONE, state));

    assertThat(again.serverFingerprint()).isEqualTo(tlsB.fingerprint());
    assertThat(Files.readAllLines(known)).containsExactly(
        "127.0.0.1:" + first.port() + " " + tlsA.fingerprint(),
        "127.0.0.1:" + second.port() + " " + tlsB.fingerprint());
    assertThat(notices).hasSize(2);
  }

  @Test
  void aChangedCertificateStopsTheAttemptRatherThanMovingOn() throws Exception {
    ServerTls tls = ServerTls.load(null, null, temp.resolve("a"), List.of("127.0.0.1"));
    ChatServer first = server(
        ServerConfig.defaults().withAddress("127.0.0.1", 0).withTls(tls, false));
    ChatServer second = server(
        ServerConfig.defaults().withAddress("127.0.0.1", 0).withTls(tls, false));
    Path known = temp.resolve("known_servers");
    Files.writeString(known, "127.0.0.1:" + first.port() + " SHA256:00\n");
    ClientOptions options = ClientOptions.of(List.of(at(first), at(second)), "dave")
        .withTls(ClientTls.defaults().withMode(ClientTls.Mode.ON).withKnownServers(known)
            .withNotices(n -> { }));

    assertThatThrownBy(() -> ChatClient.connect(options, ClientListener.NONE))
        .isInstanceOf(UntrustedServerException.class);
    assertThat(second.hub().sessionCount()).isZero();
  }
}
