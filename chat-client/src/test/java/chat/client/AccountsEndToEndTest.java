package chat.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chat.core.store.MemoryStore;
import chat.protocol.Frame;
import chat.server.Argon2Hasher;
import chat.server.ChatServer;
import chat.server.ServerConfig;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Accounts through the client library, against a real server with accounts enabled. */
class AccountsEndToEndTest {

  private static final char[] PASSWORD = "correct horse".toCharArray();

  private final MemoryStore store = new MemoryStore();
  private final List<ChatClient> clients = new ArrayList<>();
  private ChatServer server;

  @BeforeEach
  void start() throws Exception {
    server = new ChatServer(ServerConfig.defaults().withAddress("127.0.0.1", 0),
        Clock.systemUTC(), store, store, new Argon2Hasher(8 * 1024, 1, 1)).start();
  }

  @AfterEach
  void stop() {
    clients.forEach(ChatClient::close);
    server.close();
  }

  private ChatClient connect(ClientOptions options, ClientListener listener)
      throws ChatClientException {
    ChatClient client = ChatClient.connect(options, listener);
    clients.add(client);
    return client;
  }

  private ChatClient connect(String nick) throws ChatClientException {
    return connect(ClientOptions.of("127.0.0.1", server.port(), nick), ClientListener.NONE);
  }

  private ClientOptions login(String account, char[] password) {
    return ClientOptions.of("127.0.0.1", server.port(), null).withLogin(account, password);
  }

  private static Frame get(java.util.concurrent.CompletableFuture<Frame> reply) throws Exception {
    return reply.get(5, TimeUnit.SECONDS);
  }

  private static String errorCode(java.util.concurrent.CompletableFuture<Frame> reply) {
    try {
      reply.get(5, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return ((ChatErrorException) e.getCause()).code();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("no error");
  }

  @Test
  void registerThenReconnectWithThePasswordInHelloAndKeepTheNick() throws Exception {
    ChatClient alice = connect("alice");
    assertThat(alice.account()).isNull();
    Frame ok = get(alice.register(PASSWORD));
    assertThat(ok.string("account")).isEqualTo("alice");
    assertThat(alice.account()).isEqualTo("alice");
    alice.close();

    ChatClient again = connect(login("alice", PASSWORD), ClientListener.NONE);
    assertThat(again.nick()).isEqualTo("alice");
    assertThat(again.account()).isEqualTo("alice");
    assertThat(again.welcome().string("account")).isEqualTo("alice");
  }

  @Test
  void aWrongPasswordAndAGuestAreRefusedTheRegisteredNick() throws Exception {
    get(connect("bob").register(PASSWORD));

    assertThatThrownBy(() -> connect(login("bob", "wrong password".toCharArray()),
        ClientListener.NONE))
        .isInstanceOfSatisfying(ChatClientException.class,
            e -> assertThat(e.code()).isEqualTo("login-failed"));
    assertThatThrownBy(() -> connect("bob"))
        .isInstanceOfSatisfying(ChatClientException.class,
            e -> assertThat(e.code()).isEqualTo("nick-registered"));

    ChatClient guest = connect((String) null);
    assertThat(errorCode(guest.nick("bob"))).isEqualTo("nick-registered");
    assertThat(errorCode(guest.login("bob", "wrong password".toCharArray())))
        .isEqualTo("login-failed");
    assertThat(guest.account()).isNull();
  }

  @Test
  void loginLaterMakesTheGuestAnotherConnectionOfTheAccountAndTheFirstStays() throws Exception {
    ChatClient first = connect("carol");
    get(first.register(PASSWORD));

    ChatClient guest = connect((String) null);
    Frame ok = get(guest.login("carol", PASSWORD));
    assertThat(ok.string("account")).isEqualTo("carol");
    assertThat(guest.nick()).isEqualTo("carol");
    assertThat(guest.account()).isEqualTo("carol");
    assertThat(first.isConnected()).isTrue();
    get(first.ping());
  }

  @Test
  void twoConnectionsOfOneAccountSeeTheSameStreamInTheSameOrder() throws Exception {
    get(connect("frank").register(PASSWORD));
    List<Frame> laptopSaw = new CopyOnWriteArrayList<>();
    List<Frame> phoneSaw = new CopyOnWriteArrayList<>();
    ChatClient laptop = connect(login("frank", PASSWORD), laptopSaw::add);
    get(laptop.join("dev"));
    ChatClient phone = connect(login("frank", PASSWORD), phoneSaw::add);
    org.awaitility.Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> phoneSaw.stream()
        .anyMatch(f -> "joined".equals(f.type()) && "dev".equals(f.string("room"))));
    ChatClient gina = connect("gina");
    get(gina.join("dev"));
    List<java.util.concurrent.CompletableFuture<Frame>> sent = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      sent.add(gina.say("dev", "g" + i));
      sent.add((i % 2 == 0 ? laptop : phone).say("dev", "f" + i));
    }
    for (var f : sent) {
      get(f);
    }
    java.util.function.Function<List<Frame>, List<Long>> liveSeqs = frames -> frames.stream()
        .filter(f -> "message".equals(f.type()) && "dev".equals(f.string("room"))
            && !Boolean.TRUE.equals(f.header().path("history").asBoolean(false)))
        .map(f -> f.header().get("seq").asLong()).toList();
    org.awaitility.Awaitility.await().atMost(10, TimeUnit.SECONDS)
        .until(() -> liveSeqs.apply(laptopSaw).size() == 200 && liveSeqs.apply(phoneSaw).size() == 200);
    assertThat(liveSeqs.apply(laptopSaw)).isSorted().doesNotHaveDuplicates()
        .isEqualTo(liveSeqs.apply(phoneSaw));
    long own = phoneSaw.stream().filter(f -> "message".equals(f.type())
        && "frank".equals(f.string("from"))).count();
    assertThat(own).as("the laptop's messages show on the phone as frank's own").isEqualTo(100);
  }

