package chat.cli.term;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import chat.client.ChatClient;
import chat.client.ClientOptions;
import chat.core.ContinuityLimits;
import chat.core.CoreLimits;
import chat.core.store.MemoryStore;
import chat.protocol.Frame;
import chat.protocol.Keys;
import chat.protocol.Types;
import chat.server.Argon2Hasher;
import chat.server.ChatServer;
import chat.server.ServerConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The session survives a server restart: it reconnects with backoff and rejoins its rooms. */
class ReconnectTest {

  private static final Duration WAIT = Duration.ofSeconds(15);

  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final ChatSession.Output output = line -> lines.add(line.plain());
  private ChatServer server;
  private ChatSession session;
  private ChatClient watcher;
  private CutProxy proxy;

  @AfterEach
  void stop() throws Exception {
    if (session != null && !session.ended().isDone()) {
      session.quit(null);
    }
    if (proxy != null) {
      proxy.close();
    }
    if (watcher != null) {
      watcher.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private static ChatServer startServer(int port) throws Exception {
    return startServer(port, null, null);
  }

  /** With accounts in {@code store} unless it is null. */
  private static ChatServer startServer(int port, MemoryStore store, Argon2Hasher hasher)
      throws Exception {
    ServerConfig config = ServerConfig.defaults().withAddress("127.0.0.1", port);
    for (int attempt = 1; ; attempt++) { // The old listener's port may take a moment to free.
      try {
        return (store == null ? new ChatServer(config)
            : new ChatServer(config, Clock.systemUTC(), store, store, hasher)).start();
      } catch (RuntimeException e) {
        if (attempt == 20) {
          throw e;
        }
        TimeUnit.MILLISECONDS.sleep(100);
      }
    }
  }

  private boolean printed(String prefix) {
    return lines.stream().anyMatch(l -> l.startsWith(prefix));
  }

  @Test
  void reconnectsAndRejoinsItsRoomsUnderItsNick() throws Exception {
    server = startServer(0);
    int port = server.port();
    session = new ChatSession(ClientOptions.of("127.0.0.1", port, "carol"), output,
        new LineFormatter(Clock.systemDefaultZone()),
        new Backoff(Duration.ofMillis(100), Duration.ofMillis(400), 100));
    session.start();
    session.input("/join rust");
    await().atMost(WAIT).until(() -> printed("-- members of #rust: @carol"));

    server.close();
    await().atMost(WAIT).until(() -> printed("-- connection lost: "));
    assertThat(lines).contains(
        "-- connection lost: the server closed the connection; reconnecting in 100ms");
    session.input("lost words");
    assertThat(lines).contains("!! not connected; reconnecting (/quit to give up)");

    server = startServer(port);
    await().atMost(WAIT).until(() -> printed("-- reconnected to 127.0.0.1:" + port + " as carol"));
    await().atMost(WAIT).until(() -> session.joinedRooms().size() == 2);
    assertThat(session.currentRoom()).isEqualTo("rust");
    assertThat(session.prompt()).isEqualTo("#rust> ");

    List<Frame> seen = new CopyOnWriteArrayList<>();
    watcher = ChatClient.connect(ClientOptions.of("127.0.0.1", port, "watcher"), seen::add);
    Frame members = watcher.join("rust").get(10, TimeUnit.SECONDS);
    assertThat(members.field("members").toString()).contains("carol");
    session.input("back again");
    await().atMost(WAIT).until(() -> seen.stream().anyMatch(f -> Types.MESSAGE.equals(f.type())
        && "rust".equals(f.string("room")) && "back again".equals(f.contentAsText())
        && "carol".equals(f.string("from"))));

    session.quit("done");
    assertThat(session.ended().get(5, TimeUnit.SECONDS)).isZero();
  }

  @Test
  void givenTwoServersItResumesOnTheSecondWhenTheFirstGoes() throws Exception {
    server = startServer(0);
    ChatServer second = startServer(0);
    try {
      int first = server.port();
      ClientOptions options = ClientOptions.of(List.of(
          new java.net.InetSocketAddress("127.0.0.1", first),
          new java.net.InetSocketAddress("127.0.0.1", second.port())), "carol");
      session = new ChatSession(options, output, new LineFormatter(Clock.systemDefaultZone()),
          new Backoff(Duration.ofMillis(100), Duration.ofMillis(400), 100));
      session.start();
      session.input("/join rust");
      await().atMost(WAIT).until(() -> printed("-- members of #rust: @carol"));

      server.close();
      await().atMost(WAIT).until(
          () -> printed("-- reconnected to 127.0.0.1:" + second.port() + " as carol"));
      await().atMost(WAIT).until(() -> session.joinedRooms().size() == 2);
      assertThat(session.currentRoom()).isEqualTo("rust");

      List<Frame> seen = new CopyOnWriteArrayList<>();
      watcher = ChatClient.connect(ClientOptions.of("127.0.0.1", second.port(), "watcher"),
          seen::add);
      watcher.join("rust").get(10, TimeUnit.SECONDS);
      session.input("on the second server");
      await().atMost(WAIT).until(() -> seen.stream().anyMatch(f -> Types.MESSAGE.equals(f.type())
          && "on the second server".equals(f.contentAsText())
          && "carol".equals(f.string("from"))));
      session.quit("done");
      assertThat(session.ended().get(5, TimeUnit.SECONDS)).isZero();
    } finally {
      second.close();
    }
  }

  @Test
  void logsInAgainAfterAReconnect() throws Exception {
    MemoryStore store = new MemoryStore(); // Outlives the server, as a database would.
    Argon2Hasher hasher = new Argon2Hasher(8 * 1024, 1, 1);
    server = startServer(0, store, hasher);
    int port = server.port();
    Deque<String> answers = new ConcurrentLinkedDeque<>(List.of("kims-secret", "kims-secret"));
    ChatSession.Output withPasswords = new ChatSession.Output() {
      @Override
      public void show(Line line) {
        lines.add(line.plain());
      }

      @Override
      public char[] readSecret(String prompt) {
        lines.add("asked: " + prompt);
        String answer = answers.poll();
        return answer == null ? null : answer.toCharArray();
      }
    };
    session = new ChatSession(ClientOptions.of("127.0.0.1", port, "kim"), withPasswords,
        new LineFormatter(Clock.systemDefaultZone()),
        new Backoff(Duration.ofMillis(100), Duration.ofMillis(400), 100));
    session.start();
    session.input("/register");
    assertThat(lines).containsSubsequence("asked: password for kim: ",
        "asked: the same password again: ", "-- registered kim; you are logged in");

    server.close();
    await().atMost(WAIT).until(() -> printed("-- connection lost: "));
    server = startServer(port, store, hasher);
    await().atMost(WAIT).until(() -> printed(
        "-- reconnected to 127.0.0.1:" + port + " as kim, logged in"));
    assertThat(session.account()).isEqualTo("kim");
    assertThat(lines).noneMatch(l -> l.contains("kims-secret"));
    session.quit(null);
  }

  @Test
  void givesUpAfterTheLastAttempt() throws Exception {
    server = startServer(0);
    int port = server.port();
    session = new ChatSession(ClientOptions.of("127.0.0.1", port, "dave"), output,
        new LineFormatter(Clock.systemDefaultZone()),
        new Backoff(Duration.ofMillis(50), Duration.ofMillis(100), 3));
    session.start();
    server.close();
    assertThat(session.ended().get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(1);
    assertThat(lines).filteredOn(l -> l.startsWith("-- reconnect failed: ")).hasSize(2);
    assertThat(lines.getLast()).startsWith(
        "!! could not reconnect to 127.0.0.1:" + port + " after 3 attempts: ");
  }

  @Test
  void aSessionKilledByAnAdminEndsWithoutReconnecting() throws Exception {
    chat.server.Argon2Hasher hasher = new chat.server.Argon2Hasher(8 * 1024, 1, 1);
    chat.core.store.MemoryStore store = new chat.core.store.MemoryStore();
    store.create(new chat.core.store.Account("root", hasher.hash("root-password".toCharArray()),
        true, 0));
    server = new ChatServer(ServerConfig.defaults().withAddress("127.0.0.1", 0),
        Clock.systemUTC(), store, store, hasher).start();
    session = new ChatSession(ClientOptions.of("127.0.0.1", server.port(), "mallory"), output,
        new LineFormatter(Clock.systemDefaultZone()),
        new Backoff(Duration.ofMillis(50), Duration.ofMillis(100), 100));
    session.start();
    watcher = ChatClient.connect(ClientOptions.of("127.0.0.1", server.port(), null), f -> { });
    watcher.request(chat.protocol.Json.header("login").put("account", "root")
        .put("password", "root-password"), null).get(10, TimeUnit.SECONDS);
    watcher.kill("mallory", "flooding").get(10, TimeUnit.SECONDS);
    assertThat(session.ended().get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(1);
    assertThat(lines).contains("!! disconnected from the server by root (flooding)",
        "-- not reconnecting after being disconnected by an admin");
    assertThat(lines).noneMatch(l -> l.startsWith("-- connection lost"));
  }

  /** A server that holds a dropped guest's nick and rooms for {@code grace}. */
  private static ChatServer startServer(Duration grace) throws Exception {
    CoreLimits limits = CoreLimits.DEFAULT.withContinuity(new ContinuityLimits(1000, 10, grace,
        ContinuityLimits.DEFAULT.roomExpiry()));
    return new ChatServer(ServerConfig.defaults().withAddress("127.0.0.1", 0)
        .withCoreLimits(limits)).start();
  }

  /** Lines shown, and how often the prompt changed (a reconnect ends with a change). */
  private final AtomicInteger promptChanges = new AtomicInteger();
  private final ChatSession.Output counting = new ChatSession.Output() {
    @Override
    public void show(Line line) {
      lines.add(line.plain());
    }

    @Override
    public void promptChanged() {
      promptChanges.incrementAndGet();
    }
  };

  private long count(String prefix) {
    return lines.stream().filter(l -> l.startsWith(prefix)).count();
  }

  @Test
  void aGuestKeepsItsNickAndRoomsAcrossAShortDropAndNobodyNotices() throws Exception {
    server = startServer(Duration.ofSeconds(60));
    proxy = new CutProxy(server.port());
    List<Frame> seen = new CopyOnWriteArrayList<>();
    watcher = ChatClient.connect(ClientOptions.of("127.0.0.1", server.port(), "watcher"),
        seen::add);
    watcher.join("rust").get(10, TimeUnit.SECONDS);
    session = new ChatSession(ClientOptions.of("127.0.0.1", proxy.port(), null), counting,
        new LineFormatter(Clock.systemDefaultZone()),
        new Backoff(Duration.ofMillis(100), Duration.ofMillis(400), 100));
    session.start();
    String nick = session.nick();
    assertThat(nick).startsWith("Guest_");
    session.input("/join rust");
    await().atMost(WAIT).until(() -> printed("-- members of #rust: "));
    session.input("/leave lobby");
    await().atMost(WAIT).until(() -> session.joinedRooms().equals(List.of("rust")));

    int changes = promptChanges.get();
    int before = seen.size();
    proxy.cut();
    await().atMost(WAIT).until(() -> printed("-- reconnected to "));
    assertThat(lines).contains("-- reconnected to 127.0.0.1:" + proxy.port() + " as " + nick
        + ", nick and rooms kept");
    await().atMost(WAIT).until(() -> promptChanges.get() > changes); // the reconnect is over
    assertThat(session.nick()).isEqualTo(nick);
    assertThat(session.joinedRooms()).as("its rooms, and not lobby again")
        .containsExactly("rust");
    assertThat(session.currentRoom()).isEqualTo("rust");

    session.input("still here");
    await().atMost(WAIT).until(() -> seen.stream().anyMatch(f -> Types.MESSAGE.equals(f.type())
        && "still here".equals(f.contentAsText()) && nick.equals(f.string(Keys.FROM))));
    session.input("/who");
    await().atMost(WAIT).until(() -> count("-- members of #rust: ") == 2);
    assertThat(lines).as("nothing went wrong (no leave of a room it is not in)")
        .noneMatch(l -> l.startsWith("!! "));
    assertThat(seen.subList(before, seen.size())).as("the watcher never saw the guest go")
        .noneMatch(f ->
        (Types.QUIT_EVENT.equals(f.type()) || Types.LEFT.equals(f.type())
            || Types.JOINED.equals(f.type())) && nick.equals(f.string(Keys.NICK)));
  }

  @Test
  void aGuestWhoseNickWasTakenMeanwhileIsToldInOneLine() throws Exception {
    server = startServer(Duration.ZERO); // no grace: the guest leaves at the drop
    proxy = new CutProxy(server.port());
    List<Frame> seen = new CopyOnWriteArrayList<>();
    watcher = ChatClient.connect(ClientOptions.of("127.0.0.1", server.port(), "watcher"),
        seen::add);
    session = new ChatSession(ClientOptions.of("127.0.0.1", proxy.port(), null), output,
        new LineFormatter(Clock.systemDefaultZone()),
        new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(2), 100));
    session.start();
    String nick = session.nick();
    session.input("/join rust");
    await().atMost(WAIT).until(() -> printed("-- members of #rust: "));

    proxy.cut();
    await().atMost(WAIT).until(() -> seen.stream().anyMatch(f ->
        Types.QUIT_EVENT.equals(f.type()) && nick.equals(f.string(Keys.NICK))));
    try (ChatClient taker = ChatClient.connect(ClientOptions.of("127.0.0.1", server.port(), nick),
        f -> { })) {
      await().atMost(WAIT).until(() -> printed("-- reconnected to "));
      await().atMost(WAIT).until(() -> !session.nick().equals(nick)
          && session.joinedRooms().size() == 2);
      String now = session.nick();
      assertThat(lines).filteredOn(l -> l.startsWith("-- could not keep")).containsExactly(
          "-- could not keep the nick " + nick + " (it is taken); you are " + now);
      assertThat(lines).contains("-- reconnected to 127.0.0.1:" + proxy.port() + " as " + now);
      assertThat(session.joinedRooms()).containsExactlyInAnyOrder("lobby", "rust");
    }
  }
}
