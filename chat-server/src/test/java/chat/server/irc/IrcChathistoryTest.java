package chat.server.irc;

import static org.assertj.core.api.Assertions.assertThat;

import chat.core.CoreLimits;
import chat.core.FloodLimits;
import chat.core.store.Account;
import chat.core.store.MemoryStore;
import chat.server.Argon2Hasher;
import chat.server.ChatServer;
import chat.server.ServerConfig;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * draft/chathistory over real sockets, on a room and a conversation whose seqs and times the
 * test sets (the server runs on a clock the test moves): every subcommand, msgid= and
 * timestamp= references, two messages in one millisecond, the order and the limit of a batch,
 * TARGETS, and the standard replies to bad requests.
 */
class IrcChathistoryTest {

  static final String PASSWORD = "correct horse battery";
  static final long T0 = Instant.parse("2030-01-02T03:04:05.000Z").toEpochMilli();
  static final String[] CAPS = {"draft/chathistory", "batch", "server-time", "message-tags",
      "echo-message", "sasl"};

  /** A clock the test sets; the server stamps every message with it. */
  static final class SetClock extends Clock {
    final AtomicLong millis = new AtomicLong(T0);

    @Override
    public long millis() {
      return millis.get();
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  private final MemoryStore store = new MemoryStore();
  private final SetClock clock = new SetClock();
  private final List<IrcTestClient> clients = new ArrayList<>();
  private ChatServer server;

  @BeforeEach
  void start() throws Exception {
    Argon2Hasher hasher = new Argon2Hasher(8 * 1024, 1, 1);
    for (String name : List.of("alice", "bob", "carol")) {
      store.create(new Account(name, hasher.hash(PASSWORD.toCharArray()), false, 0));
    }
    server = new ChatServer(ServerConfig.defaults().withAddress("127.0.0.1", 0)
        .withCoreLimits(CoreLimits.DEFAULT.withFlood(FloodLimits.OFF)), clock, store, store,
        hasher).irc(IrcConfig.of("127.0.0.1", 0)).start();
  }

  @AfterEach
  void stop() throws Exception {
    for (IrcTestClient client : clients) {
      client.close();
    }
    server.close();
  }

  /** Registers, logged in to {@code account} with PASS when it is not null. */
  static IrcTestClient login(int port, List<IrcTestClient> clients, String nick, String account,
      String... caps) throws Exception {
    IrcTestClient client = new IrcTestClient(port);
    clients.add(client);
    client.send("CAP LS 302").send("CAP REQ :" + String.join(" ", caps));
    client.await(m -> m.command().equals("CAP") && "ACK".equals(m.param(1)));
    if (account != null) {
      client.send("PASS :" + PASSWORD);
    }
    client.send("NICK " + nick).send("USER " + nick + " 0 * :" + nick).send("CAP END");
    client.await("001");
    client.await(m -> m.command().equals("376") || m.command().equals("422"));
    return client;
  }

  private IrcTestClient login(String nick, boolean account) throws Exception {
    return login(server.ircPort(), clients, nick, account ? nick : null, CAPS);
  }

  /** Sends a message at {@code ts} and returns its echo (msgid and time tags). */
  private IrcMessage say(IrcTestClient client, String target, String text, long ts)
      throws Exception {
    clock.millis.set(ts);
    client.send("PRIVMSG " + target + " :" + text);
    return client.await(m -> m.command().equals("PRIVMSG") && text.equals(m.param(1)));
  }

  /** The texts of the batch a CHATHISTORY command is answered with, checking the batch. */
  static List<String> history(IrcTestClient client, String command) throws Exception {
    client.send(command);
    IrcMessage start = client.await("BATCH");
    assertThat(start.param(0)).startsWith("+");
    String id = start.param(0).substring(1);
    assertThat(start.params().subList(1, start.params().size()))
        .containsExactly("chathistory", command.split(" ")[2]);
    List<IrcMessage> inside = client.until(m -> m.command().equals("BATCH"));
    assertThat(inside.get(inside.size() - 1).params()).containsExactly("-" + id);
    List<IrcMessage> lines = inside.subList(0, inside.size() - 1);
    assertThat(lines).allSatisfy(m -> {
      assertThat(m.command()).isEqualTo("PRIVMSG");
      assertThat(m.tags()).containsEntry("batch", id).containsKeys("time", "msgid");
    });
    return lines.stream().map(m -> m.param(1)).toList();
  }

  /** The FAIL a command is answered with: its parameters. */
  static List<String> fail(IrcTestClient client, String command) throws Exception {
    client.send(command);
    return client.await("FAIL").params();
  }

  @Test
  void roomHistoryByEverySubcommandWithMsgidsAndTimestamps() throws Exception {
    IrcTestClient alice = login("alice", true);
    alice.send("JOIN #dev");
    alice.await("366");
    // m1..m8 at seqs 1..8, 10 ms apart, except m6 in m5's millisecond.
    List<IrcMessage> sent = new ArrayList<>();
    long[] times = {0, 10, 20, 30, 40, 40, 60, 70};
    for (int i = 0; i < times.length; i++) {
      sent.add(say(alice, "#dev", "m" + (i + 1), T0 + times[i]));
    }
    assertThat(sent).extracting(m -> m.tags().get("msgid"))
        .allSatisfy(id -> assertThat(MessageLines.seqOf(id)).isPositive())
        .extracting(MessageLines::seqOf).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
    String[] id = sent.stream().map(m -> m.tags().get("msgid")).toArray(String[]::new);
    String[] time = sent.stream().map(m -> m.tags().get("time")).toArray(String[]::new);
    assertThat(time[4]).isEqualTo(time[5]).isEqualTo("2030-01-02T03:04:05.040Z");

    assertThat(history(alice, "CHATHISTORY LATEST #dev * 3")).containsExactly("m6", "m7", "m8");
    assertThat(history(alice, "CHATHISTORY LATEST #dev * 100000")).as("capped, not refused")
        .hasSize(8);
    assertThat(history(alice, "CHATHISTORY LATEST #dev msgid=" + id[5] + " 10"))
        .containsExactly("m7", "m8");
    assertThat(history(alice, "CHATHISTORY LATEST #dev timestamp=" + time[4] + " 10"))
        .as("after the millisecond, both of its messages left out").containsExactly("m7", "m8");
    assertThat(history(alice, "CHATHISTORY LATEST #dev timestamp=" + time[2] + " 2"))
        .containsExactly("m7", "m8");

    assertThat(history(alice, "CHATHISTORY BEFORE #dev msgid=" + id[3] + " 10"))
        .containsExactly("m1", "m2", "m3");
    assertThat(history(alice, "CHATHISTORY BEFORE #dev timestamp=" + time[5] + " 2"))
        .containsExactly("m3", "m4");

    assertThat(history(alice, "CHATHISTORY AFTER #dev msgid=" + id[2] + " 3"))
        .containsExactly("m4", "m5", "m6");
    assertThat(history(alice, "CHATHISTORY AFTER #dev msgid=" + id[4] + " 10"))
        .as("a msgid splits its millisecond").containsExactly("m6", "m7", "m8");
    assertThat(history(alice, "CHATHISTORY AFTER #dev timestamp=" + time[4] + " 10"))
        .containsExactly("m7", "m8");
    assertThat(history(alice, "CHATHISTORY AFTER #dev timestamp=2030-01-02T03:04:05.001Z 2"))
        .as("a time between messages").containsExactly("m2", "m3");

    assertThat(history(alice, "CHATHISTORY BETWEEN #dev msgid=" + id[0] + " msgid=" + id[7]
        + " 3")).as("forwards: the oldest after the first").containsExactly("m2", "m3", "m4");
    assertThat(history(alice, "CHATHISTORY BETWEEN #dev msgid=" + id[7] + " msgid=" + id[0]
        + " 3")).as("backwards: the newest before the first").containsExactly("m5", "m6", "m7");
    assertThat(history(alice, "CHATHISTORY BETWEEN #dev timestamp=" + time[0] + " timestamp="
        + time[7] + " 100")).containsExactly("m2", "m3", "m4", "m5", "m6", "m7");
    assertThat(history(alice, "CHATHISTORY BETWEEN #dev timestamp=" + time[7] + " msgid="
        + id[4] + " 100")).as("a time and a msgid").containsExactly("m6", "m7");

    assertThat(history(alice, "CHATHISTORY AROUND #dev msgid=" + id[4] + " 3"))
        .containsExactly("m4", "m5", "m6");
    assertThat(history(alice, "CHATHISTORY AROUND #dev msgid=" + id[6] + " 1"))
        .containsExactly("m7");
    assertThat(history(alice, "CHATHISTORY AROUND #dev timestamp=" + time[4] + " 3"))
        .containsExactly("m4", "m5", "m6");

    // Room changes share the log but are not replayed without draft/event-playback, and do
    // not count against the limit.
    clock.millis.set(T0 + 80);
    alice.send("TOPIC #dev :a topic");
    alice.await("TOPIC");
    say(alice, "#dev", "m9", T0 + 90);
    assertThat(history(alice, "CHATHISTORY LATEST #dev * 2")).containsExactly("m8", "m9");
  }

  @Test
  void conversationsByMsgidAndTimestampAndTargetsByTheirNewestMessage() throws Exception {
    IrcTestClient alice = login("alice", true);
    IrcTestClient bob = login("bob", true);
    alice.send("JOIN #dev");
    alice.await("366");
    List<String> ids = new ArrayList<>();
    for (int i = 1; i <= 6; i++) {
      IrcTestClient from = i % 2 == 1 ? alice : bob;
      ids.add(say(from, i % 2 == 1 ? "bob" : "alice", "p" + i, T0 + i * 10).tags().get("msgid"));
    }
    say(alice, "#dev", "in dev", T0 + 100);

    assertThat(history(alice, "CHATHISTORY LATEST bob * 10"))
        .containsExactly("p1", "p2", "p3", "p4", "p5", "p6");
    assertThat(history(bob, "CHATHISTORY AFTER alice msgid=" + ids.get(1) + " 2"))
        .containsExactly("p3", "p4");
    assertThat(history(bob, "CHATHISTORY BEFORE ALICE timestamp=2030-01-02T03:04:05.040Z 10"))
        .containsExactly("p1", "p2", "p3");
    assertThat(history(alice, "CHATHISTORY BETWEEN bob msgid=" + ids.get(5) + " msgid="
        + ids.get(0) + " 2")).containsExactly("p4", "p5");
    assertThat(history(alice, "CHATHISTORY AROUND bob msgid=" + ids.get(2) + " 3"))
        .containsExactly("p2", "p3", "p4");
    assertThat(history(alice, "CHATHISTORY LATEST carol * 10")).as("no conversation").isEmpty();
    IrcTestClient guest = login("dave", false);
    assertThat(history(guest, "CHATHISTORY LATEST alice * 10")).as("a guest has none")
        .isEmpty();

    alice.send("CHATHISTORY TARGETS timestamp=2020-01-01T00:00:00.000Z "
        + "timestamp=2262-01-01T00:00:00.000Z 10");
    IrcMessage start = alice.await("BATCH");
    assertThat(start.params()).containsExactly(start.param(0), "draft/chathistory-targets");
    List<IrcMessage> targets = alice.until(m -> m.command().equals("BATCH"));
    assertThat(targets.subList(0, targets.size() - 1)).extracting(IrcMessage::params)
        .containsExactly(
            List.of("TARGETS", "bob", "2030-01-02T03:04:05.060Z"),
            List.of("TARGETS", "#dev", "2030-01-02T03:04:05.100Z"));
    alice.send("CHATHISTORY TARGETS timestamp=2030-01-02T03:04:05.150Z "
        + "timestamp=2030-01-02T03:04:05.060Z 10");
    alice.await("BATCH");
    targets = alice.until(m -> m.command().equals("BATCH"));
    assertThat(targets.subList(0, targets.size() - 1)).as("exclusive, in either order")
        .extracting(IrcMessage::params)
        .containsExactly(List.of("TARGETS", "#dev", "2030-01-02T03:04:05.100Z"));
  }

  @Test
  void aMessageToOneselfIsDeliveredEchoedIfAskedAndKeptInTheHistory() throws Exception {
    IrcTestClient bob = login(server.ircPort(), clients, "bob", "bob", "batch", "server-time",
        "message-tags", "draft/chathistory"); // no echo-message
    bob.send("PRIVMSG bob :a note").send("PING one");
    assertThat(bob.until(m -> m.command().equals("PONG")))
        .filteredOn(m -> m.command().equals("PRIVMSG")).singleElement()
        .satisfies(m -> assertThat(m.params()).containsExactly("bob", "a note"));
    IrcTestClient alice = login("alice", true); // with echo-message
    alice.send("PRIVMSG alice :another").send("PING two");
    List<IrcMessage> both = alice.until(m -> m.command().equals("PONG")).stream()
        .filter(m -> m.command().equals("PRIVMSG")).toList();
    assertThat(both).as("the delivery and the echo").hasSize(2)
        .extracting(m -> m.tags().get("msgid")).containsOnly(both.get(0).tags().get("msgid"));
    assertThat(history(bob, "CHATHISTORY LATEST bob * 10")).containsExactly("a note");
    assertThat(history(alice, "CHATHISTORY LATEST alice * 10")).containsExactly("another");
  }

  @Test
  void badRequestsGetStandardReplies() throws Exception {
    IrcTestClient alice = login("alice", true);
    alice.send("JOIN #dev");
    alice.await("366");
    assertThat(fail(alice, "CHATHISTORY SIDEWAYS #dev * 10"))
        .startsWith("CHATHISTORY", "UNKNOWN_COMMAND", "SIDEWAYS");
    assertThat(fail(alice, "CHATHISTORY AFTER #dev"))
        .startsWith("CHATHISTORY", "NEED_MORE_PARAMS", "AFTER");
    assertThat(fail(alice, "CHATHISTORY BETWEEN #dev timestamp=2030-01-02T03:04:05.000Z 10"))
        .startsWith("CHATHISTORY", "NEED_MORE_PARAMS", "BETWEEN");
    assertThat(fail(alice, "CHATHISTORY AFTER #dev * 10"))
        .startsWith("CHATHISTORY", "INVALID_PARAMS", "AFTER");
    assertThat(fail(alice, "CHATHISTORY BEFORE #dev timestamp=yesterday 10"))
        .startsWith("CHATHISTORY", "INVALID_PARAMS", "BEFORE");
    assertThat(fail(alice, "CHATHISTORY AROUND #dev msgid=no-seq-here 10"))
        .startsWith("CHATHISTORY", "INVALID_PARAMS", "AROUND");
    assertThat(fail(alice, "CHATHISTORY LATEST #dev * none"))
        .startsWith("CHATHISTORY", "INVALID_PARAMS", "LATEST");
    assertThat(fail(alice, "CHATHISTORY LATEST #dev * 0"))
        .startsWith("CHATHISTORY", "INVALID_PARAMS", "LATEST");
    assertThat(fail(alice, "CHATHISTORY TARGETS msgid=a.1 timestamp=2030-01-02T03:04:05.000Z 5"))
        .startsWith("CHATHISTORY", "INVALID_PARAMS", "TARGETS");
    assertThat(fail(alice, "CHATHISTORY LATEST #elsewhere * 10"))
        .startsWith("CHATHISTORY", "INVALID_TARGET", "LATEST", "#elsewhere");
    assertThat(fail(alice, "CHATHISTORY LATEST $all * 10"))
        .startsWith("CHATHISTORY", "INVALID_TARGET", "LATEST", "$all");
  }
}
