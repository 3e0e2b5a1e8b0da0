package chat.client;

import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.function.Consumer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Decides whether the server's certificate is trusted: the delegate (the JDK's trust store, or
 * one CA file) first, with its host name check; then, for a self-signed certificate and only
 * when a known-servers file is given, trust on first use (see {@link ClientTls}).
 *
 * <p>Refusals are {@link Refused} exceptions whose message is meant for people; the client finds
 * them in the handshake failure's causes.
 */
final class ServerTrust extends X509ExtendedTrustManager {

  /** The server's certificate is not trusted; the message says why and what to do. */
  static final class Refused extends CertificateException {
    private final boolean changed;

    Refused(String message, Throwable cause, boolean changed) {
      super(message, cause);
      this.changed = changed;
    }

    /** True when a pinned certificate changed. */
    boolean changed() {
      return changed;
    }
  }

  private final X509ExtendedTrustManager delegate;
  private final KnownServers known;
  private final Consumer<String> notices;

  /** @param knownServers null: no trust on first use */
  ServerTrust(X509ExtendedTrustManager delegate, java.nio.file.Path knownServers,
      Consumer<String> notices) {
    this.delegate = delegate;
    this.known = knownServers == null ? null : new KnownServers(knownServers);
    this.notices = notices;
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    String server = KnownServers.key(String.valueOf(engine.getPeerHost()), engine.getPeerPort());
    try {
      delegate.checkServerTrusted(chain, authType, engine);
    } catch (CertificateException e) {
      fallBack(chain, server, e);
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    String server = socket == null || socket.getInetAddress() == null ? "the server"
        : KnownServers.key(socket.getInetAddress().getHostAddress(), socket.getPort());
    try {
      delegate.checkServerTrusted(chain, authType, socket);
    } catch (CertificateException e) {
      fallBack(chain, server, e);
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    try {
      delegate.checkServerTrusted(chain, authType);
    } catch (CertificateException e) {
      throw untrusted("the server", e);
    }
  }

  private void fallBack(X509Certificate[] chain, String server, CertificateException failure)
      throws CertificateException {
    if (known == null || chain == null || chain.length == 0 || !selfSigned(chain[0])) {
      throw untrusted(server, failure);
    }
    String offered = KnownServers.fingerprint(chain[0]);
    KnownServers.Entry entry;
    try {
      entry = known.find(server);
    } catch (IOException e) {
      throw new Refused("cannot check the certificate of " + server + ": cannot read "
          + known.file() + ": " + e.getMessage(), e, false);
    }
    if (entry == null) {
      try {
        entry = known.add(server, offered);
      } catch (IOException e) {
        notices.accept("trusting " + server + " on first use: " + offered
            + " (not remembered: cannot write " + known.file() + ": " + e.getMessage() + ")");
        return;
      }
      if (entry.fingerprint().equalsIgnoreCase(offered)) {
        notices.accept("trusting " + server + " on first use: " + offered);
        return;
      }
    }
    if (!entry.fingerprint().equalsIgnoreCase(offered)) {
      throw new Refused(changedWarning(server, entry, offered), failure, true);
    }
  }

  private Refused untrusted(String server, CertificateException e) {
    return new Refused("the certificate of " + server + " is not trusted: " + reason(e)
        + " (--ca FILE names the CA that signed it; --insecure skips verification)", e, false);
  }

  private String changedWarning(String server, KnownServers.Entry entry, String offered) {
    String bar = "@".repeat(72);
    return String.join(System.lineSeparator(),
        bar,
        "@  WARNING: THE TLS CERTIFICATE OF " + server + " HAS CHANGED!",
        bar,
        "Someone may be intercepting this connection (a machine in the middle),",
        "or the server has a new certificate. Nothing was sent; not connecting.",
        "  remembered: " + entry.fingerprint(),
        "  offered:    " + offered,
        "If the change is expected (the server prints its fingerprint at start: compare),",
        "remove line " + entry.line() + " of " + known.file().toAbsolutePath()
            + " and connect again.");
  }

  private static String reason(Throwable e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }

  static boolean selfSigned(X509Certificate certificate) {
    if (!certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())) {
      return false;
    }
    try {
      certificate.verify(certificate.getPublicKey());
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    throw new CertificateException("this trust manager checks servers only");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    throw new CertificateException("this trust manager checks servers only");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    throw new CertificateException("this trust manager checks servers only");
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return delegate.getAcceptedIssuers();
  }

  /** Accepts any certificate: for {@code --insecure}. */
  static X509ExtendedTrustManager trustingAll() {
    return new X509ExtendedTrustManager() {
      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine e) {}

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType, Socket s) {}

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine e)
          throws CertificateException {
        throw new CertificateException("this trust manager checks servers only");
      }

      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType, Socket s)
          throws CertificateException {
        throw new CertificateException("this trust manager checks servers only");
      }

      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType)
          throws CertificateException {
        throw new CertificateException("this trust manager checks servers only");
      }

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    };
  }
}
