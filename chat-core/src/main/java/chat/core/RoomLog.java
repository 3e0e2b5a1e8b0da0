package chat.core;

import chat.core.store.MessageStore;
import chat.core.store.StoredMessage;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A room's changes (topic, modes, kicks) as entries of the room's one ordered log, shared with
 * its messages: each change takes the room's next {@code seq}, is stored with the room's new
 * state in one transaction, in order with the messages around it, and only then announced. So a
 * change anyone has seen survives a crash, and a client that resumes after {@code seq} N gets the
 * messages and the changes it missed in one order.
 *
 * <p>Every method is called with the room's monitor held: the in-memory state changes at once
 * (later requests see it), the announcement follows the commit.
 */
final class RoomLog {

  private static final Logger log = LoggerFactory.getLogger(RoomLog.class);
  /** {@code from} of an entry the server made (operator status passing on). */
  static final String SERVER = "";

  private final Clock clock;
  private final MessageIds ids;
  private final MessageStore store;

  RoomLog(Clock clock, MessageIds ids, MessageStore store) {
    this.clock = clock;
    this.ids = ids;
    this.store = store;
  }

  /**
   * What to do once an announcement went out (or failed to be stored); {@code causer} and
   * {@code causeId} name the session and request that made the change, which get the
   * announcement marked as theirs ({@link EventSink#caused}), or are null.
   */
  record After(Session requester, String requestId, Reply reply, Runnable then,
      Session causer, String causeId) {
    static final After NOTHING = new After(null, null, null, null);

    /** Caused by the requester's request. */
    After(Session requester, String requestId, Reply reply, Runnable then) {
      this(requester, requestId, reply, then, requester, requestId);
    }

    static After reply(Session requester, String requestId, Reply reply) {
      return new After(requester, requestId, reply, null);
    }

    /** The same, caused by {@code session}'s request {@code id}. */
    After causedBy(Session session, String id) {
      return new After(requester, requestId, reply, then, session, id);
    }
  }

  void topic(Room room, String by, String text, long now, After after) {
    long seq = room.nextSeq();
    Event event = new Event.TopicChanged(room.name(), text, by, now, seq);
    announce(room, seq, event, entry(room, seq, now, by, null, MessageKind.TOPIC, text), null,
        after);
  }

  void mode(Room room, String by, List<ModeChange> changes, String reason, long now,
      After after) {
    long seq = room.nextSeq();
    Event event = new Event.ModeChanged(room.name(), by, List.copyOf(changes), reason, now, seq);
    announce(room, seq, event, entry(room, seq, now, by, null, MessageKind.MODE,
        encodeModes(changes, reason, room)), null, after);
  }

  /** {@code kicked} has left the room already; it hears of it like the members. */
  void kick(Room room, Session kicked, String by, String reason, long now, After after) {
    long seq = room.nextSeq();
    Event event = new Event.Kicked(room.name(), kicked.nick(), by, reason, now, seq);
    announce(room, seq, event, entry(room, seq, now, by, kicked.nick(), MessageKind.KICK, reason),
        kicked, after);
  }

  /**
   * Stores the room's state alone (no log entry): creation by an account, registration. A
   * shared room's other servers hear of the owner and of {@code opGranted} (an account made
   * operator by the change, or null), and their members of {@code notice} (null: nothing).
   */
  void save(Room room, String opGranted, String notice, After after) {
    long now = clock.millis();
    String owner = room.owner();
    store.saveRoom(room.record(now), null, failure -> {
      Cluster shared = cluster;
      if (shared != null && failure == null) {
        shared.noted(room, owner, opGranted, notice, now);
      }
      synchronized (room) {
        finish(failure, after, room);
      }
    });
  }

  private StoredMessage entry(Room room, long seq, long now, String by, String to,
      MessageKind kind, String text) {
    return new StoredMessage(ids.next(), room.name(), seq, now, by == null ? SERVER : by, null,
        to, null, kind, text == null ? "" : text);
  }

  /** Rooms shared with other servers: their changes are numbered by the store. */
  private volatile Cluster cluster;

  void shared(Cluster shared) {
    cluster = shared;
  }

