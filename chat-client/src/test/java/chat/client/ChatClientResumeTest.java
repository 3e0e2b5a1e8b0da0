package chat.client;

import static chat.client.ScriptedServer.event;
import static chat.client.ScriptedServer.reply;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import chat.protocol.Frame;
import chat.protocol.Keys;
import chat.protocol.Types;
import io.netty.channel.Channel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/**
 * Resuming against a scripted server that says exactly what a real one may: the automatic join's
 * replay and live messages racing the rejoin, a server that lost entries, repeats, pages.
 */
class ChatClientResumeTest {

  private static final Duration WAIT = Duration.ofSeconds(5);

  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final Recorder events = new Recorder();
  private final ResumeState state = new ResumeState();
  private ScriptedServer server;

  /** What the listener got: events, and each resume as {@code room since skipped}. */
  static final class Recorder implements ClientListener {
    final List<Frame> frames = new CopyOnWriteArrayList<>();
    final List<String> resumed = new CopyOnWriteArrayList<>();
    volatile boolean disconnected;

    @Override
    public void onEvent(Frame event) {
      frames.add(event);
    }

    @Override
    public void onResumed(String room, long since, long skipped, Frame reply) {
      resumed.add(room + " " + since + " " + skipped + " before " + frames.size());
    }

    @Override
    public void onPrivateResumed(Frame reply) {
      resumed.add("private " + reply.number(Keys.COUNT, -1) + " before " + frames.size());
    }

    @Override
    public void onDisconnected(Throwable causeOrNull) {
      disconnected = true;
    }

    /** {@code room:seq} of each room entry, in the order passed on. */
    List<String> entries() {
      return frames.stream().filter(f -> f.header().has(Keys.SEQ))
          .map(f -> f.string(Keys.ROOM) + ":" + f.number(Keys.SEQ, -1)).toList();
    }

