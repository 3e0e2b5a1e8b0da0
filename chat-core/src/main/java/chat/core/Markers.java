package chat.core;

import chat.core.store.AccountStore;
import chat.core.store.MessageStore;
import chat.core.store.ReadMarker;
import chat.core.store.StoredMessage;
import java.time.Clock;
import java.util.List;

/**
 * Read markers: how far an account has read in each room (a seq) and conversation (a message
 * id). Set by clients, kept by the account store (a guest's: in memory, with the guest, for as
 * long as it is connected or may resume), moved forward only, and passed on at once to
 * the account's other connections, so every device shows the same unread counts. The list of
 * markers says what is unread after each ({@link Unread}). A marker carries the time of its
 * place (see {@link ReadMarker}), so doors whose markers are times (IRC) show it as a time and
 * may set it by one.
 */
final class Markers {

  /** The most rooms a guest keeps markers for (its rooms are bounded too). */
  static final int MAX_GUEST_MARKERS = 500;

  private final Hub hub;
  private final Clock clock;
  private final Accounts accounts;
  private final MessageStore messages;
  private final Unread counter;

  Markers(Hub hub, Clock clock, Accounts accounts, MessageStore messages, Unread counter) {
    this.hub = hub;
    this.clock = clock;
    this.accounts = accounts;
    this.messages = messages;
    this.counter = counter;
  }

  void set(Session session, String requestId, Command.SetMarker c) {
    boolean guest = session.account() == null;
    AccountStore store = guest ? null : accountStore(session, requestId);
    if (!guest && store == null) {
      return;
    }
    boolean room = c.room() != null && !c.room().isEmpty();
    boolean with = c.with() != null && !c.with().isEmpty();
    if (room == with) {
      hub.fail(session, requestId, CoreError.INVALID_MARKER, "a marker is for a room or a person");
      return;
    }
    boolean byTime = c.ts() > 0;
    String target;
    if (room) {
      String name = Names.roomName(c.room());
      if (Names.roomProblem(name, hub.limits().maxRoomLength()) != null
          || (!byTime && c.seq() < 1)) {
        hub.fail(session, requestId, CoreError.INVALID_MARKER,
            "a room marker needs a room and a seq or a time");
        return;
      }
      target = Names.fold(name);
    } else {
      if (Names.nickProblem(c.with(), Integer.MAX_VALUE) != null
          || (!byTime && (c.msgId() == null || c.msgId().isEmpty()))) {
        hub.fail(session, requestId, CoreError.INVALID_MARKER,
            "a conversation marker needs an account and a msgid or a time");
        return;
      }
      target = ReadMarker.conversation(Names.fold(c.with()));
    }
    String account = guest ? null : Names.fold(session.account());
    // The stores are blocking: off the I/O thread, in the session's turn.
    hub.offload(session, requestId, () -> {
      ReadMarker wanted = byTime ? atTime(account, target, c, clock.millis())
          : atPlace(target, c, clock.millis());
      ReadMarker kept;
      Identity identity = session.identity();
      synchronized (identity) {
        ReadMarker current = find(guest ? identity.guestMarkers() : store.markers(account),
            target);
        if (current != null && !ahead(wanted, current)) {
          kept = current;
        } else {
          if (guest) {
            if (current == null && identity.guestMarkers().size() >= MAX_GUEST_MARKERS) {
              hub.fail(session, requestId, CoreError.INVALID_MARKER, "a guest keeps at most "
                  + MAX_GUEST_MARKERS + " markers");
              return;
            }
            identity.guestMarker(wanted);
          } else {
            store.setMarker(account, wanted);
          }
          kept = wanted;
        }
      }
      if (kept == wanted) {
        Event moved = new Event.MarkerMoved(wanted, clock.millis());
        for (Session connection : session.connections()) {
          if (connection != session) {
            connection.sink().event(moved, null);
          }
        }
      }
      session.sink().reply(requestId, new Reply.MarkerSet(kept));
    });
  }

  /** A marker at a time (at most now): on the newest entry stamped at or before it. */
  private ReadMarker atTime(String account, String target, Command.SetMarker c, long now) {
    long ts = Math.min(c.ts(), now);
    if (!target.startsWith("@")) {
      return new ReadMarker(target, messages.roomSeqAt(target, ts), null, ts);
    }
    if (account == null) {
      return new ReadMarker(target, 0, null, ts); // a guest's conversations are not stored
    }
    List<StoredMessage> last = messages.privateSlice(account, target.substring(1), null,
        MessageStore.Bound.time(ts + 1), 1, true);
    return new ReadMarker(target, 0, last.isEmpty() ? null : last.get(0).msgId(), ts);
  }

  /** A marker on an entry, with the entry's time (now when the store does not have it). */
  private ReadMarker atPlace(String target, Command.SetMarker c, long now) {
    if (!target.startsWith("@")) {
      long ts = messages.roomSlice(target, c.seq() - 1, c.seq() + 1, 1, true, false).stream()
          .mapToLong(StoredMessage::ts).findFirst().orElse(now);
      return new ReadMarker(target, c.seq(), null, ts);
    }
    long ts = messages.privateMessage(c.msgId()).map(StoredMessage::ts).orElse(now);
    return new ReadMarker(target, 0, c.msgId(), ts);
  }

  void list(Session session, String requestId) {
    boolean guest = session.account() == null;
    AccountStore store = guest ? null : accountStore(session, requestId);
    if (!guest && store == null) {
      return;
    }
    String account = guest ? null : Names.fold(session.account());
    hub.offload(session, requestId, () -> {
      List<ReadMarker> markers;
      if (guest) {
        synchronized (session.identity()) {
          markers = session.identity().guestMarkers();
        }
      } else {
        markers = store.markers(account);
      }
      List<Reply.UnreadCount> unread = new java.util.ArrayList<>(markers.size());
      for (ReadMarker m : markers) {
        unread.add(guest && m.isConversation()
            ? new Reply.UnreadCount(m.target(), 0, 0, 0, false) // a guest's are not stored
            : counter.count(m, account, session.nick()));
      }
      session.sink().reply(requestId, new Reply.Markers(markers, unread));
    });
  }

  private AccountStore accountStore(Session session, String requestId) {
    if (session.account() == null) {
      hub.fail(session, requestId, CoreError.NOT_LOGGED_IN, "read markers belong to accounts; log in first");
      return null;
    }
    AccountStore store = accounts.store();
    if (store == null) {
      hub.fail(session, requestId, CoreError.ACCOUNTS_DISABLED, "this server has no accounts");
    }
    return store;
  }

  private static ReadMarker find(List<ReadMarker> markers, String target) {
    for (ReadMarker m : markers) {
      if (m.target().equals(target)) {
        return m;
      }
    }
    return null;
  }

  /**
   * Whether {@code a} is further than {@code b}: a later place (a higher seq, a later message
   * id), or the same place at a later time (IRC's times between two entries).
   */
  static boolean ahead(ReadMarker a, ReadMarker b) {
    int place = a.isConversation()
        ? MessageIds.compare(a.msgId() == null ? "" : a.msgId(), b.msgId() == null ? "" : b.msgId())
        : Long.compare(a.seq(), b.seq());
    return place != 0 ? place > 0 : a.ts() > b.ts();
  }
}
