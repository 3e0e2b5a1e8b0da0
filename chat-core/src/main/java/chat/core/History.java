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
 * What was said before: pages of a room's or a conversation's history, and the replay of stored
 * entries as {@link Event.History} events.
 */
final class History {

  private final Hub hub;
  private final chat.core.store.MessageStore store;

  History(Hub hub, chat.core.store.MessageStore store) {
    this.hub = hub;
    this.store = store;
  }

  void privateHistory(Session session, String requestId, Command.PrivateHistory c) {
    String account = session.account();
    if (account == null) {
      hub.fail(session, requestId, CoreError.NOT_LOGGED_IN, "private history belongs to accounts; log in first");
      return;
    }
    int limit = Math.max(1, Math.min(c.limit() <= 0 ? hub.limits().historyOnJoin() : c.limit(),
        hub.limits().maxHistoryPage()));
    List<StoredMessage> page = store.privateHistory(account, hub.conversationSide(c.with()),
        c.beforeMsgId(), limit + 1);
    boolean more = page.size() > limit;
    if (more) {
      page = page.subList(1, page.size());
    }
    replay(session, page, requestId);
    String first = page.isEmpty() ? null : page.get(0).msgId();
    session.sink().reply(requestId, new Reply.PrivateHistorySent(c.with(), page.size(), first, more));
  }

  /** Resume of private messages: after {@code afterMsgId}, at most the resume cap, newest. */
  void privateSince(Session session, String requestId, String afterMsgId) {
    String account = session.account();
    if (account == null) {
      hub.fail(session, requestId, CoreError.NOT_LOGGED_IN,
          "private history belongs to accounts; log in first");
      return;
    }
    int max = hub.limits().continuity().maxResume();
    String after = afterMsgId == null || afterMsgId.isEmpty() ? null : afterMsgId;
    List<StoredMessage> page = store.privateSince(account, after, max + 1);
    boolean more = page.size() > max;
    if (more) {
      page = page.subList(1, page.size());
    }
    replay(session, page, requestId);
    String first = page.isEmpty() ? null : page.get(0).msgId();
    session.sink().reply(requestId, new Reply.PrivateHistorySent(null, page.size(), first, more));
  }

  /**
   * Hands {@code messages} to the session as {@code History} events, marked as caused by its
   * request {@code requestId} (null: by none of its requests).
   */
  void replay(Session session, List<StoredMessage> messages, String requestId) {
    for (StoredMessage m : messages) {
      Event original = m.isPrivate()
          ? new Event.PrivateMessage(m.msgId(), m.ts(), m.from(), m.to(), m.kind(), m.text(),
              m.fromAccount())
          : RoomLog.event(m);
      Room.handOut(session, new Event.History(original), session, requestId);
    }
  }

  void roomHistory(Session session, String requestId, Command.RoomHistory request) {
    String name = Names.roomName(request.room());
    if (Names.roomProblem(name, hub.limits().maxRoomLength()) != null) {
      hub.fail(session, requestId, CoreError.INVALID_ROOM, "no room named " + request.room());
      return;
    }
    Room room = hub.rooms.memberRoom(session, name);
    if (room == null) {
      hub.fail(session, requestId, CoreError.NOT_IN_ROOM, "join " + name + " to read its history");
      return;
    }
    int limit = Math.max(1, Math.min(request.limit() <= 0 ? hub.limits().historyOnJoin() : request.limit(),
        hub.limits().maxHistoryPage()));
    long before = request.beforeSeq() <= 0 ? Long.MAX_VALUE : request.beforeSeq();
    // One more than asked tells whether older messages remain.
    List<StoredMessage> page = store.roomHistory(room.key(), before, limit + 1);
    boolean more = page.size() > limit;
    if (more) {
      page = page.subList(1, page.size());
    }
    replay(session, page, requestId);
    long firstSeq = page.isEmpty() ? 0 : page.get(0).seq();
    session.sink().reply(requestId, new Reply.HistorySent(room.name(), page.size(), firstSeq, more));
  }
}
