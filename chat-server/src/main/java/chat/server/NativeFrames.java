package chat.server;

import chat.core.Event;
import chat.core.MessageKind;
import chat.core.ModeChange;
import chat.core.Reply;
import chat.core.RoomModes;
import chat.core.Topic;
import chat.protocol.ErrorCodes;
import chat.protocol.Frame;
import chat.protocol.Json;
import chat.protocol.Keys;
import chat.protocol.Types;
import tools.jackson.databind.node.ArrayNode;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/** Core events and replies as native frames (docs/PROTOCOL.md shows each). */
final class NativeFrames {
  private NativeFrames() {}

  static final String SERVER_NAME = "chat/0.1";

  /** The frame for {@code event}, or null for events the native protocol does not carry (yet). */
  /** Whether the native protocol carries {@code event} at all (some exist for other doors). */
  static boolean carries(Event event) {
    return switch (event) {
      case Event.AwayChanged a -> false;
      case Event.RealnameChanged r -> false;
      case Event.AccountChanged a -> false;
      case Event.History h -> carries(h.message());
      default -> true;
    };
  }

  static Frame event(Event event, String replyId) {
    return switch (event) {
      case Event.AwayChanged a -> null;
      case Event.RealnameChanged r -> null;
      case Event.AccountChanged a -> null;
      case Event.MarkerMoved m -> {
        ObjectNode h = header(Types.MARKER, replyId);
        marker(h, m.marker());
        yield Frame.of(h);
      }
      case Event.RoomMessage m -> {
        ObjectNode h = header(Types.MESSAGE, replyId);
        h.put(Keys.ROOM, m.room());
        h.put(Keys.MSGID, m.msgId());
        h.put(Keys.SEQ, m.seq());
        h.put(Keys.TS, m.ts());
        h.put(Keys.FROM, m.from());
        h.put(Keys.KIND, m.kind().wire());
        yield Frame.text(h, m.kind() == MessageKind.FILE ? NativeFiles.fileMessage(h, m.text())
            : m.text());
      }
      case Event.TagMessage t -> {
        ObjectNode h = header(Types.TAGS, replyId);
        if (t.room() != null) {
          h.put(Keys.ROOM, t.room());
        } else {
          h.put(Keys.TO, t.to());
        }
        h.put(Keys.FROM, t.from());
        h.put(Keys.MSGID, t.msgId());
        h.put(Keys.TS, t.ts());
        ObjectNode tags = h.putObject(Keys.TAGS);
        t.tags().forEach(tags::put);
        yield Frame.of(h);
      }
      case Event.PrivateMessage m -> {
        ObjectNode h = header(Types.PRIVMSG, replyId);
        h.put(Keys.FROM, m.from());
        h.put(Keys.TO, m.to());
        h.put(Keys.MSGID, m.msgId());
        h.put(Keys.TS, m.ts());
        h.put(Keys.KIND, m.kind().wire());
        yield Frame.text(h, m.kind() == MessageKind.FILE ? NativeFiles.fileMessage(h, m.text())
            : m.text());
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
      case Event.RoomPresence p -> {
        ObjectNode h = header(Types.PRESENCE, replyId);
        h.put(Keys.ROOM, p.room());
        h.put(Keys.QUIET, p.quiet());
        h.put(Keys.MEMBER_COUNT, p.count());
        h.put(Keys.TS, p.ts());
        if (p.quiet()) {
          yield Frame.of(h);
        }
        yield Frame.json(h, memberLists(p.members(), p.ops(), p.voiced()));
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
        if (inner == null) {
          yield null;
        }
        inner.header().put(Keys.HISTORY, true);
        yield inner;
      }
      case Event.Watched w -> null; // the native protocol has no watch list
      case Event.Wallops w -> {
        ObjectNode h = header(Types.NOTICE, replyId);
        h.put(Keys.TS, w.ts());
        yield Frame.text(h, "from the administrator " + w.from() + ": " + w.text());
      }
      case Event.StatusMessage m -> {
        ObjectNode h = header(Types.NOTICE, replyId);
        h.put(Keys.ROOM, m.room());
        h.put(Keys.TS, m.ts());
        yield Frame.text(h, "to the operators" + (m.voicedToo() ? " and voiced members" : "")
            + ", from " + m.from() + ": " + m.text());
      }
      case Event.Notice n -> {
        ObjectNode h = header(Types.NOTICE, replyId);
        if (n.room() != null) {
          h.put(Keys.ROOM, n.room());
        }
        h.put(Keys.TS, n.ts());
        yield Frame.text(h, n.text());
      }
      case Event.TopicChanged t -> {
        ObjectNode h = header(Types.TOPIC, replyId);
        h.put(Keys.ROOM, t.room());
        h.put(Keys.TOPIC, t.topic());
        h.put(Keys.BY, t.by());
        h.put(Keys.TS, t.ts());
        seq(h, t.seq());
        yield Frame.of(h);
      }
      case Event.Kicked k -> {
        ObjectNode h = header(Types.KICKED, replyId);
        h.put(Keys.ROOM, k.room());
        h.put(Keys.NICK, k.nick());
        h.put(Keys.BY, k.by());
        h.put(Keys.REASON, k.reason());
        h.put(Keys.TS, k.ts());
        seq(h, k.seq());
        yield Frame.of(h);
      }
      case Event.ModeChanged m -> {
        ObjectNode h = header(Types.MODE, replyId);
        h.put(Keys.ROOM, m.room());
        if (m.by() != null) {
          h.put(Keys.BY, m.by());
        }
        changes(h, m.changes());
        if (m.reason() != null) {
          h.put(Keys.REASON, m.reason());
        }
        h.put(Keys.TS, m.ts());
        seq(h, m.seq());
        yield Frame.of(h);
      }
      case Event.Invited i -> {
        ObjectNode h = header(Types.INVITED, replyId);
        h.put(Keys.ROOM, i.room());
        h.put(Keys.BY, i.by());
        if (i.reason() != null) {
          h.put(Keys.REASON, i.reason());
        }
        h.put(Keys.TS, i.ts());
        yield Frame.of(h);
      }
      case Event.Killed k -> {
        ObjectNode h = header(Types.KILLED, replyId);
        h.put(Keys.BY, k.by());
        h.put(Keys.REASON, k.reason());
        h.put(Keys.TS, k.ts());
        yield Frame.of(h);
      }
    };
  }

  /** A room's member lists, the content of a join's reply, a who and a presence event. */
  private static ObjectNode memberLists(java.util.List<String> members,
      java.util.List<String> ops, java.util.List<String> voiced) {
    ObjectNode lists = Json.object();
    strings(lists, Keys.MEMBERS, members);
    strings(lists, Keys.OPS, ops);
    strings(lists, Keys.VOICED, voiced);
    return lists;
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
        if (w.resumeToken() != null) {
          h.put(Keys.RESUME_TOKEN, w.resumeToken());
        }
        if (w.resumed()) {
          h.put(Keys.RESUMED, true);
        }
        h.put(Keys.SERVER, SERVER_NAME);
        h.set(Keys.LIMITS, limits.deepCopy());
        yield Frame.of(h);
      }
      case Reply.NickSet n -> Frame.of(ok(replyId).put(Keys.NICK, n.nick()));
      case Reply.Operator o -> Frame.of(ok(replyId).put(Keys.ACCOUNT, o.account()));
      case Reply.Watching w -> Frame.of(ok(replyId).put(Keys.COUNT, w.watched().size()));
      case Reply.JoinedRoom j -> {
        ObjectNode h = ok(replyId).put(Keys.ROOM, j.room()).put(Keys.MEMBER_COUNT, j.count());
        if (j.quiet()) {
          h.put(Keys.QUIET, true);
        }
        modes(h, j.modes(), false);
        topic(h, j.topic(), false);
        h.put(Keys.LAST_SEQ, j.lastSeq());
        if (j.skipped() > 0) {
          h.put(Keys.SKIPPED, j.skipped());
        }
        if (j.owner() != null) {
          h.put(Keys.OWNER, j.owner());
        }
        yield Frame.json(h, memberLists(j.members(), j.ops(), j.voiced()));
      }
      case Reply.LeftRoom l -> Frame.of(ok(replyId).put(Keys.ROOM, l.room()));
      case Reply.RoomList list -> {
        ObjectNode lists = Json.object();
        ArrayNode rooms = lists.putArray(Keys.ROOMS);
        for (Reply.RoomInfo info : list.rooms()) {
          rooms.addObject().put(Keys.ROOM, info.room()).put(Keys.MEMBERS, info.members());
        }
        yield Frame.json(ok(replyId).put(Keys.COUNT, list.rooms().size()), lists);
      }
      case Reply.Members m -> {
        ObjectNode h = ok(replyId).put(Keys.ROOM, m.room()).put(Keys.MEMBER_COUNT, m.members().size());
        if (m.secret()) {
          h.put(Keys.SECRET, true);
        }
        yield Frame.json(h, memberLists(m.members(), m.ops(), m.voiced()));
      }
      case Reply.RoomTopic t -> {
        ObjectNode h = ok(replyId).put(Keys.ROOM, t.room());
        topic(h, t.topic(), true);
        yield Frame.of(h);
      }
      case Reply.ModesChanged m -> {
        ObjectNode h = ok(replyId).put(Keys.ROOM, m.room());
        changes(h, m.changes());
        yield Frame.of(h);
      }
      case Reply.RoomModeList m -> {
        ObjectNode h = ok(replyId).put(Keys.ROOM, m.room());
        modes(h, m.modes(), true);
        strings(h, Keys.BANS, m.bans());
        strings(h, Keys.MUTES, m.mutes());
        strings(h, Keys.INVITES, m.invites());
        yield Frame.of(h);
      }
      case Reply.Kicked k -> Frame.of(ok(replyId).put(Keys.ROOM, k.room()).put(Keys.NICK, k.nick()));
      case Reply.RoomState s -> Frame.of(roomState(ok(replyId), s));
      case Reply.MarkerSet m -> Frame.of(marker(ok(replyId), m.marker()));
      case Reply.Markers list -> {
        ObjectNode lists = Json.object();
        ArrayNode markers = lists.putArray(Keys.MARKERS);
        for (int i = 0; i < list.markers().size(); i++) {
          ObjectNode m = marker(markers.addObject(), list.markers().get(i));
          if (i < list.unread().size()) {
            Reply.UnreadCount u = list.unread().get(i);
            m.put(Keys.UNREAD, u.unread()).put(Keys.MENTIONS, u.mentions());
            if (u.upTo() > 0) {
              m.put(Keys.LAST_SEQ, u.upTo());
            }
            if (u.more()) {
              m.put(Keys.MORE, true);
            }
          }
        }
        yield Frame.json(ok(replyId).put(Keys.COUNT, list.markers().size()), lists);
      }
      case Reply.RoomStates list -> {
        ObjectNode lists = Json.object();
        ArrayNode rooms = lists.putArray(Keys.ROOMS);
        for (Reply.RoomState s : list.rooms()) {
          roomState(rooms.addObject(), s);
        }
        yield Frame.json(ok(replyId).put(Keys.COUNT, list.rooms().size()), lists);
      }
      case Reply.Done d -> Frame.of(ok(replyId));
      case Reply.UploadReady u -> NativeFiles.reply(ok(replyId), u);
      case Reply.ChunkStored c -> NativeFiles.reply(ok(replyId), c);
      case Reply.FileBytes b -> NativeFiles.reply(ok(replyId), b);
      case Reply.FileList l -> NativeFiles.reply(ok(replyId), l);
      case Reply.FileVisible v -> NativeFiles.reply(ok(replyId), v);
      // No native request asks where one has history yet (IRC's CHATHISTORY TARGETS does).
      case Reply.HistoryTargets t -> Frame.of(ok(replyId).put(Keys.COUNT, t.targets().size()));
      case Reply.LoggedIn l -> Frame.of(ok(replyId).put(Keys.ACCOUNT, l.account())
          .put(Keys.NICK, l.nick()));
      case Reply.Registered r -> Frame.of(ok(replyId).put(Keys.ACCOUNT, r.account()));
      case Reply.PrivateHistorySent h -> {
        ObjectNode o = ok(replyId).put(Keys.COUNT, h.count()).put(Keys.MORE, h.more());
        if (h.with() != null) {
          o.put(Keys.WITH, h.with());
        }
        if (h.firstMsgId() != null) {
          o.put(Keys.FIRST_MSGID, h.firstMsgId());
        }
        yield Frame.of(o);
      }
      case Reply.HistorySent h -> Frame.of(ok(replyId).put(Keys.ROOM, h.room())
          .put(Keys.COUNT, h.count()).put(Keys.FIRST_SEQ, h.firstSeq()).put(Keys.MORE, h.more()));
      case Reply.Failed f -> {
        Frame frame = error(replyId, f.error().code(), f.message(), false);
        if (f.about() != null) {
          frame.header().put(Keys.ABOUT, f.about());
        }
        yield frame;
      }
      // The native protocol has no requests for these (yet); an "ok" keeps the reply promise.
      case Reply.AwaySet a -> Frame.of(ok(replyId));
      case Reply.RealnameSet r -> Frame.of(ok(replyId));
      case Reply.Users u -> Frame.of(ok(replyId));
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
    limits.put("max-topic-length", config.coreLimits().maxTopicLength());
    limits.put("max-rooms", config.coreLimits().maxRoomsPerSession());
    limits.put("max-file-bytes", config.coreLimits().files().maxFileBytes());
    if (config.coreLimits().flood().enabled()) {
      limits.put("flood-burst", config.coreLimits().flood().burst());
      limits.put("flood-rate", config.coreLimits().flood().perSecond());
    }
    return limits;
  }

