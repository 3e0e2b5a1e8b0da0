package chat.cli.server;

import static org.assertj.core.api.Assertions.assertThat;

import chat.protocol.FrameEncoder;
import chat.protocol.Json;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * What the fast start must not break, through real sockets on 127.0.0.1 against a real
 * {@code chat server} process (TLS on, as by default): the very first connection each port
 * accepts is served (native hello over TLS, IRC registration, the web door's health over
 * https), on a new data dir (schema, certificate and the {@code --admin-account} made as it
 * starts) and again on the same dir (schema found current, the account kept). No timings.
 */
class StartupTest {

  @TempDir
  Path tmp;

  private final List<Process> processes = new ArrayList<>();

  @AfterEach
  void kill() throws InterruptedException {
    for (Process p : processes) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private Process start(Path data, Path log, int nativePort, int ircPort, int webPort)
      throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
        System.getProperty("java.class.path"), "chat.cli.Main", "server", "--host", "127.0.0.1",
        "--port", String.valueOf(nativePort), "--irc-port", String.valueOf(ircPort),
        "--http-port", String.valueOf(webPort), "--data-dir", data.toString(),
        "--admin-account", "root")
        .redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("CHAT_ADMIN_PASSWORD", "correct horse battery");
    Process p = pb.start();
    processes.add(p);
    return p;
  }

  /** The first connection the port accepts: tried every 2 ms until it is, for at most 60 s. */
  private static Socket firstConnection(int port, Process server) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      try {
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout(15_000);
        return s;
      } catch (java.net.ConnectException e) {
        assertThat(server.isAlive()).as("the server is running").isTrue();
        assertThat(System.nanoTime()).as("port %d accepts within 60 s", port).isLessThan(deadline);
        Thread.sleep(2);
      }
    }
  }

  private static SSLSocket tls(Socket plain, int port) throws Exception {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, new TrustManager[] {new X509TrustManager() {
      @Override public void checkClientTrusted(X509Certificate[] chain, String auth) {}
      @Override public void checkServerTrusted(X509Certificate[] chain, String auth) {}
      @Override public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    }}, null);
    SSLSocket socket = (SSLSocket) context.getSocketFactory()
        .createSocket(plain, "127.0.0.1", port, true);
    socket.startHandshake();
    return socket;
  }

  private static byte[] hello(String nick) {
    ByteBuf buf = Unpooled.buffer();
    FrameEncoder.write(buf, Json.header("hello").put("id", "1").put("version", 1)
        .put("nick", nick), new byte[0]);
    byte[] bytes = new byte[buf.readableBytes()];
    buf.readBytes(bytes);
    buf.release();
    return bytes;
  }

  /** Each door's first accepted connection is served. */
  private static void firstConnectionsAreServed(Process server, int nativePort, int ircPort,
      int webPort, String nick) throws Exception {
    try (Socket plain = firstConnection(nativePort, server); SSLSocket s = tls(plain, nativePort)) {
      s.getOutputStream().write(hello(nick));
      s.getOutputStream().flush();
      DataInputStream in = new DataInputStream(s.getInputStream());
      byte[] header = new byte[in.readUnsignedShort()];
      in.readFully(header);
      JsonNode welcome = Json.MAPPER.readTree(header);
      assertThat(welcome.get("type").asString()).isEqualTo("welcome");
    }
    try (Socket s = firstConnection(ircPort, server)) {
      OutputStream out = s.getOutputStream();
      out.write(("NICK " + nick + "i\r\nUSER u 0 * :u\r\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      BufferedReader in = new BufferedReader(
          new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
      String line;
      do {
        line = in.readLine();
        assertThat(line).as("IRC registration answered").isNotNull();
      } while (!line.contains(" 001 "));
    }
    try (Socket plain = firstConnection(webPort, server); SSLSocket s = tls(plain, webPort)) {
      s.getOutputStream().write(("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:" + webPort
          + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(response).startsWith("HTTP/1.1 200").contains("\"ready\":true");
    }
  }

  private static List<String> appliedMigrations(Path data) throws Exception {
    List<String> scripts = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("chat.db"));
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT script FROM flyway_schema_history"
            + " WHERE success ORDER BY installed_rank")) {
      while (rs.next()) {
        scripts.add(rs.getString(1));
      }
    }
    return scripts;
  }

  private static boolean isAdmin(Path data, String name) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("chat.db"));
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT admin FROM accounts WHERE name = '" + name + "'")) {
      return rs.next() && rs.getBoolean(1);
    }
  }

  @Test
  void theFirstConnectionsAreServedOnANewDataDirAndAgainOnTheSameOne() throws Exception {
    Path data = tmp.resolve("data");
    int nativePort = freePort();
    int ircPort = freePort();
    int webPort = freePort();

    Path firstLog = tmp.resolve("first.log");
    Process first = start(data, firstLog, nativePort, ircPort, webPort);
    firstConnectionsAreServed(first, nativePort, ircPort, webPort, "alice");
    assertThat(appliedMigrations(data)).containsExactly("V1__messages_and_accounts.sql",
        "V2__rooms_and_markers.sql", "V3__room_seqs.sql", "V4__room_flags.sql");
    assertThat(data.resolve("tls").resolve("server-cert.pem")).isRegularFile();
    assertThat(isAdmin(data, "root")).isTrue();
    assertThat(Files.readString(firstLog)).contains("created administrator root");
    first.destroy(); // SIGTERM: drains and exits 0
    assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(first.exitValue()).isZero();

    Path secondLog = tmp.resolve("second.log");
    Process second = start(data, secondLog, nativePort, ircPort, webPort);
    firstConnectionsAreServed(second, nativePort, ircPort, webPort, "bob");
    assertThat(appliedMigrations(data)).as("nothing applied twice").hasSize(4);
    assertThat(isAdmin(data, "root")).isTrue();
    assertThat(Files.readString(secondLog)).doesNotContain("created administrator")
        .contains("ready ");
  }
}
