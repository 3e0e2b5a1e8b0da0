package chat.core;

import chat.core.store.AccountStore;
import chat.core.store.ReadMarker;
import java.time.Clock;
import java.util.List;

/**
 * Read markers: how far an account has read in each room (a seq) and conversation (a message
 * id). Set by clients, kept by the account store, moved forward only, and passed on at once to
 * the account's other connections, so every device shows the same unread counts. The list of
 * markers says what is unread after each ({@link Unread}).
 */
final class Markers {

  private final Hub hub;
  private final Clock clock;
  private final Accounts accounts;
  private final Unread counter;

  Markers(Hub hub, Clock clock, Accounts accounts, Unread counter) {
    this.hub = hub;
    this.clock = clock;
    this.accounts = accounts;
    this.counter = counter;
  }

  void set(Session session, String requestId, Command.SetMarker c) {
    AccountStore store = accountStore(session, requestId);
    if (store == null) {
      return;
    }
    boolean room = c.room() != null && !c.room().isEmpty();
    boolean with = c.with() != null && !c.with().isEmpty();
    if (room == with) {
      hub.fail(session, requestId, CoreError.INVALID_MARKER, "a marker is for a room or a person");
      return;
    }
    String target;
    if (room) {
      String name = Names.roomName(c.room());
      if (Names.roomProblem(name, hub.limits().maxRoomLength()) != null || c.seq() < 1) {
        hub.fail(session, requestId, CoreError.INVALID_MARKER, "a room marker needs a room and a seq");
        return;
      }
      target = Names.fold(name);
    } else {
      if (Names.nickProblem(c.with(), Integer.MAX_VALUE) != null || c.msgId() == null
          || c.msgId().isEmpty()) {
        hub.fail(session, requestId, CoreError.INVALID_MARKER,
            "a conversation marker needs an account and a msgid");
        return;
      }
      target = ReadMarker.conversation(Names.fold(c.with()));
    }
    String account = Names.fold(session.account());
    long now = clock.millis();
    ReadMarker wanted = room ? new ReadMarker(target, c.seq(), null, now)
        : new ReadMarker(target, 0, c.msgId(), now);
    // The store is blocking: off the I/O thread, in the session's turn.
    hub.offload(session, requestId, () -> {
      ReadMarker kept;
      synchronized (session.identity()) {
        ReadMarker current = find(store.markers(account), target);
        if (current != null && !ahead(wanted, current)) {
          kept = current;
        } else {
          store.setMarker(account, wanted);
          kept = wanted;
        }
      }
      if (kept == wanted) {
        Event moved = new Event.MarkerMoved(wanted, now);
        for (Session connection : session.connections()) {
          if (connection != session) {
            connection.sink().event(moved, null);
          }
        }
      }
      session.sink().reply(requestId, new Reply.MarkerSet(kept));
    });
  }

  void list(Session session, String requestId) {
    AccountStore store = accountStore(session, requestId);
    if (store == null) {
      return;
    }
    String account = Names.fold(session.account());
    hub.offload(session, requestId, () -> {
      List<ReadMarker> markers = store.markers(account);
      List<Reply.UnreadCount> unread = new java.util.ArrayList<>(markers.size());
      for (ReadMarker m : markers) {
        unread.add(counter.count(m, account, session.nick()));
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

  /** Whether {@code a} is further than {@code b}: a higher seq, or a later message id. */
  static boolean ahead(ReadMarker a, ReadMarker b) {
    if (!a.isConversation()) {
      return a.seq() > b.seq();
    }
    String x = a.msgId();
    String y = b.msgId() == null ? "" : b.msgId();
    // Message ids are base 36 numbers that only grow: longer is later, else compare digits.
    return x.length() != y.length() ? x.length() > y.length() : x.compareTo(y) > 0;
  }
}
