package chat.cli.term;

import chat.cli.term.UnreadCounts.Count;
import chat.client.ChatClient;
import chat.client.MarkerRequests;
import chat.core.Mentions;
import chat.protocol.Frame;
import chat.protocol.Keys;
import chat.protocol.Types;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * What the user has read: the current room is read as its lines are shown, another room when the
 * user switches to it. Logged in, that moves the account's read marker on the server (at most
 * once a second per room), so the account's other devices count the same; their markers come
 * back as {@code marker} events. Feeds {@link UnreadCounts}, which {@code /rooms} shows.
 *
 * <p>Thread-safe.
 */
final class Reading {

  private static final Logger log = LoggerFactory.getLogger(Reading.class);
  static final long FLUSH_MILLIS = 1000;

  private final UnreadCounts counts = new UnreadCounts();
  private final Supplier<ChatClient> client;
  private final Supplier<String> currentRoom;
  /** Per room (lower case), the seq the server was last asked to mark; skips repeats. */
  private final Map<String, Long> sent = new ConcurrentHashMap<>();

  Reading(Supplier<ChatClient> client, Supplier<String> currentRoom,
      ScheduledExecutorService timer) {
    this.client = client;
    this.currentRoom = currentRoom;
    timer.scheduleWithFixedDelay(this::flush, FLUSH_MILLIS, FLUSH_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** A new connection: logged in, asks for the account's markers and the counts after them. */
  void connected(ChatClient c) {
    sent.clear();
    if (c.account() != null) {
      refresh(c);
    }
  }

  private void refresh(ChatClient c) {
    MarkerRequests.list(c).thenAccept(this::counted).exceptionally(e -> {
      log.debug("markers not read", e);
      return null;
    });
  }

  private void counted(Frame reply) {
    JsonNode markers = reply.field(Keys.MARKERS);
    if (markers == null || !markers.isArray()) {
      return;
    }
    for (JsonNode m : markers) {
      String room = m.path(Keys.ROOM).asString(null);
      if (room != null) {
        long seq = m.path(Keys.SEQ).asLong(0);
        counts.counted(room, seq, Math.max(seq, m.path(Keys.LAST_SEQ).asLong(seq)),
            new Count(m.path(Keys.UNREAD).asInt(0), m.path(Keys.MENTIONS).asInt(0),
                m.path(Keys.MORE).asBoolean(false)));
      }
    }
  }

  /** Every event shown: room entries are counted, other devices' markers applied. */
  void event(Frame event, String me) {
    switch (event.type()) {
      case Types.MESSAGE -> {
        String room = event.string(Keys.ROOM);
        long seq = event.number(Keys.SEQ, -1);
        if (room == null || seq <= 0) {
          return;
        }
        String from = event.string(Keys.FROM);
        boolean own = from != null && from.equalsIgnoreCase(me);
        counts.seen(room, seq, !LineFormatter.isHistory(event), own,
            !own && Mentions.mentions(event.contentAsText(), me));
      }
      case Types.TOPIC, Types.MODE, Types.KICKED -> {
        String room = event.string(Keys.ROOM);
        long seq = event.number(Keys.SEQ, -1);
        if (room != null && seq > 0) {
          counts.seen(room, seq, false, true, false);
        }
      }
      case Types.MARKER -> {
        String room = event.string(Keys.ROOM);
        long seq = event.number(Keys.SEQ, -1);
        if (room != null && seq > 0 && counts.marked(room, seq)) {
          ChatClient c = client.get();
          if (c != null) {
            refresh(c);
          }
        }
      }
      default -> { }
    }
  }

  /** The user switched to {@code room}: what it holds is read now. */
  void looking(String room) {
    if (room != null) {
      mark(room);
    }
  }

  /** The current room is read up to its newest line shown. */
  void flush() {
    try {
      String room = currentRoom.get();
      if (room != null) {
        mark(room);
      }
    } catch (RuntimeException e) {
      log.debug("read marker not set", e);
    }
  }

  private void mark(String room) {
    long newest = counts.newest(room);
    if (newest <= counts.marker(room) && counts.count(room).isEmpty()) {
      return;
    }
    counts.read(room);
    ChatClient c = client.get();
    String key = room.toLowerCase(Locale.ROOT);
    if (c == null || c.account() == null || !c.isConnected() || newest <= 0
        || sent.getOrDefault(key, 0L) >= newest) {
      return;
    }
    sent.put(key, newest);
    MarkerRequests.mark(c, room, newest).exceptionally(e -> {
      sent.remove(key);
      log.debug("read marker not set", e);
      return null;
    });
  }

  Count count(String room) {
    return counts.count(room);
  }

  void forget(String room) {
    counts.forget(room);
    sent.remove(room.toLowerCase(Locale.ROOT));
  }
}
