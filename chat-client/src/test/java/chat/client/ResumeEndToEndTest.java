package chat.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import chat.core.ConnectionLimits;
import chat.core.ContinuityLimits;
import chat.core.CoreLimits;
import chat.core.FloodLimits;
import chat.core.store.Account;
import chat.core.store.MemoryStore;
import chat.protocol.Frame;
import chat.protocol.Keys;
import chat.protocol.Types;
import chat.server.Argon2Hasher;
import chat.server.ChatServer;
import chat.server.ServerConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A client whose connection is taken away under it (through {@link TcpProxy}) while others
 * talk, and that connects again with its {@link ResumeState}: it ends with every message once,
 * in the room's order.
 */
class ResumeEndToEndTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final MemoryStore store = new MemoryStore();
  private ChatServer server;
  private TcpProxy proxy;
  /** The latest entries a join is sent, which a guest given its rooms back gets too. */
  private int historyOnJoin = CoreLimits.DEFAULT.historyOnJoin();

  /** Everything one user's successive connections passed on. */
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
      resumed.add(room + " after " + since + " skipped " + skipped);
    }

    @Override
    public void onDisconnected(Throwable causeOrNull) {
      disconnected = true;
    }

    List<Long> seqs(String room) {
      return frames.stream().filter(f -> Types.MESSAGE.equals(f.type())
          && room.equals(f.string(Keys.ROOM))).map(f -> f.number(Keys.SEQ, -1)).toList();
    }

    List<String> privates() {
      return frames.stream().filter(f -> Types.PRIVMSG.equals(f.type()))
          .map(Frame::contentAsText).toList();
    }
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : closeables.reversed()) {
      c.close();
    }
  }

  private void start(int maxResume, Duration pingInterval) throws Exception {
    start(maxResume, pingInterval, ContinuityLimits.DEFAULT.guestGrace());
  }

  private void start(int maxResume, Duration pingInterval, Duration guestGrace)
      throws Exception {
    CoreLimits limits = CoreLimits.DEFAULT.withHistoryOnJoin(historyOnJoin)
        .withFlood(FloodLimits.OFF)
        .withConnections(ConnectionLimits.DEFAULT.withPerAddress(0).withConnectRate(0, 1))
        .withContinuity(new ContinuityLimits(maxResume, 0, guestGrace,
            ContinuityLimits.DEFAULT.roomExpiry()));
    server = new ChatServer(ServerConfig.defaults().withAddress("127.0.0.1", 0)
        .withCoreLimits(limits).withPingInterval(pingInterval), Clock.systemUTC(), store, store,
        new Argon2Hasher(8 * 1024, 1, 1)).start();
    closeables.add(server::close);
    proxy = new TcpProxy(server::port);
    closeables.add(proxy);
  }

  private ChatClient direct(String nick) throws ChatClientException {
    ChatClient client = ChatClient.connect(ClientOptions.of("127.0.0.1", server.port(), nick),
        ClientListener.NONE);
    closeables.add(client);
    return client;
  }

  /**
   * Connects through the proxy with the user's state; while the server has not yet let go of
   * the nick of the connection before, tries again.
   */
  private ChatClient viaProxy(ClientOptions options, Recorder recorder, ResumeState state) {
    recorder.disconnected = false;
    AtomicReference<ChatClient> made = new AtomicReference<>();
    await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).ignoreException(
        ChatClientException.class).until(() -> {
          made.set(ChatClient.connect(options, recorder, state));
          return true;
        });
    closeables.add(made.get());
    return made.get();
  }

  private ClientOptions viaProxy(String nick) {
    return ClientOptions.of("127.0.0.1", proxy.port(), nick);
  }

  private static <T> T get(CompletableFuture<T> future) throws Exception {
    return future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  @Test
  void aClientCutOffMidBurstEndsWithEveryMessageOnceInRoomOrder() throws Exception {
    start(5000, Duration.ofMillis(500));
    Recorder reader = new Recorder();
    ResumeState state = new ResumeState();
    viaProxy(viaProxy("reader"), reader, state);

    // Five senders, 2,000 messages in all, to the room everyone is put in (so every reconnect
    // races the server's automatic join and its replay), each with at most 16 unconfirmed.
    int senders = 5;
    int each = 400;
    Map<String, Long> confirmed = new ConcurrentHashMap<>();
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int s = 0; s < senders; s++) {
      ChatClient sender = direct("sender" + s);
      threads.add(Thread.ofPlatform().start(() -> {
        Semaphore window = new Semaphore(16);
        for (int i = 0; i < each; i++) {
          window.acquireUninterruptibly();
          sender.say("lobby", sender.nick() + " " + i).whenComplete((ok, failure) -> {
            window.release();
            if (ok != null) {
              confirmed.put(ok.string(Keys.MSGID), ok.number(Keys.SEQ, -1));
            } else {
              failures.add(failure);
            }
          });
        }
      }));
    }
    // Three times, mid-burst: reset under it, then (the last time) a connection left half-open.
    for (int cut = 1; cut <= 3; cut++) {
      int before = 400 * cut;
      await().atMost(WAIT).until(() -> reader.seqs("lobby").size() >= before);
      if (cut < 3) {
        proxy.cut();
      } else {
        proxy.strand();
      }
      await().atMost(WAIT).until(() -> reader.disconnected);
      viaProxy(viaProxy("reader"), reader, state);
    }
    for (Thread t : threads) {
      t.join(WAIT.toMillis());
    }
    assertThat(failures).isEmpty();
    assertThat(confirmed).hasSize(senders * each);
    long total = senders * each;
    await().atMost(WAIT).until(() -> reader.seqs("lobby").size() >= total);

    assertThat(reader.seqs("lobby")).as("every message once, in the room's order")
        .containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
    assertThat(reader.frames.stream().filter(f -> Types.MESSAGE.equals(f.type()))
        .map(f -> f.string(Keys.MSGID))).containsExactlyInAnyOrderElementsOf(confirmed.keySet());
    assertThat(reader.resumed).hasSize(3).allMatch(r -> r.startsWith("lobby after ")
        && r.endsWith(" skipped 0"));
    assertThat(state.lastSeq("lobby")).isEqualTo(total);
  }

  @Test
  void aResumeLeavesOutWhatIsPastTheCapSaysHowMuchAndHistoryHasIt() throws Exception {
    historyOnJoin = 3; // the guest's rooms given back replay no more than the cap does
    start(10, Duration.ofSeconds(60));
    ChatClient writer = direct("writer");
    get(writer.join("dev"));
    Recorder reader = new Recorder();
    ResumeState state = new ResumeState();
    ChatClient first = viaProxy(viaProxy("reader"), reader, state);
    get(first.join("dev"));
    for (int i = 1; i <= 5; i++) {
      get(writer.say("dev", "m" + i));
    }
    await().atMost(WAIT).until(() -> reader.seqs("dev").size() == 5);
    proxy.cut();
    await().atMost(WAIT).until(() -> reader.disconnected);
    // The server has noticed (the guest waits for its token, still listed in the room).
    await().atMost(WAIT).until(() -> server.hub().sessionCount() == 1);
    for (int i = 6; i <= 35; i++) {
      get(writer.say("dev", "m" + i));
    }

    ChatClient second = viaProxy(viaProxy("reader"), reader, state);
    await().atMost(WAIT).until(() -> reader.seqs("dev").size() == 15);
    assertThat(reader.resumed).contains("dev after 5 skipped 20");
    assertThat(reader.seqs("dev")).containsExactlyElementsOf(
        LongStream.concat(LongStream.rangeClosed(1, 5), LongStream.rangeClosed(26, 35))
            .boxed().toList());
    // What was left out is history, and a page of it is passed on, though older than the mark.
    Frame page = get(second.history("dev", 26L, 20));
    assertThat(page.number(Keys.COUNT, -1)).isEqualTo(20);
    assertThat(reader.seqs("dev").subList(15, 35)).containsExactlyElementsOf(
        LongStream.rangeClosed(6, 25).boxed().toList());
    assertThat(state.lastSeq("dev")).isEqualTo(35);
  }

  @Test
  void privateMessagesSentToAHalfOpenConnectionAreCaughtUpOnceInOrder() throws Exception {
    start(1000, Duration.ofSeconds(60));
    Argon2Hasher hasher = new Argon2Hasher(8 * 1024, 1, 1);
    for (String name : List.of("ann", "ben")) {
      store.create(new Account(name, hasher.hash((name + "-password").toCharArray()), false, 0));
    }
    ChatClient ben = ChatClient.connect(ClientOptions.of("127.0.0.1", server.port(), "ben")
        .withLogin("ben", "ben-password".toCharArray()), ClientListener.NONE);
    closeables.add(ben);
    Recorder ann = new Recorder();
    ResumeState state = new ResumeState();
    ClientOptions asAnn = viaProxy("ann").withLogin("ann", "ann-password".toCharArray());
    viaProxy(asAnn, ann, state);
    get(ben.privmsg("ann", "p1"));
    get(ben.privmsg("ann", "p2"));
    await().atMost(WAIT).until(() -> ann.privates().size() == 2);

    // The network goes; the server still holds ann's session and delivers to it.
    proxy.strand();
    await().atMost(WAIT).until(() -> ann.disconnected);
    get(ben.privmsg("ann", "p3"));
    get(ben.privmsg("ann", "p4"));

    ChatClient back = viaProxy(asAnn, ann, state); // takes the account over from the old one
    assertThat(back.account()).isEqualTo("ann");
    await().atMost(WAIT).until(() -> ann.privates().size() >= 4);
    get(ben.privmsg("ann", "p5"));
    await().atMost(WAIT).until(() -> ann.privates().size() >= 5);
    get(back.ping());
    assertThat(ann.privates()).containsExactly("p1", "p2", "p3", "p4", "p5");
    assertThat(ann.frames.stream().filter(f -> Types.PRIVMSG.equals(f.type())
        && "p3".equals(f.contentAsText())).findFirst().orElseThrow().header()
        .path(Keys.HISTORY).asBoolean(false)).as("caught up, not live").isTrue();
  }

  /** Events about {@code nick} itself: its joins, departures and renames as others see them. */
  private static List<String> presenceOf(Recorder recorder, String nick) {
    return recorder.frames.stream().filter(f -> List.of(Types.JOINED, Types.LEFT,
            Types.QUIT_EVENT, Types.KICKED, Types.NICK_CHANGED).contains(f.type())
            && (nick.equalsIgnoreCase(f.string(Keys.NICK))
            || nick.equalsIgnoreCase(f.string(Keys.OLD))))
        .map(f -> f.type() + (f.string(Keys.ROOM) == null ? "" : " " + f.string(Keys.ROOM)))
        .toList();
  }

  /** Connects once through the proxy as a guest (no nick asked for), with the state given. */
  private ChatClient guestViaProxy(Recorder recorder, ResumeState state) throws Exception {
    recorder.disconnected = false;
    ChatClient client = ChatClient.connect(viaProxy(null), recorder, state);
    closeables.add(client);
    return client;
  }

  @Test
  void aGuestCutOffComesBackWithinTheGraceWithItsNickAndRoomsAndNobodyNoticed()
      throws Exception {
    start(1000, Duration.ofSeconds(60), Duration.ofSeconds(60));
    Recorder watcherSaw = new Recorder();
    ChatClient watcher = ChatClient.connect(ClientOptions.of("127.0.0.1", server.port(),
        "watcher"), watcherSaw);
    closeables.add(watcher);
    Recorder guest = new Recorder();
    ResumeState state = new ResumeState();
    ChatClient first = guestViaProxy(guest, state);
    String nick = first.nick();
    assertThat(nick).startsWith("Guest_");
    assertThat(state.hasGuestToken()).as("a guest was given a resume token").isTrue();
    get(first.join("dev")); // made by the guest: it is the room's operator
    get(watcher.join("dev"));
    for (int i = 1; i <= 3; i++) {
      get(watcher.say("dev", "d" + i));
      get(watcher.say("lobby", "l" + i));
    }
    await().atMost(WAIT).until(() -> guest.seqs("dev").size() == 3
        && guest.seqs("lobby").size() == 3);

    proxy.cut(); // both ends see the connection reset at once
    await().atMost(WAIT).until(() -> guest.disconnected);
    await().atMost(WAIT).until(() -> server.hub().sessionCount() == 1); // the server noticed
    for (int i = 4; i <= 8; i++) { // missed while away
      get(watcher.say("dev", "d" + i));
      get(watcher.say("lobby", "l" + i));
    }

    ChatClient second = guestViaProxy(guest, state);
    assertThat(second.resumed()).as("the welcome gave the guest its place back").isTrue();
    assertThat(second.nick()).isEqualTo(nick);
    await().atMost(WAIT).until(() -> guest.seqs("dev").size() >= 8
        && guest.seqs("lobby").size() >= 8);
    get(second.ping()); // a late repeat would have come before the pong
    List<Long> all = LongStream.rangeClosed(1, 8).boxed().toList();
    assertThat(guest.seqs("dev")).as("every entry once, in order").containsExactlyElementsOf(all);
    assertThat(guest.seqs("lobby")).containsExactlyElementsOf(all);
    assertThat(guest.resumed).containsExactlyInAnyOrder("lobby after 3 skipped 0",
        "dev after 3 skipped 0");
    assertThat(second.joinedRooms()).containsExactlyInAnyOrder("lobby", "dev");
    assertThat(state.rooms()).containsExactlyInAnyOrder("lobby", "dev");
    List<String> own = presenceOf(guest, nick);
    assertThat(own).as("its own rooms once per connection").hasSize(4);
    assertThat(own.subList(0, 2)).containsExactly("joined lobby", "joined dev");
    assertThat(own.subList(2, 4)).containsExactlyInAnyOrder("joined lobby", "joined dev");
    Frame who = get(watcher.who("dev"));
    assertThat(who.field(Keys.MEMBERS).toString()).contains(nick);
    assertThat(who.field(Keys.OPS).toString()).as("still the operator").contains(nick);

    get(second.say("dev", "back"));
    await().atMost(WAIT).until(() -> watcherSaw.frames.stream().anyMatch(f ->
        Types.MESSAGE.equals(f.type()) && "back".equals(f.contentAsText())
            && nick.equals(f.string(Keys.FROM))));
    assertThat(presenceOf(watcherSaw, nick)).as("no quit, no leave, no new join")
        .containsExactly("joined lobby");
  }

  @Test
  void afterTheGraceTheGuestHasQuitItsNickIsFreeAndItComesBackAsANewGuest() throws Exception {
    Duration grace = Duration.ofSeconds(1);
    start(1000, Duration.ofSeconds(60), grace);
    Recorder watcherSaw = new Recorder();
    ChatClient watcher = ChatClient.connect(ClientOptions.of("127.0.0.1", server.port(),
        "watcher"), watcherSaw);
    closeables.add(watcher);
    Recorder guest = new Recorder();
    ResumeState state = new ResumeState();
    ChatClient first = guestViaProxy(guest, state);
    String nick = first.nick();
    get(first.join("dev"));
    get(watcher.join("dev"));
    get(watcher.say("dev", "d1"));
    get(watcher.say("dev", "d2"));
    await().atMost(WAIT).until(() -> guest.seqs("dev").size() == 2);

    long cut = System.nanoTime();
    proxy.cut();
    await().atMost(WAIT).until(() -> presenceOf(watcherSaw, nick).contains("quit"));
    long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cut);
    assertThat(waited).as("the quit came after the grace, not at the drop")
        .isGreaterThanOrEqualTo(grace.toMillis() - 100);
    assertThat(presenceOf(watcherSaw, nick)).containsExactly("joined lobby", "quit");
    await().atMost(WAIT).until(() -> guest.disconnected);

    ChatClient taker = direct(nick); // the nick is free again
    assertThat(taker.nick()).isEqualTo(nick);
    // Its operator status passed on to the watcher (an entry of dev's log), then a message.
    long d3 = get(watcher.say("dev", "d3")).number(Keys.SEQ, -1);
    assertThat(d3).isEqualTo(4);

    ChatClient second = guestViaProxy(guest, state);
    assertThat(second.resumed()).as("the token expired with the grace").isFalse();
    assertThat(second.nick()).startsWith("Guest_").isNotEqualTo(nick);
    await().atMost(WAIT).until(() -> guest.seqs("dev").size() >= 3);
    get(second.ping());
    assertThat(guest.seqs("dev")).as("rejoined and caught up as after any drop")
        .containsExactly(1L, 2L, 4L);
    assertThat(guest.frames.stream().filter(f -> f.header().has(Keys.SEQ))
        .map(f -> f.number(Keys.SEQ, -1))).as("the room's log once, in order")
        .containsExactly(1L, 2L, 3L, 4L);
    assertThat(second.joinedRooms()).containsExactlyInAnyOrder("lobby", "dev");
    await().atMost(WAIT).until(() -> presenceOf(watcherSaw, second.nick())
        .containsAll(List.of("joined lobby", "joined dev")));
  }

  @Test
  void aGuestGivenItsRoomsBackIsToldOnlyOfWhatNeitherReplayBroughtAndHistoryHasTheRest()
      throws Exception {
    historyOnJoin = 15; // the rooms given back replay the newest 15, the rejoin only 10
    start(10, Duration.ofSeconds(60));
    ChatClient writer = direct("writer");
    Recorder guest = new Recorder();
    ResumeState state = new ResumeState();
    ChatClient first = guestViaProxy(guest, state);
    get(first.join("dev"));
    get(writer.join("dev"));
    for (int i = 1; i <= 5; i++) {
      get(writer.say("dev", "m" + i));
    }
    await().atMost(WAIT).until(() -> guest.seqs("dev").size() == 5);
    proxy.cut();
    await().atMost(WAIT).until(() -> guest.disconnected);
    await().atMost(WAIT).until(() -> server.hub().sessionCount() == 1);
    for (int i = 6; i <= 35; i++) {
      get(writer.say("dev", "m" + i));
    }

    ChatClient second = guestViaProxy(guest, state);
    assertThat(second.resumed()).isTrue();
    await().atMost(WAIT).until(() -> guest.seqs("dev").size() >= 20);
    get(second.ping());
    assertThat(guest.resumed).contains("dev after 5 skipped 15");
    assertThat(guest.seqs("dev")).as("seen, then the newest 15 once").containsExactlyElementsOf(
        LongStream.concat(LongStream.rangeClosed(1, 5), LongStream.rangeClosed(21, 35))
            .boxed().toList());
    Frame page = get(second.history("dev", 21L, 50));
    assertThat(page.number(Keys.COUNT, -1)).isEqualTo(20);
    assertThat(guest.seqs("dev").subList(20, 40)).as("history has what was left out")
        .containsExactlyElementsOf(LongStream.rangeClosed(1, 20).boxed().toList());
  }
}
