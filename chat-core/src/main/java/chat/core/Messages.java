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
 * Room and private messages: checked, given their id, sequence and time, appended to the store,
 * and handed out only once durable, in the room's order.
 */
final class Messages {

  private static final Logger log = LoggerFactory.getLogger(Messages.class);

  private final Hub hub;
  private final Clock clock;
  private final MessageIds messageIds;
  private final chat.core.store.MessageStore store;

  Messages(Hub hub, Clock clock, MessageIds messageIds, chat.core.store.MessageStore store) {
    this.hub = hub;
    this.clock = clock;
    this.messageIds = messageIds;
    this.store = store;
  }

  void sayToRoom(Session session, String requestId, SayToRoom say) {
    if (checkText(session, requestId, say.text())) {
      postToRoom(session, requestId, say.room(), say.kind(), say.text());
    }
  }

  /** Puts a checked entry in the room's log, and hands it out once durable. */
  void postToRoom(Session session, String requestId, String roomName, MessageKind kind,
      String text) {
    SayToRoom say = new SayToRoom(roomName, kind, text);
    Room room = hub.rooms.existingRoom(say.room());
    if (room == null) {
      hub.fail(session, requestId, CoreError.NOT_IN_ROOM, "you are not in room " + say.room());
      return;
    }
    synchronized (room) {
      Moderation.Refusal refusal = hub.moderation.sending(room, session, say.room());
      if (refusal != null) {
        hub.fail(session, requestId, refusal.error, refusal.getMessage());
        return;
      }
      Cluster shared = hub.cluster;
      if (shared != null) {
        shared.post(session, requestId, room, say.kind(), say.text());
        return;
      }
      Event.RoomMessage event = new Event.RoomMessage(room.name(), messageIds.next(),
          room.nextSeq(), clock.millis(), session.nick(), say.kind(), say.text(),
          session.account());
      StoredMessage stored = new StoredMessage(event.msgId(), event.room(), event.seq(),
          event.ts(), event.from(), session.account(), null, null, event.kind(), event.text());
      // Appends happen in seq order under the monitor and the store calls back in append order,
      // so fan-out after commit keeps the room's order.
      session.appendStarted();
      store.append(stored, failure -> {
        try {
          roomMessageDurable(room, event, session, requestId, failure);
        } finally {
          session.appendDone();
        }
      });
    }
  }

  /** Fan-out of a stored room message; runs on a store thread (or inline for memory). */
  void roomMessageDurable(Room room, Event.RoomMessage event, Session sender,
      String requestId, Throwable failure) {
    if (failure != null) {
      log.warn("could not store message {} in {}", event.msgId(), event.room(), failure);
      hub.fail(sender, requestId, CoreError.STORE_FAILED, "the message could not be stored");
      return;
    }
    synchronized (room) {
      room.delivered(event.seq());
      room.broadcast(event, sender, requestId);
      if (!room.contains(sender) && !sender.isClosed()) {
        sender.sink().event(event, requestId); // left meanwhile: still owed its confirmation
      }
    }
  }

  void sayToNick(Session session, String requestId, SayToNick say) {
    if (checkText(session, requestId, say.text())) {
      postToNick(session, requestId, say.nick(), say.kind(), say.text());
    }
  }

  /** Stores a checked private entry, and hands it to both people once durable. */
  void postToNick(Session session, String requestId, String nick, MessageKind kind,
      String text) {
    SayToNick say = new SayToNick(nick, kind, text);
    Session target = say.nick() == null ? null : hub.identities.nicks.get(Names.fold(say.nick()));
    if (target == null || !target.isReady()) {
      hub.fail(session, requestId, CoreError.NO_SUCH_NICK, "nobody is called " + say.nick());
      return;
    }
    Event.PrivateMessage event = new Event.PrivateMessage(messageIds.next(), clock.millis(),
        session.nick(), target.nick(), say.kind(), say.text(), session.account());
    StoredMessage stored = new StoredMessage(event.msgId(), null, 0, event.ts(), event.from(),
        session.account(), event.to(), target.account(), event.kind(), event.text());
    session.appendStarted();
    store.append(stored, failure -> {
      try {
        if (failure != null) {
          log.warn("could not store private message {}", event.msgId(), failure);
          hub.fail(session, requestId, CoreError.STORE_FAILED, "the message could not be stored");
          return;
        }
        if (hub.peers != null) {
          hub.peers.privateMessage(event, target.account()); // their devices on other servers
        }
        toBothPeople(session, target, event, requestId);
      } finally {
        session.appendDone();
      }
    });
  }

  /**
   * A private event (message, client tags) to every connection of both people, so that the
   * conversation is the same on each device; the sender's own copy, its answer, last.
   */
  static void toBothPeople(Session sender, Session target, Event event, String requestId) {
    for (Session connection : target.connections()) {
      if (connection != sender) {
        connection.sink().event(event, null);
      }
    }
    if (target.identity() != sender.identity()) {
      for (Session connection : sender.connections()) {
        if (connection != sender) {
          connection.sink().event(event, null);
        }
      }
    }
    sender.sink().event(event, requestId);
  }

  /**
   * A message to a room's operators (and voiced members): the sender must be a member allowed to
   * speak; it reaches the members with that status, the sender's other connections and, on other
   * servers, theirs. Not stored: it is no entry of the room's log.
   */
  void sayToOps(Session session, String requestId, Command.SayToOps say) {
    if (!checkText(session, requestId, say.text())) {
      return;
    }
    Room room = hub.rooms.memberRoom(session, say.room());
    if (room == null) {
      hub.fail(session, requestId, CoreError.NOT_IN_ROOM, "you are not in room " + say.room());
      return;
    }
    Event.StatusMessage event;
    synchronized (room) {
      if (!room.contains(session)) {
        hub.fail(session, requestId, CoreError.NOT_IN_ROOM, "you are not in room " + say.room());
        return;
      }
      Moderation.Refusal refusal = hub.moderation.speech(room, session);
      if (refusal != null) {
        hub.fail(session, requestId, refusal.error, refusal.getMessage());
        return;
      }
      event = new Event.StatusMessage(room.name(), say.voicedToo(), messageIds.next(),
          clock.millis(), session.nick(), say.kind(), say.text(), session.account());
      deliverToOps(room, event, session, requestId);
    }
    if (hub.peers != null) {
      hub.peers.statusMessage(event);
    }
  }

  /** Under the room's monitor: to its members with the status, the sender's copy as the reply. */
  void deliverToOps(Room room, Event.StatusMessage event, Session sender, String requestId) {
    for (Session member : room.members()) {
      if (member == sender) {
        member.sink().event(event, requestId);
      } else if (room.isOp(member) || (event.voicedToo() && room.isVoiced(member))
          || (sender != null && member.identity() == sender.identity())) {
        member.sink().event(event, null);
      }
    }
  }

  boolean checkText(Session session, String requestId, String text) {
    if (text == null || text.isEmpty()) {
      hub.fail(session, requestId, CoreError.EMPTY_MESSAGE, "message is empty");
      return false;
    }
    int bytes = Names.utf8Length(text);
    if (bytes > hub.limits().maxMessageBytes()) {
      hub.fail(session, requestId, CoreError.MESSAGE_TOO_LONG, "message of " + bytes
          + " bytes exceeds the limit of " + hub.limits().maxMessageBytes() + " bytes");
      return false;
    }
    return true;
  }
}