    List<String> privates() {
      return frames.stream().filter(f -> Types.PRIVMSG.equals(f.type()))
          .map(Frame::contentAsText).toList();
    }
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : closeables.reversed()) {
      c.close();
    }
  }

  /** A server whose script also learns which connection a frame came on (1, 2, ...). */
  private void serve(Script script) throws InterruptedException {
    server = new ScriptedServer((ch, frame) ->
        script.onFrame(ch, frame, server.connections.indexOf(ch) + 1));
    closeables.add(server);
  }

  interface Script {
    void onFrame(Channel ch, Frame frame, int connection);
  }

  private ChatClient connect() throws ChatClientException {
    events.disconnected = false;
    ChatClient client = ChatClient.connect(ClientOptions.of("127.0.0.1", server.port(), "alice"),
        events, state);
    closeables.add(client);
    return client;
  }

  /** Cuts the connection from the server's side and waits until the client has noticed it. */
  private void cut() {
    server.connections.getLast().close();
    await().atMost(WAIT).until(() -> events.disconnected);
  }

  private static <T> T get(CompletableFuture<T> future) throws Exception {
    return future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  static Frame entry(String type, String room, long seq, boolean history) {
    Frame f = event(type, Keys.ROOM, room, Keys.FROM, "bob", Keys.MSGID, room + "-" + seq);
    f.header().put(Keys.SEQ, seq);
    if (history) {
      f.header().put(Keys.HISTORY, true);
    }
    return new Frame(f.header(), ("#" + seq).getBytes(StandardCharsets.UTF_8));
  }

  static Frame message(String room, long seq, boolean history) {
    return entry(Types.MESSAGE, room, seq, history);
  }

  static Frame joinOk(Frame join, String room, long lastSeq, long skipped) {
    ObjectNode ok = reply(Types.OK, join);
    ok.put(Keys.ROOM, room);
    ok.put(Keys.LAST_SEQ, lastSeq);
    if (skipped > 0) {
      ok.put(Keys.SKIPPED, skipped);
    }
    return Frame.of(ok);
  }

  static Frame welcome(Frame hello, String account) {
    Frame welcome = ScriptedServer.welcome(hello);
    if (account != null) {
      welcome.header().put(Keys.ACCOUNT, account);
    }
    return welcome;
  }

  private List<Frame> sent(String type) {
    return server.received.stream().filter(f -> type.equals(f.type())).toList();
  }

  @Test
  void aRejoinAfterTheLastSeqSeenPassesEveryEntryOnceInOrder() throws Exception {
    serve((ch, frame, connection) -> {
      switch (frame.type()) {
        case Types.HELLO -> {
          ch.write(ScriptedServer.welcome(frame));
          ch.write(event(Types.JOINED, Keys.ROOM, "lobby", Keys.NICK, "alice"));
          if (connection == 1) {
            for (int seq = 1; seq <= 5; seq++) {
              ch.write(message("lobby", seq, false));
            }
          } else {
            // The automatic join's replay (the latest three) and a live message, all before
            // the rejoin is even read.
            for (int seq = 4; seq <= 6; seq++) {
              ch.write(message("lobby", seq, true));
            }
            ch.write(message("lobby", 7, false));
          }
          ch.flush();
        }
        case Types.JOIN -> {
          if (connection == 1) {
            ch.write(event(Types.JOINED, Keys.ROOM, "Dev", Keys.NICK, "alice"));
            ch.write(joinOk(frame, "Dev", 0, 0));
            ch.write(message("Dev", 1, false));
            ch.write(entry(Types.TOPIC, "Dev", 2, false));
            ch.writeAndFlush(message("Dev", 3, false));
          } else if ("lobby".equals(frame.string(Keys.ROOM))) {
            for (long seq = frame.number(Keys.SINCE, -1) + 1; seq <= 7; seq++) {
              ch.write(message("lobby", seq, true));
            }
            ch.write(message("lobby", 8, false)); // live, ahead of the reply
            ch.write(joinOk(frame, "lobby", 7, 0));
            ch.writeAndFlush(message("lobby", 9, false));
          } else {
            ch.write(event(Types.JOINED, Keys.ROOM, "Dev", Keys.NICK, "alice"));
            Frame kick = entry(Types.KICKED, "Dev", 4, true);
            kick.header().put(Keys.NICK, "alice"); // long ago: it removes nobody now
            ch.write(kick);
            ch.write(joinOk(frame, "Dev", 4, 0));
            ch.writeAndFlush(message("Dev", 3, false)); // a repeat
          }
        }
        default -> { }
      }
    });
    ChatClient first = connect();
    get(first.join("dev"));
    await().atMost(WAIT).until(() -> events.entries().size() == 8);
    cut();

    ChatClient second = connect();
    await().atMost(WAIT).until(() -> events.entries().contains("Dev:4"));
    assertThat(sent(Types.JOIN).subList(1, 3)).extracting(f -> f.string(Keys.ROOM) + " since "
        + f.number(Keys.SINCE, -1)).containsExactly("lobby since 5", "Dev since 3");
    assertThat(events.entries()).containsExactly(
        "lobby:1", "lobby:2", "lobby:3", "lobby:4", "lobby:5", "Dev:1", "Dev:2", "Dev:3",
        "lobby:6", "lobby:7", "lobby:8", "lobby:9", "Dev:4");
    // Each resume is announced before its replay: 10 events on the first connection, then
    // "joined lobby"; lobby's 6 to 9 and "joined Dev" come before Dev's.
    assertThat(events.resumed).containsExactly("lobby 5 0 before 11", "Dev 3 0 before 16");
    assertThat(state.lastSeq("lobby")).isEqualTo(9);
    assertThat(state.lastSeq("#dev")).isEqualTo(4);
    assertThat(second.joinedRooms()).containsExactlyInAnyOrder("lobby", "Dev");
    assertThat(state.rooms()).containsExactly("lobby", "Dev");
    assertThat(sent(Types.HISTORY)).as("a guest has no private messages to catch up").isEmpty();
  }

  @Test
  void aServerThatLostEntriesStartsTheRoomAgainFromItsLastSeq() throws Exception {
    serve((ch, frame, connection) -> {
      switch (frame.type()) {
        case Types.HELLO -> {
          ch.write(ScriptedServer.welcome(frame));
          ch.write(event(Types.JOINED, Keys.ROOM, "lobby", Keys.NICK, "alice"));
          // First: ten messages. Then a server that restarted on an empty memory store: two
          // new messages, replayed on the automatic join.
          for (int seq = 1; seq <= (connection == 1 ? 10 : 2); seq++) {
            ch.write(message("lobby", seq, connection > 1));
          }
          ch.flush();
        }
        case Types.JOIN -> {
          ch.write(joinOk(frame, "lobby", 2, 0)); // since 10 > last-seq 2: nothing to replay
          ch.write(message("lobby", 3, false));
          ch.writeAndFlush(message("lobby", 3, false));
        }
        default -> { }
      }
    });
    connect();
    await().atMost(WAIT).until(() -> events.entries().size() == 10);
    assertThat(state.lastSeq("lobby")).isEqualTo(10);
    cut();

    connect();
    await().atMost(WAIT).until(() -> events.entries().contains("lobby:3"));
    assertThat(sent(Types.JOIN).getLast().number(Keys.SINCE, -1)).isEqualTo(10);
    assertThat(events.entries().subList(10, events.entries().size()))
        .as("what the new connection brought, once, where without the reset all would be dropped")
        .containsExactly("lobby:1", "lobby:2", "lobby:3");
    assertThat(state.lastSeq("lobby")).isEqualTo(3);
  }

  @Test
  void whatTheServerWouldNotReplayIsCountedForTheListener() throws Exception {
    serve((ch, frame, connection) -> {
      switch (frame.type()) {
        case Types.HELLO -> {
          ch.write(ScriptedServer.welcome(frame));
          ch.write(event(Types.JOINED, Keys.ROOM, "lobby", Keys.NICK, "alice"));
          ch.writeAndFlush(message("lobby", connection == 1 ? 5 : 20, connection > 1));
        }
        case Types.JOIN -> {
          for (int seq = 13; seq <= 20; seq++) { // the newest 8 of the 15 after seq 5
            ch.write(message("lobby", seq, true));
          }
          ch.writeAndFlush(joinOk(frame, "lobby", 20, 7));
        }
        default -> { }
      }
    });
    connect();
    await().atMost(WAIT).until(() -> state.lastSeq("lobby") == 5);
    cut();
    connect();
    await().atMost(WAIT).until(() -> state.lastSeq("lobby") == 20);
    assertThat(events.resumed).containsExactly("lobby 5 7 before 3");
    assertThat(events.entries()).containsExactly("lobby:5", "lobby:13", "lobby:14", "lobby:15",
        "lobby:16", "lobby:17", "lobby:18", "lobby:19", "lobby:20");
  }

  @Test
  void pagesAskedForPassAndAJoinReplayOfWhatWasSeenDoesNot() throws Exception {
    serve((ch, frame, connection) -> {
      switch (frame.type()) {
        case Types.HELLO -> {
          ch.write(ScriptedServer.welcome(frame));
          ch.write(event(Types.JOINED, Keys.ROOM, "lobby", Keys.NICK, "alice"));
          for (int seq = 3; seq <= 5; seq++) {
            ch.write(message("lobby", seq, false));
          }
          ch.flush();
        }
        case Types.HISTORY -> {
          ch.write(message("lobby", 1, true));
          ch.write(message("lobby", 2, true));
          ObjectNode ok = reply(Types.OK, frame);
          ok.put(Keys.ROOM, "lobby").put(Keys.COUNT, 2).put(Keys.FIRST_SEQ, 1).put(Keys.MORE, false);
          ch.writeAndFlush(Frame.of(ok));
        }
        case Types.JOIN -> { // already a member: the replay repeats what was seen live
          ch.write(message("lobby", 4, true));
          ch.write(message("lobby", 5, true));
          ch.writeAndFlush(joinOk(frame, "lobby", 5, 0));
        }
        default -> { }
      }
    });
    ChatClient client = connect();
    await().atMost(WAIT).until(() -> events.entries().size() == 3);
    get(client.join("lobby", null, 3));
    get(client.history("lobby", 3L, 2));
    assertThat(events.entries()).containsExactly("lobby:3", "lobby:4", "lobby:5", "lobby:1",
        "lobby:2");
    assertThat(state.lastSeq("lobby")).as("a page moves no mark").isEqualTo(5);
  }

  static Frame privmsg(String msgId, String text, boolean history) {
    Frame f = event(Types.PRIVMSG, Keys.FROM, "bob", Keys.TO, "alice", Keys.MSGID, msgId);
    if (history) {
      f.header().put(Keys.HISTORY, true);
    }
    return new Frame(f.header(), text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aLoggedInClientCatchesUpOnPrivateMessagesAfterTheNewestSeen() throws Exception {
    serve((ch, frame, connection) -> {
      switch (frame.type()) {
        case Types.HELLO -> {
          ch.write(welcome(frame, "alice"));
          if (connection == 1) {
            ch.write(privmsg("m1", "p1", false));
            ch.write(privmsg("m2", "p2", false));
          }
          ch.flush();
        }
        case Types.HISTORY -> {
          ch.write(privmsg("m4", "p4", false)); // live, ahead of the catch-up
          ch.write(privmsg("m3", "p3", true));
          ch.write(privmsg("m4", "p4", true));
          ObjectNode ok = reply(Types.OK, frame);
          ok.put(Keys.COUNT, 2).put(Keys.FIRST_MSGID, "m3").put(Keys.MORE, false);
          ch.write(Frame.of(ok));
          ch.write(privmsg("m4", "p4", false));
          ch.writeAndFlush(privmsg("m5", "p5", false));
        }
        default -> { }
      }
    });
    connect();
    await().atMost(WAIT).until(() -> events.privates().size() == 2);
    assertThat(state.lastPrivateMsgId()).isEqualTo("m2");
    cut();
    connect();
    await().atMost(WAIT).until(() -> events.privates().contains("p5"));
    Frame catchUp = sent(Types.HISTORY).getFirst();
    assertThat(catchUp.string(Keys.AFTER_MSGID)).isEqualTo("m2");
    assertThat(catchUp.header().has(Keys.WITH)).isFalse();
    assertThat(events.privates()).containsExactly("p1", "p2", "p3", "p4", "p5");
    assertThat(events.resumed).containsExactly("private 2 before 2");
    assertThat(state.lastPrivateMsgId()).isEqualTo("m5");
  }

  @Test
  void aRejoinTheServerRefusesIsAnErrorEventAndTheRoomIsGivenUp() throws Exception {
    serve((ch, frame, connection) -> {
      switch (frame.type()) {
        case Types.HELLO -> ch.writeAndFlush(ScriptedServer.welcome(frame));
        case Types.JOIN -> {
          if (connection == 1) {
            ch.write(event(Types.JOINED, Keys.ROOM, "dev", Keys.NICK, "alice"));
            ch.writeAndFlush(joinOk(frame, "dev", 0, 0));
          } else {
            ch.writeAndFlush(ScriptedServer.error(frame, "banned", "you are banned from dev"));
          }
        }
        default -> { }
      }
    });
    get(connect().join("dev"));
    assertThat(state.rooms()).containsExactly("dev");
    cut();
    connect();
    await().atMost(WAIT).until(() -> events.frames.stream()
        .anyMatch(f -> Types.ERROR.equals(f.type())));
    assertThat(events.frames.getLast().string(Keys.CODE)).isEqualTo("banned");
    assertThat(state.rooms()).isEmpty();
  }

  /** A guest's welcome: the nick the script gives it, a token, and whether it was resumed. */
  static Frame guestWelcome(Frame hello, String nick, String token, boolean resumed) {
    Frame welcome = ScriptedServer.welcome(hello);
    welcome.header().put(Keys.NICK, nick);
    welcome.header().put(Keys.RESUME_TOKEN, token);
    if (resumed) {
      welcome.header().put(Keys.RESUMED, true);
    }
    return welcome;
  }

  @Test
  void aGuestHandsInItsTokenAndAResumedWelcomeStillResumesEachRoomOnceAfterItsLastSeq()
      throws Exception {
    serve((ch, frame, connection) -> {
      switch (frame.type()) {
        case Types.HELLO -> {
          if (connection == 1) {
            ch.write(guestWelcome(frame, "Guest_7", "tok-1", false));
            ch.write(event(Types.JOINED, Keys.ROOM, "lobby", Keys.NICK, "Guest_7"));
            for (int seq = 1; seq <= 3; seq++) {
              ch.write(message("lobby", seq, false));
            }
          } else if (connection == 2) {
            // The server gives the guest its rooms back: a joined event each and the latest
            // entries, then live ones, all before the client's rejoins are read.
            ch.write(guestWelcome(frame, "Guest_7", "tok-1", true));
            ch.write(event(Types.JOINED, Keys.ROOM, "lobby", Keys.NICK, "Guest_7"));
            for (int seq = 2; seq <= 4; seq++) {
              ch.write(message("lobby", seq, true));
            }
            ch.write(event(Types.JOINED, Keys.ROOM, "Dev", Keys.NICK, "Guest_7"));
            ch.write(message("Dev", 1, true));
            ch.write(message("Dev", 2, true));
            ch.write(message("lobby", 6, false));
          } else {
            // The token has expired: a new guest.
            ch.write(guestWelcome(frame, "Guest_9", "tok-2", false));
            ch.write(event(Types.JOINED, Keys.ROOM, "lobby", Keys.NICK, "Guest_9"));
          }
          ch.flush();
        }
        case Types.JOIN -> {
          String room = frame.string(Keys.ROOM);
          if (connection == 1) {
            ch.write(event(Types.JOINED, Keys.ROOM, "Dev", Keys.NICK, "Guest_7"));
            ch.write(joinOk(frame, "Dev", 0, 0));
            ch.writeAndFlush(message("Dev", 1, false));
          } else if (connection == 2 && "lobby".equals(room)) {
            // Already a member again: only the catch-up after since, then the reply.
            for (long seq = frame.number(Keys.SINCE, -1) + 1; seq <= 6; seq++) {
              ch.write(message("lobby", seq, true));
            }
            ch.writeAndFlush(joinOk(frame, "lobby", 6, 0));
          } else if (connection == 2) {
            ch.write(message("Dev", 2, true));
            ch.write(joinOk(frame, "Dev", 2, 0));
            ch.writeAndFlush(message("Dev", 3, false));
          } else {
            if (!"lobby".equals(room)) {
              ch.write(event(Types.JOINED, Keys.ROOM, room, Keys.NICK, "Guest_9"));
            }
            ch.writeAndFlush(joinOk(frame, room, "lobby".equals(room) ? 6 : 3, 0));
          }
        }
        default -> { }
      }
    });
    ChatClient first = ChatClient.connect(ClientOptions.of("127.0.0.1", server.port(), null),
        events, state);
    closeables.add(first);
    get(first.join("dev"));
    await().atMost(WAIT).until(() -> events.entries().size() == 4);
    assertThat(first.resumed()).isFalse();
    assertThat(state.hasGuestToken()).isTrue();
    cut();

    events.disconnected = false;
    ChatClient second = ChatClient.connect(ClientOptions.of("127.0.0.1", server.port(), null),
        events, state);
    closeables.add(second);
    await().atMost(WAIT).until(() -> events.entries().contains("Dev:3"));
    assertThat(second.resumed()).isTrue();
    assertThat(second.nick()).isEqualTo("Guest_7");
    assertThat(sent(Types.JOIN).subList(1, 3)).as("each room resumed after its last seq")
        .extracting(f -> f.string(Keys.ROOM) + " since " + f.number(Keys.SINCE, -1))
        .containsExactly("lobby since 3", "Dev since 1");
    assertThat(events.entries()).as("no repeat, no gap").containsExactly(
        "lobby:1", "lobby:2", "lobby:3", "Dev:1", "lobby:4", "lobby:5", "lobby:6", "Dev:2",
        "Dev:3");
    assertThat(second.joinedRooms()).containsExactlyInAnyOrder("lobby", "Dev");
    assertThat(state.rooms()).containsExactly("lobby", "Dev");
    cut();

    events.disconnected = false;
    ChatClient third = ChatClient.connect(ClientOptions.of("127.0.0.1", server.port(), null),
        events, state);
    closeables.add(third);
    await().atMost(WAIT).until(() -> events.resumed.size() == 4);
    assertThat(third.resumed()).isFalse();
    assertThat(third.nick()).isEqualTo("Guest_9");
    assertThat(third.joinedRooms()).containsExactlyInAnyOrder("lobby", "Dev");
    assertThat(sent(Types.HELLO)).extracting(f -> f.string(Keys.RESUME))
        .as("a guest asks for a token, then hands in the one it was given")
        .containsExactly("", "tok-1", "tok-1");
    assertThat(state.toString()).doesNotContain("tok-");
  }

  @Test
  void aClientLoggingInAsksForNoTokenAndALoginForgetsTheGuestsToken() throws Exception {
    serve((ch, frame, connection) -> {
      switch (frame.type()) {
        case Types.HELLO -> ch.writeAndFlush(frame.string(Keys.PASSWORD) != null
            ? welcome(frame, "alice") : guestWelcome(frame, "Guest_1", "tok-1", false));
        case Types.LOGIN -> {
          ObjectNode ok = reply(Types.OK, frame);
          ok.put(Keys.ACCOUNT, "alice").put(Keys.NICK, "alice");
          ch.writeAndFlush(Frame.of(ok));
        }
        default -> { }
      }
    });
    ChatClient guest = ChatClient.connect(ClientOptions.of("127.0.0.1", server.port(), null),
        events, state);
    closeables.add(guest);
    assertThat(state.hasGuestToken()).isTrue();
    get(guest.login("alice", "correct horse".toCharArray()));
    assertThat(state.hasGuestToken()).as("an account is not held for a token").isFalse();
    cut();
    ChatClient account = ChatClient.connect(ClientOptions.of("127.0.0.1", server.port(), null)
        .withLogin("alice", "correct horse".toCharArray()), events, state);
    closeables.add(account);
    assertThat(sent(Types.HELLO)).extracting(f -> f.header().has(Keys.RESUME))
        .containsExactly(true, false);
  }

  @Test
  void whatAJoinOfTheServersOwnReplayedBelowTheRejoinsReplayIsNotCountedAsLeftOut()
      throws Exception {
    serve((ch, frame, connection) -> {
      switch (frame.type()) {
        case Types.HELLO -> {
          ch.write(ScriptedServer.welcome(frame));
          ch.write(event(Types.JOINED, Keys.ROOM, "lobby", Keys.NICK, "alice"));
          if (connection == 1) {
            ch.write(message("lobby", 5, false));
          } else {
            for (int seq = 8; seq <= 20; seq++) { // the automatic join's newest 13
              ch.write(message("lobby", seq, true));
            }
          }
          ch.flush();
        }
        case Types.JOIN -> {
          for (int seq = 13; seq <= 20; seq++) { // the rejoin's cap: the newest 8 after 5
            ch.write(message("lobby", seq, true));
          }
          ch.writeAndFlush(joinOk(frame, "lobby", 20, 7));
        }
        default -> { }
      }
    });
    connect();
    await().atMost(WAIT).until(() -> state.lastSeq("lobby") == 5);
    cut();
    connect();
    await().atMost(WAIT).until(() -> state.lastSeq("lobby") == 20);
    assertThat(events.resumed).as("only 6 and 7 are missing").containsExactly(
        "lobby 5 2 before 3");
    assertThat(events.entries()).containsExactly("lobby:5", "lobby:8", "lobby:9", "lobby:10",
        "lobby:11", "lobby:12", "lobby:13", "lobby:14", "lobby:15", "lobby:16", "lobby:17",
        "lobby:18", "lobby:19", "lobby:20");
  }
}
