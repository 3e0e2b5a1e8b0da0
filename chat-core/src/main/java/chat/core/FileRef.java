package chat.core;

import chat.core.store.FileRecord;

/**
 * A shared file as a message of the room's log ({@link MessageKind#FILE}): the message text holds
 * the file's id, size, type, SHA-256 and name, tab-separated (a name holds no tabs), so the file
 * is stored, replayed, paged and resumed like any message.
 */
public record FileRef(String id, long size, String contentType, String sha256, String name) {

  public static FileRef of(FileRecord file) {
    return new FileRef(file.id(), file.size(), file.contentType(), file.sha256(), file.name());
  }

  public String encode() {
    return id + '\t' + size + '\t' + contentType + '\t' + sha256 + '\t' + name;
  }

  /** The file of a message's text, or null if it is not one. */
  public static FileRef decode(String text) {
    if (text == null) {
      return null;
    }
    String[] parts = text.split("\t", 5);
    if (parts.length != 5) {
      return null;
    }
    try {
      return new FileRef(parts[0], Long.parseLong(parts[1]), parts[2], parts[3], parts[4]);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** {@code report.pdf (2.4 MB, application/pdf)}. */
  public String describe() {
    return name + " (" + bytes(size) + ", " + contentType + ")";
  }

  /** {@code 512 B}, {@code 2.4 KB}, {@code 2.4 MB}, {@code 1.1 GB} (powers of 1000). */
  public static String bytes(long n) {
    if (n < 1000) {
      return n + " B";
    }
    String[] units = {"KB", "MB", "GB", "TB"};
    double v = n;
    int u = -1;
    while (v >= 1000 && u < units.length - 1) {
      v /= 1000;
      u++;
    }
    return (v < 10 ? String.format(java.util.Locale.ROOT, "%.1f", v)
        : String.format(java.util.Locale.ROOT, "%.0f", v)) + " " + units[u];
  }
}
