package chat.cli.term;

import chat.client.ChatClient;
import chat.protocol.Frame;
import chat.protocol.Keys;
import chat.protocol.ModeChanges;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;

/** Replies to /topic, /mode and the moderation commands, in words. */
final class ModerationReplies {
  private ModerationReplies() {}

  /**
   * After a moderation change: the room's {@code mode} event shows it to members; others (an
   * admin acting from outside) see the reply, and everyone learns when nothing changed.
   */
  static void modesChanged(ChatSession.Output out, LineFormatter format, ChatClient c,
      String room, Frame ok) {
    List<ModeChanges.Change> changes = ModeChanges.of(ok);
    String name = LineFormatter.room(ok.string(Keys.ROOM) == null ? room : ok.string(Keys.ROOM));
    if (changes.isEmpty()) {
      out.show(format.notice("no change on " + name));
    } else if (!c.isInRoom(room)) {
      out.show(format.notice("set modes on " + name + ": " + changes.stream()
          .map(ModeChanges.Change::toString).collect(Collectors.joining(" "))));
    }
  }

  /** {@code topic of #dev: text (set by alice)} or {@code #dev has no topic}. */
  static String topicText(Frame reply, String room) {
    String name = LineFormatter.room(reply.string(Keys.ROOM) == null ? room
        : reply.string(Keys.ROOM));
    String topic = reply.string(Keys.TOPIC);
    if (topic == null || topic.isEmpty()) {
      return name + " has no topic";
    }
    String by = reply.string(Keys.TOPIC_BY);
    return "topic of " + name + ": " + topic + (by == null ? "" : " (set by " + by + ")");
  }

  /** {@code modes of #dev: +iklnt, key s3cret, limit 5; bans: nick:bob; invites: nick:carol}. */
  static String modesText(Frame reply, String room) {
    StringBuilder b = new StringBuilder("modes of ").append(LineFormatter.room(
        reply.string(Keys.ROOM) == null ? room : reply.string(Keys.ROOM))).append(": ")
        .append(reply.string(Keys.MODES));
    if (reply.string(Keys.KEY) != null) {
      b.append(", key ").append(reply.string(Keys.KEY));
    }
    long limit = reply.number(Keys.LIMIT, 0);
    if (limit > 0) {
      b.append(", limit ").append(limit);
    }
    for (String list : List.of(Keys.BANS, Keys.MUTES, Keys.INVITES)) {
      List<String> entries = strings(reply.header().get(list));
      if (!entries.isEmpty()) {
        b.append("; ").append(list).append(": ").append(String.join(" ", entries));
      }
    }
    return b.toString();
  }

  /** The strings of a JSON array; empty when it is absent or not an array. */
  /** The strings of a JSON array (others left out), empty when it is none. */
  static List<String> strings(JsonNode array) {
    List<String> list = new ArrayList<>();
    if (array != null && array.isArray()) {
      for (JsonNode node : array) {
        if (node.isString()) {
          list.add(node.asString());
        }
      }
    }
    return list;
  }
}
