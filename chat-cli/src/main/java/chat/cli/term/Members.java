package chat.cli.term;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who is in the rooms the user is in, as far as the client knows: filled from the member lists of
 * {@code join} and {@code who} replies and kept up to date from events. Feeds nick completion.
 */
final class Members {

  private final Map<String, Set<String>> byRoom = new HashMap<>();

  /** Replaces a room's members (from a {@code join} or {@code who} reply). */
  synchronized void set(String room, Collection<String> nicks) {
    Set<String> set = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    set.addAll(nicks);
    byRoom.put(key(room), set);
  }

  synchronized void joined(String room, String nick) {
    byRoom.computeIfAbsent(key(room), k -> new TreeSet<>(String.CASE_INSENSITIVE_ORDER)).add(nick);
  }

  synchronized void left(String room, String nick) {
    Set<String> set = byRoom.get(key(room));
    if (set != null) {
      set.remove(nick);
    }
  }

  /** The user left a room: forget it. */
  synchronized void forget(String room) {
    byRoom.remove(key(room));
  }

  synchronized void quit(String nick) {
    for (Set<String> set : byRoom.values()) {
      set.remove(nick);
    }
  }

  synchronized void renamed(String old, String nick) {
    for (Set<String> set : byRoom.values()) {
      if (set.remove(old)) {
        set.add(nick);
      }
    }
  }

  synchronized void clear() {
    byRoom.clear();
  }

  /** Every known nick, sorted ignoring case. */
  synchronized List<String> nicks() {
    Set<String> all = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    byRoom.values().forEach(all::addAll);
    return new ArrayList<>(all);
  }

  synchronized List<String> of(String room) {
    Set<String> set = byRoom.get(key(room));
    return set == null ? List.of() : new ArrayList<>(set);
  }

  private static String key(String room) {
    return CommandParser.room(room).toLowerCase(Locale.ROOT);
  }
}
