package chat.server;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed, expiring links to shared files, served by the web door: {@code /files/<id>/<name>?e=
 * <expiry, s since the epoch>&s=<signature>}, the signature an HMAC-SHA256 of the id and expiry
 * under a server key. A link needs no login: whoever may see a file got it from the server
 * (a member's client, an IRC member's message), and it works until it expires. Nothing in it
 * can be guessed: the id is 128 random bits, the signature 128 bits of a keyed MAC.
 */
public final class FileLinks {

  /** How long a link works, by default. */
  public static final Duration DEFAULT_LIFETIME = Duration.ofHours(24);

  private final byte[] key;
  private final Clock clock;
  private final Duration lifetime;

  public FileLinks(byte[] key, Clock clock, Duration lifetime) {
    if (key.length < 32) {
      throw new IllegalArgumentException("a link key has at least 32 bytes");
    }
    this.key = key.clone();
    this.clock = clock;
    this.lifetime = lifetime;
  }

  /** A key only this process knows: links end with it. */
  public static FileLinks ephemeral(Clock clock) {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return new FileLinks(key, clock, DEFAULT_LIFETIME);
  }

  /**
   * The key in {@code file}, made (readable by the owner only) on first use, so links outlive
   * a restart.
   */
  public static FileLinks persistent(Path file, Clock clock) throws java.io.IOException {
    if (!Files.exists(file)) {
      byte[] key = new byte[32];
      new SecureRandom().nextBytes(key);
      Files.createDirectories(file.toAbsolutePath().getParent());
      Path temp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.write(temp, Base64.getEncoder().encode(key));
      try {
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system
      }
      Files.move(temp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
    byte[] key = Base64.getDecoder().decode(Files.readString(file).strip());
    return new FileLinks(key, clock, DEFAULT_LIFETIME);
  }

  public Duration lifetime() {
    return lifetime;
  }

  /** A link: its path and query, and when it stops working (ms since the epoch). */
  public record Link(String path, long expiresMillis) {}

  /** A link to the file, valid for {@link #lifetime()}. */
  public Link link(String id, String name) {
    long expires = clock.instant().plus(lifetime).getEpochSecond();
    return new Link("/files/" + id + "/" + URLEncoder.encode(name, StandardCharsets.UTF_8)
        .replace("+", "%20") + "?e=" + expires + "&s=" + signature(id, expires), expires * 1000);
  }

  /** The path and query of a link to the file, valid for {@link #lifetime()}. */
  public String path(String id, String name) {
    return link(id, name).path();
  }

  /** When a link made now expires, ms since the epoch. */
  public long expiresMillis() {
    return clock.instant().plus(lifetime).getEpochSecond() * 1000;
  }

  /** Whether {@code signature} signs {@code id} until {@code expires}, and that is not past. */
  public boolean valid(String id, String expires, String signature) {
    return verify(id, expires, signature) == Verdict.VALID;
  }

  /** What a link is worth: it works, it was ours but has expired, or it was never ours. */
  public enum Verdict { VALID, EXPIRED, BAD }

  /**
   * The verdict on a link's id, expiry and signature. EXPIRED only for a link this key signed
   * (so it says nothing about made-up links); BAD for anything else.
   */
  public Verdict verify(String id, String expires, String signature) {
    long at;
    try {
      at = Long.parseLong(expires);
    } catch (NumberFormatException | NullPointerException e) {
      return Verdict.BAD;
    }
    if (id == null || signature == null || !MessageDigest.isEqual(
        signature(id, at).getBytes(StandardCharsets.US_ASCII),
        signature.getBytes(StandardCharsets.US_ASCII))) {
      return Verdict.BAD;
    }
    return at < clock.instant().getEpochSecond() ? Verdict.EXPIRED : Verdict.VALID;
  }

  private String signature(String id, long expires) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      byte[] digest = mac.doFinal((id + "." + expires).getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding()
          .encodeToString(java.util.Arrays.copyOf(digest, 16));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException(e);
    }
  }
}
