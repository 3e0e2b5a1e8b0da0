package chat.cli.term;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import chat.client.ClientOptions;
import chat.client.FileTransfers;
import chat.core.store.MemoryStore;
import chat.server.Argon2Hasher;
import chat.server.ChatServer;
import chat.server.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A transfer cut off by a server restart goes on after the session reconnects by itself: the
 * upload under the same file id from where the server has it, the download from its .part file;
 * each says so in one line.
 */
class FileResumeTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int SIZE = 4_000_000;

  @TempDir
  Path temp;

  /** Outlive the servers, as a data directory would. */
  private final MemoryStore store = new MemoryStore();
  private final SlowFileStore files = new SlowFileStore();
  private ChatServer server;
  private ChatSession alice;
  private ChatSession bob;

  @AfterEach
  void stop() {
    for (ChatSession s : new ChatSession[] {alice, bob}) {
      if (s != null && !s.ended().isDone()) {
        s.quit(null);
      }
    }
    if (server != null) {
      server.close();
    }
  }

  private ChatServer startServer(int port) throws Exception {
    ServerConfig config = ServerConfig.defaults().withAddress("127.0.0.1", port);
    for (int attempt = 1; ; attempt++) { // The old listener's port may take a moment to free.
      try {
        return new ChatServer(config, Clock.systemUTC(), store, store,
            new Argon2Hasher(8 * 1024, 1, 1), files).start();
      } catch (RuntimeException e) {
        if (attempt == 20) {
          throw e;
        }
        TimeUnit.MILLISECONDS.sleep(100);
      }
    }
  }

  private ChatSession session(String nick, FileCommandsTest.Screen screen, int port)
      throws Exception {
    ChatSession s = new ChatSession(ClientOptions.of("127.0.0.1", port, nick), screen,
        new LineFormatter(Clock.systemDefaultZone()),
        new Backoff(Duration.ofMillis(100), Duration.ofMillis(400), 100), temp.resolve(nick));
    s.start();
    await().atMost(WAIT).until(() -> s.joinedRooms().contains("lobby"));
    return s;
  }

  /** Restarts the server once the transfer has reached the slow part of the file store. */
  private void restartMidway() throws Exception {
    int port = server.port();
    files.reached.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    server.close();
    files.slow(Long.MAX_VALUE, 0);
    server = startServer(port);
  }

  @Test
  void anUploadAndADownloadCutOffByARestartGoOnWhereTheyStopped() throws Exception {
    server = startServer(0);
    int port = server.port();
    FileCommandsTest.Screen aliceSaw = new FileCommandsTest.Screen();
    FileCommandsTest.Screen bobSaw = new FileCommandsTest.Screen();
    alice = session("alice", aliceSaw, port);
    bob = session("bob", bobSaw, port);
    byte[] data = new byte[SIZE];
    new Random(7).nextBytes(data);
    Path file = Files.write(temp.resolve("big.bin"), data);

    files.slow(SIZE / 2, 20);
    alice.input("/send " + file);
    restartMidway();
    aliceSaw.awaitLine("the loss", l -> l.startsWith("-- connection lost"));
    String resumed = aliceSaw.awaitLine("the upload resumed", l -> l.startsWith(
        "-- resuming the upload of big.bin from "));
    assertThat(resumed).matches("-- resuming the upload of big\\.bin from [\\d.]+ MB of 4\\.0 MB "
        + "\\((\\d+)%\\)");
    int percent = Integer.parseInt(resumed.replaceAll(".*\\((\\d+)%\\)", "$1"));
    assertThat(percent).as("it went on, not from the start").isBetween(40, 99);
    assertThat(aliceSaw.statuses).anyMatch(s -> !s.isEmpty()
        && s.getFirst().startsWith("↑ big.bin: ") && s.getFirst().endsWith(
            "goes on after the reconnect"));

    String shared = bobSaw.awaitLine("bob sees the file", l -> l.contains(" alice shared big.bin"));
    Matcher m = FileCommandsTest.SHARED.matcher(shared);
    assertThat(m.matches()).as(shared).isTrue();
    assertThat(aliceSaw.lines).filteredOn(l -> l.startsWith("-- resuming")).hasSize(1);

    files.slow(SIZE / 2, 20);
    bob.input("/get " + m.group(3));
    restartMidway();
    String again = bobSaw.awaitLine("the download resumed", l -> l.startsWith(
        "-- resuming the download of big.bin from "));
    int from = Integer.parseInt(again.replaceAll(".*\\((\\d+)%\\)", "$1"));
    assertThat(from).isBetween(40, 99);
    Path got = temp.resolve("bob").resolve("big.bin");
    bobSaw.awaitLine("saved", l -> l.equals("-- saved " + got + " (4.0 MB, SHA-256 checked)"));
    assertThat(FileTransfers.sha256(got)).isEqualTo(FileTransfers.sha256(file));
    try (var left = Files.list(temp.resolve("bob"))) {
      assertThat(left.map(p -> p.getFileName().toString())).containsExactly("big.bin");
    }
  }
}
