package chat.client;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * How the client protects its connection: whether it speaks TLS, and how it decides to trust
 * the server's certificate.
 *
 * <ul>
 *   <li>{@link Mode#AUTO} (the default): TLS for every host except loopback ({@code 127.0.0.0/8},
 *       {@code ::1}, {@code localhost}), which the server serves in plaintext.
 *   <li>Verification: against the JDK's trust store, or with {@link #withCaFile} against the
 *       CA certificates in one PEM file only; the host name is checked against the certificate
 *       either way.
 *   <li>Trust on first use: when the trust store does not vouch for a <em>self-signed</em>
 *       certificate (and no CA file is given), its fingerprint is looked up in the
 *       {@link KnownServers} file under {@code host:port}: unknown servers are pinned (with a
 *       notice), known ones must match, and a changed certificate refuses the connection.
 *   <li>{@link #insecure()}: no verification at all; a warning is given on every connection.
 * </ul>
 *
 * <p>Immutable; the TLS context is built once per instance, on first use.
 */
public final class ClientTls {

  /** Whether to speak TLS. */
  public enum Mode {
    /** TLS except to loopback hosts. */
    AUTO,
    /** Always TLS. */
    ON,
    /** Never TLS. */
    OFF
  }

  /** TLS versions the client offers. */
  public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

  /** Where people and programs see notices when nobody said otherwise. */
  public static final Consumer<String> STDERR = System.err::println;

  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private final Mode mode;
  private final Path caFile;
  private final Path knownServers;
  private final boolean insecure;
  private final Consumer<String> notices;
  private SslContext context;

  private ClientTls(Mode mode, Path caFile, Path knownServers, boolean insecure,
      Consumer<String> notices) {
    this.mode = Objects.requireNonNull(mode, "mode");
    this.caFile = caFile;
    this.knownServers = knownServers;
    this.insecure = insecure;
    this.notices = notices == null ? STDERR : notices;
    if (insecure && caFile != null) {
      throw new IllegalArgumentException("a CA file and insecure mode exclude each other");
    }
  }

  /**
   * The defaults: {@link Mode#AUTO}, the JDK's trust store, trust on first use with
   * {@link #defaultKnownServers()}, notices to stderr.
   */
  public static ClientTls defaults() {
    return new ClientTls(Mode.AUTO, null, defaultKnownServers(), false, STDERR);
  }

  /** {@code ~/.config/chat/known_servers}. */
  public static Path defaultKnownServers() {
    return Path.of(System.getProperty("user.home"), ".config", "chat", "known_servers");
  }

  public ClientTls withMode(Mode newMode) {
    return new ClientTls(newMode, caFile, knownServers, insecure, notices);
  }

  /** Verify against the CA certificates in this PEM file only (null: the JDK's trust store). */
  public ClientTls withCaFile(Path file) {
    return new ClientTls(mode, file, knownServers, insecure, notices);
  }

  /** The known-servers file for trust on first use; null turns trust on first use off. */
  public ClientTls withKnownServers(Path file) {
    return new ClientTls(mode, caFile, file, insecure, notices);
  }

  /** No certificate verification at all (a warning on every connection). */
  public ClientTls withInsecure(boolean noVerification) {
    return new ClientTls(mode, caFile, knownServers, noVerification, notices);
  }

  /**
   * Where notices for people go: the first-use pin, the insecure warning. Called on the
   * connection's event loop; must not block.
   */
  public ClientTls withNotices(Consumer<String> sink) {
    return new ClientTls(mode, caFile, knownServers, insecure, sink);
  }

  public Mode mode() {
    return mode;
  }

  public Path caFile() {
    return caFile;
  }

  public Path knownServers() {
    return knownServers;
  }

  public boolean insecure() {
    return insecure;
  }

  Consumer<String> notices() {
    return notices;
  }

  /** Whether a connection to {@code host} speaks TLS. */
  public boolean enabledFor(String host) {
    return switch (mode) {
      case ON -> true;
      case OFF -> false;
      case AUTO -> !isLoopback(host);
    };
  }

  /**
   * True for {@code localhost} and loopback address literals ({@code 127.0.0.0/8}, {@code ::1}).
   * Names other than {@code localhost} are never resolved: they count as remote.
   */
  public static boolean isLoopback(String host) {
    String h = host.strip().toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    if (h.equals("localhost") || h.equals("localhost.")) {
      return true;
    }
    if (!IPV4.matcher(h).matches() && !h.contains(":")) {
      return false; // A name: resolving it here would be a DNS lookup.
    }
    try {
      return InetAddress.getByName(h).isLoopbackAddress(); // A literal: no lookup.
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** The client TLS context, built on first use. */
  synchronized SslContext context() throws IOException, GeneralSecurityException {
    if (context == null) {
      X509ExtendedTrustManager trust = insecure ? ServerTrust.trustingAll()
          : new ServerTrust(delegate(), caFile == null ? knownServers : null, notices);
      context = SslContextBuilder.forClient()
          .sslProvider(SslProvider.JDK)
          .protocols(PROTOCOLS)
          .trustManager(trust)
          .endpointIdentificationAlgorithm(insecure ? null : "HTTPS")
          .build();
    }
    return context;
  }

  private X509ExtendedTrustManager delegate() throws IOException, GeneralSecurityException {
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    if (caFile == null) {
      factory.init((KeyStore) null);
    } else {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int n = 0;
      for (X509Certificate ca : readCertificates(caFile)) {
        store.setCertificateEntry("ca-" + n++, ca);
      }
      factory.init(store);
    }
    for (TrustManager manager : factory.getTrustManagers()) {
      if (manager instanceof X509ExtendedTrustManager x509) {
        return x509;
      }
    }
    throw new GeneralSecurityException("the JDK offers no X.509 trust manager");
  }

  /** Every certificate in a PEM (or DER) file; at least one. */
  static List<X509Certificate> readCertificates(Path file)
      throws IOException, GeneralSecurityException {
    Collection<? extends Certificate> all;
    try (InputStream in = Files.newInputStream(file)) {
      all = CertificateFactory.getInstance("X.509").generateCertificates(in);
    }
    List<X509Certificate> certificates = all.stream()
        .filter(X509Certificate.class::isInstance).map(X509Certificate.class::cast).toList();
    if (certificates.isEmpty()) {
      throw new GeneralSecurityException("no certificate in " + file);
    }
    return certificates;
  }

  @Override
  public String toString() {
    return "ClientTls[" + mode + (insecure ? ", insecure" : caFile != null ? ", ca=" + caFile
        : ", known-servers=" + knownServers) + "]";
  }
}
