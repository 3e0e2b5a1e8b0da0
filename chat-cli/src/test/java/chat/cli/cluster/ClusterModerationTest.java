package chat.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import chat.client.ChatClient;
import chat.client.ChatErrorException;
import chat.client.ClientOptions;
import chat.cluster.NatsBus;
import chat.protocol.Frame;
import chat.protocol.Json;
import chat.protocol.Keys;
import chat.protocol.Types;
import chat.server.Argon2Hasher;
import chat.server.ChatServer;
import chat.server.ServerConfig;
import chat.store.Store;
import chat.store.Stores;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/**
 * Moderation on three servers sharing rooms through the real PostgreSQL (127.0.0.1:5432) and NATS
 * (127.0.0.1:4222), through real sockets and the client library: a change made on one server is
 * applied on every server, and their rules follow it. Skipped, saying why, when either is
 * missing; CI runs both.
 *
 * <p>Members are not yet known across servers, so whoever a command names (the op given, the
 * member kicked) is also connected where the command is made: an account on two servers.
 */
class ClusterModerationTest {

  private static final char[] PASSWORD = "correct horse battery".toCharArray();
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final String schema = "m_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
  private final List<AutoCloseable> open = new ArrayList<>();
  private final List<ChatServer> servers = new ArrayList<>();

  /** A connection and every event it got. */
  private record User(ChatClient client, List<Frame> events) {
    boolean got(String type, Predicate<Frame> which) {
      return events.stream().anyMatch(f -> type.equals(f.type()) && "dev".equals(f.string("room"))
          && which.test(f));
    }
  }