  @Test
  void readMarkersSyncBetweenTwoDevicesAndSurviveThem() throws Exception {
    get(connect("hana").register(PASSWORD));
    List<Frame> phoneSaw = new CopyOnWriteArrayList<>();
    ChatClient laptop = connect(login("hana", PASSWORD), ClientListener.NONE);
    ChatClient phone = connect(login("hana", PASSWORD), phoneSaw::add);
    tools.jackson.databind.node.ObjectNode mark = chat.protocol.Json.header("mark");
    mark.put("room", "lobby");
    mark.put("seq", 7);
    Frame set = get(laptop.request(mark, null));
    assertThat(set.number("seq", 0)).isEqualTo(7);
    org.awaitility.Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> phoneSaw.stream()
        .anyMatch(f -> "marker".equals(f.type()) && f.number("seq", 0) == 7
            && "lobby".equals(f.string("room"))));
    tools.jackson.databind.node.ObjectNode back = chat.protocol.Json.header("mark");
    back.put("room", "lobby");
    back.put("seq", 3);
    assertThat(get(phone.request(back, null)).number("seq", 0)).as("forward only").isEqualTo(7);
    laptop.close();
    phone.close();

    ChatClient tablet = connect(login("hana", PASSWORD), ClientListener.NONE);
    Frame markers = get(tablet.request(chat.protocol.Json.header("markers"), null));
    assertThat(markers.number("count", 0)).isEqualTo(1);
    assertThat(new String(markers.content(), java.nio.charset.StandardCharsets.UTF_8))
        .contains("\"room\":\"lobby\"").contains("\"seq\":7");
  }

  @Test
  void passwdChangesThePassword() throws Exception {
    ChatClient dave = connect("dave");
    get(dave.register(PASSWORD));
    assertThat(errorCode(dave.passwd("not it at all".toCharArray(), "new password".toCharArray())))
        .isEqualTo("login-failed");
    get(dave.passwd(PASSWORD, "new password".toCharArray()));
    dave.close();

    assertThatThrownBy(() -> connect(login("dave", PASSWORD), ClientListener.NONE))
        .isInstanceOf(ChatClientException.class);
    assertThat(connect(login("dave", "new password".toCharArray()), ClientListener.NONE)
        .account()).isEqualTo("dave");
  }

  @Test
  void privateHistoryBetweenTwoAccountsPagesBackwards() throws Exception {
    get(connect("erin").register(PASSWORD));
    List<Frame> erinSaw = new CopyOnWriteArrayList<>();
    ChatClient frank = connect("frank");
    get(frank.register(PASSWORD));
    ChatClient erin = connect(login("erin", PASSWORD), erinSaw::add);
    for (int i = 1; i <= 3; i++) {
      get(frank.privmsg("erin", "note " + i));
    }

    Frame page = get(erin.privateHistory("frank", null, 2));
    assertThat(page.number("count", -1)).isEqualTo(2);
    assertThat(page.header().get("more").asBoolean()).isTrue();
    List<String> history = erinSaw.stream()
        .filter(f -> "privmsg".equals(f.type()) && f.header().path("history").asBoolean(false))
        .map(Frame::contentAsText).toList();
    assertThat(history).containsExactly("note 2", "note 3");

    Frame older = get(erin.privateHistory("frank", page.string("first-msgid"), 2));
    assertThat(older.number("count", -1)).isEqualTo(1);
    assertThat(older.header().get("more").asBoolean()).isFalse();
    assertThat(erinSaw).as("a page's messages come before its reply")
        .anyMatch(f -> "note 1".equals(f.contentAsText()));
  }

  @Test
  void aPasswordNeedsTheAccountName() {
    assertThatThrownBy(() -> ClientOptions.of("127.0.0.1", 1, null).withLogin(null, PASSWORD))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(ClientOptions.of("127.0.0.1", 1, null).withLogin("x", PASSWORD).toString())
        .doesNotContain("correct horse");
  }
}
