package chat.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import chat.core.store.FileRecord;
import chat.core.store.MemoryFileStore;
import chat.core.store.MemoryStore;
import chat.server.ChatServer;
import chat.server.FileLinks;
import chat.server.ServerConfig;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Shared files at their signed links, over real sockets on 127.0.0.1: whole, in ranges, HEAD,
 * the headers that keep a file from acting as a page, refusals, and streaming to slow and
 * stalled readers. The files are put in the store directly (uploads are tested elsewhere).
 */
class FileServingTest {

  /** A clock the test moves forward (links expire). */
  static final class ShiftedClock extends Clock {
    final AtomicLong shiftMillis = new AtomicLong();

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.now().plusMillis(shiftMillis.get());
    }
  }

  private static final byte[] KEY = new byte[32];
  private final ShiftedClock linkClock = new ShiftedClock();
  private final FileLinks links = new FileLinks(KEY, linkClock, Duration.ofMinutes(10));
  private final MemoryFileStore files = new MemoryFileStore();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private ChatServer server;
  private int port;

  @BeforeEach
  void start() throws Exception {
    server = new ChatServer(ServerConfig.defaults().withAddress("127.0.0.1", 0)
        .withPingInterval(Duration.ofSeconds(1)), Clock.systemUTC(), new MemoryStore(), null,
        null, files)
        .withWeb(WebConfig.on("127.0.0.1", 0))
        .withFileLinks(links)
        .start();
    port = server.webAddress().getPort();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private int ids;

  /** A complete file in the store; returns its link's path. */
  private String put(String name, String type, byte[] bytes) throws Exception {
    String id = "file" + (++ids) + "AbCdEfGhIjKlMnOpQr".substring(0, 18);
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    files.begin(new FileRecord(id, name, bytes.length, type, sha, "dev", "alice", "alice", null,
        null, System.currentTimeMillis(), false));
    files.write(id, 0, bytes);
    files.complete(id);
    return links.path(id, name);
  }

  private static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private HttpResponse<byte[]> get(String path, String... headers) throws Exception {
    return send("GET", path, headers);
  }

  private HttpResponse<byte[]> send(String method, String path, String... headers)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(20)).method(method, HttpRequest.BodyPublishers.noBody());
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  private static String header(HttpResponse<?> r, String name) {
    return r.headers().firstValue(name).orElse(null);
  }

  /** A 1x1 PNG, made by hand: signature, IHDR, IDAT, IEND. */
  static byte[] png() {
    return HexFormat.of().parseHex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f"
        + "15c4890000000d49444154789c6360f8cfc0f01f0005000201a1c0b8a40000000049454e44ae426082");
  }

  @Test
  void aValidLinkServesTheWholeFileInChunksWithItsHeaders() throws Exception {
    byte[] bytes = random(1_000_003, 1); // sixteen chunks and a bit
    String path = put("report 2026 é.pdf", "application/pdf", bytes);

    HttpResponse<byte[]> r = get(path);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(sha256(r.body())).isEqualTo(sha256(bytes));
    assertThat(header(r, "content-length")).isEqualTo("1000003");
    assertThat(header(r, "content-type")).isEqualTo("application/pdf");
    assertThat(header(r, "content-disposition")).isEqualTo(
        "attachment; filename=\"report 2026 _.pdf\"; filename*=UTF-8''report%202026%20%C3%A9.pdf");
    assertThat(header(r, "x-content-type-options")).isEqualTo("nosniff");
    assertThat(header(r, "content-security-policy")).isEqualTo("sandbox; default-src 'none'");
    assertThat(header(r, "cache-control")).isEqualTo("private");
    assertThat(header(r, "accept-ranges")).isEqualTo("bytes");
    assertThat(header(r, "etag")).isEqualTo("\"" + sha256(bytes) + "\"");

    HttpResponse<byte[]> head = send("HEAD", path);
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
    assertThat(header(head, "content-length")).isEqualTo("1000003");
    // The connection was kept: a second GET on it works too.
    assertThat(sha256(get(path).body())).isEqualTo(sha256(bytes));
  }

  @Test
  void rangesAreServedAsPartialContentAndOnesPastTheEndAreRefused() throws Exception {
    byte[] bytes = random(200_000, 2);
    String path = put("data.bin", "application/octet-stream", bytes);

    HttpResponse<byte[]> middle = get(path, "Range", "bytes=100000-165535");
    assertThat(middle.statusCode()).isEqualTo(206);
    assertThat(header(middle, "content-range")).isEqualTo("bytes 100000-165535/200000");
    assertThat(middle.body()).isEqualTo(Arrays.copyOfRange(bytes, 100000, 165536));

    HttpResponse<byte[]> open = get(path, "Range", "bytes=199990-");
    assertThat(open.statusCode()).isEqualTo(206);
    assertThat(open.body()).isEqualTo(Arrays.copyOfRange(bytes, 199990, 200000));

    HttpResponse<byte[]> suffix = get(path, "Range", "bytes=-7");
    assertThat(header(suffix, "content-range")).isEqualTo("bytes 199993-199999/200000");
    assertThat(suffix.body()).isEqualTo(Arrays.copyOfRange(bytes, 199993, 200000));

    HttpResponse<byte[]> past = get(path, "Range", "bytes=200000-200100");
    assertThat(past.statusCode()).isEqualTo(416);
    assertThat(header(past, "content-range")).isEqualTo("bytes */200000");

    // If-Range naming another version: the whole file.
    HttpResponse<byte[]> changed = get(path, "Range", "bytes=0-9", "If-Range", "\"other\"");
    assertThat(changed.statusCode()).isEqualTo(200);
    assertThat(changed.body()).hasSize(200_000);
    // Several ranges: the whole file (a server may), never a multipart body.
    assertThat(get(path, "Range", "bytes=0-1,5-6").statusCode()).isEqualTo(200);
  }

  @Test
  void aBadSignatureIsForbiddenAnExpiredLinkGoneAndAMissingFileNotFound() throws Exception {
    String path = put("a.txt", "text/plain", "hello\n".getBytes(StandardCharsets.UTF_8));
    String signature = path.substring(path.indexOf("&s=") + 3);
    String forged = path.replace(signature, (signature.charAt(0) == 'A' ? "B" : "A")
        + signature.substring(1));

    HttpResponse<byte[]> bad = get(forged);
    assertThat(bad.statusCode()).isEqualTo(403);
    assertThat(new String(bad.body(), StandardCharsets.UTF_8)).contains("not valid");
    assertThat(get(path.substring(0, path.indexOf('?'))).statusCode()).isEqualTo(403);
    // Another file's id under this signature: forbidden too.
    assertThat(get(path.replace("/file1", "/file2")).statusCode()).isEqualTo(403);
    // A later expiry under the old signature: forbidden, not extended.
    String e = path.substring(path.indexOf("?e=") + 3, path.indexOf("&s="));
    assertThat(get(path.replace("?e=" + e, "?e=" + (Long.parseLong(e) + 3600))).statusCode())
        .isEqualTo(403);

    assertThat(get(path).statusCode()).isEqualTo(200);
    linkClock.shiftMillis.set(Duration.ofMinutes(11).toMillis());
    HttpResponse<byte[]> gone = get(path);
    assertThat(gone.statusCode()).isEqualTo(410);
    assertThat(new String(gone.body(), StandardCharsets.UTF_8)).contains("expired");
    linkClock.shiftMillis.set(0);

    // Signed, but no such file (or removed since).
    assertThat(get(links.path("NoSuchFileAtAll0000000", "x.bin")).statusCode()).isEqualTo(404);
    files.delete(path.split("/")[2]);
    assertThat(get(path).statusCode()).isEqualTo(404);
    assertThat(send("POST", links.path("NoSuchFileAtAll0000000", "x.bin")).statusCode())
        .isEqualTo(405);
  }

  @Test
  void onlyAnImageWhoseBytesSayWhatItsTypeSaysIsShownInline() throws Exception {
    HttpResponse<byte[]> real = get(put("dot.png", "image/png", png()));
    assertThat(real.statusCode()).isEqualTo(200);
    assertThat(header(real, "content-type")).isEqualTo("image/png");
    assertThat(header(real, "content-disposition")).startsWith("inline; ");
    assertThat(header(real, "content-security-policy")).isEqualTo("sandbox; default-src 'none'");
    assertThat(real.body()).isEqualTo(png());

    HttpResponse<byte[]> fake = get(put("fake.png", "image/png", random(5000, 3)));
    assertThat(header(fake, "content-disposition")).startsWith("attachment; ");
    // A PNG's bytes declared as something else, and an SVG (script inside): attachments too.
    assertThat(header(get(put("dot.gif", "image/gif", png())), "content-disposition"))
        .startsWith("attachment; ");
    byte[] svg = "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"
        .getBytes(StandardCharsets.UTF_8);
    HttpResponse<byte[]> script = get(put("x.svg", "image/svg+xml", svg));
    assertThat(header(script, "content-disposition")).startsWith("attachment; ");
    assertThat(header(script, "x-content-type-options")).isEqualTo("nosniff");
  }

  @Test
  void pipelinedRequestsAreAnsweredInTheirOrder() throws Exception {
    byte[] bytes = random(300_000, 5);
    String path = put("p.bin", "application/octet-stream", bytes);
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      String host = "Host: 127.0.0.1:" + port + "\r\n";
      // Three requests in one write: a file, a static file, a range of the file.
      socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\n" + host + "\r\n"
          + "GET /favicon.svg HTTP/1.1\r\n" + host + "\r\n"
          + "GET " + path + " HTTP/1.1\r\n" + host + "Range: bytes=0-9\r\n"
          + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      byte[] all = socket.getInputStream().readAllBytes();
      String text = new String(all, StandardCharsets.ISO_8859_1);
      int first = text.indexOf("HTTP/1.1 200");
      int icon = text.indexOf("content-type: image/svg+xml");
      int range = text.indexOf("HTTP/1.1 206");
      assertThat(first).isZero();
      assertThat(icon).isGreaterThan(first + 300_000);
      assertThat(range).isGreaterThan(icon);
      assertThat(Arrays.copyOfRange(all, all.length - 10, all.length))
          .isEqualTo(Arrays.copyOfRange(bytes, 0, 10));
    }
  }

  /** Sends a raw GET and returns the socket, its header block read. */
  private Socket rawGet(String path, StringBuilder headers, int receiveBuffer) throws Exception {
    Socket socket = new Socket();
    socket.setReceiveBufferSize(receiveBuffer);
    socket.setSoTimeout(10_000);
    socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 5000);
    OutputStream out = socket.getOutputStream();
    out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    InputStream in = socket.getInputStream();
    int matched = 0;
    while (matched < 4) {
      int c = in.read();
      if (c < 0) {
        break;
      }
      headers.append((char) c);
      matched = (c == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (c == '\r' ? 1 : 0);
    }
    return socket;
  }

  @Test
  void aSlowReaderGetsItAllPastTheIdleTimeAndAStalledOneIsLetGo() throws Exception {
    byte[] bytes = random(24 * 1024 * 1024, 4);
    String path = put("big.bin", "application/octet-stream", bytes);

    // Slow: a few seconds for the file, with pauses; the idle time is 1 s.
    StringBuilder headers = new StringBuilder();
    long started = System.nanoTime();
    try (Socket slow = rawGet(path, headers, 64 * 1024)) {
      assertThat(headers.toString()).startsWith("HTTP/1.1 200");
      InputStream in = slow.getInputStream();
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[64 * 1024];
      long got = 0;
      int reads = 0;
      while (got < bytes.length) {
        int n = in.read(buffer);
        assertThat(n).as("bytes after %d of %d", got, bytes.length).isPositive();
        digest.update(buffer, 0, n);
        got += n;
        if (++reads % 8 == 0) {
          Thread.sleep(30);
        }
      }
      assertThat(HexFormat.of().formatHex(digest.digest())).isEqualTo(sha256(bytes));
    }
    System.out.printf("slow reader: %d MiB in %d ms%n", bytes.length >> 20,
        (System.nanoTime() - started) / 1_000_000);

    // Stalled: reads the headers and stops; the server lets go within a few idle ticks.
    headers.setLength(0);
    try (Socket stalled = rawGet(path, headers, 16 * 1024)) {
      assertThat(headers.toString()).startsWith("HTTP/1.1 200");
      Thread.sleep(3500);
      InputStream in = stalled.getInputStream();
      long got = 0;
      try {
        byte[] buffer = new byte[256 * 1024];
        for (int n; (n = in.read(buffer)) > 0; ) {
          got += n;
        }
      } catch (SocketException e) {
        // reset: let go, too
      }
      assertThat(got).as("what a stalled reader got before the server let go")
          .isLessThan(bytes.length);
    }
    // Fast, in one go: the throughput over loopback.
    long t0 = System.nanoTime();
    HttpResponse<byte[]> whole = get(path);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertThat(sha256(whole.body())).isEqualTo(sha256(bytes));
    System.out.printf("download: %d MiB in %d ms (%.0f MiB/s)%n", bytes.length >> 20, ms,
        (bytes.length / 1048576.0) / Math.max(1, ms) * 1000);
  }
}
