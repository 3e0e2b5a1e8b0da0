package chat.cli.term;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The files this session has seen (shared lines, replays, /history, /files), so that a shared
 * line can name a file by a short start of its id and /get can take any start that names one of
 * them alone. File ids are 22 random characters: six are nearly always enough, more are shown
 * when another file seen starts the same way.
 *
 * <p>Thread-safe.
 */
final class FileIds {

  /** The shortest start of an id a shared line shows. */
  static final int HINT_LENGTH = 6;
  /** Files remembered at most; the oldest are forgotten first. */
  static final int MAX_SEEN = 10_000;

  /** A file as its message or listing describes it. */
  record Info(String id, String name, long size, String mediaType) {}

  private final Map<String, Info> seen = new ConcurrentHashMap<>();
  private final Map<String, Long> order = new ConcurrentHashMap<>();
  private long counter;

  void remember(Info file) {
    if (file.id() == null || file.id().isEmpty()) {
      return;
    }
    seen.put(file.id(), file);
    synchronized (this) {
      order.put(file.id(), ++counter);
      if (order.size() > MAX_SEEN) {
        order.entrySet().stream().min(Map.Entry.comparingByValue()).ifPresent(oldest -> {
          order.remove(oldest.getKey());
          seen.remove(oldest.getKey());
        });
      }
    }
  }

  /** The file of this id, if seen. */
  Info get(String id) {
    return seen.get(id);
  }

  /** The shortest start of {@code id}, at least {@value #HINT_LENGTH} characters, no other seen id has. */
  String hint(String id) {
    int length = Math.min(HINT_LENGTH, id.length());
    while (length < id.length()) {
      String prefix = id.substring(0, length);
      boolean shared = seen.keySet().stream()
          .anyMatch(other -> !other.equals(id) && other.startsWith(prefix));
      if (!shared) {
        break;
      }
      length++;
    }
    return id.substring(0, length);
  }

  /** The files whose id is {@code typed} or starts with it, the exact one alone if there is one. */
  List<Info> matching(String typed) {
    Info exact = seen.get(typed);
    if (exact != null) {
      return List.of(exact);
    }
    List<Info> found = new ArrayList<>();
    for (Info file : seen.values()) {
      if (file.id().startsWith(typed)) {
        found.add(file);
      }
    }
    found.sort(Comparator.comparing(Info::id));
    return found;
  }
}
