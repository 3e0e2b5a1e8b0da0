package chat.client;

import static chat.client.ScriptedServer.error;
import static chat.client.ScriptedServer.event;
import static chat.client.ScriptedServer.reply;
import static chat.client.ScriptedServer.welcoming;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import chat.protocol.ContentTypes;
import chat.protocol.Frame;
import chat.protocol.Keys;
import chat.protocol.Types;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class ChatClientTest {

  private static final Duration WAIT = Duration.ofSeconds(5);

  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final Recorder events = new Recorder();

  /** Records what the client hands its listener. */
  static final class Recorder implements ClientListener {
    final List<Frame> frames = new CopyOnWriteArrayList<>();
    final List<String> disconnects = new CopyOnWriteArrayList<>();
    final List<String> connected = new CopyOnWriteArrayList<>();

    @Override
    public void onConnected(ChatClient client) {
      connected.add(client.nick() + " before " + frames.size() + " events");
    }

    @Override
    public void onEvent(Frame event) {
      frames.add(event);
    }

    @Override
    public void onDisconnected(Throwable causeOrNull) {
      disconnects.add(String.valueOf(causeOrNull));
    }

    List<String> types() {
      return frames.stream().map(Frame::type).toList();
    }
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : closeables.reversed()) {
      c.close();
    }
  }

  private ScriptedServer server(ScriptedServer.Script script) throws InterruptedException {
    ScriptedServer server = new ScriptedServer(script);
    closeables.add(server);
    return server;
  }

  private ChatClient client(ScriptedServer server, String nick) throws ChatClientException {
    ChatClient client = ChatClient.connect(
        ClientOptions.of("127.0.0.1", server.port(), nick), events);
    closeables.add(client);
    return client;
  }

  private static <T> T get(CompletableFuture<T> future) throws Exception {
    return future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  @Test
  void helloIsAnsweredWithWelcome() throws Exception {
    ScriptedServer server = server((ch, frame) -> {
      if (Types.HELLO.equals(frame.type())) {
        ch.write(ScriptedServer.welcome(frame));
        ch.writeAndFlush(event(Types.JOINED, Keys.ROOM, "lobby", Keys.NICK, "alice"));
      }
    });
    ChatClient client = client(server, "alice");

    Frame hello = server.received.getFirst();
    assertThat(hello.type()).isEqualTo(Types.HELLO);
    assertThat(hello.header().get(Keys.VERSION).asInt()).isEqualTo(1);
    assertThat(hello.string(Keys.NICK)).isEqualTo("alice");
    assertThat(hello.string(Keys.CLIENT)).isEqualTo(ClientOptions.DEFAULT_CLIENT_NAME);
    assertThat(hello.id()).isNotNull();
    assertThat(client.welcome().type()).isEqualTo(Types.WELCOME);
    assertThat(client.welcome().string(Keys.SERVER)).isEqualTo("scripted/0");
    assertThat(client.nick()).isEqualTo("alice");
    assertThat(client.isConnected()).isTrue();
    await().atMost(WAIT).until(() -> client.isInRoom("#LOBBY"));
    assertThat(client.joinedRooms()).containsExactly("lobby");
    assertThat(events.types()).containsExactly(Types.JOINED);
    assertThat(events.connected).containsExactly("alice before 0 events");
    assertThat(client.pendingRequests()).isZero();
  }

  @Test
  void withoutNickTheServerAssignsOne() throws Exception {
    ScriptedServer server = server(welcoming((ch, frame) -> {}));
    ChatClient client = client(server, null);
    assertThat(server.received.getFirst().header().has(Keys.NICK)).isFalse();
    assertThat(client.nick()).isEqualTo("Guest_1");
  }

  @Test
  void repliesAreMatchedByIdWhateverTheirOrder() throws Exception {
    List<Frame> held = new CopyOnWriteArrayList<>();
    ScriptedServer server = server(welcoming((ch, frame) -> {
      held.add(frame);
      if (held.size() == 3) { // Answer the three pings last to first.
        for (Frame ping : held.reversed()) {
          ObjectNode pong = reply(Types.PONG, ping);
          pong.put("echo", ping.id());
          ch.writeAndFlush(Frame.of(pong));
        }
      }
    }));
    ChatClient client = client(server, "alice");

    List<CompletableFuture<Frame>> futures =
        List.of(client.ping(), client.ping(), client.ping());
    for (int i = 0; i < futures.size(); i++) {
      Frame pong = get(futures.get(i));
      assertThat(pong.type()).isEqualTo(Types.PONG);
      assertThat(pong.string("echo")).isEqualTo(held.get(i).id());
    }
    assertThat(held.stream().map(Frame::id).distinct()).hasSize(3);
    assertThat(client.pendingRequests()).isZero();
    assertThat(events.frames).isEmpty();
  }

  @Test
  void anErrorReplyFailsTheFutureAndAnUnsolicitedErrorIsAnEvent() throws Exception {
    ScriptedServer server = server(welcoming((ch, frame) -> {
      ch.write(error(null, "shutting-down", "the server is stopping"));
      ch.writeAndFlush(error(frame, "invalid-room", "room names are letters and digits"));
    }));
    ChatClient client = client(server, "alice");

    CompletableFuture<Frame> join = client.join("bad room");
    assertThatThrownBy(() -> get(join))
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOfSatisfying(ChatErrorException.class, e -> {
          assertThat(e.code()).isEqualTo("invalid-room");
          assertThat(e.serverMessage()).isEqualTo("room names are letters and digits");
          assertThat(e.getMessage()).isEqualTo("invalid-room: room names are letters and digits");
          assertThat(e.fatal()).isFalse();
        });
    assertThat(events.frames).singleElement()
        .satisfies(f -> assertThat(f.string(Keys.CODE)).isEqualTo("shutting-down"));
    assertThat(client.pendingRequests()).isZero();
  }

  @Test
  void eventsReachTheListenerAndOwnMessagesAreBothReplyAndEvent() throws Exception {
    ScriptedServer server = server(welcoming((ch, frame) -> {
      if (Types.MSG.equals(frame.type())) {
        Frame other = event(Types.MESSAGE, Keys.ROOM, "lobby", Keys.FROM, "bob");
        ch.write(new Frame(other.header(), "first".getBytes(StandardCharsets.UTF_8)));
        ObjectNode own = reply(Types.MESSAGE, frame);
        own.put(Keys.ROOM, "lobby");
        own.put(Keys.FROM, "alice");
        own.put(Keys.CONTENT_TYPE, frame.string(Keys.CONTENT_TYPE));
        ch.writeAndFlush(new Frame(own, frame.content()));
      }
    }));
    ChatClient client = client(server, "alice");

    Frame own = get(client.say("lobby", "grüß dich"));
    Frame sent = server.received.get(1);
    assertThat(sent.type()).isEqualTo(Types.MSG);
    assertThat(sent.string(Keys.ROOM)).isEqualTo("lobby");
    assertThat(sent.string(Keys.CONTENT_TYPE)).isEqualTo(ContentTypes.TEXT_UTF8);
    assertThat(sent.contentAsText()).isEqualTo("grüß dich");
    assertThat(own.string(Keys.FROM)).isEqualTo("alice");
    assertThat(own.contentAsText()).isEqualTo("grüß dich");
    assertThat(events.frames).extracting(Frame::contentAsText)
        .containsExactly("first", "grüß dich");
  }

  @Test
  void followsOwnNickAndRooms() throws Exception {
    ScriptedServer server = server(welcoming((ch, frame) -> {
      switch (frame.type()) {
        case Types.NICK -> {
          ch.write(event(Types.NICK_CHANGED, Keys.OLD, "alice", Keys.NICK, frame.string(Keys.NICK)));
          ObjectNode ok = reply(Types.OK, frame);
          ok.put(Keys.NICK, frame.string(Keys.NICK));
          ch.writeAndFlush(Frame.of(ok));
        }
        case Types.JOIN -> {
          ch.write(event(Types.JOINED, Keys.ROOM, "Rust", Keys.NICK, "alice2"));
          ch.write(event(Types.JOINED, Keys.ROOM, "Rust", Keys.NICK, "bob"));
          ObjectNode ok = reply(Types.OK, frame);
          ok.put(Keys.ROOM, "Rust");
          ok.putArray(Keys.MEMBERS).add("bob").add("alice2");
          ch.writeAndFlush(Frame.of(ok));
        }
        case Types.LEAVE -> {
          ch.write(event(Types.LEFT, Keys.ROOM, "Rust", Keys.NICK, "alice2"));
          ObjectNode ok = reply(Types.OK, frame);
          ok.put(Keys.ROOM, "Rust");
          ch.writeAndFlush(Frame.of(ok));
        }
        default -> { }
      }
    }));
    ChatClient client = client(server, "alice");

    get(client.nick("alice2"));
    assertThat(client.nick()).isEqualTo("alice2");
    get(client.join("rust"));
    assertThat(client.joinedRooms()).containsExactly("Rust");
    assertThat(client.isInRoom("#rust")).isTrue();
    Frame left = get(client.leave("rust", "bye"));
    assertThat(left.type()).isEqualTo(Types.OK);
    assertThat(server.received.getLast().string(Keys.REASON)).isEqualTo("bye");
    assertThat(client.joinedRooms()).isEmpty();
    assertThat(events.types()).containsExactly(
        Types.NICK_CHANGED, Types.JOINED, Types.JOINED, Types.LEFT);
  }

  @Test
  void serverPingsAreAnsweredAndNeverTakenForReplies() throws Exception {
    ScriptedServer server = server(welcoming((ch, frame) -> {
      if (Types.WHO.equals(frame.type())) { // A keep-alive with the same id as the request.
        ObjectNode ping = reply(Types.PING, frame);
        ch.writeAndFlush(Frame.of(ping));
      } else if (Types.PONG.equals(frame.type())) {
        ObjectNode ok = reply(Types.OK, frame);
        ok.put(Keys.ROOM, "lobby");
        ch.writeAndFlush(Frame.of(ok));
      }
    }));
    ChatClient client = client(server, "alice");
    Frame ok = get(client.who("lobby"));
    assertThat(ok.type()).isEqualTo(Types.OK);
    assertThat(server.received.getLast().type()).isEqualTo(Types.PONG);
    assertThat(server.received.getLast().id()).isEqualTo(ok.id());
    assertThat(events.frames).isEmpty();
  }

  @Test
  void historyAsksForAPageAndTheReplayReachesTheListener() throws Exception {
    ScriptedServer server = server(welcoming((ch, frame) -> {
      Frame old = event(Types.MESSAGE, Keys.ROOM, "lobby", Keys.FROM, "bob");
      old.header().put(Keys.HISTORY, true);
      old.header().put(Keys.SEQ, 41);
      ch.write(old);
      ObjectNode ok = reply(Types.OK, frame);
      ok.put(Keys.COUNT, 1);
      ok.put(Keys.FIRST_SEQ, 41);
      ok.put(Keys.MORE, false);
      ch.writeAndFlush(Frame.of(ok));
    }));
    ChatClient client = client(server, "alice");
    Frame ok = get(client.history("lobby", 42L, 3));
    Frame sent = server.received.getLast();
    assertThat(sent.type()).isEqualTo(Types.HISTORY);
    assertThat(sent.string(Keys.ROOM)).isEqualTo("lobby");
    assertThat(sent.number(Keys.BEFORE, -1)).isEqualTo(42);
    assertThat(sent.number(Keys.LIMIT, -1)).isEqualTo(3);
    assertThat(ok.number(Keys.FIRST_SEQ, -1)).isEqualTo(41);
    assertThat(events.frames).singleElement()
        .satisfies(f -> assertThat(f.number(Keys.SEQ, -1)).isEqualTo(41));

    get(client.history("lobby", null, 0));
    assertThat(server.received.getLast().header().has(Keys.BEFORE)).isFalse();
    assertThat(server.received.getLast().header().has(Keys.LIMIT)).isFalse();
  }

  @Test
  void aRefusedHelloIsAClearException() throws Exception {
    ScriptedServer server = server((ch, frame) ->
        ch.writeAndFlush(error(frame, "nick-in-use", "the nick alice is taken")));
    assertThatThrownBy(() -> client(server, "alice"))
        .isInstanceOfSatisfying(ChatClientException.class, e -> {
          assertThat(e.code()).isEqualTo("nick-in-use");
          assertThat(e.getMessage()).isEqualTo("127.0.0.1:" + server.port()
              + " refused the connection: nick-in-use: the nick alice is taken");
        });
    await().atMost(WAIT).until(() -> server.connections.getFirst().isActive(), a -> !a);
    assertThat(events.disconnects).isEmpty();
  }

  @Test
  void connectionRefusedIsAClearException() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    assertThatThrownBy(() -> ChatClient.connect(ClientOptions.of("127.0.0.1", port, "a"), events))
        .isInstanceOf(ChatClientException.class)
        .hasMessage("could not connect to 127.0.0.1:" + port + ": Connection refused");
  }

  @Test
  void aSilentServerTimesOutTheWelcome() throws Exception {
    ScriptedServer server = server((ch, frame) -> {});
    ClientOptions options =
        new ClientOptions("127.0.0.1", server.port(), "a", null, Duration.ofMillis(300), null);
    assertThatThrownBy(() -> ChatClient.connect(options, events))
        .isInstanceOf(ChatClientException.class)
        .hasMessage("could not connect to 127.0.0.1:" + server.port()
            + ": no welcome within 300 ms");
  }

  @Test
  void pendingRequestsFailWhenTheConnectionDrops() throws Exception {
    List<Frame> held = new CopyOnWriteArrayList<>();
    ScriptedServer server = server(welcoming((ch, frame) -> {
      held.add(frame);
      if (held.size() == 2) {
        ch.close();
      }
    }));
    ChatClient client = client(server, "alice");

    CompletableFuture<Frame> first = client.rooms();
    CompletableFuture<Frame> second = client.who("lobby");
    for (CompletableFuture<Frame> f : List.of(first, second)) {
      assertThatThrownBy(() -> get(f))
          .cause().isInstanceOf(ChatClientException.class)
          .hasMessageStartingWith("connection to 127.0.0.1:" + server.port() + " lost");
    }
    get(client.closeFuture());
    assertThat(client.isConnected()).isFalse();
    assertThat(client.pendingRequests()).isZero();
    assertThat(events.disconnects).containsExactly("null");
    assertThatThrownBy(() -> get(client.ping())).cause().isInstanceOf(ChatClientException.class);
  }

  @Test
  void aFutureCompletedByTheCallerIsForgotten() throws Exception {
    ScriptedServer server = server(welcoming((ch, frame) -> {}));
    ChatClient client = client(server, "alice");
    CompletableFuture<Frame> cancelled = client.ping();
    CompletableFuture<Frame> timedOut = client.ping().orTimeout(50, TimeUnit.MILLISECONDS);
    cancelled.cancel(false);
    await().atMost(WAIT).until(timedOut::isDone);
    assertThat(client.pendingRequests()).isZero();
  }

  @Test
  void clientsShareAnExternalGroupThatCloseLeavesRunning() throws Exception {
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    closeables.add(() -> group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync());
    ScriptedServer server = server(welcoming((ch, frame) ->
        ch.writeAndFlush(Frame.of(reply(Types.PONG, frame)))));
    ChatClient a = ChatClient.connect(ClientOptions.of("127.0.0.1", server.port(), "a"),
        ClientListener.NONE, group);
    ChatClient b = ChatClient.connect(ClientOptions.of("127.0.0.1", server.port(), "b"),
        ClientListener.NONE, group);
    closeables.add(b);
    a.close();
    assertThat(a.isConnected()).isFalse();
    assertThat(group.isShuttingDown()).isFalse();
    assertThat(get(b.ping()).type()).isEqualTo(Types.PONG);
  }

  @Test
  void closeShutsDownItsOwnGroup() throws Exception {
    ScriptedServer server = server(welcoming((ch, frame) -> {}));
    ChatClient client = client(server, "alice");
    Channel serverSide = server.connections.getFirst();
    client.close();
    assertThat(client.closeFuture()).isDone();
    assertThat(events.disconnects).containsExactly("null");
    await().atMost(WAIT).until(() -> !serverSide.isActive());
  }
}
