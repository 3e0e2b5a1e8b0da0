package chat.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chat.client.EndToEndTest.Recorder;
import chat.core.store.Account;
import chat.core.store.MemoryStore;
import chat.protocol.Frame;
import chat.protocol.Json;
import chat.protocol.ModeChanges;
import chat.server.Argon2Hasher;
import chat.server.ChatServer;
import chat.server.ServerConfig;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Room moderation and administration through the client library, against a real server. */
class ModerationEndToEndTest {

  private static final String ROOT_PASSWORD = "root-password";

  private final MemoryStore store = new MemoryStore();
  private final List<ChatClient> clients = new ArrayList<>();
  private ChatServer server;

  record User(ChatClient client, Recorder recorder) {
    /** The first event of {@code type} in {@code room} (for kills: any room). */
    Frame await(String type, String room) {
      return recorder.await(f -> type.equals(f.type())
          && (room == null || room.equals(f.string("room"))));
    }
  }

  @BeforeEach
  void start() throws Exception {
    Argon2Hasher hasher = new Argon2Hasher(8 * 1024, 1, 1);
    store.create(new Account("root", hasher.hash(ROOT_PASSWORD.toCharArray()), true, 0));
    server = new ChatServer(ServerConfig.defaults().withAddress("127.0.0.1", 0),
        Clock.systemUTC(), store, store, hasher).start();
  }

  @AfterEach
  void stop() {
    clients.forEach(ChatClient::close);
    server.close();
  }

  private User connect(String nick) throws Exception {
    Recorder recorder = new Recorder();
    ChatClient client = ChatClient.connect(ClientOptions.of("127.0.0.1", server.port(), nick),
        recorder);
    clients.add(client);
    recorder.await(f -> "joined".equals(f.type()) && client.nick().equals(f.string("nick")));
    return new User(client, recorder);
  }

  /** A guest that logs in to the admin account. */
  private User root() throws Exception {
    User root = connect(null);
    ObjectNode login = Json.header("login").put("account", "root").put("password", ROOT_PASSWORD);
    get(root.client().request(login, null));
    assertThat(root.client().nick()).isEqualTo("root");
    return root;
  }

  private static Frame get(CompletableFuture<Frame> future) throws Exception {
    return future.get(10, TimeUnit.SECONDS);
  }

