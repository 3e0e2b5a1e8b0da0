package chat.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chat.protocol.Frame;
import chat.server.ChatServer;
import chat.server.ServerConfig;
import chat.server.tls.ServerTls;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client's TLS against a real TLS server on 127.0.0.1: verification and trust on first use. */
class TlsEndToEndTest {

  @TempDir
  Path temp;

  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final List<String> notices = new CopyOnWriteArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : closeables.reversed()) {
      c.close();
    }
  }

  private ServerTls tls(String dir, String... names) throws Exception {
    return ServerTls.load(null, null, temp.resolve(dir),
        names.length == 0 ? List.of("localhost", "127.0.0.1") : List.of(names));
  }

  private ChatServer server(ServerTls tls) throws Exception {
    ChatServer server = new ChatServer(
        ServerConfig.defaults().withAddress("127.0.0.1", 0).withTls(tls, false)).start();
    closeables.add(server);
    return server;
  }

  private Path knownServers() {
    return temp.resolve("home").resolve(".config").resolve("chat").resolve("known_servers");
  }

  /** TLS forced on (the host is loopback), trust on first use in a temporary file. */
  private ClientTls clientTls() {
    return ClientTls.defaults().withMode(ClientTls.Mode.ON).withKnownServers(knownServers())
        .withNotices(notices::add);
  }

  private ChatClient connect(ChatServer server, String nick, ClientTls tls, ClientListener l)
      throws ChatClientException {
    ChatClient client = ChatClient.connect(
        ClientOptions.of("127.0.0.1", server.port(), nick).withTls(tls), l);
    closeables.add(client);
    return client;
  }

  private static Path certFile(Path dataDir) {
    return dataDir.resolve("tls").resolve("server-cert.pem");
  }

  @Test
  void helloWelcomeAndAMessageOverTls() throws Exception {
    ChatServer server = server(tls("a"));
    List<Frame> bobSaw = new CopyOnWriteArrayList<>();
    ChatClient alice = connect(server, "alice", clientTls(), ClientListener.NONE);
    ChatClient bob = connect(server, "bob", clientTls(), bobSaw::add);

    assertThat(alice.welcome().type()).isEqualTo("welcome");
    assertThat(alice.nick()).isEqualTo("alice");
    assertThat(alice.tlsProtocol()).isIn("TLSv1.3", "TLSv1.2");
    Frame sent = alice.say("lobby", "over TLS").get(5, TimeUnit.SECONDS);
    assertThat(sent.contentAsText()).isEqualTo("over TLS");
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> bobSaw.stream()
        .anyMatch(f -> "message".equals(f.type()) && "over TLS".equals(f.contentAsText())));
    assertThat(bob.tlsProtocol()).isNotNull();
  }

  @Test
  void firstUsePinsAndSaysSoThenTheSameCertificateIsSilent() throws Exception {
    ServerTls tls = tls("a");
    ChatServer server = server(tls);
    String key = "127.0.0.1:" + server.port();

    ChatClient first = connect(server, "alice", clientTls(), ClientListener.NONE);
    assertThat(first.serverFingerprint()).isEqualTo(tls.fingerprint());
    assertThat(notices).containsExactly("trusting " + key + " on first use: " + tls.fingerprint());
    assertThat(Files.readAllLines(knownServers()))
        .containsExactly(key + " " + tls.fingerprint());
    first.close();
    // the server notices the close on its own event loop; only then is the nick free again
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
        .until(() -> server.hub().sessionCount() == 0);

    ChatClient second = connect(server, "alice", clientTls(), ClientListener.NONE);
    assertThat(second.nick()).isEqualTo("alice");
    assertThat(notices).as("a known, matching server is trusted silently").hasSize(1);
    assertThat(Files.readAllLines(knownServers())).hasSize(1);
  }

  @Test
  void aChangedCertificateIsRefusedLoudlyAndNothingIsSent() throws Exception {
    ServerTls old = tls("old");
    ServerTls changed = tls("new");
    assertThat(changed.fingerprint()).isNotEqualTo(old.fingerprint());
    ChatServer server = server(changed);
    String key = "127.0.0.1:" + server.port();
    Files.createDirectories(knownServers().getParent());
    String pinned = "# servers I trust\n127.0.0.1:1 SHA256:00\n" + key + " " + old.fingerprint()
        + "\n";
    Files.writeString(knownServers(), pinned);
    List<Frame> watcherSaw = new CopyOnWriteArrayList<>();
    ChatClient watcher = connect(server, "watcher", ClientTls.defaults()
        .withMode(ClientTls.Mode.OFF), watcherSaw::add);

    assertThatThrownBy(() -> connect(server, "mallory", clientTls(), ClientListener.NONE))
        .isInstanceOfSatisfying(UntrustedServerException.class, e -> {
          assertThat(e.certificateChanged()).isTrue();
          assertThat(e.getMessage())
              .contains("WARNING: THE TLS CERTIFICATE OF " + key + " HAS CHANGED!")
              .contains("remembered: " + old.fingerprint())
              .contains("offered:    " + changed.fingerprint())
              .contains("remove line 3 of " + knownServers().toAbsolutePath());
          assertThat(e.getMessage().lines().count()).isGreaterThan(5);
        });
    assertThat(Files.readString(knownServers())).isEqualTo(pinned);
    assertThat(notices).isEmpty();
    // Nothing reached the hub: no hello, so nobody joined the lobby after the watcher.
    assertThat(watcher.who("lobby").get(5, TimeUnit.SECONDS).field("members").toString())
        .isEqualTo("[\"watcher\"]");
    assertThat(watcherSaw).noneMatch(f -> "joined".equals(f.type())
        && "mallory".equals(f.string("nick")));
  }

  @Test
  void aCaFileVerifiesWithoutTouchingTheKnownServers() throws Exception {
    ChatServer server = server(tls("a"));
    ClientTls withCa = clientTls().withCaFile(certFile(temp.resolve("a")));

    ChatClient client = connect(server, "carol", withCa, ClientListener.NONE);

    assertThat(client.tlsProtocol()).isNotNull();
    assertThat(notices).isEmpty();
    assertThat(knownServers()).doesNotExist();
  }

  @Test
  void aCaFileIsTheOnlyTrustNoPinningAndTheHostNameIsChecked() throws Exception {
    ChatServer server = server(tls("a"));
    tls("other");
    ClientTls otherCa = clientTls().withCaFile(certFile(temp.resolve("other")));
    assertThatThrownBy(() -> connect(server, "carol", otherCa, ClientListener.NONE))
        .isInstanceOf(UntrustedServerException.class)
        .hasMessageStartingWith("the certificate of 127.0.0.1:" + server.port() + " is not trusted");
    assertThat(knownServers()).doesNotExist();

    // Signed by the given CA (itself) but for another name: the host name check refuses it.
    ChatServer elsewhere = server(tls("named", "chat.example.org"));
    ClientTls namedCa = clientTls().withCaFile(certFile(temp.resolve("named")));
    assertThatThrownBy(() -> connect(elsewhere, "carol", namedCa, ClientListener.NONE))
        .isInstanceOf(UntrustedServerException.class)
        .hasMessageContaining("No subject alternative names matching IP address 127.0.0.1");
    assertThat(knownServers()).doesNotExist();
  }

  @Test
  void insecureConnectsWithAWarningEveryTime() throws Exception {
    ChatServer server = server(tls("a"));
    ClientTls insecure = clientTls().withInsecure(true);

    connect(server, "dave", insecure, ClientListener.NONE).close();
    connect(server, "dave", insecure, ClientListener.NONE);

    assertThat(notices).hasSize(2).allSatisfy(n -> assertThat(n).startsWith("WARNING: ")
        .contains("not verifying the TLS certificate of 127.0.0.1:" + server.port()));
    assertThat(knownServers()).doesNotExist();
  }

  @Test
  void loopbackIsPlaintextByDefault() throws Exception {
    ChatServer server = server(tls("a"));
    ChatClient client = connect(server, "erin",
        ClientTls.defaults().withKnownServers(knownServers()), ClientListener.NONE);
    assertThat(client.tlsProtocol()).isNull();
    assertThat(client.serverFingerprint()).isNull();
    assertThat(knownServers()).doesNotExist();

    assertThat(ClientTls.isLoopback("127.0.0.1")).isTrue();
    assertThat(ClientTls.isLoopback("127.8.9.10")).isTrue();
    assertThat(ClientTls.isLoopback("::1")).isTrue();
    assertThat(ClientTls.isLoopback("[::1]")).isTrue();
    assertThat(ClientTls.isLoopback("LocalHost")).isTrue();
    assertThat(ClientTls.isLoopback("128.0.0.1")).isFalse();
    assertThat(ClientTls.isLoopback("10.0.0.1")).isFalse();
    assertThat(ClientTls.isLoopback("chat.example.org")).isFalse();
    assertThat(ClientTls.defaults().enabledFor("chat.example.org")).isTrue();
    assertThat(ClientTls.defaults().withMode(ClientTls.Mode.OFF).enabledFor("chat.example.org"))
        .isFalse();
  }

  @Test
  void tlsAgainstAPlaintextServerFailsWithinTheTimeout() throws Exception {
    ChatServer plain = new ChatServer(ServerConfig.defaults().withAddress("127.0.0.1", 0)).start();
    closeables.add(plain);
    ClientOptions options = ClientOptions.of("127.0.0.1", plain.port(), "frank")
        .withTls(clientTls()).withConnectTimeout(Duration.ofMillis(500));
    assertThatThrownBy(() -> ChatClient.connect(options, ClientListener.NONE))
        .isInstanceOf(ChatClientException.class)
        .hasMessageStartingWith("TLS handshake with 127.0.0.1:" + plain.port());
  }

  @Test
  void fingerprintsMatchTheServersFormat() throws Exception {
    ServerTls tls = tls("a");
    var certificate = ClientTls.readCertificates(certFile(temp.resolve("a"))).getFirst();
    assertThat(KnownServers.fingerprint(certificate)).isEqualTo(tls.fingerprint());
    assertThat(KnownServers.key("::1", 7667)).isEqualTo("[::1]:7667");
    assertThat(KnownServers.key("Chat.Example.org", 7667)).isEqualTo("chat.example.org:7667");
  }

  @Test
  void aFileWithoutCertificatesIsAClearError() throws Exception {
    ChatServer server = server(tls("a"));
    Path bogus = temp.resolve("bogus.pem");
    Files.writeString(bogus, "not a certificate\n", StandardCharsets.US_ASCII);
    assertThatThrownBy(() -> connect(server, "gina", clientTls().withCaFile(bogus),
        ClientListener.NONE))
        .isInstanceOf(ChatClientException.class)
        .hasMessageStartingWith("cannot set up TLS with the CA file " + bogus);
  }
}
