package chat.server.irc;

import static org.assertj.core.api.Assertions.assertThat;

import chat.core.store.Account;
import chat.core.store.MemoryStore;
import chat.server.Argon2Hasher;
import chat.server.ChatServer;
import chat.server.ServerConfig;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What modern IRC servers offer beyond RFC 2812, over real sockets: MONITOR and
 * extended-monitor, WHO masks and WHOX, invisible users, OPER that keeps the nick, WALLOPS,
 * STATUSMSG, BOT mode, LINKS and ELIST.
 */
class IrcModernTest {

  private static final String PASSWORD = "correct horse";
  private final MemoryStore store = new MemoryStore();
  private final Argon2Hasher hasher = new Argon2Hasher(8 * 1024, 1, 1);
  private final List<IrcTestClient> clients = new ArrayList<>();
  private ChatServer server;
  private int port;

  @BeforeEach
  void start() throws Exception {
    store.create(new Account("root", hasher.hash(PASSWORD.toCharArray()), true, 0));
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

  private IrcTestClient register(String nick, String... caps) throws Exception {
    IrcTestClient client = IrcTestClient.register(port, nick, caps);
    clients.add(client);
    return client;
  }

  /** The lines up to the PONG for a fresh PING, without it. */
  private static List<IrcMessage> sync(IrcTestClient client) throws Exception {
    String token = "sync" + System.nanoTime();
    client.send("PING " + token);
    List<IrcMessage> lines = client.until(m -> m.command().equals("PONG")
        && token.equals(m.param(1)));
    return lines.subList(0, lines.size() - 1);
  }

  private static List<String> commands(List<IrcMessage> lines) {
    return lines.stream().map(IrcMessage::command).toList();
  }

  @Test
  void monitorTellsOfNicksComingAndGoing() throws Exception {
    IrcTestClient alice = register("alice");
    alice.send("MONITOR + bob,carol");
    List<IrcMessage> status = sync(alice);
    assertThat(commands(status)).containsExactly("731");
    assertThat(status.get(0).params()).containsExactly("alice", "bob,carol");

    IrcTestClient bob = register("bob");
    IrcMessage online = alice.await("730");
    assertThat(online.params()).containsExactly("alice", "bob!bob@chat");
    bob.send("NICK carol");
    assertThat(alice.await("731").param(1)).isEqualTo("bob");
    assertThat(alice.await("730").param(1)).isEqualTo("carol!carol@chat");
    bob.send("QUIT :bye");
    bob.untilClosed();
    assertThat(alice.await("731").param(1)).isEqualTo("carol");

    alice.send("MONITOR L");
    List<IrcMessage> listed = sync(alice);
    assertThat(commands(listed)).containsExactly("732", "733");
    assertThat(listed.get(0).param(1)).isEqualTo("bob,carol");
    alice.send("MONITOR - bob");
    alice.send("MONITOR S");
    assertThat(commands(sync(alice))).containsExactly("731");
    alice.send("MONITOR C");
    alice.send("MONITOR L");
    assertThat(commands(sync(alice))).containsExactly("733");
    register("carol");
    assertThat(sync(alice)).as("nothing watched any more").isEmpty();
  }

  @Test
  void monitorListsAreLimited() throws Exception {
    IrcTestClient alice = register("alice");
    StringBuilder many = new StringBuilder();
    for (int i = 0; i <= chat.core.Hub.MAX_WATCHED; i++) {
      many.append(many.isEmpty() ? "" : ",").append("n").append(i);
    }
    alice.send("MONITOR + " + many);
    IrcMessage full = alice.await("734");
    assertThat(full.params()).containsExactly("alice",
        Integer.toString(chat.core.Hub.MAX_WATCHED), "n" + chat.core.Hub.MAX_WATCHED,
        "Monitor list is full.");
  }

  @Test
  void extendedMonitorCarriesAwayOfWatchedUsersOutsideChannels() throws Exception {
    IrcTestClient alice = register("alice", "extended-monitor", "away-notify");
    IrcTestClient plain = register("plain", "away-notify");
    IrcTestClient bob = register("bob");
    alice.send("MONITOR + bob");
    plain.send("MONITOR + bob");
    sync(alice);
    sync(plain);
    bob.send("AWAY :lunch");
    sync(bob);
    IrcMessage away = alice.await("AWAY");
    assertThat(away.source()).startsWith("bob!");
    assertThat(away.params()).containsExactly("lunch");
    assertThat(commands(sync(plain))).doesNotContain("AWAY");
  }

  @Test
  void aWatchedUserComingOnlineIsOneMonOnlineNotASetnameForItsRealName() throws Exception {
    IrcTestClient alice = register("alice", "extended-monitor", "setname");
    alice.send("MONITOR + bob");
    sync(alice);
    IrcTestClient bob = register("bob", "setname");
    IrcMessage online = alice.await("730");
    assertThat(online.param(1)).startsWith("bob!");
    assertThat(sync(alice)).as("the real name from USER is no change").isEmpty();
    alice.send("WHOIS bob");
    assertThat(sync(alice)).filteredOn(l -> l.command().equals("311"))
        .extracting(l -> l.param(5)).containsExactly("bob Tester");
    bob.send("SETNAME :new name");
    sync(bob);
    IrcMessage setname = alice.await("SETNAME");
    assertThat(setname.params()).containsExactly("new name");
    bob.send("WHOIS bob");
    assertThat(sync(bob)).filteredOn(l -> l.command().equals("311"))
        .extracting(l -> l.param(5)).containsExactly("new name");
  }

  @Test
  void anAwayUserJoiningIsAnnouncedWithAwayToAwayNotifyMembersOnly() throws Exception {
    IrcTestClient alice = register("alice", "away-notify");
    IrcTestClient plain = register("plain");
    IrcTestClient bob = register("bob", "away-notify");
    alice.send("JOIN #dev");
    plain.send("JOIN #dev");
    sync(alice);
    sync(plain);
    bob.send("AWAY :already away");
    sync(bob);
    bob.send("JOIN #dev");
    assertThat(commands(sync(bob))).as("not its own away status").doesNotContain("AWAY");
    List<IrcMessage> seen = sync(alice);
    assertThat(commands(seen)).containsSubsequence("JOIN", "AWAY");
    IrcMessage away = seen.stream().filter(m -> m.command().equals("AWAY")).findFirst()
        .orElseThrow();
    assertThat(away.source()).startsWith("bob!");
    assertThat(away.params()).containsExactly("already away");
    assertThat(commands(sync(plain))).contains("JOIN").doesNotContain("AWAY");
  }

  @Test
  void whoMasksFindUsersAndSkipInvisibleStrangers() throws Exception {
    IrcTestClient asker = register("asker");
    IrcTestClient evan = register("evan");
    register("eve");
    register("bob");
    asker.send("WHO ev*");
    List<IrcMessage> found = sync(asker);
    assertThat(found.stream().filter(m -> m.command().equals("352")).map(m -> m.param(5)))
        .containsExactlyInAnyOrder("evan", "eve");
    assertThat(found.get(found.size() - 1).params()).startsWith("asker", "ev*");

    evan.send("MODE evan +i");
    sync(evan);
    asker.send("WHO ev*");
    assertThat(sync(asker).stream().filter(m -> m.command().equals("352"))
        .map(m -> m.param(5))).containsExactly("eve");
    asker.send("WHO evan");
    assertThat(commands(sync(asker))).containsExactly("352", "315");
    evan.send("JOIN #x");
    sync(evan);
    asker.send("JOIN #x");
    sync(asker);
    asker.send("WHO ev*");
    assertThat(sync(asker).stream().filter(m -> m.command().equals("352"))
        .map(m -> m.param(5))).containsExactlyInAnyOrder("evan", "eve");
  }

  @Test
  void whoxAnswersTheFieldsAskedForInTheirOrder() throws Exception {
    IrcTestClient asker = register("asker");
    IrcTestClient bob = register("bob");
    bob.send("JOIN #chan");
    sync(bob);
    asker.send("WHO bob %" + new StringBuilder("tcuihsnfdlaor").reverse() + ",123");
    List<IrcMessage> lines = sync(asker);
    assertThat(commands(lines)).containsExactly("354", "315");
    assertThat(lines.get(0).params()).containsExactly("asker", "123", "*", "bob",
        "255.255.255.255", "chat", "chat.local", "bob", "H", "0", "0", "0", "n/a",
        "bob Tester");
    asker.send("WHO #chan %na");
    List<IrcMessage> chan = sync(asker);
    assertThat(chan.get(0).params()).containsExactly("asker", "bob", "0");
  }

  @Test
  void operKeepsTheNickAndWallopsReachThoseWithModeW() throws Exception {
    IrcTestClient boss = register("boss");
    IrcTestClient reader = register("reader");
    IrcTestClient other = register("other");
    reader.send("MODE reader +w");
    assertThat(commands(sync(reader))).containsExactly("MODE");
    boss.send("WALLOPS :hello");
    assertThat(commands(sync(boss))).containsExactly("481");

    boss.send("OPER root :" + PASSWORD);
    List<IrcMessage> oper = sync(boss);
    assertThat(commands(oper)).containsExactly("381", "MODE");
    assertThat(oper.get(0).param(0)).isEqualTo("boss");
    boss.send("WHOIS boss");
    assertThat(commands(sync(boss))).contains("313").doesNotContain("330");

    boss.send("WALLOPS :maintenance at noon");
    sync(boss);
    IrcMessage wallops = reader.await("WALLOPS");
    assertThat(wallops.source()).startsWith("boss!");
    assertThat(wallops.params()).containsExactly("maintenance at noon");
    assertThat(commands(sync(other))).doesNotContain("WALLOPS");
  }

  @Test
  void statusMessagesReachTheChannelsOperatorsOnly() throws Exception {
    IrcTestClient op = register("op", "echo-message");
    IrcTestClient member = register("member");
    op.send("JOIN #dev");
    sync(op);
    member.send("JOIN #dev");
    sync(member);
    sync(op);

    member.send("PRIVMSG @#dev :psst");
    sync(member);
    IrcMessage got = op.await("PRIVMSG");
    assertThat(got.source()).startsWith("member!");
    assertThat(got.params()).containsExactly("@#dev", "psst");

    op.send("PRIVMSG @#dev :ops only");
    List<IrcMessage> echo = sync(op);
    assertThat(echo).extracting(m -> m.params().toString()).containsExactly("[@#dev, ops only]");
    assertThat(commands(sync(member))).doesNotContain("PRIVMSG");
    op.send("PRIVMSG @#nowhere :x");
    assertThat(commands(sync(op))).containsExactly("404");
  }

  @Test
  void botModeIsShownInWhoisWhoAndAsATag() throws Exception {
    IrcTestClient bot = register("helper");
    IrcTestClient alice = register("alice", "message-tags");
    alice.send("VERSION");
    assertThat(sync(alice).stream().filter(m -> m.command().equals("005"))
        .flatMap(m -> m.params().stream())).contains("BOT=B", "WHOX", "MONITOR=100");
    bot.send("MODE helper +B");
    assertThat(sync(bot).get(0).params()).containsExactly("helper", "+B");
    alice.send("WHOIS helper");
    assertThat(commands(sync(alice))).contains("335");
    alice.send("WHO helper");
    assertThat(sync(alice).get(0).param(6)).isEqualTo("HB");
    bot.send("PRIVMSG alice :beep");
    sync(bot);
    IrcMessage beep = alice.await("PRIVMSG");
    assertThat(beep.tags()).containsKey("bot");
  }

  @Test
  void linksAndElistFilters() throws Exception {
    IrcTestClient alice = register("alice");
    IrcTestClient bob = register("bob");
    alice.send("JOIN #big,#small,#other");
    sync(alice);
    bob.send("JOIN #big");
    sync(bob);
    sync(alice);
    alice.send("LINKS");
    List<IrcMessage> links = sync(alice);
    assertThat(commands(links)).containsExactly("364", "365");
    assertThat(links.get(0).params())
        .containsExactly("alice", "chat.local", "chat.local", "0 chat server");

    alice.send("LIST >1");
    assertThat(listed(sync(alice))).containsExactly("#big");
    alice.send("LIST <2,#s*");
    assertThat(listed(sync(alice))).containsExactly("#small");
    alice.send("LIST !#s*");
    assertThat(listed(sync(alice))).containsExactlyInAnyOrder("#big", "#other");
  }

  private static List<String> listed(List<IrcMessage> lines) {
    return lines.stream().filter(m -> m.command().equals("322")).map(m -> m.param(1)).toList();
  }

  @Test
  void tagmsgRelaysTypingAndReactionsToMessageTagsClientsOnly() throws Exception {
    IrcTestClient alice = register("alice", "message-tags", "echo-message", "labeled-response",
        "batch");
    IrcTestClient bob = register("bob", "message-tags");
    IrcTestClient plain = register("plain");
    for (IrcTestClient c : List.of(alice, bob, plain)) {
      c.send("JOIN #dev");
      sync(c);
    }
    sync(alice);
    sync(bob);
    alice.send("@label=l1;+typing=active;+example/secret=x TAGMSG #dev");
    List<IrcMessage> echo = sync(alice);
    assertThat(echo).hasSize(1);
    assertThat(echo.get(0).command()).isEqualTo("TAGMSG");
    assertThat(echo.get(0).tags()).containsEntry("label", "l1").containsEntry("+typing", "active")
        .doesNotContainKey("+example/secret").containsKey("msgid");
    List<IrcMessage> seen = sync(bob);
    assertThat(seen).extracting(IrcMessage::command).containsExactly("TAGMSG");
    assertThat(seen.get(0).source()).startsWith("alice!");
    assertThat(seen.get(0).params()).containsExactly("#dev");
    assertThat(seen.get(0).tags()).containsEntry("+typing", "active").doesNotContainKey("label")
        .containsEntry("msgid", echo.get(0).tags().get("msgid"));
    assertThat(sync(plain)).as("no TAGMSG without message-tags").isEmpty();

    alice.send("@+draft/react=\u00f0 TAGMSG bob");
    sync(alice);
    IrcMessage react = bob.await("TAGMSG");
    assertThat(react.params()).containsExactly("bob");
    alice.send("@+example/secret=x TAGMSG #dev");
    assertThat(sync(alice)).as("nothing relayed, nothing said").isEmpty();
    assertThat(sync(bob)).isEmpty();
    plain.send("@+typing=active TAGMSG #nowhere");
    assertThat(commands(sync(plain))).containsExactly("404");
  }

  @Test
  void tagmsgToOneselfComesBackTwiceOnceLabeled() throws Exception {
    IrcTestClient alice = register("alice", "message-tags", "echo-message", "labeled-response",
        "batch");
    alice.send("@label=12345;+draft/reply=123;+draft/react=x TAGMSG alice");
    List<IrcMessage> lines = sync(alice);
    assertThat(lines).extracting(IrcMessage::command).containsExactly("TAGMSG", "TAGMSG");
    assertThat(lines).allSatisfy(l -> assertThat(l.tags()).containsEntry("+draft/reply", "123"));
    assertThat(lines).filteredOn(l -> "12345".equals(l.tags().get("label"))).hasSize(1);
  }
}