  private static void strings(ObjectNode h, String key, List<String> values) {
    ArrayNode array = h.putArray(key);
    values.forEach(array::add);
  }

  /** {@code "changes":[{"mode":"+b","arg":"account:bob"},{"mode":"-m"}]}. */
  private static void changes(ObjectNode h, List<ModeChange> changes) {
    ArrayNode array = h.putArray(Keys.CHANGES);
    for (ModeChange change : changes) {
      ObjectNode o = array.addObject().put(Keys.MODE, change.sign());
      if (change.arg() != null) {
        o.put(Keys.ARG, change.arg());
      }
    }
  }

  /** {@code "modes":"+klnt"} and the limit; the key only for those who may see it. */
  private static void modes(ObjectNode h, RoomModes modes, boolean withKey) {
    h.put(Keys.MODES, modes.flags());
    if (withKey && modes.key() != null) {
      h.put(Keys.KEY, modes.key());
    }
    if (modes.limit() > 0) {
      h.put(Keys.LIMIT, modes.limit());
    }
  }

  /** {@code room} and {@code seq}, or {@code with} and {@code msgid}; and {@code ts}. */
  private static ObjectNode marker(ObjectNode h, chat.core.store.ReadMarker m) {
    if (m.isConversation()) {
      h.put(Keys.WITH, m.target().substring(1));
      if (m.msgId() != null) { // none yet: an IRC client marked a time before the first message
        h.put(Keys.MSGID, m.msgId());
      }
    } else {
      h.put(Keys.ROOM, m.target());
      h.put(Keys.SEQ, m.seq());
    }
    h.put(Keys.TS, m.ts());
    return h;
  }

  private static ObjectNode roomState(ObjectNode h, Reply.RoomState s) {
    h.put(Keys.ROOM, s.room());
    if (s.owner() != null) {
      h.put(Keys.OWNER, s.owner());
    }
    h.put(Keys.MEMBER_COUNT, s.members());
    modes(h, s.modes(), false);
    topic(h, s.topic(), false);
    strings(h, Keys.OP_ACCOUNTS, s.opAccounts());
    h.put(Keys.LAST_SEQ, s.lastSeq());
    return h;
  }

  /** {@code topic}, {@code topic-by}, {@code topic-ts}; without a topic nothing, or "" if asked. */
  private static void topic(ObjectNode h, Topic topic, boolean always) {
    if (topic == null) {
      if (always) {
        h.put(Keys.TOPIC, "");
      }
      return;
    }
    h.put(Keys.TOPIC, topic.text());
    h.put(Keys.TOPIC_BY, topic.by());
    h.put(Keys.TOPIC_TS, topic.ts());
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

  /** A room change's place in the room's log; absent when unknown. */
  private static void seq(ObjectNode h, long seq) {
    if (seq > 0) {
      h.put(Keys.SEQ, seq);
    }
  }
}
