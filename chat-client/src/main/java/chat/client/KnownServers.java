package chat.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * The servers whose self-signed certificates this user trusts, like SSH's known_hosts: one
 * line per server, {@code host:port SHA256:AB:CD:...} (the certificate's SHA-256 fingerprint,
 * in the format the server prints at start). Blank lines and lines starting with {@code #} are
 * ignored; for a server listed twice the first line counts. An IPv6 host is written in brackets,
 * {@code [::1]:7667}; host names are compared ignoring case.
 *
 * <p>New lines are appended by writing a copy of the file next to it and renaming it over the
 * original, so a reader never sees half a line.
 */
public final class KnownServers {

  /** A server's line in the file; {@code line} counts from 1. */
  public record Entry(String key, String fingerprint, int line) {}

  private static final Object WRITE_LOCK = new Object();

  private final Path file;

  public KnownServers(Path file) {
    this.file = file;
  }

  public Path file() {
    return file;
  }

  /** The key of a server in the file: {@code host:port}, host lower case, IPv6 in brackets. */
  public static String key(String host, int port) {
    String h = host.strip().toLowerCase(Locale.ROOT);
    if (h.contains(":") && !h.startsWith("[")) {
      h = "[" + h + "]";
    }
    return h + ":" + port;
  }

  /** The certificate's SHA-256 fingerprint as {@code SHA256:AB:CD:...}. */
  public static String fingerprint(X509Certificate certificate) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
      return "SHA256:" + HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
    } catch (CertificateEncodingException e) {
      throw new IllegalArgumentException("certificate cannot be encoded", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The fingerprint of the certificate the server presented in {@code session}, or null for
   * none (no session: plaintext).
   */
  public static String fingerprint(javax.net.ssl.SSLSession session) {
    if (session == null) {
      return null;
    }
    try {
      java.security.cert.Certificate[] chain = session.getPeerCertificates();
      return chain.length > 0 && chain[0] instanceof X509Certificate x509
          ? fingerprint(x509) : null;
    } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
      return null;
    }
  }

  /** The entry for {@code key}, or null when the server is not known (or there is no file). */
  public Entry find(String key) throws IOException {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return null;
    }
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] fields = line.split("\\s+");
      if (fields.length >= 2 && fields[0].equalsIgnoreCase(key)) {
        return new Entry(fields[0], fields[1], i + 1);
      }
    }
    return null;
  }

  /**
   * Remembers {@code fingerprint} for {@code key}, creating the file and its directory if
   * needed. Returns the entry that is in the file afterwards: the new one, or one another
   * connection added first.
   */
  public Entry add(String key, String fingerprint) throws IOException {
    synchronized (WRITE_LOCK) {
      Entry existing = find(key);
      if (existing != null) {
        return existing;
      }
      Path dir = file.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      String old = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
      StringBuilder text = new StringBuilder(old);
      if (!old.isEmpty() && !old.endsWith("\n")) {
        text.append('\n');
      }
      text.append(key).append(' ').append(fingerprint).append('\n');
      Path temp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
      try {
        Files.writeString(temp, text, StandardCharsets.UTF_8);
        try {
          Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE,
              StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(temp);
      }
      return new Entry(key, fingerprint, (int) text.chars().filter(c -> c == '\n').count());
    }
  }
}
