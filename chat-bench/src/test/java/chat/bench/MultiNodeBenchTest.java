package chat.bench;

import static org.assertj.core.api.Assertions.assertThat;

import chat.core.cluster.Bus;
import chat.core.cluster.RoomEntry;
import chat.core.store.MemoryStore;
import chat.server.ChatServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;

/**
 * {@code chat bench} over two servers in the test's process that share rooms (one memory store
 * numbers the entries, a bus in memory carries them), on 127.0.0.1 and free ports: the clients
 * are spread over both and every delivery is counted, across the nodes too.
 */
class MultiNodeBenchTest {

  /**
   * Entries from one server to the others, each received on a bus thread of its own in the order
   * sent, as NATS does: delivering on the publisher's thread would take the receiving room's
   * monitor while the sender's is held.
   */
  static final class MemoryBus implements Bus {
    private final String id;
    final List<MemoryBus> peers = new CopyOnWriteArrayList<>();
    private final ExecutorService inbound = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "memory-bus");
      t.setDaemon(true);
      return t;
    });
    private volatile Consumer<RoomEntry> handler = e -> { };

    MemoryBus(String id) {
      this.id = id;
    }

    @Override
    public void publish(RoomEntry entry) {
      peers.forEach(peer -> peer.inbound.execute(() -> peer.handler.accept(entry)));
    }

    @Override
    public void onRemote(Consumer<RoomEntry> h) {
      handler = h;
    }

    @Override
    public String nodeId() {
      return id;
    }

    @Override
    public void close() {
      inbound.shutdownNow();
    }
  }

  private final List<ChatServer> servers = new ArrayList<>();
  private final List<MemoryBus> buses = new ArrayList<>();
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeEach
  void start() throws Exception {
    MemoryStore store = new MemoryStore();
    MemoryBus a = new MemoryBus("a");
    MemoryBus b = new MemoryBus("b");
    a.peers.add(b);
    b.peers.add(a);
    buses.addAll(List.of(a, b));
    for (MemoryBus bus : buses) {
      servers.add(new ChatServer(BenchCommand.inProcessConfig(1), Clock.systemUTC(), store)
          .share(bus).start());
    }
  }

  @AfterEach
  void stop() {
    servers.forEach(ChatServer::close);
    buses.forEach(MemoryBus::close);
  }

  private int run(String... args) {
    CommandLine cli = new CommandLine(new BenchCommand());
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    return cli.execute(args);
  }

  @Test
  void clientsAndSendersGoRoundTheNodesAndEveryDeliveryIsCounted() throws Exception {
    String hosts = "127.0.0.1:" + servers.get(0).port() + ",127.0.0.1:" + servers.get(1).port();
    int status = run("--host", hosts, "--clients", "6", "--senders", "4", "--messages", "50",
        "--window", "8", "--warmup", "0", "--duration", "30", "--json");

    assertThat(status).as("stderr: %s%nstdout: %s", err, out).isZero();
    JsonNode json = JsonOut.MAPPER.readTree(out.toString());
    assertThat(json.get("ok").asBoolean()).isTrue();
    // 4 senders x 50 messages, each to all 6 members (its own copy included).
    assertThat(json.at("/deliveries/total").asLong()).isEqualTo(1200);
    assertThat(json.get("lost").asLong()).isZero();
    assertThat(json.get("out_of_order").asLong()).isZero();
    JsonNode nodes = json.get("nodes");
    assertThat(nodes).hasSize(2);
    for (int i = 0; i < 2; i++) {
      JsonNode node = nodes.get(i);
      assertThat(node.get("address").asString())
          .isEqualTo("127.0.0.1:" + servers.get(i).port());
      assertThat(node.get("clients").asInt()).isEqualTo(3);
      assertThat(node.get("senders").asInt()).isEqualTo(2);
      assertThat(node.get("deliveries").asLong()).isEqualTo(600);
    }
    // Every message reaches the 3 members on its sender's node and the 3 on the other.
    assertThat(json.at("/latency_same_node_us/count").asLong()).isEqualTo(600);
    assertThat(json.at("/latency_other_node_us/count").asLong()).isEqualTo(600);
    assertThat(json.get("target").asString()).isEqualTo(hosts);
  }

  @Test
  void roomsAreSpreadOverTheNodesTooNotOneRoomPerNode() {
    Target target = new Target(List.of(new java.net.InetSocketAddress("127.0.0.1", 1),
        new java.net.InetSocketAddress("127.0.0.1", 2)), ServerProbe.NONE);
    // Two rooms, two nodes: client i is in room i % 2; each room has members on both nodes.
    int rooms = 2;
    List<Integer> roomZero = new ArrayList<>();
    List<Integer> roomOne = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      (i % rooms == 0 ? roomZero : roomOne).add(target.node(i, rooms));
    }
    assertThat(roomZero).containsExactly(0, 1, 0, 1);
    assertThat(roomOne).containsExactly(0, 1, 0, 1);
  }
}
