package chat.core;

import chat.core.store.Conversation;
import chat.core.store.MessageStore;
import chat.core.store.MessageStore.Bound;
import chat.core.store.StoredMessage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * History between places (from one place towards another, around one), and where a session has
 * history: what IRC's CHATHISTORY asks for, in door-neutral terms. Pages go out as
 * {@link Event.History} events before the reply, like {@link History}'s.
 *
 * <p>In a room every place becomes seqs: a time is where it falls in the log, the entries
 * stamped exactly then (none, one or several in one millisecond), so that "before" and "after"
 * a time both leave those entries out. In a conversation, places stay message ids and times.
 */
final class HistorySlices {

  private final Hub hub;
  private final History history;
  private final MessageStore store;

  HistorySlices(Hub hub, History history, MessageStore store) {
    this.hub = hub;
    this.history = history;
    this.store = store;
  }

  /** The log a read is about: a room the session is in, or a conversation of its account. */
  /**
   * What a history request reads: a room, or the conversation of {@code account} with
   * {@code with} (as asked), whose side in the store is {@code side} ({@link StoredMessage#side}).
   */
  private record Log(Room room, String account, String with, String side) {}

  /** The seqs a place covers in a room's log: {@code lo..hi}, empty when {@code hi < lo}. */
  private record Span(long lo, long hi) {}

  void read(Session session, String requestId, Command.ReadHistory c) {
    Log log = log(session, requestId, c.room(), c.with(), c.from(), c.to());
    if (log == null) {
      return;
    }
    int limit = limit(c.limit());
    List<StoredMessage> page;
    boolean forward;
    if (log.room() != null) {
      String key = log.room().key();
      Span from = span(key, c.from());
      Span to = span(key, c.to());
      forward = from.lo() <= to.lo();
      page = forward
          ? store.roomSlice(key, from.hi(), to.lo(), limit + 1, false, c.messagesOnly())
          : store.roomSlice(key, to.hi(), from.lo(), limit + 1, true, c.messagesOnly());
    } else {
      forward = before(c.from(), c.to());
      Place lower = forward ? c.from() : c.to();
      Place upper = forward ? c.to() : c.from();
      page = store.privateSlice(log.account(), log.side(), bound(lower), bound(upper), limit + 1,
          !forward);
    }
    // One more than asked tells whether more lie that way; it is the one farthest from "from".
    boolean more = page.size() > limit;
    if (more) {
      page = forward ? page.subList(0, limit) : page.subList(1, page.size());
    }
    send(session, requestId, log, page, more);
  }

  void around(Session session, String requestId, Command.HistoryAround c) {
    Log log = log(session, requestId, c.room(), c.with(), c.at(), c.at());
    if (log == null) {
      return;
    }
    int limit = limit(c.limit());
    int share = (limit - 1) / 2;
    List<StoredMessage> page = new ArrayList<>();
    if (log.room() != null) {
      String key = log.room().key();
      long at = span(key, c.at()).lo();
      page.addAll(store.roomSlice(key, 0, at, share, true, c.messagesOnly()));
      page.addAll(store.roomSlice(key, at - 1, Long.MAX_VALUE, limit - page.size(), false,
          c.messagesOnly()));
    } else if (c.at().kind() == Place.Kind.MESSAGE) {
      Optional<StoredMessage> at = store.privateMessage(c.at().msgId())
          .filter(m -> between(m, log.account(), log.side()));
      if (at.isPresent()) {
        Bound bound = Bound.message(at.get().msgId());
        page.addAll(store.privateSlice(log.account(), log.side(), null, bound, share, true));
        page.add(at.get());
        page.addAll(store.privateSlice(log.account(), log.side(), bound, null,
            limit - page.size(), false));
      }
    } else {
      long ts = c.at().value();
      page.addAll(store.privateSlice(log.account(), log.side(), null, Bound.time(ts), share,
          true));
      page.addAll(store.privateSlice(log.account(), log.side(), Bound.time(ts - 1), null,
          limit - page.size(), false));
    }
    send(session, requestId, log, page, false);
  }

  void targets(Session session, String requestId, Command.HistoryTargets c) {
    long after = Math.min(c.from(), c.to());
    long before = Math.max(c.from(), c.to());
    int limit = limit(c.limit());
    List<Reply.HistoryTargets.Target> found = new ArrayList<>();
    for (Room room : List.copyOf(session.rooms())) {
      for (StoredMessage last : store.roomSlice(room.key(), 0, Long.MAX_VALUE, 1, true, true)) {
        if (last.ts() > after && last.ts() < before) {
          found.add(new Reply.HistoryTargets.Target(room.name(), null, last.ts()));
        }
      }
    }
    if (session.account() != null) {
      for (Conversation conversation : store.conversations(session.account(), after, before,
          limit)) {
        found.add(new Reply.HistoryTargets.Target(null, conversation.account(),
            conversation.lastTs()));
      }
    }
    found.sort(Comparator.comparingLong(Reply.HistoryTargets.Target::lastTs)
        .thenComparing(t -> Names.fold(t.room() != null ? "#" + t.room() : t.with())));
    session.sink().reply(requestId,
        new Reply.HistoryTargets(List.copyOf(found.subList(0, Math.min(limit, found.size())))));
  }

