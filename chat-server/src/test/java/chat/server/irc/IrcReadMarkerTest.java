package chat.server.irc;

import static chat.server.irc.IrcChathistoryTest.PASSWORD;
import static chat.server.irc.IrcChathistoryTest.T0;
import static org.assertj.core.api.Assertions.assertThat;

import chat.core.CoreLimits;
import chat.core.FloodLimits;
import chat.core.store.Account;
import chat.core.store.MemoryStore;
import chat.protocol.Frame;
import chat.protocol.Json;
import chat.server.Argon2Hasher;
import chat.server.ChatServer;
import chat.server.ServerConfig;
import chat.server.WireClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * draft/read-marker over real sockets: MARKREAD get and set, forward only, on one IRC connection
 * of an account reaching its others; a native {@code mark} showing as MARKREAD with its
 * message's time; MARKREAD before 366 after a JOIN, and after the JOINs a login brings; guests.
 */
class IrcReadMarkerTest {

  static final String[] CAPS = {"draft/read-marker", "server-time", "message-tags",
      "echo-message"};

  private final MemoryStore store = new MemoryStore();
  private final IrcChathistoryTest.SetClock clock = new IrcChathistoryTest.SetClock();
  private final List<IrcTestClient> clients = new ArrayList<>();
  private final List<WireClient> natives = new ArrayList<>();
  private ChatServer server;

