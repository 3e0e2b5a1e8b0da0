package chat.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import chat.core.CoreLimits;
import chat.core.Hub;
import chat.core.store.MemoryStore;
import chat.server.ChatServer;
import chat.server.ServerConfig;
import chat.server.metrics.ServerMetrics;
import chat.server.tls.ServerTls;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The web port with the server's certificate: https and http on one port, http for loopback only. */
class WebTlsTest {

  @TempDir
  Path dataDir;

  private ServerTls tls() throws Exception {
    return ServerTls.load(null, null, dataDir, List.of("localhost", "127.0.0.1"));
  }

  private SSLContext trusting(Path certFile) throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(certFile)) {
      trust.setCertificateEntry("server", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return context;
  }

  @Test
  void httpsAndLoopbackHttpShareThePortWithTheServersCertificate() throws Exception {
    ServerTls tls = tls();
    try (ChatServer server = new ChatServer(ServerConfig.defaults().withAddress("127.0.0.1", 0)
        .withTls(tls, false)).withWeb(WebConfig.on("127.0.0.1", 0)).start()) {
      int port = server.webAddress().getPort();
      HttpClient https = HttpClient.newBuilder()
          .sslContext(trusting(dataDir.resolve("tls").resolve("server-cert.pem"))).build();
      HttpResponse<String> secure = https.send(HttpRequest.newBuilder(
          URI.create("https://localhost:" + port + "/healthz")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(secure.statusCode()).isEqualTo(200);
      assertThat(secure.headers().firstValue("content-security-policy").orElseThrow())
          .contains("wss://localhost:" + port);
      HttpResponse<String> plain = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + port + "/")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(plain.statusCode()).isEqualTo(200);
      assertThat(plain.body()).contains("<script type=\"module\" src=\"app.js\">");
    }
  }

  @Test
  void plainHttpFromAnotherMachineIsSentToHttpsOnTheSamePort() throws Exception {
    ServerConfig config = ServerConfig.defaults().withTls(tls(), false);
    Hub hub = new Hub(CoreLimits.DEFAULT, Clock.systemUTC());
    try (ServerMetrics metrics = new ServerMetrics();
         WebDoor door = new WebDoor(hub, config, WebConfig.on("0.0.0.0", 8080), metrics,
             new MemoryStore(), () -> false)) {
      door.bound(new InetSocketAddress("0.0.0.0", 8080));
      // An embedded channel's peer is no loopback address: a remote peer as far as TLS goes.
      EmbeddedChannel channel = new EmbeddedChannel(door.initializer());
      channel.writeInbound(Unpooled.copiedBuffer(
          "GET /index.html?x=1 HTTP/1.1\r\nHost: localhost:8080\r\n\r\n", StandardCharsets.US_ASCII));
      ByteBuf out = channel.readOutbound();
      String response = out.toString(StandardCharsets.US_ASCII);
      out.release();
      assertThat(response).startsWith("HTTP/1.1 308")
          .contains("location: https://localhost:8080/index.html?x=1");
      channel.finishAndReleaseAll();

      EmbeddedChannel foreign = new EmbeddedChannel(door.initializer());
      foreign.writeInbound(Unpooled.copiedBuffer(
          "GET / HTTP/1.1\r\nHost: evil.example\r\n\r\n", StandardCharsets.US_ASCII));
      ByteBuf refused = foreign.readOutbound();
      assertThat(refused.toString(StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 403");
      refused.release();
      foreign.finishAndReleaseAll();
    }
  }
}
