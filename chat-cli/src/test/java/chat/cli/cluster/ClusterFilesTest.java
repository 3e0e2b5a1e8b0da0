package chat.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import chat.cli.server.ServerProcesses;
import chat.client.ChatClient;
import chat.client.ClientListener;
import chat.client.ClientOptions;
import chat.client.FileTransfers;
import chat.protocol.Frame;
import chat.protocol.Json;
import chat.server.FileLinks;
import chat.server.ServerConfig;
import chat.server.web.WebConfig;
import chat.store.PgFileStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shared files across the servers of a cluster, over real sockets with the client library: a
 * file shared through one server is listed and downloaded byte for byte through another, its
 * signed web link made by one is served by the other's web door, and an upload whose server
 * died goes on through another from where it was. On the real PostgreSQL and NATS; skipped,
 * saying why, when either is missing (CI runs both).
 */
class ClusterFilesTest {

  @TempDir
  Path temp;

  private final ClusterFixture cluster = new ClusterFixture();
  private final List<AutoCloseable> clients = new ArrayList<>();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private ServerProcesses processesA;
  private ServerProcesses processesB;

  @BeforeEach
  void services() {
    ClusterFixture.requireServices("ClusterFilesTest");
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : clients) {
      c.close();
    }
    for (ServerProcesses p : new ServerProcesses[] {processesA, processesB}) {
      if (p != null) {
        p.close();
      }
    }
    cluster.close();
  }

  /** A server whose files are on the cluster's PostgreSQL, with a web door and its links. */
  private ClusterFixture.Node node() throws Exception {
    PgFileStore files = PgFileStore.open(cluster.storeUrl(), 2);
    FileLinks links = new FileLinks(files.linkKey(), Clock.systemUTC(),
        FileLinks.DEFAULT_LIFETIME);
    return cluster.node(ServerConfig.defaults(),
        s -> s.withWeb(WebConfig.on("127.0.0.1", 0)).withFileLinks(links), files);
  }

  private ChatClient connect(int port, String nick, String password) throws Exception {
    ClientOptions options = ClientOptions.of("127.0.0.1", port, nick);
    if (password != null) {
      options = options.withLogin(nick, password.toCharArray());
    }
    ChatClient client = ChatClient.connect(options, ClientListener.NONE);
    clients.add(client);
    return client;
  }

  private Path randomFile(String name, int bytes, long seed) throws Exception {
    byte[] data = new byte[bytes];
    new Random(seed).nextBytes(data);
    return Files.write(temp.resolve(name), data);
  }

  private static Frame listFiles(ChatClient client, String room) throws Exception {
    return client.request(Json.header("files").put("room", room), null).get(10, TimeUnit.SECONDS);
  }

  private static List<String> listedIds(ChatClient client, String room) throws Exception {
    List<String> ids = new ArrayList<>();
    listFiles(client, room).field("files").forEach(f -> ids.add(f.path("file").asString()));
    return ids;
  }

  @Test
  void aFileSharedOnOneServerIsListedDownloadedAndLinkedOnAnother() throws Exception {
    ClusterFixture.Node a = node();
    ClusterFixture.Node b = node();
    ChatClient alice = connect(a.port(), "alice", null);
    ChatClient bob = connect(b.port(), "bob", null);
    alice.join("dev").get(10, TimeUnit.SECONDS);
    bob.join("dev").get(10, TimeUnit.SECONDS);
    Path file = randomFile("report v3.bin", 1_500_007, 1);

    Frame shared = FileTransfers.upload(alice, "dev", null, file, null, null,
        FileTransfers.Progress.NONE).get(60, TimeUnit.SECONDS);
    String id = shared.string("file");

    assertThat(listedIds(bob, "dev")).containsExactly(id);
    assertThat(listFiles(bob, "dev").field("files").get(0).path("name").asString())
        .isEqualTo("report v3.bin");
    Path got = FileTransfers.download(bob, id, temp.resolve("bob"), null,
        FileTransfers.Progress.NONE).get(60, TimeUnit.SECONDS);
    assertThat(Files.mismatch(got, file)).as("byte for byte").isEqualTo(-1);

    // A link signed by A is good at B's web door, and one signed by B at A's: one key.
    Frame fromA = alice.request(Json.header("link").put("file", id), null)
        .get(10, TimeUnit.SECONDS);
    HttpResponse<byte[]> onB = fetch(b.server().webUrl() + fromA.string("url"));
    assertThat(onB.statusCode()).isEqualTo(200);
    assertThat(onB.body()).isEqualTo(Files.readAllBytes(file));
    Frame fromB = bob.request(Json.header("link").put("file", id), null)
        .get(10, TimeUnit.SECONDS);
    HttpResponse<byte[]> onA = fetch(a.server().webUrl() + fromB.string("url"));
    assertThat(onA.statusCode()).isEqualTo(200);
    assertThat(onA.body()).isEqualTo(Files.readAllBytes(file));
    String forged = fromA.string("url").replaceFirst("s=[^&]+", "s=AAAAAAAAAAAAAAAAAAAAAA");
    assertThat(fetch(b.server().webUrl() + forged).statusCode()).isNotEqualTo(200);
  }

  @Test
  void anUploadWhoseServerDiedGoesOnThroughAnotherFromWhereItWas() throws Exception {
    ClusterFixture.Node a = node();
    ClusterFixture.Node b = node();
    ChatClient registering = connect(a.port(), "carol", null);
    registering.register("correct-horse".toCharArray()).get(20, TimeUnit.SECONDS);
    registering.join("dev").get(10, TimeUnit.SECONDS);
    Path file = randomFile("big.bin", 3 * 1024 * 1024 + 5, 2);
    String[] id = new String[1];
    CompletableFuture<Frame> upload = FileTransfers.upload(registering, "dev", null, file, null,
        started -> id[0] = started, (done, total) -> {
          if (done >= total / 3) {
            registering.close(); // cut off a third of the way in
          }
        });
    assertThat(upload).failsWithin(Duration.ofSeconds(60));
    cluster.kill(a); // and its server dies

    ChatClient carol = connect(b.port(), "carol", "correct-horse");
    carol.join("dev").get(10, TimeUnit.SECONDS);
    AtomicLong resumedAt = new AtomicLong(-1);
    Frame shared = FileTransfers.resumeUpload(carol, id[0], file, (done, total) ->
        resumedAt.compareAndSet(-1, done)).get(60, TimeUnit.SECONDS);
    assertThat(shared.string("file")).isEqualTo(id[0]);
    assertThat(resumedAt.get()).as("B went on from what A had stored")
        .isPositive().isLessThan(Files.size(file));
    assertThat(listedIds(carol, "dev")).containsExactly(id[0]);
    Path got = FileTransfers.download(carol, id[0], temp.resolve("carol"), null,
        FileTransfers.Progress.NONE).get(60, TimeUnit.SECONDS);
    assertThat(Files.mismatch(got, file)).as("byte for byte").isEqualTo(-1);
  }

  @Test
  void chatServerProcessesWithClusterKeepFilesInPostgresqlByDefault() throws Exception {
    Path dirA = Files.createDirectories(temp.resolve("a"));
    Path dirB = Files.createDirectories(temp.resolve("b"));
    processesA = new ServerProcesses(dirA);
    processesB = new ServerProcesses(dirB);
    String[] args = {"--cluster", ClusterFixture.NATS, "--store", cluster.storeUrl()};
    int a = processesA.start(temp.resolve("a.log"), args);
    int b = processesB.start(temp.resolve("b.log"), args);
    ChatClient alice = connect(a, "alice", null);
    ChatClient bob = connect(b, "bob", null);
    alice.join("dev").get(20, TimeUnit.SECONDS);
    bob.join("dev").get(20, TimeUnit.SECONDS);
    Path file = randomFile("notes.txt", 200_003, 3);

    String id = FileTransfers.upload(alice, "dev", null, file, "text/plain", null,
        FileTransfers.Progress.NONE).get(60, TimeUnit.SECONDS).string("file");

    await().atMost(Duration.ofSeconds(10)).until(() -> listedIds(bob, "dev").contains(id));
    Path got = FileTransfers.download(bob, id, temp.resolve("bob"), null,
        FileTransfers.Progress.NONE).get(60, TimeUnit.SECONDS);
    assertThat(Files.mismatch(got, file)).isEqualTo(-1);
    assertThat(rows("SELECT count(*) FROM files WHERE state = 1")).isEqualTo(1);
    assertThat(rows("SELECT coalesce(sum(octet_length(bytes)), 0) FROM file_chunks"))
        .isEqualTo(Files.size(file));
    assertThat(dirA.resolve("files/blobs")).as("nothing on A's disk").doesNotExist();
  }

  private long rows(String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(cluster.storeUrl());
        Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private HttpResponse<byte[]> fetch(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
        .build(), HttpResponse.BodyHandlers.ofByteArray());
  }
}
