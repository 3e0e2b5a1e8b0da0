package chat.core;

import chat.core.store.Account;
import chat.core.store.MessageStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Rooms as owned, lasting things: registration to an account (its owner is the room's permanent
 * operator and the room stays listed while empty), the owner or an admin giving it up or
 * transferring it, admins listing and closing rooms, and the expiry of empty unregistered rooms
 * that never had history.
 */
final class RoomAdmin {

  private final Hub hub;
  private final Clock clock;
  private final MessageStore store;

  RoomAdmin(Hub hub, Clock clock, MessageStore store) {
    this.hub = hub;
    this.clock = clock;
    this.store = store;
  }

  void handle(Session session, String requestId, Command.RoomCommand c) {
    if (c.action() == Command.RoomAction.LIST) {
      list(session, requestId);
      return;
    }
    Room room = hub.existingRoom(c.room());
    if (room == null) {
      hub.fail(session, requestId, CoreError.NO_SUCH_ROOM, "no room named " + c.room());
      return;
    }
    // Transfer resolves the account before taking the monitor: it may ask the account store.
    Account to = null;
    if (c.action() == Command.RoomAction.TRANSFER) {
      to = c.account() == null ? null : hub.owner(c.account());
      if (to == null) {
        hub.fail(session, requestId, CoreError.NO_SUCH_NICK, "no account named " + c.account());
        return;
      }
    }
    synchronized (room) {
      if (room.closed()) {
        hub.fail(session, requestId, CoreError.NO_SUCH_ROOM, "no room named " + c.room());
        return;
      }
      switch (c.action()) {
        case INFO -> session.sink().reply(requestId, state(room));
        case REGISTER -> register(session, requestId, room);
        case UNREGISTER -> unregister(session, requestId, room);
        case TRANSFER -> transfer(session, requestId, room, to);
        case CLOSE -> close(session, requestId, room, c.reason());
        case LIST -> throw new AssertionError("handled above");
      }
    }
  }

  private void register(Session session, String requestId, Room room) {
    if (session.account() == null) {
      hub.fail(session, requestId, CoreError.NOT_LOGGED_IN, "log in to register a room");
      return;
    }
    if (room.owner() != null) {
      hub.fail(session, requestId, CoreError.ALREADY_REGISTERED,
          "#" + room.name() + " is registered to " + room.owner());
      return;
    }
    if (!session.isAdmin() && !(room.contains(session) && room.isOp(session))) {
      hub.fail(session, requestId, CoreError.NOT_OPERATOR,
          "only an operator of #" + room.name() + " may register it");
      return;
    }
    if (hub.isDefaultRoom(room)) {
      hub.fail(session, requestId, CoreError.NOT_ADMIN, "the server's default room belongs to the server");
      return;
    }
    room.owner(session.account());
    saveAndTell(session, requestId, room, null, session.nick() + " registered #" + room.name()
        + " to " + session.account());
  }

  private void unregister(Session session, String requestId, Room room) {
    if (!mayOwn(session, requestId, room)) {
      return;
    }
    String owner = room.owner();
    room.owner(null);
    // The former owner stays an operator, by account, like any other.
    room.opAccount(owner, true);
    saveAndTell(session, requestId, room, owner, "#" + room.name() + " is no longer registered");
  }

  private void transfer(Session session, String requestId, Room room, Account to) {
    if (!mayOwn(session, requestId, room)) {
      return;
    }
    String former = room.owner();
    room.opAccount(former, true);
    room.owner(to.name());
    saveAndTell(session, requestId, room, former,
        "#" + room.name() + " now belongs to " + to.name());
  }

  private void close(Session session, String requestId, Room room, String reason) {
    if (!session.isAdmin()) {
      hub.fail(session, requestId, CoreError.NOT_ADMIN, "only server administrators may close rooms");
      return;
    }
    String why = "room closed" + (reason == null || reason.isBlank() ? "" : ": " + hub.reason(reason, ""));
    long now = clock.millis();
    for (Session member : room.representatives()) {
      hub.removeMember(room, member);
      hub.roomLog.kick(room, member, session.nick(), why, now, RoomLog.After.NOTHING);
    }
    Reply.RoomState closed = state(room);
    // Queued behind the kicks, so it commits after them.
    hub.rooms.forget(room);
    Cluster shared = hub.cluster;
    store.deleteRoom(room.key(), failure -> {
      if (failure == null && shared != null) {
        shared.closed(room, why, now); // after the kicks were published, in their order
      }
      session.sink().reply(requestId, failure == null
          ? closed : new Reply.Failed(CoreError.STORE_FAILED, "the room could not be removed"));
    });
  }

  /** Only the owner or an admin may give a registered room up or away. */
  private boolean mayOwn(Session session, String requestId, Room room) {
    if (room.owner() == null) {
      hub.fail(session, requestId, CoreError.NOT_REGISTERED, "#" + room.name() + " is not registered");
      return false;
    }
    if (!session.isAdmin() && !room.isOwner(session)) {
      hub.fail(session, requestId, CoreError.NOT_OPERATOR, "#" + room.name() + " belongs to " + room.owner());
      return false;
    }
    return true;
  }

  /** {@code opGranted}: the former owner, who stays an operator by account (null: none). */
  private void saveAndTell(Session session, String requestId, Room room, String opGranted,
      String notice) {
    Reply.RoomState reply = state(room);
    Event event = new Event.Notice(room.name(), notice, clock.millis());
    hub.roomLog.save(room, opGranted, notice, new RoomLog.After(session, requestId, reply,
        () -> room.broadcast(event, null, null)));
  }

  private void list(Session session, String requestId) {
    if (!session.isAdmin()) {
      hub.fail(session, requestId, CoreError.NOT_ADMIN, "only server administrators may list every room");
      return;
    }
    List<Reply.RoomState> states = new ArrayList<>();
    for (Room room : hub.rooms.byKey.values()) {
      synchronized (room) {
        if (!room.closed()) {
          states.add(state(room));
        }
      }
    }
    states.sort(Comparator.comparing(s -> Names.fold(s.room())));
    session.sink().reply(requestId, new Reply.RoomStates(List.copyOf(states)));
  }

  /** Removes the state of empty unregistered rooms without history, unchanged for the expiry. */
  int expire() {
    long cutoff = clock.millis() - hub.limits().continuity().roomExpiry().toMillis();
    int expired = 0;
    for (Room room : List.copyOf(hub.rooms.byKey.values())) {
      synchronized (room) {
        if (!room.closed() && room.isEmpty() && room.owner() == null && room.lastSeq() == 0
            && room.changedTs() <= cutoff) {
          hub.rooms.forget(room);
          store.deleteRoom(room.key(), failure -> { });
          expired++;
        }
      }
    }
    return expired;
  }

  /** The caller holds the room's monitor. */
  static Reply.RoomState state(Room room) {
    return new Reply.RoomState(room.name(), room.owner(), room.size(), room.topic(),
        room.modes(), room.opAccounts(), room.lastSeq());
  }
}
