package chat.cli.term;

import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What is unread in each room: the server's count after the account's marker (from the
 * {@code markers} reply, up to the seq it counted to), plus the live messages of others seen
 * since, with a greater seq than both the marker and what the server counted. Replayed entries
 * are never counted here: they are the server's count already, or older than any marker. A guest
 * has no server count: only what arrived live since it last looked at the room.
 *
 * <p>Thread-safe.
 */
final class UnreadCounts {

  /** What is unread in one room; {@code more}: past what the server counted. */
  record Count(int unread, int mentions, boolean more) {
    static final Count NONE = new Count(0, 0, false);

    boolean isEmpty() {
      return unread == 0 && mentions == 0;
    }
  }

  private static final int MAX_TRACKED = 10_000;

  private static final class Room {
    long marker;
    /** The newest seq the server's count covers, and that count. */
    long counted;
    Count server = Count.NONE;
    /** Live messages of others above the marker: seq to whether it mentions us. */
    final NavigableMap<Long, Boolean> live = new TreeMap<>();
    /** The newest seq seen, live or replayed. */
    long newest;
  }

  private final Map<String, Room> rooms = new ConcurrentHashMap<>();

  private Room room(String name) {
    return rooms.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new Room());
  }

  /** The server's count after a marker, counted up to {@code upTo}. */
  synchronized void counted(String name, long marker, long upTo, Count count) {
    Room r = room(name);
    r.marker = Math.max(r.marker, marker);
    r.counted = upTo;
    r.server = marker >= r.marker ? count : Count.NONE;
    r.live.headMap(Math.max(r.marker, upTo), true).clear();
  }

  /** An entry of the room was shown; {@code live}: it arrived now, not as a replay. */
  synchronized void seen(String name, long seq, boolean live, boolean own, boolean mention) {
    Room r = room(name);
    r.newest = Math.max(r.newest, seq);
    if (live && !own && seq > Math.max(r.marker, r.counted) && r.live.size() < MAX_TRACKED) {
      r.live.put(seq, mention);
    }
  }

  /**
   * The marker moved to {@code seq} (ours or another device's). Returns true when the server's
   * count no longer fits (the marker stopped inside what it counted): ask for it again.
   */
  synchronized boolean marked(String name, long seq) {
    Room r = room(name);
    if (seq <= r.marker) {
      return false;
    }
    r.marker = seq;
    r.live.headMap(seq, true).clear();
    if (seq >= r.counted) {
      r.server = Count.NONE;
      return false;
    }
    return !r.server.isEmpty();
  }

  /** The user looked at the room: everything in it is read, up to the newest entry seen. */
  synchronized void read(String name) {
    Room r = room(name);
    r.marker = Math.max(r.marker, r.newest);
    r.server = Count.NONE;
    r.live.clear();
  }

  synchronized long marker(String name) {
    Room r = rooms.get(name.toLowerCase(Locale.ROOT));
    return r == null ? 0 : r.marker;
  }

  /** The newest seq seen in the room: what looking at it marks read. */
  synchronized long newest(String name) {
    Room r = rooms.get(name.toLowerCase(Locale.ROOT));
    return r == null ? 0 : r.newest;
  }

  synchronized Count count(String name) {
    Room r = rooms.get(name.toLowerCase(Locale.ROOT));
    if (r == null) {
      return Count.NONE;
    }
    int unread = r.server.unread();
    int mentions = r.server.mentions();
    for (boolean mention : r.live.tailMap(Math.max(r.marker, r.counted), false).values()) {
      unread++;
      if (mention) {
        mentions++;
      }
    }
    return new Count(unread, mentions, r.server.more());
  }

  /** Forgets a room left. */
  synchronized void forget(String name) {
    rooms.remove(name.toLowerCase(Locale.ROOT));
  }
}