  /** The error code a request is refused with. */
  private static String refused(CompletableFuture<Frame> future) {
    try {
      Frame frame = future.get(10, TimeUnit.SECONDS);
      throw new AssertionError("not refused: " + frame);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(ChatErrorException.class);
      return ((ChatErrorException) e.getCause()).code();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static List<String> strings(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asString).toList();
  }

  @Test
  void anOperatorSetsTheTopicKicksBansAndMutes() throws Exception {
    User alice = connect("alice");
    User bob = connect("bob");
    User carol = connect("carol");
    Frame created = get(alice.client().join("#dev"));
    assertThat(strings(created.field("ops"))).containsExactly("alice");
    assertThat(created.string("modes")).isEqualTo("+nt");
    get(bob.client().join("dev"));

    get(alice.client().topic("dev", "release on friday"));
    Frame topic = bob.await("topic", "dev");
    assertThat(topic.string("topic")).isEqualTo("release on friday");
    assertThat(topic.string("by")).isEqualTo("alice");
    Frame joined = get(carol.client().join("dev"));
    assertThat(joined.string("topic")).isEqualTo("release on friday");
    assertThat(joined.string("topic-by")).isEqualTo("alice");
    assertThat(get(carol.client().topic("dev")).string("topic")).isEqualTo("release on friday");
    assertThat(refused(carol.client().topic("dev", "mine"))).isEqualTo("not-operator");
    assertThat(refused(carol.client().kick("dev", "alice", null))).isEqualTo("not-operator");

    Frame kickReply = get(alice.client().kick("dev", "bob", "spam"));
    assertThat(kickReply.string("nick")).isEqualTo("bob");
    Frame kicked = carol.await("kicked", "dev");
    assertThat(kicked.string("nick")).isEqualTo("bob");
    assertThat(kicked.string("by")).isEqualTo("alice");
    assertThat(kicked.string("reason")).isEqualTo("spam");
    bob.await("kicked", "dev");
    assertThat(bob.client().isInRoom("dev")).isFalse();
    assertThat(refused(bob.client().say("dev", "hey"))).isEqualTo("not-in-room");

    get(bob.client().join("dev"));
    Frame banned = get(alice.client().ban("dev", "bob", "again"));
    assertThat(ModeChanges.of(banned)).containsExactly(new ModeChanges.Change("+b", "nick:bob"));
    Frame mode = carol.recorder().await(f -> "mode".equals(f.type())
        && f.header().get("changes").toString().contains("+b"));
    assertThat(mode.string("by")).isEqualTo("alice");
    assertThat(mode.string("reason")).isEqualTo("again");
    assertThat(refused(bob.client().join("dev"))).isEqualTo("banned");
    assertThat(bob.client().isInRoom("dev")).isFalse();

    get(alice.client().mute("dev", "carol", null));
    assertThat(refused(carol.client().say("dev", "muted?"))).isEqualTo("muted");
    get(alice.client().unmute("dev", "carol"));
    get(carol.client().say("dev", "free again"));
    get(alice.client().unban("dev", "bob"));
    get(bob.client().join("dev"));
  }

  @Test
  void inviteOnlyKeyLimitAndModeratedRooms() throws Exception {
    User alice = connect("alice");
    User bob = connect("bob");
    User carol = connect("carol");
    get(alice.client().join("dev"));

    get(alice.client().mode("dev", "+k", "s3cret"));
    assertThat(refused(bob.client().join("dev"))).isEqualTo("bad-key");
    assertThat(refused(bob.client().join("dev", "wrong"))).isEqualTo("bad-key");
    Frame joined = get(bob.client().join("dev", "s3cret"));
    assertThat(joined.string("modes")).isEqualTo("+knt");

    get(alice.client().mode("dev", "-k+il", "5"));
    assertThat(refused(carol.client().join("dev"))).isEqualTo("invite-only");
    get(alice.client().invite("dev", "carol"));
    Frame invited = carol.await("invited", "dev");
    assertThat(invited.string("by")).isEqualTo("alice");
    get(carol.client().join("dev"));

    Frame modes = get(alice.client().modes("dev"));
    assertThat(modes.string("modes")).isEqualTo("+ilnt");
    assertThat(modes.number("limit", 0)).isEqualTo(5);
    assertThat(strings(modes.header().get("invites"))).containsExactly("nick:carol");

    get(alice.client().mode("dev", "+mv", "bob"));
    assertThat(refused(carol.client().say("dev", "hello?"))).isEqualTo("moderated");
    get(bob.client().say("dev", "voiced"));
    Frame who = get(carol.client().who("dev"));
    assertThat(strings(who.field("voiced"))).containsExactly("bob");
    assertThat(strings(who.field("ops"))).containsExactly("alice");

    get(alice.client().op("dev", "carol"));
    get(carol.client().deop("dev", "alice"));
    assertThat(refused(alice.client().mode("dev", "-m"))).isEqualTo("not-operator");
    assertThatThrownBy(() -> alice.client().mode("dev", "+x"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void malformedModerationRequestsAreRefusedByTheDoor() throws Exception {
    User alice = connect("alice");
    get(alice.client().join("dev"));
    ObjectNode unknown = Json.header("mode").put("room", "dev");
    unknown.putArray("changes").addObject().put("mode", "+x");
    assertThat(refused(alice.client().request(unknown, null))).isEqualTo("invalid-mode");
    ObjectNode limit = Json.header("mode").put("room", "dev");
    limit.putArray("changes").addObject().put("mode", "+l").put("arg", 3);
    assertThat(ModeChanges.of(get(alice.client().request(limit, null))))
        .containsExactly(new ModeChanges.Change("+l", "3"));
    ObjectNode noTarget = Json.header("ban").put("room", "dev");
    assertThat(refused(alice.client().request(noTarget, null))).isEqualTo("missing-key");
    assertThat(refused(alice.client().mode("dev", "+k", "two words"))).isEqualTo("invalid-mode");
  }

  @Test
  void anAdminModeratesAnyRoomAndKillsServerWide() throws Exception {
    User alice = connect("alice");
    User bob = connect("bob");
    User root = root();
    get(alice.client().join("dev"));
    get(bob.client().join("dev"));
    get(alice.client().mode("dev", "+ib", "account:root"));
    assertThat(refused(alice.client().kill("bob", "no"))).isEqualTo("not-admin");

    get(root.client().topic("dev", "under new management"));
    alice.await("topic", "dev");
    get(root.client().kick("dev", "alice", "abuse"));
    Frame passed = bob.recorder().await(f -> "mode".equals(f.type()) && f.string("by") == null);
    assertThat(ModeChanges.of(passed)).containsExactly(new ModeChanges.Change("+o", "bob"));
    get(root.client().join("dev")); // invite-only and banned: admins pass
    assertThat(refused(bob.client().kick("dev", "root", null))).isEqualTo("not-operator");

    get(root.client().kill("bob", "flooding"));
    Frame killed = bob.await("killed", null);
    assertThat(killed.string("by")).isEqualTo("root");
    assertThat(killed.string("reason")).isEqualTo("flooding");
    bob.client().closeFuture().get(10, TimeUnit.SECONDS);
    assertThat(bob.client().isConnected()).isFalse();
    Frame quit = alice.recorder().await(f -> "quit".equals(f.type())
        && "bob".equals(f.string("nick")));
    assertThat(quit.string("reason")).isEqualTo("killed by root: flooding");
    assertThat(strings(get(root.client().who("dev")).field("members")))
        .containsExactly("root");
  }
}