  @BeforeEach
  void start() throws Exception {
    Argon2Hasher hasher = new Argon2Hasher(8 * 1024, 1, 1);
    for (String name : List.of("alice", "bob")) {
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
    for (WireClient client : natives) {
      client.close();
    }
    server.close();
  }

  private IrcTestClient login(String nick, boolean account, String... caps) throws Exception {
    return IrcChathistoryTest.login(server.ircPort(), clients, nick, account ? nick : null,
        caps.length == 0 ? CAPS : caps);
  }

  private static String time(long ts) {
    return Text.serverTime(ts);
  }

  /** Sends a message at {@code ts} and waits for its echo. */
  private void say(IrcTestClient client, String target, String text, long ts) throws Exception {
    clock.millis.set(ts);
    client.send("PRIVMSG " + target + " :" + text);
    client.await(m -> m.command().equals("PRIVMSG") && text.equals(m.param(1)));
  }

  /** The lines up to the PONG of a PING sent now: everything the server had to say before. */
  private static List<IrcMessage> flush(IrcTestClient client, String token) throws Exception {
    client.send("PING " + token);
    return client.until(m -> m.command().equals("PONG") && token.equals(m.param(1)));
  }

  private static List<String> markread(IrcTestClient client) throws Exception {
    return client.await("MARKREAD").params();
  }

  @Test
  void aMarkerSetOnOneConnectionReachesTheAccountsOtherConnections() throws Exception {
    IrcTestClient laptop = login("alice", true);
    laptop.send("JOIN #dev");
    List<IrcMessage> join = laptop.until(m -> m.command().equals("366"));
    assertThat(join).extracting(IrcMessage::command)
        .containsSubsequence("JOIN", "MARKREAD", "353", "366");
    assertThat(join).filteredOn(m -> m.command().equals("MARKREAD")).singleElement()
        .satisfies(m -> assertThat(m.params()).containsExactly("#dev", "*"));
    say(laptop, "#dev", "one", T0 + 10);
    say(laptop, "#dev", "two", T0 + 20);

    // A second connection of the account is put in its rooms: MARKREAD after each JOIN.
    IrcTestClient phone = login("alice", true);
    assertThat(phone.await("MARKREAD").params()).containsExactly("#dev", "*");
    List<String> commands = phone.received.stream().map(IrcMessage::command).toList();
    assertThat(commands.indexOf("JOIN")).as("the JOIN comes after the welcome, then MARKREAD")
        .isGreaterThan(commands.indexOf("422")).isLessThan(commands.indexOf("MARKREAD"));
    IrcTestClient tablet = login("alice", true, "server-time"); // without draft/read-marker

    laptop.send("MARKREAD #dev timestamp=" + time(T0 + 10));
    assertThat(markread(laptop)).containsExactly("#dev", "timestamp=" + time(T0 + 10));
    assertThat(markread(phone)).as("passed on").containsExactly("#dev",
        "timestamp=" + time(T0 + 10));
    assertThat(flush(tablet, "t1")).extracting(IrcMessage::command).doesNotContain("MARKREAD");

    phone.send("MARKREAD #dev");
    assertThat(markread(phone)).containsExactly("#dev", "timestamp=" + time(T0 + 10));
    phone.send("MARKREAD #dev timestamp=" + time(T0 + 5));
    assertThat(markread(phone)).as("never back").containsExactly("#dev",
        "timestamp=" + time(T0 + 10));
    assertThat(flush(laptop, "l1")).as("nothing moved").extracting(IrcMessage::command)
        .doesNotContain("MARKREAD");
    phone.send("MARKREAD #dev timestamp=" + time(T0 + 15));
    assertThat(markread(phone)).as("between two messages, kept as given")
        .containsExactly("#dev", "timestamp=" + time(T0 + 15));
    assertThat(markread(laptop)).containsExactly("#dev", "timestamp=" + time(T0 + 15));

    clock.millis.set(T0 + 1_000);
    laptop.send("MARKREAD Bob timestamp=" + time(T0 + 900));
    assertThat(markread(laptop)).containsExactly("Bob", "timestamp=" + time(T0 + 900));
    assertThat(markread(phone)).as("a conversation, by the account's name")
        .containsExactly("bob", "timestamp=" + time(T0 + 900));
    laptop.send("MARKREAD #dev timestamp=" + time(T0 + 5_000));
    assertThat(markread(laptop)).as("at most now").containsExactly("#dev",
        "timestamp=" + time(T0 + 1_000));
    laptop.send("MARKREAD nobody");
    assertThat(markread(laptop)).containsExactly("nobody", "*");
  }

  @Test
  void aNativeMarkShowsAsMarkreadWithItsMessagesTimeAndComesBackOnJoin() throws Exception {
    IrcTestClient irc = login("alice", true);
    irc.send("JOIN #dev");
    irc.await("366");
    for (int i = 1; i <= 3; i++) {
      say(irc, "#dev", "m" + i, T0 + i * 10); // seqs 1..3
    }
    WireClient terminal = new WireClient(server.port());
    natives.add(terminal);
    terminal.send(Json.header("hello").put("id", "h").put("version", 1).put("nick", "alice")
        .put("password", PASSWORD));
    terminal.awaitReply("h");
    terminal.send(Json.header("mark").put("id", "k").put("room", "dev").put("seq", 2));
    Frame ok = terminal.awaitReply("k");
    assertThat(ok.number("ts", 0)).as("the time of the entry marked").isEqualTo(T0 + 20);
    assertThat(markread(irc)).containsExactly("#dev", "timestamp=" + time(T0 + 20));

    irc.send("MARKREAD #dev timestamp=" + time(T0 + 30));
    assertThat(markread(irc)).containsExactly("#dev", "timestamp=" + time(T0 + 30));
    Frame moved = terminal.await(f -> "marker".equals(f.type()));
    assertThat(moved.number("seq", 0)).as("the newest message at or before the time")
        .isEqualTo(3);

    irc.send("PART #dev");
    irc.await("PART");
    irc.send("JOIN #dev");
    List<IrcMessage> join = irc.until(m -> m.command().equals("366"));
    assertThat(join).extracting(IrcMessage::command).containsSubsequence("MARKREAD", "366");
    assertThat(join).filteredOn(m -> m.command().equals("MARKREAD")).singleElement()
        .satisfies(m -> assertThat(m.params()).containsExactly("#dev",
            "timestamp=" + time(T0 + 30)));
    irc.send("JOIN #a,#b");
    List<IrcMessage> two = irc.until(m -> m.command().equals("366") && "#b".equals(m.param(1)));
    assertThat(two).extracting(m -> m.command() + " " + m.param(0))
        .as("one channel after the other").containsSubsequence("JOIN #a", "MARKREAD #a",
            "366 alice", "JOIN #b", "MARKREAD #b", "366 alice");
  }

  @Test
  void guestsKeepChannelMarkersWhileHereAndBadRequestsGetStandardReplies() throws Exception {
    IrcTestClient guest = login("dave", false);
    guest.send("JOIN #dev");
    List<IrcMessage> join = guest.until(m -> m.command().equals("366"));
    assertThat(join).filteredOn(m -> m.command().equals("MARKREAD")).singleElement()
        .satisfies(m -> assertThat(m.params()).containsExactly("#dev", "*"));
    guest.send("MARKREAD #dev");
    assertThat(markread(guest)).containsExactly("#dev", "*");
    guest.send("MARKREAD #dev timestamp=" + time(T0));
    assertThat(markread(guest)).containsExactly("#dev", "timestamp=" + time(T0));
    guest.send("MARKREAD #dev timestamp=" + time(T0 - 60_000));
    assertThat(markread(guest)).as("forward only").containsExactly("#dev", "timestamp=" + time(T0));
    guest.send("MARKREAD #dev");
    assertThat(markread(guest)).containsExactly("#dev", "timestamp=" + time(T0));
    guest.send("MARKREAD alice timestamp=" + time(T0));
    assertThat(markread(guest)).containsExactly("alice", "timestamp=" + time(T0));
    guest.send("MARKREAD alice");
    assertThat(markread(guest)).containsExactly("alice", "timestamp=" + time(T0));

    IrcTestClient alice = login("alice", true);
    alice.send("MARKREAD");
    assertThat(alice.await("FAIL").params()).startsWith("MARKREAD", "NEED_MORE_PARAMS");
    alice.send("MARKREAD #dev *");
    assertThat(alice.await("FAIL").params()).startsWith("MARKREAD", "INVALID_PARAMS", "#dev");
    alice.send("MARKREAD #dev timestamp=not-a-time");
    assertThat(alice.await("FAIL").params()).startsWith("MARKREAD", "INVALID_PARAMS", "#dev");
    alice.send("MARKREAD #no/such timestamp=" + time(T0));
    assertThat(alice.await("FAIL").params()).startsWith("MARKREAD", "INVALID_PARAMS");
  }
}
