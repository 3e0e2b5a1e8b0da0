package chat.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import chat.protocol.FrameDecoder;
import chat.protocol.FrameEncoder;
import chat.protocol.Json;
import chat.server.ChatServer;
import chat.server.ServerConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** TLS on the native port: certificates, versions, and who may speak plaintext. */
class ServerTlsTest {

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

  private int start(ServerTls tls) throws Exception {
    server = new ChatServer(ServerConfig.defaults().withAddress("127.0.0.1", 0).withTls(tls, false))
        .start();
    return server.port();
  }

  private static byte[] hello(String nick) {
    ByteBuf buf = Unpooled.buffer();
    FrameEncoder.write(buf, Json.header("hello").put("id", "1").put("version", 1).put("nick", nick),
        new byte[0]);
    byte[] bytes = new byte[buf.readableBytes()];
    buf.readBytes(bytes);
    buf.release();
    return bytes;
  }

  private static JsonNode readHeader(DataInputStream in) throws IOException {
    int length = in.readUnsignedShort();
    byte[] header = new byte[length];
    in.readFully(header);
    return Json.MAPPER.readTree(header);
  }

  @Test
  void selfSignedCertificateIsMadeOnceAndKept() throws Exception {
    ServerTls first = tls();
    ServerTls second = tls();
    assertThat(first.selfSigned()).isTrue();
    assertThat(second.fingerprint()).isEqualTo(first.fingerprint()).startsWith("SHA256:");
    Path key = dataDir.resolve("tls").resolve("server-key.pem");
    assertThat(Files.getPosixFilePermissions(key)).extracting(Object::toString)
        .containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
  }

