package chat.cli.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import chat.client.ChatClient;
import chat.client.ClientOptions;
import chat.protocol.Frame;
import chat.protocol.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

/**
 * A room's settings and roles are durable state: they survive the last member leaving and a
 * SIGKILL of the server, and a registered room is listed while empty after the restart.
 */
class RoomStateCrashTest {

  private static final char[] PASSWORD = "correct horse battery".toCharArray();

  @TempDir
  Path dataDir;

  private ServerProcesses servers;
  private final List<ChatClient> clients = new ArrayList<>();

  @AfterEach
  void killAll() {
    clients.forEach(ChatClient::close);
    if (servers != null) {
      servers.close();
    }
  }

  private int startServer(Path log) throws Exception {
    if (servers == null) {
      servers = new ServerProcesses(dataDir);
    }
    return servers.start(log);
  }

  private ChatClient connect(ClientOptions options, List<Frame> events) throws Exception {
    ChatClient client = ChatClient.connect(options, events == null ? f -> { } : events::add);
    clients.add(client);
    return client;
  }

  private static Frame get(java.util.concurrent.CompletableFuture<Frame> reply) throws Exception {
    return reply.get(20, TimeUnit.SECONDS);
  }

  private static Frame room(ChatClient client, String action, String room) throws Exception {
    ObjectNode header = Json.header("room");
    header.put("action", action);
    header.put("room", room);
    return get(client.request(header, null));
  }

  @Test
  void roomSettingsAndRolesSurviveTheLastMemberLeavingAndKillDashNine() throws Exception {
    int port = startServer(dataDir.resolve("first.log"));
    ChatClient alice = connect(ClientOptions.of("127.0.0.1", port, "alice"), null);
    get(alice.register(PASSWORD));
    ChatClient bob = connect(ClientOptions.of("127.0.0.1", port, "bob"), null);
    get(bob.register(PASSWORD));
    get(alice.join("dev"));
    get(bob.join("dev"));
    get(alice.topic("dev", "release on friday"));
    get(alice.mode("dev", "+k", "s3cret"));
    get(alice.mode("dev", "+m"));
    get(alice.mode("dev", "+v", "bob"));
    get(alice.ban("dev", "mallory", null));
    Frame registered = room(alice, "register", "dev");
    assertThat(registered.string("owner")).isEqualTo("alice");
    get(alice.say("dev", "before the crash"));
    get(bob.leave("dev", null));
    get(alice.leave("dev", null));
    Process first = servers.last();
    first.destroyForcibly(); // SIGKILL: nothing is flushed on the way out
    assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
    clients.forEach(ChatClient::close);
    clients.clear();

    int again = startServer(dataDir.resolve("second.log"));
    ChatClient carol = connect(ClientOptions.of("127.0.0.1", again, "carol"), null);
    Frame rooms = get(carol.rooms());
    assertThat(rooms.content() == null ? "" : new String(rooms.content(), StandardCharsets.UTF_8))
        .as("a registered room is listed while empty").contains("\"dev\"");
    assertThat(((chat.client.ChatErrorException) org.assertj.core.api.Assertions
        .catchThrowableOfType(java.util.concurrent.ExecutionException.class,
            () -> carol.join("dev").get(20, TimeUnit.SECONDS)).getCause()).code())
        .isEqualTo("bad-key");

    List<Frame> bobSaw = new CopyOnWriteArrayList<>();
    bob = connect(ClientOptions.of("127.0.0.1", again, null).withLogin("bob", PASSWORD), bobSaw);
    Frame joined = get(bob.join("dev", "s3cret"));
    assertThat(joined.string("topic")).isEqualTo("release on friday");
    assertThat(joined.string("topic-by")).isEqualTo("alice");
    assertThat(joined.string("modes")).isEqualTo("+kmnt");
    assertThat(joined.string("owner")).isEqualTo("alice");
    String lists = new String(joined.content(), StandardCharsets.UTF_8);
    assertThat(lists).contains("\"voiced\":[\"bob\"]").contains("\"ops\":[]");
    assertThat(get(bob.say("dev", "bob may speak: voiced")).string("msgid")).isNotNull();

    alice = connect(ClientOptions.of("127.0.0.1", again, null).withLogin("alice", PASSWORD),
        null);
    Frame back = get(alice.join("dev"));
    assertThat(new String(back.content(), StandardCharsets.UTF_8))
        .as("the owner is operator again, and gets in without the key")
        .contains("\"ops\":[\"alice\"]");
    Frame modes = get(alice.modes("dev"));
    assertThat(modes.header().get("bans").toString()).contains("nick:mallory");
    assertThat(bobSaw.stream().filter(f -> "message".equals(f.type())
        && f.header().path("history").asBoolean(false))
        .map(f -> new String(f.content(), StandardCharsets.UTF_8)))
        .as("the log replayed on join has the message and the room's changes")
        .contains("before the crash");
    assertThat(bobSaw.stream().filter(f -> "topic".equals(f.type())
        && f.header().path("history").asBoolean(false))).hasSize(1);
  }
}
