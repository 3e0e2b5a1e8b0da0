package chat.server.irc;

import static org.assertj.core.api.Assertions.assertThat;

import chat.core.store.Account;
import chat.core.store.MemoryStore;
import chat.server.Argon2Hasher;
import chat.server.ChatServer;
import chat.server.ServerConfig;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A room message is formatted once per set of tags and shared by the members that asked for the
 * same tags ({@link SharedLines}): over real sockets, every member still gets exactly the tags it
 * asked for, a changed capability takes effect for the next message, and a message split over
 * several lines reaches everyone whole.
 */
class IrcFanOutTest {

  private static final String PASSWORD = "correct horse";
  private final MemoryStore store = new MemoryStore();
  private final Argon2Hasher hasher = new Argon2Hasher(8 * 1024, 1, 1);
  private final List<IrcTestClient> clients = new ArrayList<>();
  private ChatServer server;
  private int port;

  @BeforeEach
  void start() throws Exception {
    store.create(new Account("alice", hasher.hash(PASSWORD.toCharArray()), false, 0));
    server = new ChatServer(ServerConfig.defaults().withAddress("127.0.0.1", 0),
        Clock.systemUTC(), store, store, hasher)
        .irc(IrcConfig.of("127.0.0.1", 0))
        .start();
    port = server.ircPort();
  }

  @AfterEach
  void stop() throws Exception {
    for (IrcTestClient client : clients) {
      client.close();
    }
    server.close();
  }

  private IrcTestClient member(String nick, String... caps) throws Exception {
    IrcTestClient client = IrcTestClient.register(port, nick, caps);
    clients.add(client);
    client.send("JOIN #den");
    sync(client);
    return client;
  }

  /** alice, logged in with SASL (so her messages carry an account), in #den. */
  private IrcTestClient sender() throws Exception {
    IrcTestClient client = new IrcTestClient(port);
    clients.add(client);
    client.send("CAP LS 302").send("CAP REQ :sasl").send("NICK alice").send("USER a 0 * :A");
    client.await(m -> "ACK".equals(m.param(1)));
    client.send("AUTHENTICATE PLAIN");
    client.await("AUTHENTICATE");
    client.send("AUTHENTICATE " + Base64.getEncoder().encodeToString(
        ("alice\0alice\0" + PASSWORD).getBytes(StandardCharsets.UTF_8)));
    client.await("903");
    client.send("CAP END");
    client.await(m -> m.command().equals("376") || m.command().equals("422"));
    client.send("JOIN #den");
    sync(client);
    return client;
  }

  private static List<IrcMessage> sync(IrcTestClient client) throws Exception {
    String token = "sync" + System.nanoTime();
    client.send("PING " + token);
    List<IrcMessage> lines = client.until(m -> m.command().equals("PONG")
        && token.equals(m.param(1)));
    return lines.subList(0, lines.size() - 1);
  }

  private static List<IrcMessage> privmsgs(IrcTestClient client) throws Exception {
    return sync(client).stream().filter(m -> m.command().equals("PRIVMSG")).toList();
  }

  @Test
  void everyMemberGetsTheTagsItAskedFor() throws Exception {
    IrcTestClient plain = member("plain");
    IrcTestClient timed = member("timed", "server-time");
    IrcTestClient tagged = member("tagged", "server-time", "message-tags", "account-tag");
    IrcTestClient timed2 = member("timed2", "server-time");
    IrcTestClient alice = sender();
    for (IrcTestClient c : List.of(plain, timed, tagged, timed2)) {
      sync(c); // alice's JOIN
    }

    alice.send("PRIVMSG #den :hello all");
    sync(alice);
    IrcMessage forPlain = privmsgs(plain).get(0);
    assertThat(forPlain.tags()).isEmpty();
    assertThat(forPlain.source()).startsWith("alice!");
    assertThat(forPlain.params()).containsExactly("#den", "hello all");
    for (IrcTestClient c : List.of(timed, timed2)) {
      IrcMessage line = privmsgs(c).get(0);
      assertThat(line.tags()).containsOnlyKeys("time");
      assertThat(line.params()).containsExactly("#den", "hello all");
    }
    IrcMessage full = privmsgs(tagged).get(0);
    assertThat(full.tags()).containsOnlyKeys("time", "msgid", "account");
    assertThat(full.tags().get("account")).isEqualTo("alice");

    plain.send("CAP REQ :server-time");
    plain.await("CAP");
    timed.send("CAP REQ :-server-time");
    timed.await("CAP");
    alice.send("PRIVMSG #den :again");
    sync(alice);
    assertThat(privmsgs(plain).get(0).tags()).as("asked for time since").containsOnlyKeys("time");
    assertThat(privmsgs(timed).get(0).tags()).as("gave time up").isEmpty();
    assertThat(privmsgs(timed2).get(0).tags()).containsOnlyKeys("time");
  }

  @Test
  void aMessageSplitOverLinesReachesEveryoneWhole() throws Exception {
    IrcTestClient plain = member("plain");
    IrcTestClient tagged = member("tagged", "message-tags");
    IrcTestClient plain2 = member("plain2");
    IrcTestClient alice = sender();
    for (IrcTestClient c : List.of(plain, tagged, plain2)) {
      sync(c);
    }
    String text = "word ".repeat(98).trim(); // fits the line sent, not the line relayed
    alice.send("PRIVMSG #den :" + text);
    sync(alice);
    for (IrcTestClient c : List.of(plain, tagged, plain2)) {
      List<IrcMessage> lines = privmsgs(c);
      assertThat(lines).hasSizeGreaterThan(1);
      assertThat(String.join(" ", lines.stream().map(m -> m.param(1)).toList())).isEqualTo(text);
      assertThat(lines.stream().filter(m -> m.tags().containsKey("msgid")).count())
          .isEqualTo(c == tagged ? 1 : 0);
    }
  }
}
