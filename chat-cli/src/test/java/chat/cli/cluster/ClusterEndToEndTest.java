package chat.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import chat.client.ChatClient;
import chat.client.ClientOptions;
import chat.cluster.NatsBus;
import chat.protocol.Frame;
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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Three servers in one JVM sharing rooms through the real PostgreSQL (127.0.0.1:5432) and NATS
 * (127.0.0.1:4222), each with its own store connection and bus, as three processes would be.
 * Skipped, saying why, when either is missing; CI runs both.
 */
class ClusterEndToEndTest {

  static final String PG = System.getProperty("chat.test.postgres",
      "jdbc:postgresql://127.0.0.1:5432/test?user=root");
  static final String NATS = System.getProperty("chat.test.nats", "nats://127.0.0.1:4222");

  private final String schema = "c_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
  private final List<AutoCloseable> open = new ArrayList<>();
  private final List<ChatServer> servers = new ArrayList<>();

  @BeforeEach
  void servicesRun() {
    String missing = null;
    try (Connection c = DriverManager.getConnection(PG + "&connectTimeout=3")) {
      c.isValid(3);
    } catch (Exception e) {
      missing = "PostgreSQL at " + PG + ": " + e.getMessage();
    }
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", 4222), 2000);
    } catch (Exception e) {
      missing = "NATS at " + NATS + ": " + e.getMessage();
    }
    if (missing != null) {
      System.err.println("ClusterEndToEndTest skipped: no " + missing);
    }
    assumeTrue(missing == null, "needs " + missing);
  }

  @AfterEach
  void stop() throws Exception {
    servers.forEach(ChatServer::close);
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
    try (Connection c = DriverManager.getConnection(PG); Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
  }

  private ChatServer node() throws Exception {
    Store store = Stores.open(PG + "&currentSchema=" + schema, null);
    open.add(store);
    NatsBus bus = NatsBus.connect(NATS, schema);
    open.add(bus);
    ChatServer server = new ChatServer(ServerConfig.defaults().withAddress("127.0.0.1", 0),
        Clock.systemUTC(), store).share(bus).start();
    servers.add(server);
    return server;
  }

  private static List<String> order(List<Frame> seen) {
    return seen.stream().filter(f -> "message".equals(f.type()) && "dev".equals(f.string("room"))
        && !f.header().path("history").asBoolean(false))
        .map(f -> f.number("seq", -1) + " " + f.contentAsText()).toList();
  }

  @Test
  void fiveSendersOnThreeServersAndEveryMemberSeesOneOrder() throws Exception {
    List<ChatServer> nodes = List.of(node(), node(), node());
    List<List<Frame>> seen = new ArrayList<>();
    List<ChatClient> readers = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      List<Frame> frames = new CopyOnWriteArrayList<>();
      seen.add(frames);
      ChatClient reader = ChatClient.connect(ClientOptions.of("127.0.0.1", nodes.get(i).port(),
          "reader" + i), frames::add);
      readers.add(reader);
      open.add(reader);
      reader.join("dev").get(10, TimeUnit.SECONDS);
    }
    List<ChatClient> senders = new ArrayList<>();
    for (int s = 0; s < 5; s++) {
      ChatClient sender = ChatClient.connect(ClientOptions.of("127.0.0.1",
          nodes.get(s % nodes.size()).port(), "sender" + s), f -> { });
      open.add(sender);
      sender.join("dev").get(10, TimeUnit.SECONDS);
      senders.add(sender);
    }
    int each = 40;
    List<CompletableFuture<Frame>> sent = new CopyOnWriteArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (ChatClient sender : senders) {
      threads.add(Thread.ofPlatform().start(() -> {
        for (int i = 0; i < each; i++) {
          sent.add(sender.say("dev", sender.nick() + " " + i));
        }
      }));
    }
    for (Thread t : threads) {
      t.join(30_000);
    }
    for (CompletableFuture<Frame> f : sent) {
      f.get(30, TimeUnit.SECONDS);
    }
    int total = 5 * each;
    await().atMost(Duration.ofSeconds(30)).until(() -> seen.stream()
        .allMatch(frames -> order(frames).size() >= total));
    List<String> first = order(seen.get(0));
    assertThat(first).hasSize(total);
    for (int i = 0; i < total; i++) {
      assertThat(first.get(i)).startsWith((i + 1) + " ");
    }
    for (List<Frame> frames : seen) {
      assertThat(order(frames)).as("every member, on every server, in one order")
          .isEqualTo(first);
    }
  }
}
