package chat.core.store;

/**
 * A shared file: what it is, who shared it where, and whether its bytes are all in. A file is
 * visible (listed, announced, served) only once {@code complete}: its size and SHA-256 checked.
 *
 * @param id the file id: random, unguessable, URL-safe
 * @param name the file name as shared (checked: no path, no control characters)
 * @param size bytes, as declared by the sender and checked on completion
 * @param contentType the MIME type the sender gave (checked for images the server serves inline)
 * @param sha256 the SHA-256 of the bytes, lower-case hex, as declared
 * @param room the room's key it was shared to, or null for a private file
 * @param from the sender's nick when it shared it
 * @param fromAccount the sender's account (folded), or null for a guest
 * @param to the recipient's nick (private), or null
 * @param toAccount the recipient's account (folded), or null
 * @param created when the upload was announced, ms since the epoch
 * @param complete true once every byte is in and checked
 */
public record FileRecord(String id, String name, long size, String contentType, String sha256,
    String room, String from, String fromAccount, String to, String toAccount, long created,
    boolean complete) {

  public boolean isPrivate() {
    return room == null;
  }

  /** Who is charged for it against a quota: the account, else the guest's nick. */
  public String owner() {
    return fromAccount != null ? fromAccount : "~" + from.toLowerCase(java.util.Locale.ROOT);
  }

  public FileRecord completed() {
    return new FileRecord(id, name, size, contentType, sha256, room, from, fromAccount, to,
        toAccount, created, true);
  }
}
