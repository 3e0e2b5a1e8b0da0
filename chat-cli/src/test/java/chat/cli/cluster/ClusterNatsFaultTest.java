package chat.cli.cluster;

import static chat.cli.cluster.ClusterRig.order;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import chat.cli.cluster.ClusterRig.Node;
import chat.cli.cluster.ClusterRig.Sent;
import chat.client.ChatClient;
import chat.protocol.Frame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * NATS cut and restored under three servers (docs/ARCHITECTURE.md, "When NATS or PostgreSQL
 * fails"): sends keep working (the store numbers them), and once the bus is back every member
 * has every confirmed message exactly once, in one order, including those sent while it was
 * down and those no later message reveals (read from the store while the bus is still away, and
 * not again when the bus replays them). Skipped, saying why, without PostgreSQL or NATS.
 */
class ClusterNatsFaultTest {

  private ClusterRig rig;

  @BeforeEach
  void servicesRun() {
    ClusterRig.assumeServices("ClusterNatsFaultTest");
    rig = new ClusterRig();
  }

  @AfterEach
  void stop() throws Exception {
    if (rig != null) {
      rig.close();
    }
  }

  private void cutNats() {
    rig.nodes.forEach(n -> n.nats().cut());
  }

  private void restoreNats() {
    rig.nodes.forEach(n -> n.nats().restore());
  }

  @Test
  void natsCutUnderLoadFromFiveSendersAndRestoredLosesNothingAndDuplicatesNothing()
      throws Exception {
    List<Node> nodes = List.of(rig.node(false), rig.node(false), rig.node(false));
    List<List<Frame>> seen = ClusterRig.lists(3);
    for (int i = 0; i < 3; i++) {
      rig.member(nodes.get(i), "reader" + i, seen.get(i));
    }
    List<ChatClient> senders = new ArrayList<>();
    for (int s = 0; s < 5; s++) {
      senders.add(rig.member(nodes.get(s % 3), "sender" + s, new CopyOnWriteArrayList<>()));
    }
    List<Sent> sent = new CopyOnWriteArrayList<>();
    List<Thread> load = ClusterRig.send(senders, 40, 25, "a", sent);
    await().atMost(Duration.ofSeconds(20)).until(() -> ClusterRig.confirmed(sent) >= 40);
    cutNats();
    long atCut = ClusterRig.confirmed(sent);
    await().atMost(Duration.ofSeconds(20)).until(() -> ClusterRig.confirmed(sent) >= atCut + 50);
    restoreNats();
    ClusterRig.awaitSenders(load);
    // The tail: sent while NATS is away, with nothing after it to show a gap.
    cutNats();
    ClusterRig.awaitSenders(ClusterRig.send(senders, 3, 0, "tail", sent));
    for (Sent s : sent) {
      assertThat(s.seq(20)).as("every send is confirmed: the store numbers it, NATS or not")
          .isPositive();
    }
    int total = sent.size();
    // Nothing after the tail shows a gap, and the bus is still away: the store sweep (CatchUp,
    // every few seconds for a room that went quiet) brings it to every member.
    await().atMost(Duration.ofSeconds(30)).until(() -> seen.stream()
        .allMatch(frames -> order(frames).size() >= total));
    restoreNats();
    // Each server's reconnect buffer now sends the tail again over the bus; a message from each
    // sender after every server is back comes behind it, so once all are seen, so was the
    // replay, and it must not show twice.
    await().atMost(Duration.ofSeconds(30)).until(() -> rig.nodes.stream()
        .allMatch(n -> n.nats().open() > 0));
    ClusterRig.awaitSenders(ClusterRig.send(senders, 1, 0, "after", sent));
    for (Sent s : sent) {
      assertThat(s.seq(20)).isPositive();
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> seen.stream()
        .allMatch(frames -> order(frames).size() >= sent.size()));
    assertThat(ClusterRig.assertOneOrder(seen, sent, Set.of(), Set.of())).isEqualTo(sent.size());
  }

  @Test
  void oneServerCutOffFromNatsCatchesUpWhenItComesBack() throws Exception {
    List<Node> nodes = List.of(rig.node(false), rig.node(false));
    List<List<Frame>> seen = ClusterRig.lists(2);
    rig.member(nodes.get(0), "reader0", seen.get(0));
    rig.member(nodes.get(1), "reader1", seen.get(1));
    ChatClient sender = rig.member(nodes.get(0), "sender", new CopyOnWriteArrayList<>());
    nodes.get(1).nats().cut(); // only the second server loses NATS
    List<Sent> sent = new CopyOnWriteArrayList<>();
    ClusterRig.awaitSenders(ClusterRig.send(List.of(sender), 10, 0, "m", sent));
    for (Sent s : sent) {
      assertThat(s.seq(10)).isPositive();
    }
    assertThat(order(seen.get(1))).as("cut off, it has not seen them").isEmpty();
    nodes.get(1).nats().restore();
    await().atMost(Duration.ofSeconds(20)).until(() -> order(seen.get(1)).size() >= 10);
    assertThat(ClusterRig.assertOneOrder(seen, sent, Set.of(), Set.of())).isEqualTo(10);
  }
}
