package chat.server.irc;

import static org.assertj.core.api.Assertions.assertThat;

import chat.server.ChatServer;
import chat.server.ServerConfig;
import chat.server.tls.ServerTls;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS on the IRC port, with the native listener's certificate; plaintext from loopback only. */
class IrcTlsTest {

  @TempDir
  Path dataDir;

  private ChatServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private ServerTls tls() throws Exception {
    return ServerTls.load(null, null, dataDir, List.of("localhost", "127.0.0.1"));
  }

  @Test
  void tlsAndLoopbackPlaintextShareThePort() throws Exception {
    ServerTls tls = tls();
    server = new ChatServer(ServerConfig.defaults().withAddress("127.0.0.1", 0)
        .withTls(tls, false)).irc(IrcConfig.of("127.0.0.1", 0)).start();
    X509Certificate cert;
    try (var in = java.nio.file.Files.newInputStream(dataDir.resolve("tls")
        .resolve("server-cert.pem"))) {
      cert = (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
          .generateCertificate(in);
    }
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("server", cert);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(
        TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1",
        server.ircPort());
    socket.startHandshake();
    assertThat(socket.getSession().getProtocol()).isIn("TLSv1.3", "TLSv1.2");
    try (IrcTestClient secure = new IrcTestClient(socket)) {
      secure.send("NICK alice").send("USER a 0 * :A");
      assertThat(secure.await("001").param(0)).isEqualTo("alice");
    }
    try (IrcTestClient plain = IrcTestClient.register(server.ircPort(), "bob")) {
      plain.send("PING x");
      plain.await("PONG");
    }
  }

  @Test
  void plaintextFromAPeerBeyondThisMachineIsRefusedWithAnError() throws Exception {
    // EmbeddedChannel's peer address is not a loopback address: it stands for a remote peer.
    EmbeddedChannel channel = new EmbeddedChannel(IrcTls.handler(tls().context(), false));
    channel.writeInbound(Unpooled.copiedBuffer("NICK eve\r\n", StandardCharsets.US_ASCII));
    ByteBuf reply = channel.readOutbound();
    try {
      assertThat(reply.toString(StandardCharsets.UTF_8))
          .startsWith("ERROR :Closing link: ").contains("TLS").endsWith("\r\n");
    } finally {
      reply.release();
    }
    assertThat(channel.isOpen()).isFalse();
  }
}
