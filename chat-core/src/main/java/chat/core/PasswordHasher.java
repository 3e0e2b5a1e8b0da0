package chat.core;

/**
 * Turns passwords into stored hashes and checks them. Implementations are slow on purpose
 * (Argon2id in the server), so the hub calls them off the I/O threads.
 */
public interface PasswordHasher {

  /** An encoded hash that carries its own salt and parameters. */
  String hash(char[] password);

  /** Whether {@code password} matches {@code encoded}, compared in constant time. */
  boolean verify(char[] password, String encoded);
}