  @BeforeEach
  void servicesRun() {
    String missing = null;
    try (Connection c = DriverManager.getConnection(ClusterEndToEndTest.PG + "&connectTimeout=3")) {
      c.isValid(3);
    } catch (Exception e) {
      missing = "PostgreSQL at " + ClusterEndToEndTest.PG + ": " + e.getMessage();
    }
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", 4222), 2000);
    } catch (Exception e) {
      missing = "NATS at " + ClusterEndToEndTest.NATS + ": " + e.getMessage();
    }
    if (missing != null) {
      System.err.println("ClusterModerationTest skipped: no " + missing);
    }
    assumeTrue(missing == null, "needs " + missing);
  }

  @AfterEach
  void stop() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
    servers.forEach(ChatServer::close);
    for (AutoCloseable resource : stores) {
      resource.close();
    }
    try (Connection c = DriverManager.getConnection(ClusterEndToEndTest.PG);
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
  }

  private final List<AutoCloseable> stores = new ArrayList<>();

  private ChatServer node() throws Exception {
    Store store = Stores.open(ClusterEndToEndTest.PG + "&currentSchema=" + schema, null);
    stores.add(store);
    NatsBus bus = NatsBus.connect(ClusterEndToEndTest.NATS, schema);
    stores.add(bus);
    ChatServer server = new ChatServer(ServerConfig.defaults().withAddress("127.0.0.1", 0),
        Clock.systemUTC(), store, store, new Argon2Hasher(8 * 1024, 1, 1)).share(bus).start();
    servers.add(server);
    return server;
  }

  private User guest(ChatServer node, String nick) throws Exception {
    return connect(ClientOptions.of("127.0.0.1", node.port(), nick));
  }

  /** Registers the account {@code name} from {@code node}. */
  private User register(ChatServer node, String name) throws Exception {
    User user = guest(node, name);
    get(user.client().register(PASSWORD));
    return user;
  }

  private User login(ChatServer node, String name) throws Exception {
    User user = connect(ClientOptions.of("127.0.0.1", node.port(), name).withLogin(name, PASSWORD));
    assertThat(user.client().account()).isEqualTo(name);
    return user;
  }

  private User connect(ClientOptions options) throws Exception {
    List<Frame> events = new CopyOnWriteArrayList<>();
    ChatClient client = ChatClient.connect(options, events::add);
    open.add(client);
    return new User(client, events);
  }

  /** A {@code mode} event's changes, as JSON text. */
  private static String changes(Frame mode) {
    return mode.header().path("changes").toString();
  }

  private static Frame get(CompletableFuture<Frame> reply) throws Exception {
    return reply.get(20, TimeUnit.SECONDS);
  }

  private static Frame join(User user) throws Exception {
    return get(user.client().join("dev"));
  }

  /** The error code a request is refused with. */
  private static String refused(CompletableFuture<Frame> reply) {
    Throwable thrown = catchThrowable(() -> reply.get(20, TimeUnit.SECONDS));
    assertThat(thrown).isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(ChatErrorException.class);
    return ((ChatErrorException) thrown.getCause()).code();
  }

  private static CompletableFuture<Frame> roomCommand(User user, String action) {
    ObjectNode header = Json.header(Types.ROOM);
    header.put(Keys.ROOM, "dev");
    header.put("action", action);
    return user.client().request(header, null);
  }

  @Test
  void registrationBanTopicAndKeyMadeOnOneServerHoldOnAll() throws Exception {
    ChatServer a = node();
    ChatServer b = node();
    ChatServer c = node();
    User alice = register(a, "alice");
    join(alice);
    User onB = guest(b, "wb");
    join(onB);
    User onC = guest(c, "wc");
    join(onC);

    get(roomCommand(alice, "register"));
    await().atMost(WAIT).until(() -> onB.got("notice", f -> f.contentAsText().contains("registered"))
        && onC.got("notice", f -> f.contentAsText().contains("registered")));
    assertThat(get(roomCommand(onB, "info")).string("owner")).isEqualTo("alice");
    assertThat(get(roomCommand(onC, "info")).string("owner")).isEqualTo("alice");

    // A ban on A refuses a join on B and on C.
    get(alice.client().ban("dev", "mallory", "spam"));
    Predicate<Frame> ban = f -> changes(f).contains("\"+b\"") && changes(f).contains("mallory");
    await().atMost(WAIT).until(() -> onB.got("mode", ban) && onC.got("mode", ban));
    assertThat(refused(guest(b, "mallory").client().join("dev"))).isEqualTo("banned");
    assertThat(refused(guest(c, "mallory").client().join("dev"))).isEqualTo("banned");

    // A topic set on A is what a joiner on C is told.
    get(alice.client().topic("dev", "release on friday"));
    await().atMost(WAIT).until(() -> onC.got("topic", f -> true));
    Frame joined = join(guest(c, "carol"));
    assertThat(joined.string("topic")).isEqualTo("release on friday");
    assertThat(joined.string("topic-by")).isEqualTo("alice");

    // A key set on B (by the owner, logged in there) is needed on A.
    User aliceOnB = login(b, "alice");
    join(aliceOnB);
    get(aliceOnB.client().mode("dev", "+k", "s3cret"));
    await().atMost(WAIT).until(() -> alice.got("mode", f -> changes(f).contains("s3cret")));
    User dan = guest(a, "dan");
    assertThat(refused(dan.client().join("dev"))).isEqualTo("bad-key");
    get(dan.client().join("dev", "s3cret"));
  }

  @Test
  void anOperatorMadeOnOneServerKicksOnAnotherAndAKickRemovesTheMemberEverywhere()
      throws Exception {
    ChatServer a = node();
    ChatServer b = node();
    ChatServer c = node();
    User alice = register(a, "alice");
    join(alice);
    User bobby = register(a, "bobby");
    join(bobby);
    User bobbyOnC = login(c, "bobby");
    join(bobbyOnC);
    User eve = guest(c, "eve");
    join(eve);
    assertThat(refused(bobbyOnC.client().kick("dev", "eve", null))).isEqualTo("not-operator");

    // An op given on A to an account lets it kick on C.
    get(alice.client().op("dev", "bobby"));
    await().atMost(WAIT).until(() -> bobbyOnC.got("mode",
        f -> changes(f).contains("\"+o\"") && changes(f).contains("bobby")));
    get(bobbyOnC.client().kick("dev", "eve", "out"));
    await().atMost(WAIT).until(() -> eve.got("kicked", f -> "eve".equals(f.string("nick"))));

    // A kick on A of a member also connected to B removes them on B.
    User dave = register(a, "dave");
    join(dave);
    User daveOnB = login(b, "dave");
    join(daveOnB);
    User onB = guest(b, "wb");
    join(onB);
    get(alice.client().kick("dev", "dave", "enough"));
    await().atMost(WAIT).until(() -> daveOnB.got("kicked",
        f -> "dave".equals(f.string("nick")) && "enough".equals(f.string("reason"))));
    assertThat(daveOnB.client().isInRoom("dev")).isFalse();
    Frame said = get(onB.client().say("dev", "after the kick"));
    long seq = said.number("seq", -1);
    await().atMost(WAIT).until(() -> alice.got("message", f -> f.number("seq", -1) == seq));
    // B handed the message to its members before confirming it to its sender.
    assertThat(daveOnB.events()).noneMatch(f -> "message".equals(f.type())
        && "dev".equals(f.string("room")) && f.number("seq", -1) >= seq);
    String members = get(onB.client().who("dev")).contentAsText();
    assertThat(members).doesNotContain("dave").contains("wb");
  }
}
