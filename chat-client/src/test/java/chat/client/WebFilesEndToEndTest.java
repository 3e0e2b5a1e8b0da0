package chat.client;

import static org.assertj.core.api.Assertions.assertThat;

import chat.core.store.MemoryFileStore;
import chat.core.store.MemoryStore;
import chat.protocol.Frame;
import chat.protocol.Json;
import chat.server.Argon2Hasher;
import chat.server.ChatServer;
import chat.server.FileLinks;
import chat.server.ServerConfig;
import chat.server.irc.IrcConfig;
import chat.server.irc.IrcMessage;
import chat.server.web.WebConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shared files beyond the native door, over real sockets: the {@code link} request's signed URL
 * fetched over HTTP, refused to whoever may not see the file, and IRC members sent a line with
 * an absolute link they can fetch.
 */
class WebFilesEndToEndTest {

  @TempDir
  Path temp;

  private final MemoryStore store = new MemoryStore();
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private ChatServer server;

  @BeforeEach
  void start() throws Exception {
    server = new ChatServer(ServerConfig.defaults().withAddress("127.0.0.1", 0),
        Clock.systemUTC(), store, store, new Argon2Hasher(8 * 1024, 1, 1), new MemoryFileStore())
        .withWeb(WebConfig.on("127.0.0.1", 0))
        .irc(IrcConfig.of("127.0.0.1", 0))
        .withFileLinks(FileLinks.persistent(temp.resolve("files/link.key"), Clock.systemUTC()))
        .start();
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : closeables) {
      c.close();
    }
    server.close();
  }

  private ChatClient connect(String nick) throws Exception {
    ChatClient client = ChatClient.connect(ClientOptions.of("127.0.0.1", server.port(), nick),
        ClientListener.NONE);
    closeables.add(client);
    return client;
  }

  private Path randomFile(String name, int bytes) throws Exception {
    byte[] data = new byte[bytes];
    new Random(bytes).nextBytes(data);
    Path file = temp.resolve(name);
    Files.write(file, data);
    return file;
  }

  private static Frame link(ChatClient client, String fileId) throws Exception {
    return client.request(Json.header("link").put("file", fileId), null).get(10, TimeUnit.SECONDS);
  }

  private static String refused(CompletableFuture<Frame> reply) throws Exception {
    try {
      throw new AssertionError("not refused: " + reply.get(10, TimeUnit.SECONDS).header());
    } catch (ExecutionException e) {
      return ((ChatErrorException) e.getCause()).code();
    }
  }

  private HttpResponse<byte[]> fetch(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
        .build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  @Test
  void aMemberGetsALinkWhoseBytesMatchTheFile() throws Exception {
    ChatClient alice = connect("alice");
    ChatClient bob = connect("bob");
    alice.join("dev").get(5, TimeUnit.SECONDS);
    bob.join("dev").get(5, TimeUnit.SECONDS);
    Path file = randomFile("notes v2.bin", 300_001);
    Frame shared = FileTransfers.upload(alice, "dev", null, file, null, null,
        FileTransfers.Progress.NONE).get(60, TimeUnit.SECONDS);
    String id = shared.string("file");

    Frame link = link(bob, id);

    assertThat(link.string("file")).isEqualTo(id);
    assertThat(link.string("url")).startsWith("/files/" + id + "/notes%20v2.bin?e=");
    long expires = link.number("expires", 0);
    assertThat(expires - System.currentTimeMillis())
        .isBetween(FileLinks.DEFAULT_LIFETIME.toMillis() - 60_000,
            FileLinks.DEFAULT_LIFETIME.toMillis() + 1000);
    HttpResponse<byte[]> got = fetch(server.webUrl() + link.string("url"));
    assertThat(got.statusCode()).isEqualTo(200);
    assertThat(sha256(got.body())).isEqualTo(FileTransfers.sha256(file))
        .isEqualTo(shared.string("sha256"));
    assertThat(refused(bob.request(Json.header("link").put("file", "NoSuchFile0000000000000"),
        null))).isEqualTo("no-such-file");
  }

  @Test
  void aPrivateFilesLinkIsRefusedToAThirdPerson() throws Exception {
    ChatClient alice = connect("alice");
    ChatClient bob = connect("bob");
    ChatClient carol = connect("carol");
    Frame shared = FileTransfers.upload(alice, null, "bob", randomFile("secret.txt", 1000), null,
        null, FileTransfers.Progress.NONE).get(60, TimeUnit.SECONDS);
    String id = shared.string("file");

    assertThat(refused(carol.request(Json.header("link").put("file", id), null)))
        .isEqualTo("no-such-file");
    assertThat(link(bob, id).string("url")).startsWith("/files/" + id + "/");
    assertThat(link(alice, id).string("url")).startsWith("/files/" + id + "/");
  }

  @Test
  void anIrcMemberIsSentTheFileWithALinkItCanFetch() throws Exception {
    ChatClient alice = connect("alice");
    alice.join("dev").get(5, TimeUnit.SECONDS);
    IrcLineClient dana = IrcLineClient.register(server.ircPort(), "dana");
    closeables.add(dana);
    dana.send("JOIN #dev");
    dana.await("366");
    Path file = randomFile("report.pdf", 2_400_000);

    FileTransfers.upload(alice, "dev", null, file, "application/pdf", null,
        FileTransfers.Progress.NONE).get(60, TimeUnit.SECONDS);

    IrcMessage line = dana.await(m -> m.command().equals("PRIVMSG"));
    assertThat(line.source()).startsWith("alice!");
    assertThat(line.param(0)).isEqualTo("#dev");
    String text = line.param(1);
    Matcher m = Pattern.compile("shared report\\.pdf \\(2\\.4 MB, application/pdf\\) "
        + "(http://127\\.0\\.0\\.1:" + server.webAddress().getPort() + "/files/\\S+)").matcher(text);
    assertThat(m.matches()).as(text).isTrue();
    HttpResponse<byte[]> got = fetch(m.group(1));
    assertThat(got.statusCode()).isEqualTo(200);
    assertThat(sha256(got.body())).isEqualTo(FileTransfers.sha256(file));

    // A private file reaches an IRC user the same way.
    FileTransfers.upload(alice, null, "dana", randomFile("hi.txt", 3), "text/plain", null,
        FileTransfers.Progress.NONE).get(60, TimeUnit.SECONDS);
    IrcMessage direct = dana.await(x -> x.command().equals("PRIVMSG") && x.param(0).equals("dana"));
    assertThat(direct.param(1)).startsWith("shared hi.txt (3 B, text/plain) http://127.0.0.1:");
    assertThat(fetch(direct.param(1).substring(direct.param(1).indexOf("http://"))).body())
        .hasSize(3);
  }
}
