package chat.server.irc;

import chat.core.Event;
import chat.core.MessageKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Room and private messages as PRIVMSG or NOTICE lines, with the tags the client asked for
 * ({@code time}, {@code msgid}, {@code account}), split to fit 512 bytes. Shared by live
 * messages, echoes and history.
 */
final class MessageLines {

  private final Set<Cap> caps;
  private final IrcFiles files;
  private final IrcUsers users;

  /**
   * @param caps the connection's capabilities, read as they are at each call
   * @param files how a shared file is written (its name, size and link)
   * @param users the door's users: a message from one in mode {@code +B} is tagged {@code bot}
   */
  MessageLines(Set<Cap> caps, IrcFiles files, IrcUsers users) {
    this.caps = caps;
    this.files = files;
    this.users = users;
  }

  /** A room message's IRC msgid: the core's id and the room's sequence number. */
  static String roomMsgid(String msgId, long seq) {
    return msgId + "." + seq;
  }

  /** The room sequence number in an IRC msgid ({@code <core msgid>.<seq>}), or -1. */
  static long seqOf(String msgid) {
    int dot = msgid.lastIndexOf('.');
    if (dot < 0) {
      return -1;
    }
    try {
      return Long.parseLong(msgid.substring(dot + 1));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  Map<String, String> tags(long ts, String msgid, String fromAccount) {
    Map<String, String> tags = new LinkedHashMap<>();
    if (caps.contains(Cap.SERVER_TIME)) {
      tags.put("time", Text.serverTime(ts));
    }
    if (msgid != null && caps.contains(Cap.MESSAGE_TAGS)) {
      tags.put("msgid", msgid);
    }
    if (fromAccount != null && caps.contains(Cap.ACCOUNT_TAG)) {
      tags.put("account", fromAccount);
    }
    return tags;
  }

  private Map<String, String> tags(long ts, String msgid, String fromAccount, String from) {
    Map<String, String> tags = tags(ts, msgid, fromAccount);
    if (users != null && caps.contains(Cap.MESSAGE_TAGS) && users.hasMode(from, 'B')) {
      tags.put("bot", "");
    }
    return tags;
  }

  /** A message for a room's operators: its target is {@code @#room} (or {@code +#room}). */
  List<IrcMessage> render(Event.StatusMessage m) {
    Map<String, String> tags = tags(m.ts(), m.msgId(), m.fromAccount(), m.from());
    return lines(m.from(), (m.voicedToo() ? "+#" : "@#") + m.room(), m.kind(), m.text(), tags);
  }

  List<IrcMessage> render(Event.RoomMessage m, Map<String, String> extraTags) {
    Map<String, String> tags = tags(m.ts(), roomMsgid(m.msgId(), m.seq()), m.fromAccount(),
        m.from());
    tags.putAll(extraTags);
    return lines(m.from(), "#" + m.room(), m.kind(), files.text(m.kind(), m.text()), tags);
  }

  List<IrcMessage> render(Event.PrivateMessage m, Map<String, String> extraTags) {
    Map<String, String> tags = tags(m.ts(), m.msgId(), m.fromAccount(), m.from());
    tags.putAll(extraTags);
    return lines(m.from(), m.to(), m.kind(), files.text(m.kind(), m.text()), tags);
  }

  /**
   * Client-only tags as a TAGMSG line, for clients with {@code message-tags} only (others are
   * sent no TAGMSG at all): the tags with their {@code +}, and the server's tags.
   */
  List<IrcMessage> render(Event.TagMessage t) {
    if (!caps.contains(Cap.MESSAGE_TAGS)) {
      return List.of();
    }
    Map<String, String> tags = tags(t.ts(), t.msgId(), t.fromAccount(), t.from());
    t.tags().forEach((name, value) -> tags.put("+" + name, value));
    return List.of(new IrcMessage(tags, IrcServerInfo.source(t.from()), "TAGMSG",
        List.of(t.room() != null ? "#" + t.room() : t.to())));
  }

  /**
   * PRIVMSG or NOTICE lines for a message, split to fit 512 bytes and at line breaks; the msgid
   * goes on the first line only, so that no two lines share one.
   */
  static List<IrcMessage> lines(String from, String target, MessageKind kind, String text,
      Map<String, String> tags) {
    String source = IrcServerInfo.source(from);
    String command = kind == MessageKind.NOTICE ? "NOTICE" : "PRIVMSG";
    int overhead = 1 + Text.utf8Length(source) + 1 + command.length() + 1
        + Text.utf8Length(target) + 2 + (kind == MessageKind.ACTION ? 9 : 0);
    List<IrcMessage> lines = new ArrayList<>();
    List<String> pieces = Text.split(text, IrcMessage.MAX_BODY_BYTES - overhead);
    if (pieces.isEmpty()) {
      pieces = List.of(" ");
    }
    for (String piece : pieces) {
      String body = kind == MessageKind.ACTION ? Text.action(piece) : piece;
      Map<String, String> lineTags = tags;
      if (!lines.isEmpty() && tags.containsKey("msgid")) {
        lineTags = new LinkedHashMap<>(tags);
        lineTags.remove("msgid");
      }
      lines.add(new IrcMessage(lineTags, source, command, List.of(target, body)));
    }
    return lines;
  }
}
