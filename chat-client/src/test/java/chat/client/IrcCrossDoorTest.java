package chat.client;

import static org.assertj.core.api.Assertions.assertThat;

import chat.client.EndToEndTest.Recorder;
import chat.core.store.Account;
import chat.core.store.MemoryStore;
import chat.protocol.Frame;
import chat.server.Argon2Hasher;
import chat.server.ChatServer;
import chat.server.ServerConfig;
import chat.server.irc.IrcConfig;
import chat.server.irc.IrcMessage;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Native and IRC members in the same rooms: messages both ways in one order, actions, private
 * messages, nick changes, and moderation whose rules are the core's whichever door acts.
 */
class IrcCrossDoorTest {

  private static final String PASSWORD = "correct horse battery";

  private final MemoryStore store = new MemoryStore();
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private ChatServer server;

  record User(ChatClient client, Recorder recorder) {}

  @BeforeEach
  void start() throws Exception {
    Argon2Hasher hasher = new Argon2Hasher(8 * 1024, 1, 1);
    store.create(new Account("dana", hasher.hash(PASSWORD.toCharArray()), false, 0));
    server = new ChatServer(ServerConfig.defaults().withAddress("127.0.0.1", 0),
        Clock.systemUTC(), store, store, hasher)
        .irc(IrcConfig.of("127.0.0.1", 0))
        .start();
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : closeables) {
      c.close();
    }
    server.close();
  }

  private User nativeUser(String nick) throws Exception {
    Recorder recorder = new Recorder();
    ChatClient client = ChatClient.connect(ClientOptions.of("127.0.0.1", server.port(), nick),
        recorder);
    closeables.add(client);
    return new User(client, recorder);
  }

  private IrcLineClient ircUser(String nick, String... caps) throws Exception {
    IrcLineClient client = IrcLineClient.register(server.ircPort(), nick, caps);
    closeables.add(client);
    return client;
  }

  private static Frame get(CompletableFuture<Frame> future) throws Exception {
    return future.get(10, TimeUnit.SECONDS);
  }

  private static String refused(CompletableFuture<Frame> future) throws Exception {
    try {
      throw new AssertionError("not refused: " + future.get(10, TimeUnit.SECONDS));
    } catch (ExecutionException e) {
      return ((ChatErrorException) e.getCause()).code();
    }
  }

  @Test
  void messagesFlowBothWaysInTheRoomsOneOrder() throws Exception {
    User alice = nativeUser("alice");
    get(alice.client().join("dev"));
    IrcLineClient bob = ircUser("bob", "echo-message", "server-time", "message-tags",
        "account-tag", "extended-join");
    bob.send("JOIN #dev");
    IrcMessage names = bob.await("353");
    assertThat(names.param(3).split(" ")).containsExactlyInAnyOrder("@alice", "bob");
    Frame joined = alice.recorder().await(f -> "joined".equals(f.type())
        && "bob".equals(f.string("nick")));
    assertThat(joined.string("room")).isEqualTo("dev");

    get(alice.client().say("dev", "hello from the terminal"));
    IrcMessage got = bob.await("PRIVMSG");
    assertThat(got.source()).isEqualTo("alice!alice@chat");
    assertThat(got.params()).containsExactly("#dev", "hello from the terminal");

    bob.send("PRIVMSG #dev :hello from irssi");
    Frame message = alice.recorder().await(f -> "message".equals(f.type())
        && "bob".equals(f.string("from")));
    assertThat(message.contentAsText()).isEqualTo("hello from irssi");

    // Both sides send at once; everyone sees one order.
    int each = 15;
    for (int i = 0; i < each; i++) {
      alice.client().say("dev", "n" + i);
      bob.send("PRIVMSG #dev :i" + i);
    }
    List<String> ircOrder = new ArrayList<>();
    while (ircOrder.size() < 2 * each) {
      IrcMessage m = bob.await("PRIVMSG");
      if (m.param(1).matches("[ni]\\d+")) {
        ircOrder.add(m.param(1));
      }
    }
    List<String> nativeOrder = org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
        .until(() -> alice.recorder().messages("dev").stream().map(Frame::contentAsText)
            .filter(t -> t.matches("[ni]\\d+")).toList(), l -> l.size() == 2 * each);
    assertThat(ircOrder).isEqualTo(nativeOrder);

    get(alice.client().action("dev", "waves"));
    assertThat(bob.await(m -> m.command().equals("PRIVMSG") && m.param(1).startsWith("\u0001"))
        .param(1)).isEqualTo("\u0001ACTION waves\u0001");
    bob.send("PRIVMSG #dev :\u0001ACTION bows\u0001");
    Frame action = alice.recorder().await(f -> "message".equals(f.type())
        && "bob".equals(f.string("from")) && "action".equals(f.string("kind")));
    assertThat(action.contentAsText()).isEqualTo("bows");
  }

  @Test
  void privateMessagesNickChangesAndQuitsCrossDoors() throws Exception {
    User alice = nativeUser("alice");
    IrcLineClient bob = ircUser("bob");
    get(alice.client().privmsg("bob", "psst"));
    assertThat(bob.await("PRIVMSG").params()).containsExactly("bob", "psst");
    bob.send("PRIVMSG alice :yes?");
    Frame pm = alice.recorder().await(f -> "privmsg".equals(f.type())
        && "bob".equals(f.string("from")));
    assertThat(pm.contentAsText()).isEqualTo("yes?");

    // A native user's nick is taken for IRC too, and the other way round.
    bob.send("NICK alice");
    assertThat(bob.await("433").param(1)).isEqualTo("alice");
    assertThat(refused(alice.client().nick("bob"))).isEqualTo("nick-in-use");

    get(alice.client().join("dev"));
    bob.send("JOIN #dev");
    bob.await("366");
    get(alice.client().nick("alicia"));
    IrcMessage nick = bob.await("NICK");
    assertThat(nick.source()).isEqualTo("alice!alice@chat");
    assertThat(nick.params()).containsExactly("alicia");
    bob.send("NICK robert");
    Frame renamed = alice.recorder().await(f -> "nick".equals(f.type()));
    assertThat(renamed.string("old")).isEqualTo("bob");
    assertThat(renamed.string("nick")).isEqualTo("robert");

    alice.client().quit("bye now");
    IrcMessage quit = bob.await("QUIT");
    assertThat(quit.source()).isEqualTo("alicia!alicia@chat");
    assertThat(quit.params()).containsExactly("bye now");
  }

  @Test
  void moderationRulesAreTheCoresWhicheverDoorActs() throws Exception {
    IrcLineClient bob = ircUser("bob");
    bob.send("JOIN #ops");
    bob.await("366");
    User alice = nativeUser("alice");
    get(alice.client().join("ops"));
    bob.await("JOIN");

    // The IRC operator mutes the native member (+q), who may no longer speak.
    bob.send("MODE #ops +q alice");
    Frame mode = alice.recorder().await(f -> "mode".equals(f.type()));
    assertThat(mode.string("by")).isEqualTo("bob");
    assertThat(refused(alice.client().say("ops", "hello?"))).isEqualTo("muted");
    bob.send("MODE #ops -q alice");
    bob.await(m -> m.command().equals("MODE") && m.param(1).equals("-q"));

    // Operator status given to the native member lets it kick the IRC user, who sees KICK.
    bob.send("MODE #ops +o alice");
    alice.recorder().await(f -> "mode".equals(f.type()) && f.toString().contains("+o"));
    get(alice.client().kick("ops", "bob", "your turn"));
    IrcMessage kick = bob.await("KICK");
    assertThat(kick.source()).isEqualTo("alice!alice@chat");
    assertThat(kick.params()).containsExactly("#ops", "bob", "your turn");

    // A ban by account from the native side keeps the IRC user out, whatever its nick.
    IrcLineClient dana = ircUser("dana-guest", "sasl");
    // SASL after registration logs in to the account and takes its nick.
    dana.send("AUTHENTICATE PLAIN");
    dana.await("AUTHENTICATE");
    dana.send("AUTHENTICATE " + java.util.Base64.getEncoder().encodeToString(
        ("dana\0dana\0" + PASSWORD).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    dana.await("903");
    get(alice.client().ban("ops", "account:dana", null));
    dana.send("NICK someone");
    dana.await("NICK");
    dana.send("JOIN #ops");
    assertThat(dana.await("474").param(1)).isEqualTo("#ops");
  }
}
