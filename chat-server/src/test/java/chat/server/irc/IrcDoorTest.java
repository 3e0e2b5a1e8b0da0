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

/** The IRC door over real sockets: registration, capabilities, SASL, channels, errors, limits. */
class IrcDoorTest {

  private static final String PASSWORD = "correct horse battery";

  private final MemoryStore store = new MemoryStore();
  private final Argon2Hasher hasher = new Argon2Hasher(8 * 1024, 1, 1);
  private final List<IrcTestClient> clients = new ArrayList<>();
  private ChatServer server;
  private int port;

  @BeforeEach
  void start() throws Exception {
    store.create(new Account("root", hasher.hash(PASSWORD.toCharArray()), true, 0));
    store.create(new Account("carol", hasher.hash(PASSWORD.toCharArray()), false, 0));
    server = new ChatServer(ServerConfig.defaults().withAddress("127.0.0.1", 0),
        Clock.systemUTC(), store, store, hasher)
        .irc(IrcConfig.of("127.0.0.1", 0).withMotd(List.of("be kind")))
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

  private IrcTestClient connect() throws Exception {
    IrcTestClient client = new IrcTestClient(port);
    clients.add(client);
    return client;
  }

  private IrcTestClient register(String nick, String... caps) throws Exception {
    IrcTestClient client = IrcTestClient.register(port, nick, caps);
    clients.add(client);
    return client;
  }

  private static String sasl(String account, String password) {
    return Base64.getEncoder().encodeToString(("\0" + account + "\0" + password)
        .getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void registrationSendsWelcomeIsupportLusersAndMotd() throws Exception {
    IrcTestClient alice = connect();
    alice.send("NICK alice").send("USER alice 0 * :Alice Liddell");
    List<IrcMessage> burst = alice.until(m -> m.command().equals("376"));
    assertThat(burst).extracting(IrcMessage::command)
        .containsSubsequence("001", "002", "003", "004", "005", "251", "254", "255", "375", "372",
            "376");
    assertThat(burst.get(0).params()).first().isEqualTo("alice");
    assertThat(burst.get(0).param(1)).contains("alice!alice@chat");
    String isupport = String.join(" ", burst.stream().filter(m -> m.command().equals("005"))
        .flatMap(m -> m.params().stream()).toList());
    assertThat(isupport).contains("CASEMAPPING=ascii", "CHANTYPES=#", "PREFIX=(ov)@+",
        "CHANMODES=Ibq,k,l,imnst", "NICKLEN=24", "CHANNELLEN=49", "TOPICLEN=390", "KICKLEN=256",
        "AWAYLEN=200", "MODES=16", "NETWORK=chat", "CHATHISTORY=200", "UTF8ONLY");
    // No automatic join on IRC: the user picks rooms.
    alice.send("PING :check");
    List<IrcMessage> after = alice.until(m -> m.command().equals("PONG"));
    assertThat(after).extracting(IrcMessage::command).doesNotContain("JOIN");
    assertThat(after.get(after.size() - 1).params()).containsExactly("chat.local", "check");
  }

  @Test
  void capabilityNegotiationHoldsRegistrationUntilCapEnd() throws Exception {
    IrcTestClient client = connect();
    client.send("CAP LS 302").send("NICK bob").send("USER bob 0 * :Bob");
    IrcMessage ls = client.await("CAP");
    assertThat(ls.params()).startsWith("*", "LS");
    assertThat(ls.param(2).split(" ")).contains("sasl=PLAIN", "server-time", "message-tags",
        "echo-message", "batch", "labeled-response", "draft/chathistory", "account-tag",
        "extended-join", "multi-prefix", "userhost-in-names", "away-notify", "account-notify",
        "setname", "cap-notify");
    client.send("CAP REQ :server-time bogus-cap");
    assertThat(client.await("CAP").params()).containsExactly("*", "NAK", "server-time bogus-cap");
    client.send("CAP REQ :server-time echo-message");
    assertThat(client.await("CAP").params()).containsExactly("*", "ACK", "server-time echo-message");
    client.send("PING early");
    List<IrcMessage> beforeEnd = client.until(m -> m.command().equals("PONG"));
    assertThat(beforeEnd).extracting(IrcMessage::command).doesNotContain("001");
    client.send("CAP LIST");
    assertThat(client.await("CAP").param(2).split(" "))
        .contains("server-time", "echo-message", "cap-notify");
    client.send("CAP END");
    assertThat(client.await("001").param(0)).isEqualTo("bob");
  }

  @Test
  void saslPlainLogsInBeforeRegistrationAndAWrongPasswordFails() throws Exception {
    IrcTestClient wrong = connect();
    wrong.send("CAP LS 302").send("CAP REQ :sasl").send("NICK carol").send("USER c 0 * :C");
    wrong.await(m -> "ACK".equals(m.param(1)));
    wrong.send("AUTHENTICATE PLAIN");
    assertThat(wrong.await("AUTHENTICATE").params()).containsExactly("+");
    wrong.send("AUTHENTICATE " + sasl("carol", "not the password"));
    assertThat(wrong.await(m -> m.command().startsWith("90")).command()).isEqualTo("904");

    IrcTestClient client = connect();
    client.send("CAP LS 302").send("CAP REQ :sasl account-tag").send("NICK someone")
        .send("USER c 0 * :Carol");
    client.await(m -> "ACK".equals(m.param(1)));
    client.send("AUTHENTICATE PLAIN");
    client.await("AUTHENTICATE");
    // Pipelined: the answer to AUTHENTICATE (after password hashing on another thread) still
    // comes before the answer to the PING sent after it.
    client.send("AUTHENTICATE " + sasl("carol", PASSWORD)).send("PING after-sasl");
    List<IrcMessage> lines = client.until(m -> m.command().equals("PONG"));
    assertThat(lines).extracting(IrcMessage::command).containsSubsequence("900", "903", "PONG");
    assertThat(lines.stream().filter(m -> m.command().equals("900")).findFirst().orElseThrow()
        .param(2)).isEqualTo("carol");
    client.send("CAP END");
    // The nick NICK asked for, logged in to the account.
    assertThat(client.await("001").param(0)).isEqualTo("someone");
    client.send("WHOIS someone");
    assertThat(client.await("330").params()).startsWith("someone", "someone", "carol");
  }

  @Test
  void saslAfterRegistrationIs900And903KeepingTheNickAndEndlessCredentialsFail()
      throws Exception {
    IrcTestClient client = register("someone", "sasl", "account-tag");
    client.send("AUTHENTICATE PLAIN");
    client.await("AUTHENTICATE");
    client.send("AUTHENTICATE " + sasl("carol", PASSWORD)).send("PING done");
    List<IrcMessage> lines = client.until(m -> m.command().equals("PONG"));
    assertThat(lines).extracting(IrcMessage::command).containsExactly("900", "903", "PONG");
    assertThat(lines.get(0).param(0)).isEqualTo("someone");
    assertThat(lines.get(0).param(2)).isEqualTo("carol");

    IrcTestClient other = register("other", "sasl");
    other.send("AUTHENTICATE PLAIN");
    other.await("AUTHENTICATE");
    other.send("AUTHENTICATE " + "x".repeat(401));
    assertThat(other.await(m -> m.command().startsWith("90")).command()).isEqualTo("905");
    other.send("AUTHENTICATE PLAIN");
    other.await("AUTHENTICATE");
    for (int i = 0; i < 5; i++) {
      other.send("AUTHENTICATE " + "eHh4".repeat(100)); // 400 bytes each: more follows
    }
    assertThat(other.await(m -> m.command().startsWith("90")).command()).isEqualTo("904");

    // an INVITE from a logged-in user carries its account to an account-tag client
    client.send("JOIN #den");
    client.await("366");
    IrcTestClient tagged = register("tagged", "account-tag");
    client.send("INVITE tagged #den");
    IrcMessage invite = tagged.await("INVITE");
    assertThat(invite.tags()).containsEntry("account", "carol");
  }

  @Test
  void aSecondDeviceOfAnAccountOnlineUnderItsNameJoinsItInsteadOfKeepingItsNick()
      throws Exception {
    IrcTestClient first = connect();
    first.send("CAP LS 302").send("CAP REQ :sasl").send("NICK carol").send("USER c 0 * :C");
    first.await(m -> "ACK".equals(m.param(1)));
    first.send("AUTHENTICATE PLAIN");
    first.await("AUTHENTICATE");
    first.send("AUTHENTICATE " + sasl("carol", PASSWORD)).send("CAP END");
    assertThat(first.await("001").param(0)).isEqualTo("carol");
    IrcTestClient second = connect();
    second.send("CAP LS 302").send("CAP REQ :sasl").send("NICK phone").send("USER c 0 * :C");
    second.await(m -> "ACK".equals(m.param(1)));
    second.send("AUTHENTICATE PLAIN");
    second.await("AUTHENTICATE");
    second.send("AUTHENTICATE " + sasl("carol", PASSWORD)).send("CAP END");
    assertThat(second.await("001").param(0)).as("the person's nick").isEqualTo("carol");
    first.send("PING still");
    assertThat(first.until(m -> m.command().equals("PONG")))
        .extracting(IrcMessage::command).doesNotContain("NICK");
  }

  @Test
  void registerMakesAnAccountOfTheNickOnceConnected() throws Exception {
    IrcTestClient early = connect();
    early.send("CAP LS 302");
    assertThat(early.await("CAP").param(2)).contains("draft/account-registration");
    early.send("NICK early").send("REGISTER * * longenoughpassword");
    IrcMessage notYet = early.await("FAIL");
    assertThat(notYet.params()).startsWith("REGISTER", "COMPLETE_CONNECTION_REQUIRED", "*");

    IrcTestClient bar = register("bar", "draft/account-registration");
    bar.send("REGISTER foo * longenoughpassword");
    assertThat(bar.await("FAIL").params())
        .startsWith("REGISTER", "ACCOUNT_NAME_MUST_BE_NICK", "foo");
    bar.send("REGISTER * * short");
    assertThat(bar.await("FAIL").params()).startsWith("REGISTER", "WEAK_PASSWORD", "bar");
    bar.send("REGISTER * * longenoughpassword");
    IrcMessage done = bar.await("REGISTER");
    assertThat(done.params()).startsWith("SUCCESS", "bar");
    assertThat(bar.await("900").param(2)).isEqualTo("bar");
    bar.send("REGISTER * * anotherlongpassword");
    assertThat(bar.await("FAIL").params()).startsWith("REGISTER", "ALREADY_AUTHENTICATED");

    IrcTestClient again = connect();
    again.send("CAP LS 302").send("CAP REQ :sasl").send("NICK bar2").send("USER b 0 * :B");
    again.await(m -> "ACK".equals(m.param(1)));
    again.send("AUTHENTICATE PLAIN");
    again.await("AUTHENTICATE");
    again.send("AUTHENTICATE " + sasl("bar", "longenoughpassword"));
    assertThat(again.await(m -> m.command().startsWith("90")).command())
        .as("the new account logs in").isEqualTo("900");
    IrcTestClient carol = register("carolyn");
    carol.send("NICK carol");
    assertThat(carol.await("433").params()).as("carol is an account already")
        .startsWith("carolyn", "carol");
  }

  @Test
  void passLogsInToTheNicksAccountWithoutAServerPassword() throws Exception {
    IrcTestClient client = connect();
    client.send("PASS :" + PASSWORD).send("NICK carol").send("USER c 0 * :Carol");
    List<IrcMessage> lines = client.until(m -> m.command().equals("376"));
    assertThat(lines).extracting(IrcMessage::command).contains("001", "900");

    IrcTestClient guest = connect();
    guest.send("NICK root").send("USER r 0 * :R");
    IrcMessage refused = guest.await("433");
    assertThat(refused.params()).startsWith("*", "root");
    guest.send("NICK rooty");
    assertThat(guest.await("001").param(0)).isEqualTo("rooty");
  }

  @Test
  void channelsMessagesAndEchoBetweenTwoIrcClients() throws Exception {
    IrcTestClient alice = register("alice", "echo-message", "server-time", "message-tags");
    IrcTestClient bob = register("bob");
    alice.send("JOIN #dev");
    assertThat(alice.await("JOIN").params()).containsExactly("#dev");
    IrcMessage names = alice.await("353");
    assertThat(names.params()).containsExactly("alice", "=", "#dev", "@alice");
    alice.await("366");
    bob.send("JOIN #Dev");
    bob.await("366");
    assertThat(alice.await("JOIN").source()).isEqualTo("bob!bob@chat");

    bob.send("PRIVMSG #dev :hello there");
    IrcMessage got = alice.await("PRIVMSG");
    assertThat(got.source()).isEqualTo("bob!bob@chat");
    assertThat(got.params()).containsExactly("#dev", "hello there");
    assertThat(got.tags()).containsKeys("time", "msgid");

    alice.send("PRIVMSG #dev :\u0001ACTION waves\u0001");
    IrcMessage echo = alice.await("PRIVMSG");
    assertThat(echo.source()).isEqualTo("alice!alice@chat");
    assertThat(echo.param(1)).isEqualTo("\u0001ACTION waves\u0001");
    assertThat(bob.await("PRIVMSG").param(1)).isEqualTo("\u0001ACTION waves\u0001");

    bob.send("PRIVMSG alice :psst").send("NOTICE #dev :a notice");
    IrcMessage pm = alice.await("PRIVMSG");
    assertThat(pm.params()).containsExactly("alice", "psst");
    assertThat(alice.await("NOTICE").params()).containsExactly("#dev", "a notice");

    bob.send("PART #dev :bye");
    IrcMessage part = alice.await("PART");
    assertThat(part.params()).containsExactly("#dev", "bye");
    bob.send("QUIT :done");
    assertThat(bob.untilClosed()).extracting(IrcMessage::command).contains("ERROR");
  }

  @Test
  void errorsGetTheNumericsClientsExpect() throws Exception {
    IrcTestClient alice = register("alice");
    IrcTestClient bob = register("bob");
    IrcTestClient early = connect();
    early.send("JOIN #x");
    assertThat(early.await("451").params()).containsExactly("*", "You have not registered");

    alice.send("FROBNICATE");
    assertThat(alice.await("421").param(1)).isEqualTo("FROBNICATE");
    alice.send("JOIN lobby");
    assertThat(alice.await("403").param(1)).isEqualTo("lobby");
    alice.send("JOIN #bad/name");
    assertThat(alice.await("479").param(1)).isEqualTo("#bad/name");
    alice.send("PRIVMSG #nowhere :hi");
    assertThat(alice.await("404").param(1)).isEqualTo("#nowhere");
    alice.send("PRIVMSG nobody :hi");
    assertThat(alice.await("401").param(1)).isEqualTo("nobody");
    alice.send("NICK bob");
    assertThat(alice.await("433").params()).startsWith("alice", "bob");
    alice.send("NICK 9lives");
    assertThat(alice.await("432").params()).startsWith("alice", "9lives");
    alice.send("PART #dev");
    assertThat(alice.await("442").param(1)).isEqualTo("#dev");
    alice.send("JOIN");
    assertThat(alice.await("461").param(1)).isEqualTo("JOIN");
    alice.send("PRIVMSG #x");
    alice.await("412");

    alice.send("JOIN #dev");
    alice.await("366");
    bob.send("JOIN #dev");
    bob.await("366");
    bob.send("MODE #dev +m");
    assertThat(bob.await("482").param(1)).isEqualTo("#dev");
    bob.send("KICK #dev alice");
    bob.await("482");
    alice.send("MODE #dev +m");
    assertThat(bob.await("MODE").params()).containsExactly("#dev", "+m");
    bob.send("PRIVMSG #dev :may I?");
    assertThat(bob.await("404").param(1)).isEqualTo("#dev");
    alice.send("MODE #dev +v bob");
    bob.await(m -> m.command().equals("MODE") && m.params().contains("bob"));
    bob.send("PRIVMSG #dev :thanks");
    assertThat(alice.await("PRIVMSG").param(1)).isEqualTo("thanks");

    alice.send("MODE #dev +kil secret 5");
    alice.await("MODE");
    bob.send("PART #dev");
    bob.await("PART");
    bob.send("JOIN #dev");
    assertThat(bob.await("473").param(1)).isEqualTo("#dev");
    alice.send("MODE #dev -i");
    alice.await("MODE");
    bob.send("JOIN #dev wrong");
    bob.await("475");
    alice.send("MODE #dev +l 1");
    alice.await("MODE");
    bob.send("JOIN #dev secret");
    bob.await("471");
    alice.send("MODE #dev -l+b bob");
    IrcMessage ban = alice.await("MODE");
    assertThat(ban.params()).containsExactly("#dev", "-l+b", "bob!*@*");
    bob.send("JOIN #dev secret");
    bob.await("474");
    alice.send("MODE #dev +b *!*@chat");
    assertThat(alice.await("696").param(2)).isEqualTo("b");
    alice.send("MODE #dev b");
    assertThat(alice.await("367").params()).containsExactly("alice", "#dev", "bob!*@*");
    alice.await("368");
    alice.send("MODE #dev");
    IrcMessage modes = alice.await("324");
    assertThat(modes.params()).containsExactly("alice", "#dev", "+kmnt", "secret");
    alice.send("MODE #dev +z");
    assertThat(alice.await("472").param(1)).isEqualTo("z");
    alice.send("KILL bob :no");
    assertThat(alice.await("481").param(0)).isEqualTo("alice");
    alice.send("OPER root wrong-password");
    alice.await("464");
  }

  @Test
  void operatorsFromAdminAccountsMayKill() throws Exception {
    IrcTestClient admin = register("boss");
    IrcTestClient victim = register("victim");
    admin.send("OPER carol :" + PASSWORD);
    // Not an administrator: refused, and nothing else changes (no login, the nick stays).
    assertThat(admin.await("491").param(0)).isEqualTo("boss");
    admin.send("OPER root :" + PASSWORD);
    admin.await("381");
    admin.send("KILL victim :spam");
    List<IrcMessage> last = victim.untilClosed();
    assertThat(last).extracting(IrcMessage::command).contains("KILL", "ERROR");
    assertThat(last.get(last.size() - 1).param(0)).contains("spam");
  }

  @Test
  void overlongLinesAre417AndTheConnectionStaysUsable() throws Exception {
    IrcTestClient alice = register("alice");
    alice.send("PRIVMSG alice :" + "x".repeat(600));
    alice.await("417");
    // A client's tags may use 4094 bytes on top of the 512 (IRCv3 message-tags).
    alice.send("@+draft/x=" + "y".repeat(4000) + " PING tagged");
    assertThat(alice.await("PONG").param(1)).isEqualTo("tagged");
    alice.send("@+draft/x=" + "y".repeat(4096) + " PING tagged");
    alice.await("417");
    // An unterminated flood is skipped without being kept, then the next line works.
    byte[] flood = "z".repeat(200_000).getBytes(StandardCharsets.US_ASCII);
    alice.raw(flood);
    alice.raw("\nPING :again\n".getBytes(StandardCharsets.US_ASCII));
    List<IrcMessage> lines = alice.until(m -> m.command().equals("PONG"));
    assertThat(lines).extracting(IrcMessage::command).containsExactly("417", "PONG");
    // Invalid UTF-8 is replaced, not fatal.
    alice.raw("PING :\u00ff\r\n".getBytes(StandardCharsets.ISO_8859_1));
    assertThat(alice.await("PONG").param(1)).isEqualTo("\uFFFD");
  }

  @Test
  void labeledResponsesAcknowledgeBatchAndLabelEcho() throws Exception {
    IrcTestClient alice = register("alice", "labeled-response", "batch", "echo-message",
        "message-tags");
    alice.send("@label=p1 PING x");
    IrcMessage pong = alice.await("PONG");
    assertThat(pong.tags()).containsEntry("label", "p1");
    alice.send("@label=j1 JOIN #dev");
    IrcMessage start = alice.await("BATCH");
    assertThat(start.tags()).containsEntry("label", "j1");
    assertThat(start.param(1)).isEqualTo("labeled-response");
    String id = start.param(0).substring(1);
    List<IrcMessage> inside = alice.until(m -> m.command().equals("BATCH"));
    assertThat(inside.subList(0, inside.size() - 1)).allSatisfy(m ->
        assertThat(m.tags()).containsEntry("batch", id));
    assertThat(inside).extracting(IrcMessage::command).containsExactly("JOIN", "353", "366",
        "BATCH");
    alice.send("@label=m1 PRIVMSG #dev :hi");
    IrcMessage echo = alice.await("PRIVMSG");
    assertThat(echo.tags()).containsEntry("label", "m1").containsKey("msgid");
    alice.send("@label=a1 PONG x");
    assertThat(alice.await("ACK").tags()).containsEntry("label", "a1");
  }

  @Test
  void chathistoryLatestAndBefore() throws Exception {
    IrcTestClient alice = register("alice", "draft/chathistory", "batch", "server-time",
        "message-tags");
    alice.send("JOIN #dev");
    alice.await("366");
    for (int i = 1; i <= 3; i++) {
      alice.send("PRIVMSG #dev :message " + i);
    }
    alice.send("CHATHISTORY LATEST #dev * 2");
    IrcMessage start = alice.await("BATCH");
    assertThat(start.params()).contains("chathistory", "#dev");
    List<IrcMessage> page = alice.until(m -> m.command().equals("BATCH"));
    assertThat(page.subList(0, 2)).extracting(m -> m.param(1))
        .containsExactly("message 2", "message 3");
    String msgid = page.get(0).tags().get("msgid");
    alice.send("CHATHISTORY BEFORE #dev msgid=" + msgid + " 10");
    alice.await("BATCH");
    List<IrcMessage> older = alice.until(m -> m.command().equals("BATCH"));
    assertThat(older.subList(0, older.size() - 1)).extracting(m -> m.param(1))
        .containsExactly("message 1");
    // Without chathistory but with server-time, a join replays the latest messages, after the
    // names and marked as history by a batch and their original times.
    IrcTestClient bob = register("bob", "server-time", "batch");
    bob.send("JOIN #dev");
    List<IrcMessage> join = bob.until(m -> m.command().equals("BATCH")
        && m.param(0).startsWith("-"));
    assertThat(join).extracting(IrcMessage::command)
        .containsSubsequence("JOIN", "353", "366", "BATCH", "PRIVMSG", "PRIVMSG", "PRIVMSG", "BATCH");
    assertThat(join).filteredOn(m -> m.command().equals("PRIVMSG"))
        .allSatisfy(m -> assertThat(m.tags()).containsKeys("time", "batch"));
    // Without server-time it would look live: nothing is replayed.
    IrcTestClient dave = register("dave");
    dave.send("JOIN #dev").send("PING done");
    assertThat(dave.until(m -> m.command().equals("PONG"))).extracting(IrcMessage::command)
        .doesNotContain("PRIVMSG", "BATCH");
    alice.send("CHATHISTORY AROUND #dev * 10");
    assertThat(alice.await("FAIL").params()).startsWith("CHATHISTORY", "INVALID_PARAMS");
    alice.send("CHATHISTORY LATEST #elsewhere * 10");
    assertThat(alice.await("FAIL").params()).startsWith("CHATHISTORY", "INVALID_TARGET");
  }

  @Test
  void whoWhoisAwayUserhostIsonTopicListAndNames() throws Exception {
    IrcTestClient alice = register("alice", "away-notify", "multi-prefix");
    IrcTestClient bob = register("bob");
    alice.send("JOIN #dev");
    alice.await("366");
    bob.send("JOIN #dev");
    bob.await("366");
    bob.send("AWAY :lunch");
    bob.await("306");
    assertThat(alice.await("AWAY").params()).containsExactly("lunch");
    alice.send("WHO #dev");
    List<IrcMessage> who = alice.until(m -> m.command().equals("315"));
    assertThat(who).filteredOn(m -> m.command().equals("352"))
        .extracting(m -> m.param(5) + " " + m.param(6))
        .containsExactly("alice H@", "bob G");
    alice.send("WHOIS bob");
    List<IrcMessage> whois = alice.until(m -> m.command().equals("318"));
    assertThat(whois).extracting(IrcMessage::command).containsSubsequence("311", "319", "312",
        "301", "318");
    alice.send("WHOIS ghost");
    alice.await("401");
    alice.send("USERHOST bob alice ghost");
    assertThat(alice.await("302").param(1)).isEqualTo("bob=-bob@chat alice=+alice@chat");
    alice.send("ISON bob ghost alice");
    assertThat(alice.await("303").param(1)).isEqualTo("bob alice");
    alice.send("PRIVMSG bob :you there?");
    assertThat(alice.await("301").params()).containsExactly("alice", "bob", "lunch");
    bob.send("AWAY");
    bob.await("305");
    alice.send("TOPIC #dev :release day");
    assertThat(bob.await("TOPIC").params()).containsExactly("#dev", "release day");
    bob.send("TOPIC #dev");
    assertThat(bob.await("332").params()).containsExactly("bob", "#dev", "release day");
    bob.send("LIST");
    List<IrcMessage> list = bob.until(m -> m.command().equals("323"));
    assertThat(list).filteredOn(m -> m.command().equals("322")).extracting(m -> m.params())
        .containsExactly(List.of("bob", "#dev", "2", "release day"));
    bob.send("NAMES #dev");
    assertThat(bob.await("353").param(3)).isEqualTo("@alice bob");
  }

  @Test
  void accountsRealNamesAndPrefixesReachClientsThatAskedForThem() throws Exception {
    IrcTestClient alice = register("alice", "extended-join", "account-tag", "account-notify",
        "setname", "userhost-in-names", "multi-prefix", "message-tags");
    alice.send("JOIN #dev");
    alice.await("366");

    IrcTestClient carol = connect();
    carol.send("CAP LS 302").send("CAP REQ :sasl setname").send("NICK c")
        .send("USER c 0 * :Carol Danvers").send("AUTHENTICATE PLAIN");
    carol.await("AUTHENTICATE");
    carol.send("AUTHENTICATE " + sasl("carol", PASSWORD)).send("CAP END");
    carol.await("001");
    carol.send("JOIN #dev");
    carol.await("366");
    IrcMessage join = alice.await("JOIN");
    assertThat(join.source()).as("the nick NICK asked for").isEqualTo("c!c@chat");
    assertThat(join.params()).containsExactly("#dev", "carol", "Carol Danvers");
    carol.send("PRIVMSG #dev :logged in");
    assertThat(alice.await("PRIVMSG").tags()).containsEntry("account", "carol")
        .containsKey("msgid");

    IrcTestClient guest = register("guest");
    guest.send("JOIN #dev");
    guest.await("366");
    assertThat(alice.await("JOIN").params()).containsExactly("#dev", "*", "guest Tester");
    // Logging in after registration (SASL) keeps the nick; the others see ACCOUNT.
    guest.send("CAP REQ sasl").send("AUTHENTICATE PLAIN");
    guest.await("AUTHENTICATE");
    guest.send("AUTHENTICATE " + sasl("root", PASSWORD));
    guest.await("903");
    IrcMessage account = alice.await("ACCOUNT");
    assertThat(account.source()).isEqualTo("guest!guest@chat");
    assertThat(account.params()).containsExactly("root");

    carol.send("SETNAME :Captain Marvel");
    assertThat(carol.await("SETNAME").params()).containsExactly("Captain Marvel");
    assertThat(alice.await("SETNAME").source()).isEqualTo("c!c@chat");

    alice.send("MODE #dev +v alice");
    alice.await("MODE");
    alice.send("NAMES #dev");
    assertThat(alice.await("353").param(3).split(" ")).containsExactly(
        "@+alice!alice@chat", "c!c@chat", "guest!guest@chat");
  }

  @Test
  void serverQueriesAnswerWithTheirNumerics() throws Exception {
    IrcTestClient alice = register("alice");
    alice.send("TIME");
    assertThat(alice.await("391").param(1)).isEqualTo("chat.local");
    alice.send("VERSION").send("PING v");
    assertThat(alice.until(m -> m.command().equals("PONG"))).extracting(IrcMessage::command)
        .containsExactly("351", "005", "005", "005", "PONG");
    alice.send("HELP");
    assertThat(alice.until(m -> m.command().equals("706"))).extracting(IrcMessage::command)
        .containsExactly("704", "705", "706");
    alice.send("HELP mode");
    assertThat(alice.await("704").param(2)).startsWith("MODE #room");
    alice.await("706");
    alice.send("HELP frobnicate");
    alice.await("524");
    alice.send("MOTD");
    assertThat(alice.until(m -> m.command().equals("376"))).extracting(IrcMessage::command)
        .containsExactly("375", "372", "376");
    alice.send("LUSERS");
    assertThat(alice.await("251").param(1)).contains("1 users");
    alice.send("WHOWAS ghost");
    alice.await("406");
    alice.await("369");
    alice.send("MODE alice");
    assertThat(alice.await("221").param(1)).isEqualTo("+");
    alice.send("MODE alice +i");
    assertThat(alice.await("MODE").params()).containsExactly("alice", "+i");
    alice.send("MODE bob +i");
    alice.await("502");
  }

  @Test
  void shutdownTellsIrcClientsWhyBeforeClosing() throws Exception {
    IrcTestClient alice = register("alice");
    server.close();
    List<IrcMessage> last = alice.untilClosed();
    assertThat(last).extracting(IrcMessage::command).containsExactly("NOTICE", "ERROR");
    assertThat(last.get(0).param(1)).isEqualTo(ChatServer.SHUTDOWN_NOTICE);
    assertThat(last.get(1).param(0)).contains(ChatServer.SHUTDOWN_NOTICE);
  }

  @Test
  void aServerPasswordIsRequiredWhenSet() throws Exception {
    server.close();
    server = new ChatServer(ServerConfig.defaults().withAddress("127.0.0.1", 0))
        .irc(IrcConfig.of("127.0.0.1", 0).withPassword("sesame")).start();
    port = server.ircPort();
    IrcTestClient wrong = connect();
    wrong.send("PASS nope").send("NICK a").send("USER a 0 * :A");
    assertThat(wrong.untilClosed()).extracting(IrcMessage::command).contains("464", "ERROR");
    IrcTestClient right = connect();
    right.send("PASS sesame").send("NICK b").send("USER b 0 * :B");
    assertThat(right.await("001").param(0)).isEqualTo("b");
  }
}
