package chat.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import chat.cli.server.ServerProcesses;
import chat.client.ChatClient;
import chat.client.ClientListener;
import chat.client.ClientOptions;
import chat.client.ResumeState;
import chat.protocol.Frame;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server of three killed with SIGKILL under load: three {@code chat server} processes on the
 * real PostgreSQL and NATS, five senders spread over them. A guest and an account connected to
 * the killed server reconnect to another and resume: each ends with every message a sender was
 * told was stored exactly once, in seq order, and the members elsewhere never see them leave.
 */
class ClusterFailoverTest {

  @TempDir
  Path dir;

  private final String schema = new ClusterFixture().schema;
  private ServerProcesses processes;
  private final List<ChatClient> clients = new CopyOnWriteArrayList<>();

  @BeforeEach
  void services() {
    ClusterFixture.requireServices("ClusterFailoverTest");
    processes = new ServerProcesses(dir);
  }

  @AfterEach
  void stop() throws Exception {
    clients.forEach(ChatClient::close);
    if (processes != null) {
      processes.close();
    }
    try (Connection c = DriverManager.getConnection(ClusterFixture.PG);
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
  }

  private int node(String name) throws Exception {
    return processes.start(dir.resolve(name + ".log"), "--cluster", ClusterFixture.NATS,
        "--store", ClusterFixture.PG + "&currentSchema=" + schema, "--flood-burst", "0",
        "--history-on-join", "0", "--max-resume", "100000", "--guest-grace", "3");
  }

  /** What a resuming member saw of the room, as its listener was handed it. */
  private static final class Seen implements ClientListener {
    final Map<String, Long> messages = new LinkedHashMap<>(); // msgid -> seq, in arrival order
    final List<String> duplicates = new CopyOnWriteArrayList<>();
    final List<String> quits = new CopyOnWriteArrayList<>();
    final List<String> joins = new CopyOnWriteArrayList<>();

    @Override
    public synchronized void onEvent(Frame f) {
      if ("message".equals(f.type()) && "dev".equals(f.string("room"))) {
        if (messages.put(f.string("msgid"), f.number("seq", -1)) != null) {
          duplicates.add(f.string("msgid"));
        }
      } else if ("quit".equals(f.type())) {
        quits.add(f.string("nick"));
      } else if ("joined".equals(f.type())) {
        joins.add(f.string("nick"));
      }
    }

    synchronized List<Long> seqs() {
      return List.copyOf(messages.values());
    }

    synchronized Set<String> ids() {
      return Set.copyOf(messages.keySet());
    }
  }

  private ChatClient connect(ClientOptions options, ClientListener listener, ResumeState state)
      throws Exception {
    ChatClient c = ChatClient.connect(options, listener, state);
    clients.add(c);
    return c;
  }

  @Test
  void clientsOfAKilledServerResumeOnAnotherWithEveryConfirmedMessageOnce() throws Exception {
    int a = node("a");
    int b = node("b");
    Process serverB = processes.last();
    int c = node("c");
    Seen observer = new Seen();
    ChatClient watching = connect(ClientOptions.of("127.0.0.1", a, "observer"), observer, null);
    watching.join("dev").get(20, TimeUnit.SECONDS);

    ResumeState guestState = new ResumeState();
    Seen guest = new Seen();
    ChatClient guestClient = connect(ClientOptions.of("127.0.0.1", b, "wanderer"), guest,
        guestState);
    guestClient.join("dev").get(20, TimeUnit.SECONDS);

    ChatClient registering = connect(ClientOptions.of("127.0.0.1", a, "keeper"), f -> { }, null);
    registering.register("correct-horse".toCharArray()).get(20, TimeUnit.SECONDS);
    registering.quit("moving").get(20, TimeUnit.SECONDS);
    ResumeState accountState = new ResumeState();
    Seen account = new Seen();
    ClientOptions keeperOnB = ClientOptions.of("127.0.0.1", b, "keeper")
        .withLogin("keeper", "correct-horse".toCharArray());
    ChatClient accountClient = connect(keeperOnB, account, accountState);
    accountClient.join("dev").get(20, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(10)).until(() -> watching.who("dev")
        .get(10, TimeUnit.SECONDS).contentAsText().contains("wanderer"));

    // Five senders, two of them on the server that dies; each keeps what it was confirmed.
    Map<String, Long> confirmed = new ConcurrentHashMap<>();
    AtomicBoolean sending = new AtomicBoolean(true);
    AtomicInteger sent = new AtomicInteger();
    int[] ports = {a, b, c, a, b};
    List<Thread> threads = new ArrayList<>();
    for (int s = 0; s < ports.length; s++) {
      ChatClient sender = connect(ClientOptions.of("127.0.0.1", ports[s], "sender" + s),
          f -> { }, null);
      sender.join("dev").get(20, TimeUnit.SECONDS);
      threads.add(Thread.ofPlatform().start(() -> {
        Semaphore window = new Semaphore(8);
        for (int i = 0; i < 2_000 && sending.get() && sender.isConnected(); i++) {
          try {
            if (!window.tryAcquire(10, TimeUnit.SECONDS)) {
              return;
            }
          } catch (InterruptedException e) {
            return;
          }
          CompletableFuture<Frame> reply = sender.say("dev", sender.nick() + " " + i);
          sent.incrementAndGet();
          reply.whenComplete((frame, failure) -> {
            window.release();
            if (frame != null) {
              confirmed.put(frame.string("msgid"), frame.number("seq", -1));
            }
          });
          if (i % 16 == 0) {
            try {
              TimeUnit.MILLISECONDS.sleep(5);
            } catch (InterruptedException e) {
              return;
            }
          }
        }
      }));
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> confirmed.size() >= 200);
    observer.quits.clear(); // keeper's quit on a before it moved to b was real
    observer.joins.clear();
    serverB.destroyForcibly(); // SIGKILL
    await().atMost(Duration.ofSeconds(20)).until(() -> !guestClient.isConnected()
        && !accountClient.isConnected());

    // Both come back on another server, with their state.
    ChatClient guestBack = connect(ClientOptions.of("127.0.0.1", c, null), guest, guestState);
    assertThat(guestBack.resumed()).as("the guest's token works on another server").isTrue();
    assertThat(guestBack.nick()).isEqualTo("wanderer");
    ChatClient accountBack = connect(ClientOptions.of("127.0.0.1", a, "keeper")
        .withLogin("keeper", "correct-horse".toCharArray()), account, accountState);
    assertThat(accountBack.account()).isEqualTo("keeper");
    await().atMost(Duration.ofSeconds(20)).until(() -> confirmed.size() >= 600);
    sending.set(false);
    for (Thread t : threads) {
      t.join(30_000);
    }
    // Every message anyone was told was stored reached both, once, in seq order.
    for (Seen seen : List.of(guest, account, observer)) {
      await().atMost(Duration.ofSeconds(30)).until(() -> seen.ids().containsAll(confirmed.keySet()));
      assertThat(seen.duplicates).isEmpty();
      List<Long> seqs = seen.seqs();
      for (int i = 1; i < seqs.size(); i++) {
        assertThat(seqs.get(i)).as("seq order").isGreaterThan(seqs.get(i - 1));
      }
    }
    // The grace (3 s) is over: stand-ins nobody took would have quit by now (the senders of b did).
    await().atMost(Duration.ofSeconds(20)).until(() -> observer.quits.contains("sender1"));
    assertThat(observer.quits).as("nobody saw the resumed users leave")
        .doesNotContain("wanderer", "keeper");
    assertThat(observer.joins).as("nor come back").doesNotContain("wanderer", "keeper");
    assertThat(watching.who("dev").get(10, TimeUnit.SECONDS).contentAsText())
        .contains("wanderer").contains("keeper");
  }
}
