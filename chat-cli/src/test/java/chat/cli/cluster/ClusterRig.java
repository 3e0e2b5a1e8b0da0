package chat.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import chat.client.ChatClient;
import chat.client.ChatErrorException;
import chat.client.ClientOptions;
import chat.cluster.NatsBus;
import chat.protocol.Frame;
import chat.server.ChatServer;
import chat.server.ServerConfig;
import chat.server.web.WebConfig;
import chat.store.Store;
import chat.store.Stores;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Servers in one JVM sharing rooms through the real PostgreSQL (127.0.0.1:5432) and NATS
 * (127.0.0.1:4222), each node's connections to them through its own {@link FaultProxy}, so a
 * test can cut, slow down and restore either service for one node or all of them without
 * touching the shared services. Each rig has its own schema, dropped at the end.
 */
final class ClusterRig implements AutoCloseable {

  static final String PG = ClusterEndToEndTest.PG;
  static final String NATS = ClusterEndToEndTest.NATS;

  /** One server with its proxies. */
  record Node(ChatServer server, FaultProxy pg, FaultProxy nats) {}

  /** A message sent and what became of it. */
  record Sent(String text, CompletableFuture<Frame> reply) {
    /** The seq it was confirmed with, or -1; waits at most {@code seconds}. */
    long seq(int seconds) throws InterruptedException, TimeoutException {
      try {
        return reply.get(seconds, TimeUnit.SECONDS).number("seq", -1);
      } catch (ExecutionException e) {
        return -1;
      }
    }

    /** The error code it was refused with, or null if confirmed. */
    String error() {
      try {
        reply.join();
        return null;
      } catch (java.util.concurrent.CompletionException e) {
        return e.getCause() instanceof ChatErrorException c ? c.code() : e.getCause().toString();
      }
    }
  }

  private final String schema = "f_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
  private final List<AutoCloseable> open = new ArrayList<>();
  private final List<ChatServer> servers = new ArrayList<>();
  final List<Node> nodes = new ArrayList<>();

  /** Skips the test, saying why on stderr, when PostgreSQL or NATS is not there. */
  static void assumeServices(String test) {
    ClusterFixture.requireServices(test);
  }

  /** A node whose store and bus connections go through proxies of their own. */
  Node node(boolean web) throws Exception {
    FaultProxy pg = proxy(5432);
    FaultProxy nats = proxy(4222);
    Store store = Stores.open("jdbc:postgresql://127.0.0.1:" + pg.port() + "/test?user=root"
        + "&currentSchema=" + schema, null);
    open.add(store);
    NatsBus bus = NatsBus.connect("nats://127.0.0.1:" + nats.port(), schema); // apart from others
    open.add(bus);
    ChatServer server = new ChatServer(ServerConfig.defaults().withAddress("127.0.0.1", 0),
        Clock.systemUTC(), store).share(bus);
    if (web) {
      server.withWeb(WebConfig.on("127.0.0.1", 0));
    }
    server.start();
    servers.add(server);
    Node node = new Node(server, pg, nats);
    nodes.add(node);
    return node;
  }

  private FaultProxy proxy(int port) throws Exception {
    FaultProxy proxy = new FaultProxy(port);
    open.add(proxy);
    return proxy;
  }

  /** A client on {@code node} that joined {@code dev}, its frames in {@code frames}. */
  ChatClient member(Node node, String nick, List<Frame> frames) throws Exception {
    ChatClient client = ChatClient.connect(ClientOptions.of("127.0.0.1", node.server().port(),
        nick), frames::add);
    open.add(client);
    client.join("dev").get(10, TimeUnit.SECONDS);
    return client;
  }

  /** The live {@code dev} messages a member saw, as "seq text", in the order it saw them. */
  static List<String> order(List<Frame> seen) {
    return seen.stream().filter(f -> "message".equals(f.type()) && "dev".equals(f.string("room"))
        && !f.header().path("history").asBoolean(false))
        .map(f -> f.number("seq", -1) + " " + f.contentAsText()).toList();
  }

  /**
   * Senders on their threads, each sending {@code each} messages to {@code dev}, one every
   * {@code pauseMillis}; returns at once, the threads are joined by {@link #awaitSenders}.
   */
  static List<Thread> send(List<ChatClient> senders, int each, long pauseMillis, String tag,
      List<Sent> sent) {
    List<Thread> threads = new ArrayList<>();
    for (ChatClient sender : senders) {
      threads.add(Thread.ofPlatform().start(() -> {
        for (int i = 0; i < each; i++) {
          String text = sender.nick() + " " + tag + i;
          sent.add(new Sent(text, sender.say("dev", text)));
          try {
            Thread.sleep(pauseMillis); // pacing the load, not waiting for anything
          } catch (InterruptedException e) {
            return;
          }
        }
      }));
    }
    return threads;
  }

  static void awaitSenders(List<Thread> threads) throws InterruptedException {
    for (Thread t : threads) {
      t.join(60_000);
      assertThat(t.isAlive()).as("a sender finished").isFalse();
    }
  }

  static long confirmed(List<Sent> sent) {
    return sent.stream().filter(s -> s.reply().isDone() && !s.reply().isCompletedExceptionally())
        .count();
  }

  /**
   * Every member saw one order: seq 1 to N with no gap and nothing twice, every confirmed
   * message in it under the seq it was confirmed with, and no message whose sender was told it
   * failed for sure; {@code maybe} (sent, but the outcome unknown) may be in it. Returns N.
   */
  static int assertOneOrder(List<List<Frame>> seen, List<Sent> confirmed, Set<String> refused,
      Set<String> maybe) throws Exception {
    List<String> first = order(seen.get(0));
    for (int i = 0; i < first.size(); i++) {
      assertThat(first.get(i)).as("seq %d in its place", i + 1).startsWith((i + 1) + " ");
    }
    Set<String> texts = new HashSet<>();
    for (String line : first) {
      String text = line.substring(line.indexOf(' ') + 1);
      assertThat(texts.add(text)).as("nothing twice: " + text).isTrue();
      assertThat(refused).as("a message refused for sure is not delivered").doesNotContain(text);
    }
    for (Sent s : confirmed) {
      assertThat(first).as("a confirmed message is delivered where it was confirmed")
          .contains(s.seq(1) + " " + s.text());
    }
    Set<String> allowed = new HashSet<>(maybe);
    confirmed.forEach(s -> allowed.add(s.text()));
    assertThat(allowed).as("only messages that were sent").containsAll(texts);
    for (List<Frame> frames : seen) {
      assertThat(order(frames)).as("every member, on every server, in one order")
          .isEqualTo(first);
    }
    return first.size();
  }

  static List<List<Frame>> lists(int n) {
    List<List<Frame>> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new CopyOnWriteArrayList<>());
    }
    return out;
  }

  @Override
  public void close() throws Exception {
    servers.forEach(ChatServer::close);
    for (int i = open.size() - 1; i >= 0; i--) {
      try {
        open.get(i).close();
      } catch (Exception e) {
        System.err.println("closing " + open.get(i) + ": " + e);
      }
    }
    try (Connection c = DriverManager.getConnection(PG); Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
  }
}
