package chat.core;

import chat.core.Command.SayToNick;
import chat.core.Command.SayToRoom;
import chat.core.store.Account;
import chat.core.store.StoredMessage;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rooms that have members: joining (admission, the replay that precedes live messages),
 * leaving, member lists and the room list. A room is created by its first join; each room's
 * monitor guards its membership and the order of what it hands out.
 */
final class Rooms {

  private static final Logger log = LoggerFactory.getLogger(Rooms.class);

  private final Hub hub;
  private final Clock clock;
  private final chat.core.store.MessageStore store;
  /** Rooms with members, by folded name. */
  final ConcurrentMap<String, Room> byKey = new ConcurrentHashMap<>();
  /** The last seq of rooms removed while entries of their log were still being stored. */
  private final ConcurrentMap<String, Long> pendingSeqs = new ConcurrentHashMap<>();

  Rooms(Hub hub, Clock clock, chat.core.store.MessageStore store) {
    this.hub = hub;
    this.clock = clock;
    this.store = store;
  }

  /** Loads every stored room, so registered rooms are listed while empty. */
  void restore() {
    for (chat.core.store.RoomRecord record : store.rooms()) {
      byKey.computeIfAbsent(record.key(), k -> Room.restored(record, store.lastSeq(k)));
    }
  }

  /** The room to join: in memory, else restored from the store, else new. */
  private Room room(String name, String key) {
    return byKey.computeIfAbsent(key, k -> {
      // A new room continues its stored sequence, so numbers are never reused after a restart;
      // a room that closed with entries still being stored continues after those.
      Long pending = pendingSeqs.remove(k);
      long last = Math.max(store.lastSeq(k), pending == null ? 0 : pending);
      return store.room(k).map(r -> Room.restored(r, last)).orElseGet(() -> new Room(name, last, clock.millis()));
    });
  }

  /**
   * Joins a room. {@code since} >= 0 resumes: the room's log after that seq is replayed (at
   * most {@link ContinuityLimits#maxResume()} entries, the newest) instead of its latest
   * messages, also when the session is a member already.
   */
  void join(Session session, String requestId, String typed, String roomKey, long since,
      boolean reply) {
    String name = Names.roomName(typed);
    String problem = Names.roomProblem(name, hub.limits().maxRoomLength());
    if (problem != null) {
      hub.fail(session, requestId, CoreError.INVALID_ROOM, problem);
      return;
    }
    String key = Names.fold(name);
    if (!roomAllowed(session, requestId, key)) {
      return;
    }
    while (true) {
      Room room = room(name, key);
      Reply.JoinedRoom joined;
      synchronized (room) {
        if (room.closed()) {
          continue; // emptied and removed meanwhile; make or find its successor
        }
        long skipped = 0;
        boolean member = room.contains(session);
        // Read before anything changes: a store that fails here fails the join, not half of it.
        List<StoredMessage> recent = !member
            && (since < 0 || !room.hasPerson(session.identity()))
            ? store.roomHistory(key, room.deliveredSeq() + 1, hub.limits().historyOnJoin())
            : List.of();
        List<StoredMessage> resumed = since >= 0 && since < room.deliveredSeq()
            ? store.roomHistory(key, room.deliveredSeq() + 1,
                hub.limits().continuity().maxResume())
            : List.of();
        Event.Joined arrival = new Event.Joined(room.name(), session.nick(), session.account(),
            session.realname(), session.away(), clock.millis());
        if (!room.hasPerson(session.identity())) {
          Moderation.Refusal refusal = hub.moderation.admission(room, session, roomKey);
          if (refusal != null) {
            hub.fail(session, requestId, refusal.error, refusal.getMessage());
            return;
          }
          boolean first = room.isEmpty();
          // Membership is the person's: every connection of the account comes in.
          for (Session connection : session.connections()) {
            if (connection != session && !connection.isClosed() && room.add(connection)) {
              connection.entered(room);
            }
          }
          room.add(session);
          session.entered(room);
          if (first) {
            hub.moderation.created(room, session);
          }
          presenceCheck(room, session);
          room.presence(arrival, session, requestId);
          if (hub.peers != null) {
            hub.peers.joined(session, room, false);
          }
          for (Session connection : session.connections()) {
            if (connection != session && room.contains(connection)) {
              hub.history.replay(connection, recent, null);
            }
          }
        } else if (!member) {
          // The person is here through another connection: this one joins them, quietly.
          room.add(session);
          session.entered(room);
          Room.handOut(session, arrival, session, requestId);
        }
        // Under the monitor and only up to what was handed out: no live entry can slip
        // between the replay and the join, and none comes twice.
        if (since >= 0) {
          skipped = replaySince(session, requestId, room, since, resumed);
        } else if (!member) {
          hub.history.replay(session, recent, requestId);
        }
        joined = joinedReply(room, session, skipped);
      }
      if (reply) {
        session.sink().reply(requestId, joined);
      }
      return;
    }
  }

