package chat.server;

import chat.core.Event;
import chat.core.Reply;
import chat.protocol.ErrorCodes;
import chat.protocol.Frame;
import chat.protocol.Json;
import chat.protocol.Keys;
import chat.protocol.Types;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Core events and replies as native frames (docs/PROTOCOL.md shows each). */
final class NativeFrames {
  private NativeFrames() {}

  static final String SERVER_NAME = "chat/0.1";

  static Frame event(Event event, String replyId) {
    return switch (event) {
      case Event.RoomMessage m -> {
        ObjectNode h = header(Types.MESSAGE, replyId);
        h.put(Keys.ROOM, m.room());
        h.put(Keys.MSGID, m.msgId());
        h.put(Keys.SEQ, m.seq());
        h.put(Keys.TS, m.ts());
        h.put(Keys.FROM, m.from());
        h.put(Keys.KIND, m.kind().wire());
        yield Frame.text(h, m.text());
      }
      case Event.PrivateMessage m -> {
        ObjectNode h = header(Types.PRIVMSG, replyId);
        h.put(Keys.FROM, m.from());
        h.put(Keys.TO, m.to());
        h.put(Keys.MSGID, m.msgId());
        h.put(Keys.TS, m.ts());
        h.put(Keys.KIND, m.kind().wire());
        yield Frame.text(h, m.text());
      }
      case Event.Joined j -> {
        ObjectNode h = header(Types.JOINED, replyId);
        h.put(Keys.ROOM, j.room());
        h.put(Keys.NICK, j.nick());
        h.put(Keys.TS, j.ts());
        yield Frame.of(h);
      }
      case Event.Left l -> {
        ObjectNode h = header(Types.LEFT, replyId);
        h.put(Keys.ROOM, l.room());
        h.put(Keys.NICK, l.nick());
        h.put(Keys.REASON, l.reason());
        h.put(Keys.TS, l.ts());
        yield Frame.of(h);
      }
      case Event.NickChanged n -> {
        ObjectNode h = header(Types.NICK_CHANGED, replyId);
        h.put(Keys.OLD, n.oldNick());
        h.put(Keys.NICK, n.nick());
        h.put(Keys.TS, n.ts());
        yield Frame.of(h);
      }
      case Event.Quit q -> {
        ObjectNode h = header(Types.QUIT_EVENT, replyId);
        h.put(Keys.NICK, q.nick());
        h.put(Keys.REASON, q.reason());
        h.put(Keys.TS, q.ts());
        yield Frame.of(h);
      }
      case Event.History h -> {
        Frame inner = event(h.message(), replyId);
        inner.header().put(Keys.HISTORY, true);
        yield inner;
      }
      case Event.Notice n -> {
        ObjectNode h = header(Types.NOTICE, replyId);
        if (n.room() != null) {
          h.put(Keys.ROOM, n.room());
        }
        h.put(Keys.TS, n.ts());
        yield Frame.text(h, n.text());
      }
    };
  }

  static Frame reply(String replyId, Reply reply, ObjectNode limits) {
    return switch (reply) {
      case Reply.Welcome w -> {
        ObjectNode h = header(Types.WELCOME, replyId);
        h.put(Keys.VERSION, NativeRequests.PROTOCOL_VERSION);
        h.put(Keys.NICK, w.nick());
        if (w.account() != null) {
          h.put(Keys.ACCOUNT, w.account());
        }
        h.put(Keys.SERVER, SERVER_NAME);
        h.set(Keys.LIMITS, limits.deepCopy());
        yield Frame.of(h);
      }
      case Reply.NickSet n -> Frame.of(ok(replyId).put(Keys.NICK, n.nick()));
      case Reply.JoinedRoom j -> {
        ObjectNode h = ok(replyId).put(Keys.ROOM, j.room());
        ArrayNode members = h.putArray(Keys.MEMBERS);
        j.members().forEach(members::add);
        yield Frame.of(h);
      }
      case Reply.LeftRoom l -> Frame.of(ok(replyId).put(Keys.ROOM, l.room()));
      case Reply.RoomList list -> {
        ObjectNode h = ok(replyId);
        ArrayNode rooms = h.putArray(Keys.ROOMS);
        for (Reply.RoomInfo info : list.rooms()) {
          rooms.addObject().put(Keys.ROOM, info.room()).put(Keys.MEMBERS, info.members());
        }
        yield Frame.of(h);
      }
      case Reply.Members m -> {
        ObjectNode h = ok(replyId).put(Keys.ROOM, m.room());
        ArrayNode members = h.putArray(Keys.MEMBERS);
        m.members().forEach(members::add);
        yield Frame.of(h);
      }
      case Reply.Done d -> Frame.of(ok(replyId));
      case Reply.LoggedIn l -> Frame.of(ok(replyId).put(Keys.ACCOUNT, l.account())
          .put(Keys.NICK, l.nick()));
      case Reply.Registered r -> Frame.of(ok(replyId).put(Keys.ACCOUNT, r.account()));
      case Reply.PrivateHistorySent h -> {
        ObjectNode o = ok(replyId).put(Keys.WITH, h.with()).put(Keys.COUNT, h.count())
            .put(Keys.MORE, h.more());
        if (h.firstMsgId() != null) {
          o.put(Keys.FIRST_MSGID, h.firstMsgId());
        }
        yield Frame.of(o);
      }
      case Reply.HistorySent h -> Frame.of(ok(replyId).put(Keys.ROOM, h.room())
          .put(Keys.COUNT, h.count()).put(Keys.FIRST_SEQ, h.firstSeq()).put(Keys.MORE, h.more()));
      case Reply.Failed f -> error(replyId, f.error().code(), f.message(), false);
    };
  }

  static Frame error(String replyId, String code, String message, boolean fatal) {
    ObjectNode h = header(Types.ERROR, replyId);
    h.put(Keys.CODE, code);
    h.put(Keys.MESSAGE, message);
    h.put(Keys.FATAL, fatal);
    return Frame.of(h);
  }

  static Frame unknownType(String replyId, String type) {
    return error(replyId, ErrorCodes.UNKNOWN_TYPE, "unknown request type \"" + type + "\"", false);
  }

  static ObjectNode limits(ServerConfig config) {
    ObjectNode limits = Json.object();
    limits.put("max-header-bytes", config.frameLimits().maxHeaderBytes());
    limits.put("max-content-bytes", config.frameLimits().maxContentBytes());
    limits.put("max-nick-length", config.coreLimits().maxNickLength());
    limits.put("max-room-length", config.coreLimits().maxRoomLength());
    limits.put("max-message-bytes", config.coreLimits().maxMessageBytes());
    limits.put("max-topic-bytes", config.coreLimits().maxTopicBytes());
    limits.put("max-rooms", config.coreLimits().maxRoomsPerSession());
    if (config.coreLimits().flood().enabled()) {
      limits.put("flood-burst", config.coreLimits().flood().burst());
      limits.put("flood-rate", config.coreLimits().flood().perSecond());
    }
    return limits;
  }

  private static ObjectNode ok(String replyId) {
    return header(Types.OK, replyId);
  }

  private static ObjectNode header(String type, String replyId) {
    ObjectNode h = Json.header(type);
    if (replyId != null) {
      h.put(Keys.ID, replyId);
    }
    return h;
  }
}
