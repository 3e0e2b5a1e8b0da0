package chat.cli.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import chat.client.ChatClient;
import chat.client.ClientListener;
import chat.client.ClientOptions;
import chat.client.ResumeState;
import chat.protocol.Frame;
import chat.protocol.Keys;
import chat.protocol.Types;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills the server with SIGKILL while messages flow and shows that every message it had
 * confirmed is in history after a restart, that sequence numbers carry on without reuse, and
 * that a client that was receiving resumes across the crash with every confirmed message once.
 */
class CrashDurabilityTest {

  private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");

  @TempDir
  Path dataDir;

  private final List<Process> processes = new ArrayList<>();

  @AfterEach
  void killAll() {
    processes.forEach(Process::destroyForcibly);
  }

  private int startServer(Path log) throws Exception {
    return startServer(log, 0);
  }

  /**
   * Starts {@code chat server} on {@code port} (0: any) with the data directory; a port just
   * freed by a killed server may take a moment to bind again, so a start that exits is tried
   * again, a bounded number of times.
   */
  private int startServer(Path log, int port) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    for (int attempt = 1; ; attempt++) {
      Process process = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
          "-cp", System.getProperty("java.class.path"), "chat.cli.Main", "server",
          "--port", String.valueOf(port), "--no-tls", "--data-dir", dataDir.toString(),
          "--history-on-join", "0", "--max-resume", "100000",
          "--flood-burst", "0") // a load generator: flood control would pace it to 5 a second
          .redirectErrorStream(true)
          .redirectOutput(log.toFile())
          .start();
      processes.add(process);
      int bound = await().atMost(Duration.ofSeconds(60)).until(() -> {
        Matcher m = LISTENING.matcher(Files.readString(log, StandardCharsets.UTF_8));
        return m.find() ? Integer.parseInt(m.group(1)) : process.isAlive() ? -1 : 0;
      }, p -> p >= 0);
      if (bound > 0) {
        return bound;
      }
      if (attempt == 20) {
        throw new AssertionError("the server did not start: "
            + Files.readString(log, StandardCharsets.UTF_8));
      }
      TimeUnit.MILLISECONDS.sleep(250);
    }
  }

  @Test
  void everyConfirmedMessageSurvivesKillDashNine() throws Exception {
    int port = startServer(dataDir.resolve("first.log"));
    Process first = processes.get(0);

    Map<String, Long> confirmed = new ConcurrentHashMap<>(); // msgid -> seq
    List<Throwable> unexpected = new CopyOnWriteArrayList<>();
    List<ChatClient> senders = new ArrayList<>();
    for (int s = 0; s < 3; s++) {
      senders.add(ChatClient.connect(ClientOptions.of("127.0.0.1", port, "writer" + s), f -> { }));
    }
    List<Thread> threads = new ArrayList<>();
    for (ChatClient client : senders) {
      threads.add(Thread.ofPlatform().start(() -> {
        Semaphore window = new Semaphore(32); // keep at most 32 unconfirmed per sender
        for (int i = 0; i < 20_000 && client.isConnected(); i++) {
          try {
            if (!window.tryAcquire(10, TimeUnit.SECONDS)) {
              return;
            }
          } catch (InterruptedException e) {
            return;
          }
          CompletableFuture<Frame> reply = client.say("lobby", client.nick() + " message " + i);
          reply.whenComplete((frame, failure) -> {
            window.release();
            if (frame != null) {
              confirmed.put(frame.string("msgid"), frame.number("seq", -1));
            } else if (client.isConnected()) {
              unexpected.add(failure);
            }
          });
        }
      }));
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> confirmed.size() >= 1500);
    first.destroyForcibly(); // SIGKILL: no shutdown hook, no flush, no goodbye
    assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
    for (Thread t : threads) {
      t.join(30_000);
    }
    senders.forEach(ChatClient::close);
    Map<String, Long> before = Map.copyOf(confirmed);
    assertThat(unexpected).isEmpty();

    int again = startServer(dataDir.resolve("second.log"));
    try (ChatClient reader = ChatClient.connect(ClientOptions.of("127.0.0.1", again, "reader"), f -> { })) {
      Set<String> stored = new HashSet<>();
      List<Frame> history = new CopyOnWriteArrayList<>();
      ChatClient pager = ChatClient.connect(ClientOptions.of("127.0.0.1", again, "pager"), f -> {
        if (Boolean.TRUE.equals(f.header().has("history") && f.header().get("history").asBoolean())) {
          history.add(f);
        }
      });
      try {
        Long beforeSeq = null;
        for (int page = 0; page < 1000; page++) {
          Frame ok = pager.history("lobby", beforeSeq, 200).get(30, TimeUnit.SECONDS);
          if (ok.number("count", 0) == 0) {
            break;
          }
          beforeSeq = ok.number("first-seq", 0);
          if (!ok.header().get("more").asBoolean()) {
            break;
          }
        }
        history.forEach(f -> stored.add(f.string("msgid")));
        assertThat(stored).as("confirmed before the kill, found after the restart")
            .containsAll(before.keySet());
        long maxSeq = history.stream().mapToLong(f -> f.number("seq", 0)).max().orElse(0);
        assertThat(maxSeq).isGreaterThanOrEqualTo(before.values().stream().mapToLong(Long::longValue).max().orElseThrow());
        Frame next = reader.say("lobby", "after the crash").get(30, TimeUnit.SECONDS);
        assertThat(next.number("seq", -1)).as("no sequence number is reused").isEqualTo(maxSeq + 1);
      } finally {
        pager.close();
      }
    }
  }

  /** A receiving client's messages in lobby, its resumes, and whether its connection went. */
  private static final class Receiver implements ClientListener {
    final List<Frame> messages = new CopyOnWriteArrayList<>();
    final List<Long> skipped = new CopyOnWriteArrayList<>();
    final AtomicBoolean disconnected = new AtomicBoolean();
    final ResumeState state = new ResumeState(); // a guest's: its token dies with the server

    @Override
    public void onEvent(Frame event) {
      if (Types.MESSAGE.equals(event.type()) && "lobby".equals(event.string(Keys.ROOM))) {
        messages.add(event);
      }
    }

    @Override
    public void onResumed(String room, long since, long skipped, Frame reply) {
      this.skipped.add(skipped);
    }

    @Override
    public void onDisconnected(Throwable causeOrNull) {
      disconnected.set(true);
    }

    ChatClient connect(int port, String nick) throws Exception {
      disconnected.set(false);
      return ChatClient.connect(ClientOptions.of("127.0.0.1", port, nick), this, state);
    }

    /** Every message the server confirmed, once each, with its seq, and all in seq order. */
    void hasEachOnceInOrder(Map<String, Long> confirmed, String name) {
      List<Long> seqs = messages.stream().map(f -> f.number(Keys.SEQ, -1)).toList();
      assertThat(seqs).as("%s: in seq order, none twice", name).isSorted()
          .doesNotHaveDuplicates();
      Map<String, Long> got = new HashMap<>();
      for (Frame f : messages) {
        assertThat(got.put(f.string(Keys.MSGID), f.number(Keys.SEQ, -1)))
            .as("%s: msgid %s once", name, f.string(Keys.MSGID)).isNull();
      }
      assertThat(got).as("%s: every message the server confirmed, with its seq", name)
          .containsAllEntriesOf(confirmed);
      assertThat(skipped).as("%s: resumed once, nothing left out", name).containsExactly(0L);
    }
  }

  /**
   * The second half of "every message exactly once, in room order" across a kill -9: one
   * receiver is in the room when the server dies mid-burst, another dropped out a moment before
   * (so that the restarted server certainly has confirmed messages it never saw). Both come
   * back with their ResumeState and end with every confirmed message once, in seq order;
   * unconfirmed ones may or may not be there.
   */
  @Test
  void receiversResumeAcrossKillDashNineWithEveryConfirmedMessageOnceInSeqOrder()
      throws Exception {
    int port = startServer(dataDir.resolve("first.log"));
    Process first = processes.getLast();
    Receiver steady = new Receiver();
    Receiver dropped = new Receiver();
    ChatClient steadyBefore = steady.connect(port, "steady");
    ChatClient droppedBefore = dropped.connect(port, "dropped");

    Map<String, Long> confirmed = new ConcurrentHashMap<>(); // msgid -> seq
    List<ChatClient> senders = new ArrayList<>();
    for (int s = 0; s < 5; s++) {
      senders.add(ChatClient.connect(ClientOptions.of("127.0.0.1", port, "sender" + s), f -> { }));
    }
    List<Thread> threads = new ArrayList<>();
    for (ChatClient client : senders) {
      threads.add(Thread.ofPlatform().start(() -> {
        Semaphore window = new Semaphore(16); // at most 16 unconfirmed per sender
        for (int i = 0; i < 5_000 && client.isConnected(); i++) {
          try {
            if (!window.tryAcquire(10, TimeUnit.SECONDS)) {
              return;
            }
          } catch (InterruptedException e) {
            return;
          }
          client.say("lobby", client.nick() + " " + i).whenComplete((frame, failure) -> {
            window.release();
            if (frame != null) {
              confirmed.put(frame.string(Keys.MSGID), frame.number(Keys.SEQ, -1));
            }
          });
        }
      }));
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> confirmed.size() >= 300);
    droppedBefore.close(); // gone mid-burst, without a goodbye
    int confirmedAtDrop = confirmed.size();
    await().atMost(Duration.ofSeconds(60)).until(() -> confirmed.size() >= confirmedAtDrop + 300);
    first.destroyForcibly(); // SIGKILL mid-burst: no shutdown hook, no flush, no goodbye
    assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
    for (Thread t : threads) {
      t.join(30_000);
    }
    senders.forEach(ChatClient::close);
    await().atMost(Duration.ofSeconds(30)).until(() -> steady.disconnected.get());
    steadyBefore.close();
    Map<String, Long> sent = Map.copyOf(confirmed);
    long newestSent = sent.values().stream().mapToLong(Long::longValue).max().orElseThrow();
    assertThat(dropped.state.lastSeq("lobby")).as("the dropped receiver missed confirmed ones")
        .isLessThan(newestSent);

    assertThat(startServer(dataDir.resolve("second.log"), port)).isEqualTo(port);
    try (ChatClient steadyAfter = steady.connect(port, "steady");
        ChatClient droppedAfter = dropped.connect(port, "dropped");
        ChatClient writer = ChatClient.connect(ClientOptions.of("127.0.0.1", port, "writer"),
            f -> { })) {
      assertThat(steadyAfter.resumed()).as("a token of the killed server is unknown").isFalse();
      assertThat(droppedAfter.nick()).isEqualTo("dropped");
      long last = writer.say("lobby", "after the crash").get(30, TimeUnit.SECONDS)
          .number(Keys.SEQ, -1);
      assertThat(last).as("no seq reused").isGreaterThan(newestSent);
      // A resume's replay comes before anything live: once this is in, all of it is.
      for (Receiver r : List.of(steady, dropped)) {
        await().atMost(Duration.ofSeconds(30)).until(() -> r.messages.stream()
            .anyMatch(f -> "after the crash".equals(f.contentAsText())));
        assertThat(r.messages.getLast().number(Keys.SEQ, -1)).isEqualTo(last);
      }
      steady.hasEachOnceInOrder(sent, "steady");
      dropped.hasEachOnceInOrder(sent, "dropped");
      assertThat(dropped.messages.stream().filter(f -> f.header().path(Keys.HISTORY)
          .asBoolean(false))).as("caught up from the store after the restart").isNotEmpty();
    }
  }
}