  /**
   * What a join is answered with: the members, or in a quiet room the joiner alone (listing ten
   * thousand members to each of ten thousand joiners is what makes a room quiet).
   */
  private static Reply.JoinedRoom joinedReply(Room room, Session session, long skipped) {
    if (!room.quiet()) {
      return new Reply.JoinedRoom(room.name(), room.nicks(), room.opNicks(), room.voicedNicks(),
          room.topic(), room.modes(), room.deliveredSeq(), skipped, room.owner(), room.size(),
          false);
    }
    List<String> self = List.of(session.nick());
    return new Reply.JoinedRoom(room.name(), self, room.isOp(session) ? self : List.of(),
        room.isVoiced(session) ? self : List.of(), room.topic(), room.modes(),
        room.deliveredSeq(), skipped, room.owner(), room.size(), true);
  }

  /**
   * After a change of membership (the caller holds the monitor): when the room went quiet or
   * speaks again, tells every member but the connections of {@code switcher} (a joiner, whose
   * reply says it; null for a departure).
   */
  void presenceCheck(Room room, Session switcher) {
    if (!room.updateQuiet(hub.limits().presenceLimit())) {
      return;
    }
    Event.RoomPresence event = room.quiet()
        ? new Event.RoomPresence(room.name(), true, room.size(), List.of(), List.of(), List.of(),
            clock.millis())
        : new Event.RoomPresence(room.name(), false, room.size(), room.nicks(), room.opNicks(),
            room.voicedNicks(), clock.millis());
    log.info("room {} {} at {} people", room.name(), room.quiet() ? "went quiet" : "speaks again",
        room.size());
    for (Session member : room.members()) {
      if (switcher == null || member.identity() != switcher.identity()) {
        member.sink().event(event, null);
      }
    }
  }

  /** Replays the log after {@code since}; returns how many older entries were left out. */
  private long replaySince(Session session, String requestId, Room room, long since,
      List<StoredMessage> newest) {
    long upTo = room.deliveredSeq();
    if (since >= upTo) {
      return 0;
    }
    List<chat.core.store.StoredMessage> page = new ArrayList<>();
    for (chat.core.store.StoredMessage m : newest) {
      if (m.seq() > since) {
        page.add(m);
      }
    }
    hub.history.replay(session, page, requestId);
    long first = page.isEmpty() ? upTo + 1 : page.get(0).seq();
    return Math.max(0, first - since - 1);
  }

  void leave(Session session, String requestId, String typed, String reason) {
    Room room = memberRoom(session, typed);
    if (room == null) {
      hub.fail(session, requestId, CoreError.NOT_IN_ROOM, "you are not in room " + typed);
      return;
    }
    synchronized (room) {
      if (!room.contains(session)) {
        hub.fail(session, requestId, CoreError.NOT_IN_ROOM, "you are not in room " + typed);
        return;
      }
      room.presence(new Event.Left(room.name(), session.nick(), hub.reason(reason, ""),
          clock.millis()), session, requestId);
      removeMember(room, session);
      if (hub.peers != null) {
        hub.peers.left(session, room, hub.reason(reason, ""));
      }
    }
    session.sink().reply(requestId, new Reply.LeftRoom(room.name()));
  }

  /**
   * Removes a member; the caller holds the room's monitor. When it was the last operator, status
   * may pass on ({@link Moderation#departed}).
   */
  void removeMember(Room room, Session session) {
    removeMember(room, session, true);
  }

  /**
   * Removes a member; with {@code passOps} false, operator status does not pass on here: a
   * member another server kicked, whose status that server passed on in the room's log.
   */
  void removeMember(Room room, Session session, boolean passOps) {
    boolean wasOp = passOps && room.isOp(session);
    for (Session connection : session.connections()) {
      if (room.remove(connection)) {
        connection.exited(room);
      }
    }
    if (room.remove(session)) {
      session.exited(room);
    }
    removed(room, wasOp);
  }

