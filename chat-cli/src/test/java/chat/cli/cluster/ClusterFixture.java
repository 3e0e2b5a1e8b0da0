package chat.cli.cluster;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import chat.cluster.NatsBus;
import chat.core.store.FileStore;
import chat.core.store.MemoryFileStore;
import chat.server.Argon2Hasher;
import chat.server.ChatServer;
import chat.server.ServerConfig;
import chat.store.PgDirectory;
import chat.store.Store;
import chat.store.Stores;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Servers in one JVM sharing rooms and users through the real PostgreSQL (127.0.0.1:5432) and
 * NATS (127.0.0.1:4222), each with its own store, bus and directory, as processes would have;
 * in a fresh schema dropped at the end. {@link #requireServices} skips a test, saying why on
 * stderr, when either is missing (CI runs both).
 */
final class ClusterFixture implements AutoCloseable {

  static final String PG = System.getProperty("chat.test.postgres",
      "jdbc:postgresql://127.0.0.1:5432/test?user=root");
  static final String NATS = System.getProperty("chat.test.nats", "nats://127.0.0.1:4222");

  final String schema = "c_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
  private final List<Node> nodes = new ArrayList<>();
  private final List<FileStore> fileStores = new ArrayList<>();

  /** One server and what it holds. */
  record Node(ChatServer server, Store store, NatsBus bus, PgDirectory directory) {
    int port() {
      return server.port();
    }

    private void die() {
      server.close();
      directory.close();
      bus.close();
      store.close();
    }
  }

  static void requireServices(String test) {
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
      System.err.println(test + " skipped: no " + missing);
    }
    assumeTrue(missing == null, "needs " + missing);
  }

  String storeUrl() {
    return PG + "&currentSchema=" + schema;
  }

  Node node(ServerConfig config) throws Exception {
    return node(config, server -> server);
  }

  /** A server configured further by {@code before} (a web door, say) before it starts. */
  Node node(ServerConfig config, java.util.function.UnaryOperator<ChatServer> before)
      throws Exception {
    return node(config, before, new MemoryFileStore());
  }

  /**
   * {@link #node(ServerConfig, java.util.function.UnaryOperator)} with its shared files in
   * {@code files} (a PgFileStore on {@link #storeUrl}, as {@code --cluster} has them), closed
   * with the fixture.
   */
  Node node(ServerConfig config, java.util.function.UnaryOperator<ChatServer> before,
      FileStore files) throws Exception {
    fileStores.add(files);
    Store store = Stores.open(storeUrl(), null);
    NatsBus bus = NatsBus.connect(NATS, NatsBus.clusterName(storeUrl()));
    PgDirectory directory = PgDirectory.open(storeUrl(), store.nodeNumber(), "test");
    ChatServer server = new ChatServer(config.withAddress("127.0.0.1", 0), Clock.systemUTC(),
        store, store, new Argon2Hasher(), files).share(bus, directory);
    before.apply(server).start();
    Node node = new Node(server, store, bus, directory);
    nodes.add(node);
    return node;
  }

  /** As if its process died: no goodbye to anyone; its lock and connections go. */
  void kill(Node node) {
    if (nodes.remove(node)) {
      node.die();
    }
  }

  Node node() throws Exception {
    return node(ServerConfig.defaults());
  }

  @Override
  public void close() throws Exception {
    for (Node node : nodes) {
      node.die();
    }
    fileStores.forEach(FileStore::close);
    try (Connection c = DriverManager.getConnection(PG); Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
  }
}
