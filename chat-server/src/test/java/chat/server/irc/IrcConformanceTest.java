package chat.server.irc;

import static org.assertj.core.api.Assertions.assertThat;

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
 * What the IRC conformance suite (irctest) checks, over real sockets: INVITE, WHO/WHOIS user
 * names and prefixes, WHOWAS, LUSERS, INFO, KICK's default comment, USER's real name, and the
 * order of other clients' effects against a PING.
 */
class IrcConformanceTest {

  private final MemoryStore store = new MemoryStore();
  private final Argon2Hasher hasher = new Argon2Hasher(8 * 1024, 1, 1);
  private final List<IrcTestClient> clients = new ArrayList<>();
  private ChatServer server;
  private int port;

  @BeforeEach
  void start() throws Exception {
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

  private IrcTestClient register(String nick) throws Exception {
    return register(nick, nick);
  }

  private IrcTestClient register(String nick, String user) throws Exception {
    IrcTestClient client = new IrcTestClient(port);
    clients.add(client);
    client.send("NICK " + nick).send("USER " + user + " 0 * :Real " + nick);
    client.await(m -> m.command().equals("422") || m.command().equals("376"));
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
  void inviteAnswersRplInvitingAndTellsTheInviteeOnly() throws Exception {
    IrcTestClient alice = register("alice");
    IrcTestClient bob = register("bob");
    IrcTestClient carol = register("carol");
    alice.send("JOIN #den");
    sync(alice);
    carol.send("JOIN #den");
    sync(carol);
    sync(alice);

    alice.send("INVITE bob #den");
    List<IrcMessage> answer = sync(alice);
    assertThat(commands(answer)).containsExactly("341");
    assertThat(answer.get(0).params()).containsExactly("alice", "bob", "#den");
    List<IrcMessage> invited = sync(bob);
    assertThat(invited).hasSize(1);
    assertThat(invited.get(0).source()).startsWith("alice!");
    assertThat(invited.get(0).command()).isEqualTo("INVITE");
    assertThat(invited.get(0).params()).containsExactly("bob", "#den");
    assertThat(sync(carol)).as("other members are not told").isEmpty();

    alice.send("INVITE nobody #den");
    assertThat(commands(sync(alice))).containsExactly("401");
    alice.send("INVITE carol #den");
    List<IrcMessage> member = sync(alice);
    assertThat(commands(member)).containsExactly("443");
    assertThat(member.get(0).params()).startsWith("alice", "carol", "#den");

    IrcTestClient dan = register("dan");
    alice.send("MODE #den +iI dan!*@*");
    sync(alice);
    assertThat(sync(dan)).as("an invite exception set by MODE is not an INVITE").isEmpty();
    dan.send("JOIN #den");
    assertThat(commands(sync(dan))).startsWith("JOIN");
  }

  @Test
  void whoAndWhoisShowTheUserNameAndChannelPrefixes() throws Exception {
    IrcTestClient alice = register("alice", "aliceuser");
    IrcTestClient bob = register("bob", "bobuser");
    alice.send("JOIN #den");
    sync(alice);
    bob.send("JOIN #den");
    sync(bob);

    bob.send("WHO #den");
    List<IrcMessage> who = sync(bob);
    IrcMessage aliceLine = who.stream().filter(m -> m.command().equals("352")
        && m.param(5).equals("alice")).findFirst().orElseThrow();
    assertThat(aliceLine.params()).containsExactly("bob", "#den", "aliceuser", "chat",
        "chat.local", "alice", "H@", "0 Real alice");
    assertThat(commands(who)).endsWith("315");

    bob.send("WHOIS alice");
    List<IrcMessage> whois = sync(bob);
    assertThat(commands(whois)).startsWith("311").endsWith("318");
    assertThat(whois.get(0).params()).containsExactly("bob", "alice", "aliceuser", "chat", "*",
        "Real alice");
    IrcMessage rooms = whois.stream().filter(m -> m.command().equals("319")).findFirst()
        .orElseThrow();
    assertThat(rooms.params()).containsExactly("bob", "alice", "@#den");

    bob.send("WHO alice");
    List<IrcMessage> whoNick = sync(bob);
    assertThat(whoNick.get(0).param(2)).isEqualTo("aliceuser");
  }

  @Test
  void whowasRemembersNicksThatLeftOrChanged() throws Exception {
    IrcTestClient alice = register("alice");
    IrcTestClient bob = register("bob", "bobuser");
    bob.send("QUIT :bye");
    bob.untilClosed();
    IrcTestClient carol = register("carol", "caroluser");
    carol.send("NICK carla");
    sync(carol);

    alice.send("WHOWAS bob");
    List<IrcMessage> bobWas = sync(alice);
    assertThat(commands(bobWas)).containsExactly("314", "312", "369");
    assertThat(bobWas.get(0).params()).containsExactly("alice", "bob", "bobuser", "chat", "*",
        "Real bob");
    alice.send("WHOWAS carol 1");
    assertThat(sync(alice).get(0).params()).containsExactly("alice", "carol", "caroluser",
        "chat", "*", "Real carol");
    alice.send("WHOWAS nobody");
    List<IrcMessage> none = sync(alice);
    assertThat(commands(none)).containsExactly("406", "369");
    assertThat(none.get(1).params()).startsWith("alice", "nobody");
    alice.send("WHOWAS");
    assertThat(commands(sync(alice))).containsExactly("431");
  }

  @Test
  void lusersCountsRegisteredAndUnknownAndTheMaximum() throws Exception {
    IrcTestClient alice = register("alice");
    IrcTestClient bob = register("bob");
    IrcTestClient unregistered = new IrcTestClient(port);
    clients.add(unregistered);
    unregistered.send("NICK later");
    unregistered.send("PING x");
    unregistered.await("PONG");
    bob.send("QUIT");
    bob.untilClosed();

    alice.send("LUSERS");
    List<IrcMessage> lusers = sync(alice);
    assertThat(commands(lusers)).containsExactly("251", "253", "254", "255", "265", "266");
    assertThat(lusers.get(0).param(1)).startsWith("There are 1 users and 0 invisible");
    assertThat(lusers.get(1).param(1)).isEqualTo("1");
    assertThat(lusers.get(4).params()).startsWith("alice", "1", "2");
    assertThat(lusers.get(5).params()).startsWith("alice", "1", "2");

    unregistered.send("QUIT");
    unregistered.untilClosed();
    alice.send("LUSERS");
    assertThat(commands(sync(alice))).as("gone once its connection is closed")
        .containsExactly("251", "254", "255", "265", "266");

    alice.send("INFO");
    assertThat(commands(sync(alice))).last().isEqualTo("374");
  }

  @Test
  void kickWithoutACommentGivesTheKickersNick() throws Exception {
    IrcTestClient alice = register("alice");
    IrcTestClient bob = register("bob");
    IrcTestClient carol = register("carol");
    for (IrcTestClient c : List.of(alice, bob, carol)) {
      c.send("JOIN #den");
      sync(c);
    }
    sync(alice);
    sync(bob);
    alice.send("KICK #den bob");
    for (IrcTestClient c : List.of(alice, bob, carol)) {
      List<IrcMessage> kick = sync(c);
      assertThat(commands(kick)).containsExactly("KICK");
      assertThat(kick.get(0).params()).containsExactly("#den", "bob", "alice");
    }
  }

  @Test
  void userNeedsARealNameAndMessagesNeedText() throws Exception {
    IrcTestClient client = new IrcTestClient(port);
    clients.add(client);
    client.send("NICK dora").send("USER dora 0 * :");
    assertThat(client.await("461").params()).startsWith("*", "USER");
    client.send("USER dora 0 * :Dora");
    client.await(m -> m.command().equals("422"));
    client.send("PRIVMSG dora");
    assertThat(commands(sync(client))).containsExactly("412");
    client.send("PRIVMSG dora :");
    assertThat(commands(sync(client))).containsExactly("412");
  }

  @Test
  void unknownCommandsAreAnswered421EvenWhenNotACommandToken() throws Exception {
    IrcTestClient alice = register("alice");
    alice.send("NONEXISTENT_COMMAND with params");
    List<IrcMessage> answer = sync(alice);
    assertThat(commands(answer)).containsExactly("421");
    assertThat(answer.get(0).params()).startsWith("alice", "NONEXISTENT_COMMAND");
  }

  @Test
  void monitorSaysOfflineWithTheNickAsItsLastHolderWroteIt() throws Exception {
    IrcTestClient alice = register("alice");
    alice.send("MONITOR + bob");
    assertThat(commands(sync(alice))).containsExactly("731");
    IrcTestClient bob = register("Bob");
    assertThat(alice.await("730").param(1)).startsWith("Bob!");
    bob.send("NICK robert");
    sync(bob);
    assertThat(alice.await("731").param(1)).isEqualTo("Bob");
  }

  @Test
  void channelModeIsFollowedByTheCreationTime() throws Exception {
    long before = System.currentTimeMillis() / 1000;
    IrcTestClient alice = register("alice");
    alice.send("JOIN #den");
    sync(alice);
    alice.send("MODE #den");
    List<IrcMessage> modes = sync(alice);
    assertThat(commands(modes)).containsExactly("324", "329");
    assertThat(modes.get(1).params()).hasSize(3).startsWith("alice", "#den");
    assertThat(Long.parseLong(modes.get(1).param(2)))
        .isBetween(before, System.currentTimeMillis() / 1000);
  }

  @Test
  void nobodyByThatNickIs401AndSomeoneElsewhereIs441() throws Exception {
    IrcTestClient alice = register("alice");
    register("bob");
    alice.send("JOIN #den");
    sync(alice);
    for (String line : List.of("MODE #den +o nobody", "KICK #den nobody")) {
      alice.send(line);
      List<IrcMessage> answer = sync(alice);
      assertThat(commands(answer)).as(line).containsExactly("401");
      assertThat(answer.get(0).params()).startsWith("alice", "nobody");
    }
    for (String line : List.of("MODE #den +o bob", "KICK #den bob")) {
      alice.send(line);
      List<IrcMessage> answer = sync(alice);
      assertThat(commands(answer)).as(line).containsExactly("441");
      assertThat(answer.get(0).params()).startsWith("alice", "bob", "#den");
    }
  }

  @Test
  void aRefusedKeyIs696WithoutTheKeyAndTheChannelStaysOpen() throws Exception {
    IrcTestClient alice = register("alice");
    alice.send("JOIN #den");
    sync(alice);
    alice.send("MODE #den +k :" + "long".repeat(100));
    List<IrcMessage> answer = sync(alice);
    assertThat(commands(answer)).containsExactly("696");
    assertThat(answer.get(0).params()).startsWith("alice", "#den", "k", "*");
    IrcTestClient bob = register("bob");
    bob.send("JOIN #den");
    assertThat(commands(sync(bob))).contains("JOIN", "366").doesNotContain("475");
  }

  @Test
  void kickPairsChannelsWithNicksAndEveryoneSeesBothKicks() throws Exception {
    IrcTestClient alice = register("alice");
    IrcTestClient bob = register("bob");
    IrcTestClient carol = register("carol");
    alice.send("JOIN #a,#b");
    sync(alice);
    bob.send("JOIN #a");
    sync(bob);
    carol.send("JOIN #a,#b");
    sync(carol);
    sync(alice);
    alice.send("KICK #a,#b bob");
    assertThat(commands(sync(alice))).containsExactly("461");
    alice.send("KICK #a,#b bob,carol :bye");
    List<IrcMessage> kicks = sync(alice);
    assertThat(kicks).extracting(IrcMessage::params)
        .containsExactly(List.of("#a", "bob", "bye"), List.of("#b", "carol", "bye"));
    // carol, kicked from #b only, saw bob's kick from #a first
    List<IrcMessage> seen = sync(carol);
    assertThat(seen).filteredOn(l -> l.command().equals("KICK")).extracting(IrcMessage::params)
        .containsExactly(List.of("#a", "bob", "bye"), List.of("#b", "carol", "bye"));
  }

  @Test
  void minusNLetsOutsidersSpeakAndEveryFlagCanBeTurnedOff() throws Exception {
    IrcTestClient alice = register("alice");
    IrcTestClient baz = register("baz");
    alice.send("JOIN #chan");
    sync(alice);
    baz.send("PRIVMSG #chan :hi from baz");
    assertThat(commands(sync(baz))).containsExactly("404");
    assertThat(sync(alice)).isEmpty();
    alice.send("MODE #chan +ins");
    sync(alice);
    alice.send("MODE #chan");
    assertThat(sync(alice).get(0).params()).containsExactly("alice", "#chan", "+inst");
    alice.send("MODE #chan -inst");
    List<IrcMessage> changed = sync(alice);
    assertThat(changed).extracting(IrcMessage::command).containsExactly("MODE");
    assertThat(changed.get(0).params()).containsExactly("#chan", "-inst");
    alice.send("MODE #chan");
    assertThat(sync(alice).get(0).params()).containsExactly("alice", "#chan", "+");
    baz.send("PRIVMSG #chan :hi again from baz");
    assertThat(sync(baz)).isEmpty();
    List<IrcMessage> relayed = sync(alice);
    assertThat(relayed).extracting(IrcMessage::params)
        .containsExactly(List.of("#chan", "hi again from baz"));
    assertThat(relayed.get(0).source()).startsWith("baz!");
  }

  @Test
  void aSecretChannelIsNotListedNorItsNamesShownToOutsiders() throws Exception {
    IrcTestClient first = register("first");
    first.send("JOIN #gen");
    sync(first);
    first.send("MODE #gen +s");
    sync(first);
    first.send("LIST");
    assertThat(sync(first)).filteredOn(l -> l.command().equals("322"))
        .extracting(l -> l.param(1)).contains("#gen");
    first.send("NAMES #gen");
    List<IrcMessage> names = sync(first);
    assertThat(names.get(0).params()).containsExactly("first", "@", "#gen", "@first");

    IrcTestClient second = register("second");
    second.send("LIST");
    assertThat(sync(second)).filteredOn(l -> l.command().equals("322"))
        .extracting(l -> l.param(1)).doesNotContain("#gen");
    second.send("NAMES #gen");
    assertThat(commands(sync(second))).containsExactly("366");
    second.send("WHOIS first");
    assertThat(sync(second)).filteredOn(l -> l.command().equals("319"))
        .allSatisfy(l -> assertThat(l.param(2)).doesNotContain("#gen"));
    second.send("JOIN #gen");
    assertThat(sync(second)).filteredOn(l -> l.command().equals("353"))
        .extracting(l -> l.param(1)).containsExactly("@");
    second.send("LIST");
    assertThat(sync(second)).filteredOn(l -> l.command().equals("322"))
        .extracting(l -> l.param(1)).contains("#gen");
  }
}
