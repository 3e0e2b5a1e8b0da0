package chat.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import chat.core.MessageKind;
import chat.core.cluster.RoomEntry;
import chat.core.cluster.RoomNote;
import chat.core.store.StoredMessage;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two servers' buses on the real NATS at 127.0.0.1:4222 (CI runs one; skipped, saying so, when
 * none answers): entries reach the other server, in order, and never come back to their sender.
 */
class NatsBusTest {

  static final String URL = System.getProperty("chat.test.nats", "nats://127.0.0.1:4222");
  private final List<NatsBus> buses = new ArrayList<>();

  @BeforeEach
  void natsRuns() {
    boolean up;
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", 4222), 2000);
      up = true;
    } catch (java.io.IOException e) {
      up = false;
      System.err.println("NatsBusTest skipped: no NATS at " + URL + ": " + e.getMessage());
    }
    assumeTrue(up, "no NATS at " + URL);
  }

  @AfterEach
  void close() {
    buses.forEach(NatsBus::close);
  }

  /** Each test its own cluster: tests running at once on this NATS never hear each other. */
  private final String cluster = "t" + java.util.UUID.randomUUID().toString().replace("-", "");

  private NatsBus bus() throws Exception {
    return bus(cluster);
  }

  private NatsBus bus(String name) throws Exception {
    NatsBus bus = NatsBus.connect(URL, name);
    buses.add(bus);
    return bus;
  }

  private static StoredMessage entry(String room, long seq, MessageKind kind, String text) {
    return new StoredMessage("m" + seq, room, seq, 1_760_000_000_000L + seq, "alice", "alice",
        kind == MessageKind.KICK ? "bob" : null, null, kind, text);
  }

  @Test
  void entriesReachTheOtherServerInOrderAndNeverTheirSender() throws Exception {
    NatsBus a = bus();
    NatsBus b = bus();
    List<RoomEntry> atA = new CopyOnWriteArrayList<>();
    List<RoomEntry> atB = new CopyOnWriteArrayList<>();
    a.onRemote(atA::add);
    b.onRemote(atB::add);
    a.flush(Duration.ofSeconds(5));
    b.flush(Duration.ofSeconds(5));
    String room = "bus" + System.nanoTime();
    for (long seq = 1; seq <= 500; seq++) {
      a.publish(new RoomEntry(a.nodeId(), entry(room, seq, seq % 7 == 0 ? MessageKind.TOPIC
          : MessageKind.TEXT, "line " + seq + " é\t\"quoted\"")));
    }
    b.publish(new RoomEntry(b.nodeId(), entry(room, 501, MessageKind.KICK, "bye")));
    a.flush(Duration.ofSeconds(5));
    await().atMost(Duration.ofSeconds(10)).until(() -> atB.size() >= 500 && atA.size() >= 1);
    assertThat(atB).extracting(e -> e.entry().seq()).isSorted().hasSize(500);
    assertThat(atB.get(6).entry().kind()).isEqualTo(MessageKind.TOPIC);
    assertThat(atB.get(0).entry().text()).isEqualTo("line 1 é\t\"quoted\"");
    assertThat(atB).allSatisfy(e -> assertThat(e.origin()).isEqualTo(a.nodeId()));
    assertThat(atA).singleElement().satisfies(e -> {
      assertThat(e.entry().kind()).isEqualTo(MessageKind.KICK);
      assertThat(e.entry().to()).isEqualTo("bob");
    });
  }

  @Test
  void notesGoToTheOtherServerInOrderWithTheEntriesAndNotToTheEntryHandler() throws Exception {
    NatsBus a = bus();
    NatsBus b = bus();
    List<Object> atB = new CopyOnWriteArrayList<>();
    List<Object> atA = new CopyOnWriteArrayList<>();
    b.onRemoteNote(atB::add);
    b.onRemote(atB::add);
    a.onRemoteNote(atA::add);
    a.onRemote(atA::add);
    a.flush(Duration.ofSeconds(5));
    b.flush(Duration.ofSeconds(5));
    String room = "notes" + System.nanoTime();
    a.publish(new RoomEntry(a.nodeId(), entry(room, 1, MessageKind.TEXT, "before")));
    a.publishNote(new RoomNote(a.nodeId(), room, "alice", null, "alice registered it", 42));
    a.publish(new RoomEntry(a.nodeId(), entry(room, 2, MessageKind.TEXT, "after")));
    a.publishNote(new RoomNote(a.nodeId(), room, null, "alice", null, 43));
    a.flush(Duration.ofSeconds(5));
    await().atMost(Duration.ofSeconds(10)).until(() -> atB.size() >= 4);
    assertThat(atB).hasSize(4);
    assertThat(atB.get(0)).isInstanceOf(RoomEntry.class);
    assertThat(atB.get(1)).isEqualTo(
        new RoomNote(a.nodeId(), room, "alice", null, "alice registered it", 42));
    assertThat(atB.get(2)).isInstanceOf(RoomEntry.class);
    assertThat(atB.get(3)).isEqualTo(new RoomNote(a.nodeId(), room, null, "alice", null, 43));
    b.publish(new RoomEntry(b.nodeId(), entry(room, 3, MessageKind.TEXT, "mark")));
    b.flush(Duration.ofSeconds(5));
    await().atMost(Duration.ofSeconds(10)).until(() -> !atA.isEmpty());
    assertThat(atA).as("its own notes never come back to the sender").singleElement()
        .isInstanceOf(RoomEntry.class);
  }

  @Test
  void clustersOnOneNatsNeverHearEachOther() throws Exception {
    NatsBus mine = bus();
    NatsBus theirs = bus(cluster + "x");
    List<RoomEntry> heard = new CopyOnWriteArrayList<>();
    theirs.onRemote(heard::add);
    NatsBus mineToo = bus();
    List<RoomEntry> heardHere = new CopyOnWriteArrayList<>();
    mineToo.onRemote(heardHere::add);
    mineToo.flush(java.time.Duration.ofSeconds(5));
    theirs.flush(java.time.Duration.ofSeconds(5));
    mine.publish(new RoomEntry(mine.nodeId(), new chat.core.store.StoredMessage("m1", "dev", 1,
        1L, "alice", null, null, null, chat.core.MessageKind.TEXT, "hi")));
    mine.flush(java.time.Duration.ofSeconds(5));
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
        .until(() -> heardHere.size() == 1);
    assertThat(heard).isEmpty();
  }

  @Test
  void aClusterIsNamedByItsStoresDatabaseAndSchemaNotItsCredentials() {
    String a = NatsBus.clusterName("jdbc:postgresql://db:5432/chat?user=a&password=x&currentSchema=s1");
    String b = NatsBus.clusterName("jdbc:postgresql://db:5432/chat?currentSchema=s1&user=b");
    String c = NatsBus.clusterName("jdbc:postgresql://db:5432/chat?user=a&currentSchema=s2");
    assertThat(a).isEqualTo(b).isNotEqualTo(c).matches("[A-Za-z0-9_-]{1,64}");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> NatsBus.connect(URL, "bad name"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
