package chat.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import chat.client.ChatClient;
import chat.client.ChatErrorException;
import chat.client.ClientOptions;
import chat.core.ContinuityLimits;
import chat.core.CoreLimits;
import chat.protocol.Frame;
import chat.server.ServerConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Users across servers: three servers on the real PostgreSQL and NATS, clients on each through
 * real sockets. Member lists, joins, parts, quits and nick changes cross servers; private
 * messages reach the person wherever they are; a nick is one person's on all servers at once;
 * a dead server's users quit elsewhere after the grace period.
 */
class ClusterUsersTest {

  private final ClusterFixture cluster = new ClusterFixture();
  private final List<AutoCloseable> open = new ArrayList<>();

  @BeforeEach
  void services() {
    ClusterFixture.requireServices("ClusterUsersTest");
  }

  @AfterEach
  void stop() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      try {
        open.get(i).close();
      } catch (Exception ignored) {
        // closing anyway
      }
    }
    cluster.close();
  }

  private ChatClient client(ClusterFixture.Node node, String nick, List<Frame> frames)
      throws Exception {
    ChatClient c = ChatClient.connect(ClientOptions.of("127.0.0.1", node.port(), nick),
        frames::add);
    open.add(c);
    return c;
  }

  private static boolean saw(List<Frame> frames, String type, String key, String value) {
    return frames.stream().anyMatch(f -> type.equals(f.type()) && value.equals(f.string(key)));
  }

  @Test
  void membersJoinsPartsNicksAndQuitsCrossServers() throws Exception {
    ClusterFixture.Node a = cluster.node();
    ClusterFixture.Node b = cluster.node();
    List<Frame> onA = new CopyOnWriteArrayList<>();
    ChatClient alice = client(a, "alice", onA);
    alice.join("dev").get(10, TimeUnit.SECONDS);
    ChatClient bob = client(b, "bob", new CopyOnWriteArrayList<>());
    Frame joined = bob.join("dev").get(10, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(10)).until(() -> saw(onA, "joined", "nick", "bob"));
    // bob's server knew alice when bob joined: she is in its member list.
    assertThat(joined.contentAsText()).contains("alice");
    Frame who = alice.who("dev").get(10, TimeUnit.SECONDS);
    assertThat(who.contentAsText()).contains("alice").contains("bob");

    bob.nick("robert").get(10, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(10)).until(() -> saw(onA, "nick", "nick", "robert"));
    assertThat(alice.who("dev").get(10, TimeUnit.SECONDS).contentAsText())
        .contains("robert").doesNotContain("\"bob\"");

    bob.leave("dev", "lunch").get(10, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(10)).until(() -> saw(onA, "left", "nick", "robert"));
    bob.join("dev").get(10, TimeUnit.SECONDS);
    bob.quit("bye").get(10, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(10)).until(() -> saw(onA, "quit", "nick", "robert"));
    assertThat(alice.who("dev").get(10, TimeUnit.SECONDS).contentAsText())
        .doesNotContain("robert");
  }

  @Test
  void aServerStartedLaterKnowsWhoIsAlreadyThere() throws Exception {
    ClusterFixture.Node a = cluster.node();
    client(a, "early", new CopyOnWriteArrayList<>()).join("dev").get(10, TimeUnit.SECONDS);
    ClusterFixture.Node late = cluster.node();
    ChatClient newcomer = client(late, "newcomer", new CopyOnWriteArrayList<>());
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
        newcomer.who("dev").get(10, TimeUnit.SECONDS).contentAsText())
        .contains("early"));
  }

  @Test
  void privateMessagesReachThePersonOnAnotherServer() throws Exception {
    ClusterFixture.Node a = cluster.node();
    ClusterFixture.Node b = cluster.node();
    List<Frame> onA = new CopyOnWriteArrayList<>();
    List<Frame> onB = new CopyOnWriteArrayList<>();
    ChatClient alice = client(a, "alice", onA);
    ChatClient bob = client(b, "bob", onB);
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      alice.privmsg("bob", "hello bob").get(10, TimeUnit.SECONDS);
    });
    await().atMost(Duration.ofSeconds(10)).until(() -> onB.stream().anyMatch(f ->
        "privmsg".equals(f.type()) && "alice".equals(f.string("from"))
            && "hello bob".equals(f.contentAsText())));
    bob.privmsg("alice", "hi alice").get(10, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(10)).until(() -> onA.stream().anyMatch(f ->
        "privmsg".equals(f.type()) && "hi alice".equals(f.contentAsText())));
    // Someone nobody has is still nobody.
    assertThat(alice.privmsg("nobody", "?")).failsWithin(Duration.ofSeconds(10))
        .withThrowableThat().withMessageContaining("nobody is called");
  }

  @Test
  void anAccountOnTwoServersGetsItsPrivateMessagesOnBoth() throws Exception {
    ClusterFixture.Node a = cluster.node();
    ClusterFixture.Node b = cluster.node();
    ClusterFixture.Node c = cluster.node();
    List<Frame> phone = new CopyOnWriteArrayList<>();
    ChatClient carol = client(a, "carol", phone);
    carol.register("correct-horse".toCharArray()).get(10, TimeUnit.SECONDS);
    List<Frame> laptop = new CopyOnWriteArrayList<>();
    ChatClient carolAgain = ChatClient.connect(ClientOptions.of("127.0.0.1", b.port(), "carol")
        .withLogin("carol", "correct-horse".toCharArray()), laptop::add);
    open.add(carolAgain);
    assertThat(carolAgain.account()).isEqualTo("carol");
    ChatClient dave = client(c, "dave", new CopyOnWriteArrayList<>());
    dave.register("battery-staple".toCharArray()).get(10, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() ->
        dave.privmsg("carol", "to both of you").get(10, TimeUnit.SECONDS));
    for (List<Frame> device : List.of(phone, laptop)) {
      await().atMost(Duration.ofSeconds(10)).until(() -> device.stream().anyMatch(f ->
          "privmsg".equals(f.type()) && "to both of you".equals(f.contentAsText())));
    }
    // Stored once, by the sender's server, where every server reads it.
    Frame history = carolAgain.privateHistory("dave", null, 10).get(10, TimeUnit.SECONDS);
    assertThat(history.number("count", -1)).isEqualTo(1);
    assertThat(laptop.stream().filter(f -> f.header().path("history").asBoolean(false)
        && "to both of you".equals(f.contentAsText()))).hasSize(1);
    // A guest of another server cannot take the account's nick meanwhile.
    assertThat(dave.nick("carol")).failsWithin(Duration.ofSeconds(10))
        .withThrowableThat().withMessageContaining("registered");
  }

  @Test
  void anAccountOnTwoServersLeavesOnlyWhenItsLastDeviceDoes() throws Exception {
    ClusterFixture.Node a = cluster.node();
    ClusterFixture.Node b = cluster.node();
    ClusterFixture.Node c = cluster.node();
    ChatClient phone = client(a, "erin", new CopyOnWriteArrayList<>());
    phone.register("correct-horse".toCharArray()).get(10, TimeUnit.SECONDS);
    phone.join("dev").get(10, TimeUnit.SECONDS);
    ChatClient laptop = ChatClient.connect(ClientOptions.of("127.0.0.1", b.port(), "erin")
        .withLogin("erin", "correct-horse".toCharArray()), f -> { });
    open.add(laptop);
    laptop.join("dev").get(10, TimeUnit.SECONDS);
    List<Frame> onC = new CopyOnWriteArrayList<>();
    ChatClient frank = client(c, "frank", onC);
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
        frank.join("dev").get(10, TimeUnit.SECONDS).contentAsText()).contains("erin"));
    List<String> members = new ArrayList<>();
    tools.jackson.databind.json.JsonMapper.builder().build()
        .readTree(frank.who("dev").get(10, TimeUnit.SECONDS).contentAsText()).path("members")
        .forEach(n -> members.add(n.asString()));
    assertThat(members).as("one person, shown once").containsOnlyOnce("erin");
    laptop.quit("closing the laptop").get(10, TimeUnit.SECONDS);
    phone.say("dev", "still here").get(10, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(10)).until(() -> onC.stream().anyMatch(f ->
        "still here".equals(f.contentAsText())));
    assertThat(onC).noneMatch(f -> "quit".equals(f.type()) || "left".equals(f.type()));
    assertThat(frank.who("dev").get(10, TimeUnit.SECONDS).contentAsText()).contains("erin");
    phone.quit("bye").get(10, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(10)).until(() -> saw(onC, "quit", "nick", "erin"));
  }

  @Test
  void anOperatorKicksAndBansMembersConnectedOnlyToOtherServers() throws Exception {
    ClusterFixture.Node a = cluster.node();
    ClusterFixture.Node b = cluster.node();
    ClusterFixture.Node c = cluster.node();
    ChatClient op = client(a, "boss", new CopyOnWriteArrayList<>());
    op.join("ops").get(10, TimeUnit.SECONDS); // the first member: its operator
    List<Frame> onB = new CopyOnWriteArrayList<>();
    ChatClient target = client(b, "pest", onB);
    List<Frame> onC = new CopyOnWriteArrayList<>();
    ChatClient witness = client(c, "witness", onC);
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
        target.join("ops").get(10, TimeUnit.SECONDS).contentAsText()).contains("boss"));
    witness.join("ops").get(10, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
        op.who("ops").get(10, TimeUnit.SECONDS).contentAsText()).contains("pest")
        .contains("witness"));
    op.kick("ops", "pest", "behave").get(10, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(10)).until(() -> saw(onB, "kicked", "nick", "pest")
        && saw(onC, "kicked", "nick", "pest"));
    await().atMost(Duration.ofSeconds(10)).until(() -> !target.isInRoom("ops"));
    for (ChatClient anyone : List.of(op, witness)) {
      assertThat(anyone.who("ops").get(10, TimeUnit.SECONDS).contentAsText())
          .doesNotContain("pest");
    }
    // Back in, then banned from another server: removed, and refused when it tries again.
    target.join("ops").get(10, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
        op.who("ops").get(10, TimeUnit.SECONDS).contentAsText()).contains("pest"));
    op.ban("ops", "pest", "enough").get(10, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(10)).until(() -> !target.isInRoom("ops"));
    assertThat(target.join("ops")).failsWithin(Duration.ofSeconds(10))
        .withThrowableThat().withMessageContaining("banned");
  }

  @Test
  void theConnectionLimitPerAccountCountsEveryServer() throws Exception {
    ServerConfig two = ServerConfig.defaults().withCoreLimits(CoreLimits.DEFAULT
        .withContinuity(new ContinuityLimits(1000, 2, Duration.ofMinutes(2),
            Duration.ofHours(24))));
    ClusterFixture.Node a = cluster.node(two);
    ClusterFixture.Node b = cluster.node(two);
    ClusterFixture.Node c = cluster.node(two);
    ChatClient first = client(a, "gina", new CopyOnWriteArrayList<>());
    first.register("correct-horse".toCharArray()).get(10, TimeUnit.SECONDS);
    ClientOptions gina = ClientOptions.of("127.0.0.1", b.port(), "gina")
        .withLogin("gina", "correct-horse".toCharArray());
    ChatClient second = ChatClient.connect(gina, f -> { });
    open.add(second);
    ClientOptions onC = ClientOptions.of("127.0.0.1", c.port(), "gina")
        .withLogin("gina", "correct-horse".toCharArray());
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      Exception refused = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () ->
          open.add(ChatClient.connect(onC, f -> { })));
      assertThat(refused).hasMessageContaining("limit per account");
    });
    second.quit("making room").get(10, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() ->
        open.add(ChatClient.connect(onC, f -> { })));
  }

  @Test
  void anAccountsFloodAllowanceIsSharedByItsServers() throws Exception {
    // Each connection may send 100 at once; the account 10 at once, all its connections together.
    ServerConfig tight = ServerConfig.defaults().withCoreLimits(CoreLimits.DEFAULT
        .withFlood(new chat.core.FloodLimits(100, 50, 10, 1, 1, 5, Duration.ofSeconds(60))));
    ClusterFixture.Node a = cluster.node(tight);
    ClusterFixture.Node b = cluster.node(tight);
    List<Frame> onA = new CopyOnWriteArrayList<>();
    ChatClient here = client(a, "hana", onA);
    here.register("correct-horse".toCharArray()).get(10, TimeUnit.SECONDS);
    here.join("dev").get(10, TimeUnit.SECONDS);
    // Alone, eight messages fit the account's allowance of ten.
    for (int i = 0; i < 8; i++) {
      here.say("dev", "alone " + i).get(20, TimeUnit.SECONDS);
    }
    assertThat(onA).noneMatch(f -> f.contentAsText().contains("slow down"));
    TimeUnit.SECONDS.sleep(9); // the account's bucket refills (1 a second)
    ChatClient there = ChatClient.connect(ClientOptions.of("127.0.0.1", b.port(), "hana")
        .withLogin("hana", "correct-horse".toCharArray()), f -> { });
    open.add(there);
    await().atMost(Duration.ofSeconds(10)).until(() -> a.server().hub().remoteUsers() > 0);
    TimeUnit.SECONDS.sleep(1);
    // Connected to two servers, each charges twice: the eight are more than its share here.
    for (int i = 0; i < 8; i++) {
      here.say("dev", "shared " + i).get(30, TimeUnit.SECONDS);
    }
    assertThat(onA).anyMatch(f -> f.contentAsText().contains("slow down"));
  }

  @Test
  void anAccountJoinsAndLeavesRoomsOnAllItsServersAtOnce() throws Exception {
    ClusterFixture.Node a = cluster.node();
    ClusterFixture.Node b = cluster.node();
    ClusterFixture.Node c = cluster.node();
    ChatClient phone = client(a, "ivy", new CopyOnWriteArrayList<>());
    phone.register("correct-horse".toCharArray()).get(10, TimeUnit.SECONDS);
    ChatClient laptop = ChatClient.connect(ClientOptions.of("127.0.0.1", b.port(), "ivy")
        .withLogin("ivy", "correct-horse".toCharArray()), f -> { });
    open.add(laptop);
    List<Frame> onC = new CopyOnWriteArrayList<>();
    ChatClient jack = client(c, "jack", onC);
    jack.join("garden").get(10, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(10)).until(() -> a.server().hub().remoteUsers() >= 2);
    laptop.join("garden").get(10, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(10)).until(() -> phone.isInRoom("garden"));
    await().atMost(Duration.ofSeconds(10)).until(() -> saw(onC, "joined", "nick", "ivy"));
    jack.say("garden", "welcome").get(10, TimeUnit.SECONDS);
    phone.leave("garden", "done here").get(10, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(10)).until(() -> !laptop.isInRoom("garden"));
    await().atMost(Duration.ofSeconds(10)).until(() -> saw(onC, "left", "nick", "ivy"));
    assertThat(onC.stream().filter(f -> "joined".equals(f.type())
        && "ivy".equals(f.string("nick")))).as("one arrival").hasSize(1);
    assertThat(onC.stream().filter(f -> "left".equals(f.type())
        && "ivy".equals(f.string("nick")))).as("one departure").hasSize(1);
    assertThat(jack.who("garden").get(10, TimeUnit.SECONDS).contentAsText()).doesNotContain("ivy");
  }

  @Test
  void aRoomClosedOnOneServerIsClosedOnAll() throws Exception {
    ClusterFixture.Node a = cluster.node();
    ClusterFixture.Node b = cluster.node();
    ChatClient registering = client(a, "warden", new CopyOnWriteArrayList<>());
    registering.register("correct-horse".toCharArray()).get(10, TimeUnit.SECONDS);
    registering.quit("to come back as an admin").get(10, TimeUnit.SECONDS);
    assertThat(a.store().setAdmin("warden", true)).isTrue();
    ChatClient admin = ChatClient.connect(ClientOptions.of("127.0.0.1", a.port(), "warden")
        .withLogin("warden", "correct-horse".toCharArray()), f -> { });
    open.add(admin);
    List<Frame> onB = new CopyOnWriteArrayList<>();
    ChatClient member = client(b, "lena", onB);
    member.join("doomed").get(10, TimeUnit.SECONDS);
    member.topic("doomed", "soon gone").get(10, TimeUnit.SECONDS);
    admin.join("doomed").get(10, TimeUnit.SECONDS);
    tools.jackson.databind.node.ObjectNode close = tools.jackson.databind.json.JsonMapper
        .builder().build().createObjectNode();
    close.put("type", "room").put("action", "close").put("room", "doomed").put("reason", "spam");
    admin.request(close, new byte[0]).get(10, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(10)).until(() -> !member.isInRoom("doomed"));
    assertThat(onB).anyMatch(f -> "kicked".equals(f.type()) && "lena".equals(f.string("nick")));
    // Its state is gone on b too: joining again starts a new room, without the old topic.
    Frame again = member.join("doomed").get(10, TimeUnit.SECONDS);
    assertThat(again.header().path("topic").isMissingNode()
        || again.header().path("topic").isNull()).as(again.toString()).isTrue();
  }

  @Test
  void anAdminKillsAUserOfAnotherServer() throws Exception {
    ClusterFixture.Node a = cluster.node();
    ClusterFixture.Node b = cluster.node();
    ChatClient registering = client(a, "sheriff", new CopyOnWriteArrayList<>());
    registering.register("correct-horse".toCharArray()).get(10, TimeUnit.SECONDS);
    registering.quit("to come back as an admin").get(10, TimeUnit.SECONDS);
    assertThat(a.store().setAdmin("sheriff", true)).isTrue();
    List<Frame> onA = new CopyOnWriteArrayList<>();
    ChatClient admin = ChatClient.connect(ClientOptions.of("127.0.0.1", a.port(), "sheriff")
        .withLogin("sheriff", "correct-horse".toCharArray()), onA::add);
    open.add(admin);
    admin.join("saloon").get(10, TimeUnit.SECONDS);
    List<Frame> onB = new CopyOnWriteArrayList<>();
    ChatClient outlaw = client(b, "outlaw", onB);
    outlaw.join("saloon").get(10, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(10)).until(() -> saw(onA, "joined", "nick", "outlaw"));
    admin.kill("outlaw", "rustling").get(10, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(10)).until(() -> !outlaw.isConnected());
    assertThat(onB).anyMatch(f -> "killed".equals(f.type()));
    await().atMost(Duration.ofSeconds(10)).until(() -> onA.stream().anyMatch(f ->
        "quit".equals(f.type()) && "outlaw".equals(f.string("nick"))
            && f.string("reason") != null && f.string("reason").contains("killed by sheriff")));
  }

  @Test
  void aGuestThatDropsOnOneLiveServerResumesOnAnotherAndNobodyNotices() throws Exception {
    ServerConfig shortGrace = ServerConfig.defaults().withCoreLimits(CoreLimits.DEFAULT
        .withContinuity(new ContinuityLimits(1000, 10, Duration.ofSeconds(2),
            Duration.ofHours(24))));
    ClusterFixture.Node a = cluster.node(shortGrace);
    ClusterFixture.Node b = cluster.node(shortGrace);
    List<Frame> onA = new CopyOnWriteArrayList<>();
    ChatClient observer = client(a, "observer", onA);
    observer.join("dev").get(10, TimeUnit.SECONDS);
    chat.client.ResumeState state = new chat.client.ResumeState();
    ChatClient first = ChatClient.connect(ClientOptions.of("127.0.0.1", a.port(), "rover"),
        f -> { }, state);
    first.join("dev").get(10, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(10)).until(() -> b.server().hub().remoteUsers() >= 2);
    await().atMost(Duration.ofSeconds(10)).until(() -> saw(onA, "joined", "nick", "rover"));
    onA.clear(); // what a's members see from the drop on
    first.close(); // dropped, no quit: a holds its nick and rooms for the grace
    ChatClient back = ChatClient.connect(ClientOptions.of("127.0.0.1", b.port(), null),
        f -> { }, state);
    open.add(back);
    assertThat(back.resumed()).isTrue();
    assertThat(back.nick()).isEqualTo("rover");
    back.say("dev", "back, elsewhere").get(10, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(10)).until(() -> onA.stream().anyMatch(f ->
        "back, elsewhere".equals(f.contentAsText())));
    TimeUnit.SECONDS.sleep(4); // past a's grace: a must not announce the guest's departure
    assertThat(onA).noneMatch(f -> ("quit".equals(f.type()) || "left".equals(f.type())
        || "joined".equals(f.type())) && "rover".equals(f.string("nick")));
    assertThat(observer.who("dev").get(10, TimeUnit.SECONDS).contentAsText()).contains("rover");
  }

  @Test
  void aNickIsOnePersonsOnEveryServerAtOnce() throws Exception {
    List<ClusterFixture.Node> nodes = List.of(cluster.node(), cluster.node(), cluster.node());
    for (int round = 0; round < 5; round++) {
      String nick = "racer" + round;
      List<CompletableFuture<ChatClient>> tries = new ArrayList<>();
      for (ClusterFixture.Node node : nodes) {
        for (int i = 0; i < 2; i++) {
          tries.add(CompletableFuture.supplyAsync(() -> {
            try {
              return client(node, nick, new CopyOnWriteArrayList<>());
            } catch (Exception e) {
              return null;
            }
          }));
        }
      }
      int holders = 0;
      for (CompletableFuture<ChatClient> t : tries) {
        ChatClient c = t.get(20, TimeUnit.SECONDS);
        if (c != null && c.nick().equals(nick)) {
          holders++;
        }
      }
      assertThat(holders).as("holders of " + nick + " on three servers").isEqualTo(1);
    }
    // A nick change into a nick held on another server is refused, and the holder keeps it.
    ChatClient holder = client(nodes.get(0), "keeper", new CopyOnWriteArrayList<>());
    ChatClient other = client(nodes.get(1), "other", new CopyOnWriteArrayList<>());
    ExecutionException refused = org.junit.jupiter.api.Assertions.assertThrows(
        ExecutionException.class, () -> other.nick("keeper").get(10, TimeUnit.SECONDS));
    assertThat(refused.getCause()).isInstanceOf(ChatErrorException.class)
        .hasMessageContaining("in use");
    assertThat(holder.nick()).isEqualTo("keeper");
    // Once its holder quits, the nick is free everywhere.
    holder.quit("done").get(10, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() ->
        other.nick("keeper").get(10, TimeUnit.SECONDS));
    assertThat(other.nick()).isEqualTo("keeper");
  }

  @Test
  void aDeadServersUsersQuitAfterTheGraceAndTheirNicksAreFreedThen() throws Exception {
    ServerConfig shortGrace = ServerConfig.defaults().withCoreLimits(CoreLimits.DEFAULT
        .withContinuity(new ContinuityLimits(1000, 10, Duration.ofSeconds(2),
            Duration.ofHours(24))));
    ClusterFixture.Node a = cluster.node(shortGrace);
    ClusterFixture.Node b = cluster.node(shortGrace);
    List<Frame> onA = new CopyOnWriteArrayList<>();
    ChatClient alice = client(a, "alice", onA);
    alice.join("dev").get(10, TimeUnit.SECONDS);
    ChatClient doomed = client(b, "doomed", new CopyOnWriteArrayList<>());
    doomed.join("dev").get(10, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(10)).until(() -> saw(onA, "joined", "nick", "doomed"));
    long killed = System.nanoTime();
    cluster.kill(b);
    await().atMost(Duration.ofSeconds(15)).until(() -> saw(onA, "quit", "nick", "doomed"));
    assertThat(Duration.ofNanos(System.nanoTime() - killed))
        .as("the grace is waited for").isGreaterThanOrEqualTo(Duration.ofSeconds(2));
    ChatClient taker = client(a, "taker", new CopyOnWriteArrayList<>());
    taker.nick("doomed").get(10, TimeUnit.SECONDS);
    assertThat(taker.nick()).isEqualTo("doomed");
  }
}