  /** Checks what a read is about and that its places fit it; null after failing the request. */
  private Log log(Session session, String requestId, String room, String with, Place... places) {
    boolean isRoom = room != null && !room.isEmpty();
    if (isRoom == (with != null && !with.isEmpty())) {
      hub.fail(session, requestId, CoreError.INVALID_HISTORY,
          "history is of a room or of a conversation");
      return null;
    }
    for (Place place : places) {
      if (place.kind() == (isRoom ? Place.Kind.MESSAGE : Place.Kind.SEQ)) {
        hub.fail(session, requestId, CoreError.INVALID_HISTORY, isRoom
            ? "a place in a room is a seq or a time" : "a place in a conversation is a message or a time");
        return null;
      }
    }
    if (isRoom) {
      String name = Names.roomName(room);
      if (Names.roomProblem(name, hub.limits().maxRoomLength()) != null) {
        hub.fail(session, requestId, CoreError.INVALID_ROOM, "no room named " + room);
        return null;
      }
      Room member = hub.rooms.memberRoom(session, name);
      if (member == null) {
        hub.fail(session, requestId, CoreError.NOT_IN_ROOM, "join " + name + " to read its history");
        return null;
      }
      return new Log(member, null, null, null);
    }
    if (session.account() == null) {
      hub.fail(session, requestId, CoreError.NOT_LOGGED_IN,
          "private history belongs to accounts; log in first");
      return null;
    }
    return new Log(null, session.account(), with, hub.conversationSide(with));
  }

  private int limit(int asked) {
    return Math.max(1, Math.min(asked <= 0 ? hub.limits().historyOnJoin() : asked,
        hub.limits().maxHistoryPage()));
  }

  private Span span(String roomKey, Place place) {
    return switch (place.kind()) {
      case START -> new Span(0, 0);
      case END -> new Span(Long.MAX_VALUE, Long.MAX_VALUE);
      case SEQ -> new Span(place.value(), place.value());
      case TIME -> new Span(store.roomSeqAt(roomKey, place.value() - 1) + 1,
          store.roomSeqAt(roomKey, place.value()));
      case MESSAGE -> throw new IllegalArgumentException("no message places in rooms");
    };
  }

  /** Whether {@code a} comes before {@code b} (or is where it is) in a conversation. */
  private boolean before(Place a, Place b) {
    if (a.kind() == Place.Kind.START || b.kind() == Place.Kind.END) {
      return true;
    }
    if (a.kind() == Place.Kind.END || b.kind() == Place.Kind.START) {
      return false;
    }
    if (a.kind() == Place.Kind.MESSAGE && b.kind() == Place.Kind.MESSAGE) {
      return MessageIds.compare(a.msgId(), b.msgId()) <= 0; // exact within a millisecond too
    }
    return time(a) <= time(b);
  }

  /** A conversation place's time; a message that is not there sorts first (it matches nothing). */
  private long time(Place place) {
    return place.kind() == Place.Kind.TIME ? place.value()
        : store.privateMessage(place.msgId()).map(StoredMessage::ts).orElse(Long.MIN_VALUE);
  }

  private static Bound bound(Place place) {
    return switch (place.kind()) {
      case MESSAGE -> Bound.message(place.msgId());
      case TIME -> Bound.time(place.value());
      default -> null;
    };
  }

  /** Whether {@code m} is between the account {@code a} and the side {@code b}. */
  private static boolean between(StoredMessage m, String a, String b) {
    String x = m.fromSide();
    String y = m.toSide();
    String one = Names.fold(a);
    return (x.equals(one) && y.equals(b)) || (x.equals(b) && y.equals(one));
  }


  private void send(Session session, String requestId, Log log, List<StoredMessage> page,
      boolean more) {
    history.replay(session, page, requestId);
    if (log.room() != null) {
      long first = page.isEmpty() ? 0 : page.get(0).seq();
      session.sink().reply(requestId,
          new Reply.HistorySent(log.room().name(), page.size(), first, more));
    } else {
      String first = page.isEmpty() ? null : page.get(0).msgId();
      session.sink().reply(requestId,
          new Reply.PrivateHistorySent(log.with(), page.size(), first, more));
    }
  }
}
