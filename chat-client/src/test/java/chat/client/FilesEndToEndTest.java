package chat.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import chat.core.CoreLimits;
import chat.core.FileLimits;
import chat.core.store.MemoryFileStore;
import chat.core.store.MemoryStore;
import chat.protocol.Frame;
import chat.protocol.Json;
import chat.server.Argon2Hasher;
import chat.server.ChatServer;
import chat.server.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

/** Files through the server over real sockets: share, download, resume, and every refusal. */
class FilesEndToEndTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir
  Path temp;

  private final MemoryStore store = new MemoryStore();
  private final MemoryFileStore files = new MemoryFileStore();
  private final List<ChatClient> clients = new ArrayList<>();
  private ChatServer server;

  @BeforeEach
  void start() throws Exception {
    startServer(FileLimits.DEFAULT.withFilesPerMinute(5));
  }

  private void startServer(FileLimits limits) throws Exception {
    server = new ChatServer(ServerConfig.defaults().withAddress("127.0.0.1", 0)
        .withCoreLimits(CoreLimits.DEFAULT.withFiles(limits)), Clock.systemUTC(), store, store,
        new Argon2Hasher(8 * 1024, 1, 1), files).start();
  }

  @AfterEach
  void stop() {
    clients.forEach(ChatClient::close);
    server.close();
  }

  private ChatClient connect(String nick, List<Frame> seen) throws Exception {
    ChatClient client = ChatClient.connect(ClientOptions.of("127.0.0.1", server.port(), nick),
        seen == null ? ClientListener.NONE : seen::add);
    clients.add(client);
    return client;
  }

  private Path randomFile(String name, int bytes, long seed) throws Exception {
    byte[] data = new byte[bytes];
    new Random(seed).nextBytes(data);
    Path file = temp.resolve(name);
    Files.write(file, data);
    return file;
  }

  private static String errorCode(CompletableFuture<?> reply) {
    try {
      reply.get(20, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof ChatErrorException error) {
        return error.code();
      }
      throw new AssertionError("not a server error", cause);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("no error");
  }

  @Test
  void aFiftyMegabyteFileGoesUpAndDownWhileChatOnTheSameConnectionGoesOn() throws Exception {
    List<Frame> bobSaw = new CopyOnWriteArrayList<>();
    Map<String, Long> arrivedAt = new ConcurrentHashMap<>();
    ChatClient alice = connect("alice", null);
    ChatClient bob = ChatClient.connect(ClientOptions.of("127.0.0.1", server.port(), "bob"), f -> {
      if ("message".equals(f.type()) && f.contentAsText().startsWith("still here")) {
        arrivedAt.put(f.contentAsText(), System.nanoTime());
      }
      bobSaw.add(f);
    });
    clients.add(bob);
    alice.join("dev").get(5, TimeUnit.SECONDS);
    bob.join("dev").get(5, TimeUnit.SECONDS);
    Path big = randomFile("big.bin", 50 * 1024 * 1024, 1);

    Map<String, Long> sentAt = new ConcurrentHashMap<>();
    CompletableFuture<Frame> upload = FileTransfers.upload(alice, "dev", null, big, null, null,
        FileTransfers.Progress.NONE);
    int chats = 0;
    while (!upload.isDone() && chats < 600) {
      String text = "still here " + chats++;
      sentAt.put(text, System.nanoTime());
      alice.say("dev", text);
      Thread.sleep(50);
    }
    Frame shared = upload.get(2, TimeUnit.MINUTES);
    assertThat(chats).as("the upload took long enough to chat during it").isGreaterThan(2);
    assertThat(shared.string("kind")).isEqualTo("file");
    assertThat(shared.string("name")).isEqualTo("big.bin");
    assertThat(shared.number("size", 0)).isEqualTo(50L * 1024 * 1024);
    String sha = FileTransfers.sha256(big);
    assertThat(shared.string("sha256")).isEqualTo(sha);

    // Every line said on the same connection during the upload reached bob within a second.
    await().atMost(WAIT).until(() -> arrivedAt.size() == sentAt.size());
    for (Map.Entry<String, Long> sent : sentAt.entrySet()) {
      long millis = TimeUnit.NANOSECONDS.toMillis(arrivedAt.get(sent.getKey()) - sent.getValue());
      assertThat(millis).as("%s reached bob after %d ms", sent.getKey(), millis).isLessThan(1000);
    }
    Frame announced = bobSaw.stream().filter(f -> "file".equals(f.string("kind"))).findFirst()
        .orElseThrow();
    assertThat(announced.contentAsText()).isEqualTo("big.bin (52 MB, application/octet-stream)");

    Path got = FileTransfers.download(bob, shared.string("file"), temp.resolve("bob"), null,
        FileTransfers.Progress.NONE).get(2, TimeUnit.MINUTES);
    assertThat(got.getFileName().toString()).isEqualTo("big.bin");
    assertThat(FileTransfers.sha256(got)).isEqualTo(sha);

    // A second download of the same file never overwrites the first.
    Path again = FileTransfers.download(bob, shared.string("file"), temp.resolve("bob"), null,
        FileTransfers.Progress.NONE).get(2, TimeUnit.MINUTES);
    assertThat(again.getFileName().toString()).isEqualTo("big (1).bin");
  }

  @Test
  void anUploadCutOffGoesOnFromWhereTheServerHasIt() throws Exception {
    ChatClient alice = connect("alice", null);
    alice.join("dev").get(5, TimeUnit.SECONDS);
    Path file = randomFile("half.bin", 2 * 1024 * 1024, 3);
    String[] id = new String[1];
    CompletableFuture<Frame> upload = FileTransfers.upload(alice, "dev", null, file, null,
        started -> id[0] = started, (done, total) -> {
          if (done >= total / 2) {
            alice.close(); // the connection goes in the middle
          }
        });
    assertThat(upload).failsWithin(WAIT);
    long had = files.received(id[0]);
    assertThat(had).isPositive().isLessThan(Files.size(file));

    ChatClient again = connect("alice", null);
    again.join("dev").get(5, TimeUnit.SECONDS);
    Frame shared = FileTransfers.resumeUpload(again, id[0], file, FileTransfers.Progress.NONE)
        .get(1, TimeUnit.MINUTES);
    assertThat(shared.string("file")).isEqualTo(id[0]);
    Path got = FileTransfers.download(again, id[0], temp.resolve("back"), null,
        FileTransfers.Progress.NONE).get(1, TimeUnit.MINUTES);
    assertThat(FileTransfers.sha256(got)).isEqualTo(FileTransfers.sha256(file));
  }

  @Test
  void aDownloadGoesOnFromItsPartFile() throws Exception {
    ChatClient alice = connect("alice", null);
    alice.join("dev").get(5, TimeUnit.SECONDS);
    Path file = randomFile("data.bin", 1024 * 1024 + 17, 4);
    Frame shared = FileTransfers.upload(alice, "dev", null, file, null, null,
        FileTransfers.Progress.NONE).get(1, TimeUnit.MINUTES);
    Path dir = Files.createDirectories(temp.resolve("down"));
    byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(file), 300_000);
    Path part = dir.resolve("data.bin." + shared.string("file") + ".part");
    Files.write(part, head);
    long[] firstSeen = {-1};
    Path got = FileTransfers.download(alice, shared.string("file"), dir, null, (done, total) -> {
      if (firstSeen[0] < 0) {
        firstSeen[0] = done;
      }
    }).get(1, TimeUnit.MINUTES);
    assertThat(firstSeen[0]).as("it went on from the part file").isEqualTo(300_000);
    assertThat(FileTransfers.sha256(got)).isEqualTo(FileTransfers.sha256(file));
    assertThat(part).doesNotExist();
  }

  private static ObjectNode announce(String room, String name, long size, String sha) {
    ObjectNode h = Json.header("upload");
    h.put("room", room);
    h.put("name", name);
    h.put("size", size);
    h.put("sha256", sha);
    return h;
  }

  private static ObjectNode chunk(String file, long offset) {
    ObjectNode h = Json.header("chunk");
    h.put("file", file);
    h.put("offset", offset);
    return h;
  }

  @Test
  void badUploadsAreRefusedToTheSenderAndNobodyElseNotices() throws Exception {
    List<Frame> bobSaw = new CopyOnWriteArrayList<>();
    ChatClient alice = connect("alice", null);
    ChatClient bob = connect("bob", bobSaw);
    alice.join("dev").get(5, TimeUnit.SECONDS);
    bob.join("dev").get(5, TimeUnit.SECONDS);
    String sha = "0".repeat(64);

    for (String name : List.of("../etc/passwd", "a/b.txt", "a\\b.txt", "..", "bell\u0007.txt",
        "CON.txt", "fake\u202Etxt.exe", "")) {
      assertThat(errorCode(alice.request(announce("dev", name, 10, sha), null)))
          .as("name %s", name).isIn("invalid-file", "missing-key");
    }
    assertThat(errorCode(alice.request(announce("dev", "ok.txt", 10, "not-a-hash"), null)))
        .isEqualTo("invalid-file");
    assertThat(errorCode(alice.request(announce("dev", "big.iso", 101L * 1024 * 1024, sha),
        null))).isEqualTo("file-too-large");
    assertThat(errorCode(alice.request(announce("elsewhere", "ok.txt", 10, sha), null)))
        .isEqualTo("not-in-room");

    // Chunks: out of order, past the declared size, for an upload that is not one's own.
    Frame ready = alice.request(announce("dev", "ten.bin", 10, sha), null).get(5, TimeUnit.SECONDS);
    String id = ready.string("file");
    assertThat(errorCode(alice.request(chunk(id, 4), new byte[4]))).isEqualTo("bad-chunk");
    assertThat(errorCode(alice.request(chunk(id, 0), new byte[11]))).isEqualTo("bad-chunk");
    assertThat(errorCode(bob.request(chunk(id, 0), new byte[4]))).isEqualTo("no-such-file");
    // The right size with the wrong SHA-256: refused once whole, and removed.
    assertThat(errorCode(alice.request(chunk(id, 0), new byte[10]))).isEqualTo("upload-mismatch");
    assertThat(files.find(id)).isEmpty();

    // A flood of announcements: five a minute here.
    int refused = 0;
    for (int i = 0; i < 6; i++) {
      CompletableFuture<Frame> r = alice.request(announce("dev", "f" + i + ".txt", 10, sha), null);
      try {
        r.get(5, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        assertThat(((ChatErrorException) e.getCause()).code()).isEqualTo("too-many-files");
        refused++;
      }
    }
    assertThat(refused).isPositive();

    // Alice is still connected and chatting; bob saw none of it.
    Frame said = alice.say("dev", "all good").get(5, TimeUnit.SECONDS);
    assertThat(said.contentAsText()).isEqualTo("all good");
    await().atMost(WAIT).until(() -> bobSaw.stream().anyMatch(f -> "all good".equals(
        f.contentAsText())));
    assertThat(bobSaw).noneMatch(f -> "file".equals(f.string("kind")));
  }

  @Test
  void aPrivateFileReachesItsRecipientAndNobodyElse() throws Exception {
    List<Frame> bobSaw = new CopyOnWriteArrayList<>();
    ChatClient alice = connect("alice", null);
    connect("bob", bobSaw);
    ChatClient bob = clients.getLast();
    ChatClient carol = connect("carol", null);
    Path file = randomFile("secret.txt", 5000, 5);
    Frame shared = FileTransfers.upload(alice, null, "bob", file, "text/plain", null,
        FileTransfers.Progress.NONE).get(1, TimeUnit.MINUTES);
    assertThat(shared.type()).isEqualTo("privmsg");
    await().atMost(WAIT).until(() -> bobSaw.stream().anyMatch(f -> "privmsg".equals(f.type())
        && shared.string("file").equals(f.string("file"))));
    Path got = FileTransfers.download(bob, shared.string("file"), temp.resolve("bob"), null,
        FileTransfers.Progress.NONE).get(1, TimeUnit.MINUTES);
    assertThat(Files.readAllBytes(got)).isEqualTo(Files.readAllBytes(file));
    assertThat(errorCode(FileTransfers.download(carol, shared.string("file"),
        temp.resolve("carol"), null, FileTransfers.Progress.NONE))).isEqualTo("no-such-file");
  }

  @Test
  void aRoomsRecentFilesAreListedAndReplayedToWhoeverJoins() throws Exception {
    ChatClient alice = connect("alice", null);
    alice.join("dev").get(5, TimeUnit.SECONDS);
    Path file = randomFile("notes.txt", 1234, 6);
    Frame shared = FileTransfers.upload(alice, "dev", null, file, "text/plain", null,
        FileTransfers.Progress.NONE).get(1, TimeUnit.MINUTES);
    ObjectNode list = Json.header("files");
    list.put("room", "dev");
    Frame listed = alice.request(list, null).get(5, TimeUnit.SECONDS);
    assertThat(listed.field("files").get(0).path("file").asString())
        .isEqualTo(shared.string("file"));
    assertThat(listed.field("files").get(0).path("name").asString()).isEqualTo("notes.txt");

    List<Frame> daveSaw = new CopyOnWriteArrayList<>();
    ChatClient dave = connect("dave", daveSaw);
    dave.join("dev").get(5, TimeUnit.SECONDS);
    assertThat(daveSaw).anyMatch(f -> "message".equals(f.type()) && f.header().path("history")
        .asBoolean(false) && shared.string("file").equals(f.string("file")));
  }
}