  /**
   * Removes one connection of a person who stays through others (a device went away); the
   * caller holds the room's monitor.
   */
  void removeConnection(Room room, Session session) {
    boolean wasOp = room.isOp(session);
    if (room.remove(session)) {
      session.exited(room);
    }
    if (room.isEmpty() || !room.hasPerson(session.identity())) {
      removed(room, wasOp);
    }
  }

  /**
   * A user of another server left (or is gone): its own server passes operator status on if it
   * must, not this one. The caller holds the room's monitor.
   */
  void removeRemote(Room room, Session standIn) {
    if (room.remove(standIn)) {
      standIn.exited(room);
    }
    if (room.isEmpty()) {
      removed(room, false);
    } else {
      presenceCheck(room, null);
    }
  }

  /** The room called {@code typed}, made or restored when need be (a user elsewhere joined). */
  Room roomFor(String typed) {
    String name = Names.roomName(typed);
    if (name == null || Names.roomProblem(name, hub.limits().maxRoomLength()) != null) {
      return null;
    }
    return room(name, Names.fold(name));
  }

  private void removed(Room room, boolean wasOp) {
    if (room.isEmpty()) {
      if (!room.stored()) {
        // A room without stored state is forgotten; one with state stays, empty, in memory.
        if (room.pending()) {
          pendingSeqs.merge(room.key(), room.lastSeq(), Math::max);
        }
        room.close();
        byKey.remove(room.key(), room);
      }
    } else {
      hub.moderation.departed(room, wasOp);
      presenceCheck(room, null);
    }
  }

  /**
   * Drops a room and its state (closed by an admin, expired): the next join starts afresh,
   * continuing its seq. The caller holds the monitor and has removed the members.
   */
  void forget(Room room) {
    room.forgotten();
    if (room.pending()) {
      pendingSeqs.merge(room.key(), room.lastSeq(), Math::max);
    }
    room.close();
    byKey.remove(room.key(), room);
  }

  /** The room called {@code typed} (with or without '#'), or null when there is none. */
  Room existingRoom(String typed) {
    String name = Names.roomName(typed);
    return name == null || name.isEmpty() ? null : byKey.get(Names.fold(name));
  }

  boolean isDefaultRoom(Room room) {
    return room.key().equals(Names.fold(hub.limits().defaultRoom()));
  }

  Room memberRoom(Session session, String typed) {
    String name = Names.roomName(typed);
    if (name == null || name.isEmpty()) {
      return null;
    }
    Room room = byKey.get(Names.fold(name));
    return room != null && session.rooms().contains(room) ? room : null;
  }

  void listRooms(Session session, String requestId) {
    List<Reply.RoomInfo> list = new ArrayList<>();
    for (Room room : byKey.values()) {
      synchronized (room) {
        if (!room.closed() && (!room.isEmpty() || room.owner() != null)
            && room.visibleTo(session)) {
          list.add(new Reply.RoomInfo(room.name(), room.size(),
              room.topic() == null ? null : room.topic().text()));
        }
      }
    }
    list.sort(Comparator.comparing(info -> Names.fold(info.room())));
    session.sink().reply(requestId, new Reply.RoomList(List.copyOf(list)));
  }

  void who(Session session, String requestId, String typed) {
    String name = Names.roomName(typed);
    Room room = name == null ? null : byKey.get(Names.fold(name));
    if (room == null) {
      hub.fail(session, requestId, CoreError.NO_SUCH_ROOM, "no room named " + typed);
      return;
    }
    Reply.Members members;
    synchronized (room) {
      if (!room.visibleTo(session)) {
        hub.fail(session, requestId, CoreError.NO_SUCH_ROOM, "no room named " + typed);
        return;
      }
      List<Reply.UserInfo> users = new ArrayList<>(room.size());
      for (Session member : room.representatives()) {
        // Without each member's rooms: a big room would pay members x rooms for nothing.
        users.add(new Reply.UserInfo(member.nick(), member.account(), member.realname(),
            member.away(), member.isAdmin(), List.of()));
      }
      members = new Reply.Members(room.name(), room.nicks(), room.opNicks(), room.voicedNicks(),
          List.copyOf(users), room.modes().secret());
    }
    session.sink().reply(requestId, members);
  }

  boolean roomAllowed(Session session, String requestId, String key) {
    Room existing = byKey.get(key);
    int max = hub.limits().maxRoomsPerSession();
    if ((existing == null || !session.rooms().contains(existing))
        && session.rooms().size() >= max) {
      hub.fail(session, requestId, CoreError.TOO_MANY_ROOMS,
          "you are in " + session.rooms().size() + " rooms, the limit per session is " + max);
      return false;
    }
    return true;
  }
}
