package chat.cli.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import chat.client.ChatClient;
import chat.client.ClientOptions;
import chat.client.FileTransfers;
import chat.protocol.Frame;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An upload cut off by a server killed with SIGKILL goes on, after the restart, from where the
 * server had it, under the same file id; the file is then shared, replayed and downloadable.
 */
class FileResumeCrashTest {

  @TempDir
  Path dataDir;

  @TempDir
  Path work;

  private ServerProcesses running;

  @AfterEach
  void kill() {
    if (running != null) {
      running.close();
    }
  }

  @Test
  void anUploadGoesOnAfterTheServerWasKilledAndRestarted() throws Exception {
    running = new ServerProcesses(dataDir);
    int port = running.start(dataDir.resolve("first.log"));
    byte[] data = new byte[8 * 1024 * 1024];
    new Random(7).nextBytes(data);
    Path file = work.resolve("video.bin");
    Files.write(file, data);

    String[] id = new String[1];
    ChatClient alice = ChatClient.connect(ClientOptions.of("127.0.0.1", port, "alice"), f -> { });
    alice.join("dev").get(10, TimeUnit.SECONDS);
    Process first = running.last();
    CompletableFuture<Frame> upload = FileTransfers.upload(alice, "dev", null, file, null,
        started -> id[0] = started, (done, total) -> {
          if (done >= total / 3 && first.isAlive()) {
            first.destroyForcibly(); // SIGKILL a third of the way in
          }
        });
    assertThat(upload).failsWithin(Duration.ofSeconds(60));
    assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
    alice.close();

    int again = running.start(dataDir.resolve("second.log"));
    List<Frame> bobSaw = new CopyOnWriteArrayList<>();
    try (ChatClient alice2 = ChatClient.connect(ClientOptions.of("127.0.0.1", again, "alice"),
        f -> { });
         ChatClient bob = ChatClient.connect(ClientOptions.of("127.0.0.1", again, "bob"),
             bobSaw::add)) {
      alice2.join("dev").get(10, TimeUnit.SECONDS);
      bob.join("dev").get(10, TimeUnit.SECONDS);
      long[] resumedAt = {-1};
      Frame shared = FileTransfers.resumeUpload(alice2, id[0], file, (done, total) -> {
        if (resumedAt[0] < 0) {
          resumedAt[0] = done;
        }
      }).get(60, TimeUnit.SECONDS);
      assertThat(resumedAt[0]).as("it went on from what the server had kept")
          .isPositive().isLessThan(data.length);
      assertThat(shared.string("file")).isEqualTo(id[0]);
      await().atMost(Duration.ofSeconds(20)).until(() -> bobSaw.stream()
          .anyMatch(f -> id[0].equals(f.string("file"))));
      Path got = FileTransfers.download(bob, id[0], work.resolve("bob"), null,
          FileTransfers.Progress.NONE).get(60, TimeUnit.SECONDS);
      assertThat(Files.readAllBytes(got)).isEqualTo(data);
    }
  }
}
