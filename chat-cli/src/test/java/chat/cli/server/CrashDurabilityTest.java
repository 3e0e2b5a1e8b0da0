package chat.cli.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import chat.client.ChatClient;
import chat.client.ClientOptions;
import chat.protocol.Frame;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills the server with SIGKILL while messages flow and shows that every message it had
 * confirmed is in history after a restart, and that sequence numbers carry on without reuse.
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
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
        "-cp", System.getProperty("java.class.path"), "chat.cli.Main", "server", "--port", "0",
        "--no-tls", "--data-dir", dataDir.toString(), "--history-on-join", "0",
        "--flood-burst", "0") // a load generator: flood control would pace it to 5 a second
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    processes.add(process);
    return await().atMost(Duration.ofSeconds(60)).until(() -> {
      Matcher m = LISTENING.matcher(Files.readString(log, StandardCharsets.UTF_8));
      return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }, p -> p > 0);
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
}