  private void announce(Room room, long seq, Event event, StoredMessage entry, Session alsoTo,
      After after) {
    Cluster shared = cluster;
    if (shared != null) {
      shared.changing(room, entry);
      List<Session> members;
      synchronized (room) {
        members = room.membersNow();
      }
      store.saveRoomNumbered(room.record(entry.ts()), entry, (numbered, failure) -> {
        if (failure == null) {
          StoredMessage stored = entry.withSeq(numbered);
          shared.committed(room, stored, alsoTo, after.causer(), after.causeId(), members);
        } else {
          shared.failed(room, entry);
        }
        synchronized (room) {
          finish(failure, after, room);
        }
      });
      return;
    }
    // Told to those who are members as the change is made: one who leaves (is kicked next, say)
    // before the store has it still hears of it, before its own leaving.
    List<Session> recipients;
    synchronized (room) {
      recipients = room.membersNow();
    }
    store.saveRoom(room.record(entry.ts()), entry, failure -> {
      synchronized (room) {
        if (failure == null) {
          room.delivered(seq);
          Room.handOutAll(recipients, event, after.causer(), after.causeId());
          if (alsoTo != null) {
            for (Session connection : alsoTo.connections()) {
              if (!recipients.contains(connection) && !connection.isClosed()) {
                Room.handOut(connection, event, after.causer(), after.causeId());
              }
            }
          }
        }
        finish(failure, after, room);
      }
    });
  }

  private static void finish(Throwable failure, After after, Room room) {
    if (failure != null) {
      log.warn("could not store a change of room {}", room.name(), failure);
      if (after.requester() != null) {
        after.requester().sink().reply(after.requestId(),
            new Reply.Failed(CoreError.STORE_FAILED, "the change could not be stored"));
      }
      return;
    }
    if (after.then() != null) {
      after.then().run();
    }
    if (after.requester() != null && after.reply() != null) {
      after.requester().sink().reply(after.requestId(), after.reply());
    }
  }

  // ---------------------------------------------------------------- entries back to events

  /**
   * A MODE entry's text: the reason on the first line (empty for none), then one change per line
   * ({@code +o alice}, {@code -k}). Arguments never hold spaces or line breaks. A role given to
   * or taken from a logged-in member (kept by account) is followed by a line {@code @Account},
   * so that other servers apply it to the account ({@link RoomReplica}); {@link #event} skips
   * such lines. The caller holds the room's monitor, the members still present.
   */
  static String encodeModes(List<ModeChange> changes, String reason, Room room) {
    StringBuilder b = new StringBuilder(reason == null ? "" : reason.replace('\n', ' '));
    for (ModeChange change : changes) {
      b.append('\n').append(change);
      if (change.mode() == RoomMode.OP || change.mode() == RoomMode.VOICE) {
        Session member = room.member(change.arg());
        if (member != null && member.account() != null) {
          b.append('\n').append(RoomReplica.ACCOUNT_LINE).append(member.account());
        }
      }
    }
    return b.toString();
  }

  /** The event a stored log entry stands for. */
  static Event event(StoredMessage m) {
    String by = m.from() == null || m.from().isEmpty() ? null : m.from();
    return switch (m.kind()) {
      case TOPIC -> new Event.TopicChanged(m.room(), m.text(), by, m.ts(), m.seq());
      case KICK -> new Event.Kicked(m.room(), m.to(), by, m.text(), m.ts(), m.seq());
      case MODE -> {
        String[] lines = m.text().split("\n", -1);
        List<ModeChange> changes = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
          ModeChange change = decodeChange(lines[i]);
          if (change != null) {
            changes.add(change);
          }
        }
        yield new Event.ModeChanged(m.room(), by, List.copyOf(changes),
            lines[0].isEmpty() ? null : lines[0], m.ts(), m.seq());
      }
      default -> new Event.RoomMessage(m.room(), m.msgId(), m.seq(), m.ts(), m.from(), m.kind(),
          m.text(), m.fromAccount());
    };
  }

  /** One change line of a MODE entry, or null for another line. */
  static ModeChange decodeChange(String line) {
    if (line.length() < 2 || (line.charAt(0) != '+' && line.charAt(0) != '-')) {
      return null;
    }
    RoomMode mode = RoomMode.of(line.charAt(1));
    if (mode == null) {
      return null;
    }
    String arg = line.length() > 3 ? line.substring(3) : null;
    return new ModeChange(line.charAt(0) == '+', mode, arg);
  }
}
