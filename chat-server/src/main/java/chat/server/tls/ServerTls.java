package chat.server.tls;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's TLS: certificate and key from PEM files, or a self-signed pair made on first
 * start and kept in the data directory. TLS 1.2 and 1.3 only, forward-secret suites only;
 * OpenSSL (BoringSSL via netty-tcnative) when it loads, the JDK's TLS otherwise.
 */
public final class ServerTls {

  private static final Logger log = LoggerFactory.getLogger(ServerTls.class);

  public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
  /** TLS 1.3 suites are all forward secret; for 1.2 only ECDHE with AEAD ciphers. */
  public static final List<String> CIPHERS = List.of(
      "TLS_AES_128_GCM_SHA256",
      "TLS_AES_256_GCM_SHA384",
      "TLS_CHACHA20_POLY1305_SHA256",
      "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
      "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
      "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
      "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

  private final SslContext context;
  private final X509Certificate certificate;
  private final boolean selfSigned;

  private ServerTls(SslContext context, X509Certificate certificate, boolean selfSigned) {
    this.context = context;
    this.certificate = certificate;
    this.selfSigned = selfSigned;
  }

  /**
   * TLS from {@code certFile} and {@code keyFile}, or, when both are null, from the self-signed
   * pair in {@code dataDir/tls/}, made there if missing.
   */
  public static ServerTls load(Path certFile, Path keyFile, Path dataDir, List<String> hostNames)
      throws IOException, GeneralSecurityException {
    boolean selfSigned = certFile == null && keyFile == null;
    if (selfSigned) {
      certFile = dataDir.resolve("tls").resolve("server-cert.pem");
      keyFile = dataDir.resolve("tls").resolve("server-key.pem");
      if (!Files.exists(certFile) || !Files.exists(keyFile)) {
        Files.deleteIfExists(certFile);
        Files.deleteIfExists(keyFile);
        SelfSignedCertificates.generate(certFile, keyFile, hostNames);
        log.info("generated a self-signed certificate in {}", certFile.getParent());
      }
    } else if (certFile == null || keyFile == null) {
      throw new IllegalArgumentException("--tls-cert and --tls-key go together");
    }
    X509Certificate certificate = readCertificate(certFile);
    SslProvider provider = OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
    // An unencrypted PKCS#8 key (what the self-signed pair has, and what --tls-key asks for) is
    // read by the JDK: Netty would read it with BouncyCastle, whose set-up costs a start about
    // a quarter of a second. Other PEM forms still go through Netty.
    PrivateKey key = readPkcs8(keyFile);
    SslContextBuilder builder = key != null
        ? SslContextBuilder.forServer(key, readCertificates(certFile))
        : SslContextBuilder.forServer(certFile.toFile(), keyFile.toFile());
    SslContext context = builder
        .sslProvider(provider)
        .protocols(PROTOCOLS)
        .ciphers(CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
        .clientAuth(ClientAuth.NONE)
        .build();
    log.info("TLS via {} ({}), certificate {}", provider, String.join("/", PROTOCOLS),
        fingerprint(certificate));
    return new ServerTls(context, certificate, selfSigned);
  }

  public SslContext context() {
    return context;
  }

  public boolean selfSigned() {
    return selfSigned;
  }

  /** The certificate's SHA-256 fingerprint, as {@code SHA256:AB:CD:...}. */
  public String fingerprint() {
    return fingerprint(certificate);
  }

  public static String fingerprint(X509Certificate certificate) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
      return "SHA256:" + HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every certificate in the PEM file, leaf first (as Netty reads a chain). */
  static X509Certificate[] readCertificates(Path file)
      throws IOException, GeneralSecurityException {
    try (InputStream in = Files.newInputStream(file)) {
      return CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
          .map(X509Certificate.class::cast).toArray(X509Certificate[]::new);
    }
  }

  private static final String PKCS8_BEGIN = "-----BEGIN PRIVATE KEY-----";
  private static final String PKCS8_END = "-----END PRIVATE KEY-----";

  /**
   * The key of a PEM file holding one unencrypted PKCS#8 key (EC or RSA), read by the JDK; null
   * for anything else (encrypted, PKCS#1, SEC1, unknown algorithms), which Netty reads instead.
   */
  static PrivateKey readPkcs8(Path file) throws IOException {
    String pem = Files.readString(file, java.nio.charset.StandardCharsets.US_ASCII);
    int begin = pem.indexOf(PKCS8_BEGIN);
    int end = pem.indexOf(PKCS8_END);
    if (begin < 0 || end < begin || pem.indexOf(PKCS8_BEGIN, begin + 1) >= 0) {
      return null;
    }
    byte[] der;
    try {
      der = java.util.Base64.getMimeDecoder().decode(
          pem.substring(begin + PKCS8_BEGIN.length(), end).strip());
    } catch (IllegalArgumentException e) {
      return null;
    }
    for (String algorithm : List.of("EC", "RSA")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        // not this algorithm's key; try the next
      }
    }
    return null;
  }

  static X509Certificate readCertificate(Path file) throws IOException, GeneralSecurityException {
    try (InputStream in = Files.newInputStream(file)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }
}