  @Test
  void aPkcs8KeyIsReadByTheJdkAndServesAHandshake() throws Exception {
    ServerTls selfSigned = tls();
    Path cert = dataDir.resolve("tls").resolve("server-cert.pem");
    Path pkcs8 = dataDir.resolve("tls").resolve("server-key.pem");
    java.security.PrivateKey key = ServerTls.readPkcs8(pkcs8);
    assertThat(key).isNotNull();
    assertThat(key.getAlgorithm()).isEqualTo("EC");
    // The same key as SEC1 ("BEGIN EC PRIVATE KEY"): not for the JDK, Netty reads it.
    Path sec1 = dataDir.resolve("sec1-key.pem");
    var info = org.bouncycastle.asn1.pkcs.PrivateKeyInfo.getInstance(key.getEncoded());
    var inner = org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(info.parsePrivateKey());
    byte[] der = new org.bouncycastle.asn1.sec.ECPrivateKey(256, inner.getKey(),
        info.getPrivateKeyAlgorithm().getParameters()).getEncoded();
    Files.writeString(sec1, "-----BEGIN EC PRIVATE KEY-----\n"
        + java.util.Base64.getMimeEncoder().encodeToString(der) + "\n-----END EC PRIVATE KEY-----\n");
    assertThat(Files.readString(sec1)).contains("BEGIN EC PRIVATE KEY");
    assertThat(ServerTls.readPkcs8(sec1)).isNull(); // left to Netty, as before
    ServerTls given = ServerTls.load(cert, pkcs8, dataDir, List.of("localhost"));
    assertThat(given.selfSigned()).isFalse();
    assertThat(given.fingerprint()).isEqualTo(selfSigned.fingerprint());
    int port = start(given);
    try (Socket plain = new Socket("127.0.0.1", port)) { // the context serves a handshake
      SSLContext trustAll = SSLContext.getInstance("TLS");
      trustAll.init(null, new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509TrustManager() {
        @Override public void checkClientTrusted(X509Certificate[] c, String a) {}
        @Override public void checkServerTrusted(X509Certificate[] c, String a) {}
        @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
      }}, null);
      try (SSLSocket socket = (SSLSocket) trustAll.getSocketFactory()
          .createSocket(plain, "127.0.0.1", port, true)) {
        socket.setSoTimeout(5000);
        socket.startHandshake();
        assertThat(socket.getSession().getPeerCertificates()[0]).isEqualTo(
            ServerTls.readCertificate(cert));
      }
    }
  }

  @Test
  void helloOverTlsWithTheCertificateTrusted() throws Exception {
    ServerTls tls = tls();
    int port = start(tls);
    X509Certificate cert = ServerTls.readCertificate(dataDir.resolve("tls").resolve("server-cert.pem"));
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("server", cert);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
      socket.setSoTimeout(5000);
      socket.startHandshake();
      assertThat(socket.getSession().getProtocol()).isIn("TLSv1.3", "TLSv1.2");
      socket.getOutputStream().write(hello("alice"));
      socket.getOutputStream().flush();
      JsonNode welcome = readHeader(new DataInputStream(socket.getInputStream()));
      assertThat(welcome.get("type").asString()).isEqualTo("welcome");
    }
  }

  @Test
  void plaintextFromLoopbackIsStillServedOnTheSamePort() throws Exception {
    int port = start(tls());
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      out.write(hello("bob"));
      out.flush();
      JsonNode welcome = readHeader(new DataInputStream(socket.getInputStream()));
      assertThat(welcome.get("nick").asString()).isEqualTo("bob");
    }
  }

  @Test
  void plaintextFromAPeerBeyondThisMachineIsRefusedWithAReason() throws Exception {
    // EmbeddedChannel's peer address is not a loopback address: it stands for a remote peer.
    EmbeddedChannel channel = new EmbeddedChannel(new PlaintextOrTls(tls().context(), false),
        new FrameDecoder());
    channel.writeInbound(Unpooled.wrappedBuffer(hello("eve")));
    ByteBuf reply = channel.readOutbound();
    try {
      EmbeddedChannel decode = new EmbeddedChannel(new FrameDecoder());
      decode.writeInbound(reply.retain());
      chat.protocol.Frame frame = decode.readInbound();
      assertThat(frame.string("code")).isEqualTo(PlaintextOrTls.REFUSAL_CODE);
      assertThat(frame.header().get("fatal").asBoolean()).isTrue();
      assertThat(decode.finish()).isFalse();
    } finally {
      reply.release();
    }
    assertThat((Object) channel.readInbound()).as("nothing reaches the protocol").isNull();
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void plaintextFromRemotePeersPassesWhenExplicitlyAllowed() throws Exception {
    EmbeddedChannel channel = new EmbeddedChannel(new PlaintextOrTls(tls().context(), true),
        new FrameDecoder());
    channel.writeInbound(Unpooled.wrappedBuffer(hello("eve")));
    chat.protocol.Frame frame = channel.readInbound();
    assertThat(frame.type()).isEqualTo("hello");
    assertThat(channel.finish()).isFalse();
  }

  private static boolean hasOpenssl() {
    try {
      return new ProcessBuilder("openssl", "version").start().waitFor(10, TimeUnit.SECONDS);
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  private static String sClient(int port, String... flags) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("openssl", "s_client",
        "-connect", "127.0.0.1:" + port, "-servername", "localhost"));
    command.addAll(List.of(flags));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getOutputStream().close(); // no input: end the session after the handshake
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    return output;
  }

  @Test
  void opensslSeesTls13And12AndIsRefusedBelow() throws Exception {
    assumeTrue(hasOpenssl(), "openssl is not installed (.ci/run installs it); skipping the openssl s_client check");
    int port = start(tls());
    assertThat(sClient(port, "-tls1_3")).contains("TLSv1.3");
    String tls12 = sClient(port, "-tls1_2");
    assertThat(tls12).contains("TLSv1.2").contains("ECDHE");
    String tls11 = sClient(port, "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0");
    // openssl names the protocol it offered even when the handshake failed; "(NONE)" is the proof
    assertThat(tls11).contains("Cipher is (NONE)").contains("alert protocol version");
    String tls10 = sClient(port, "-tls1", "-cipher", "DEFAULT@SECLEVEL=0");
    assertThat(tls10).contains("Cipher is (NONE)");
    String weak = sClient(port, "-tls1_2", "-cipher", "AES128-SHA:AES256-GCM-SHA384");
    assertThat(weak).as("non forward-secret suites are refused").contains("Cipher is (NONE)")
        .contains("alert handshake failure");
  }
}
