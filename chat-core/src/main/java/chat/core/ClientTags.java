package chat.core;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;

/**
 * Client-only tags (IRCv3 {@code TAGMSG}): relayed at once to whoever may read the target, by
 * the rules a message meets (membership or {@code -n}, bans, mutes, moderation), and never
 * stored (so they may reach members before a message sent earlier is durable). The sender's copy
 * is its answer, last.
 */
final class ClientTags {

  /** The most tags in one request. */
  static final int MAX_TAGS = 16;
  /** The most bytes of names and values together (IRCv3's limit for a client's tags). */
  static final int MAX_BYTES = 4094;

  private final Hub hub;
  private final Clock clock;
  private final MessageIds messageIds;

  ClientTags(Hub hub, Clock clock, MessageIds messageIds) {
    this.hub = hub;
    this.clock = clock;
    this.messageIds = messageIds;
  }

  void send(Session session, String requestId, Command.SendTags c) {
    String problem = problem(c.tags());
    if (problem != null) {
      hub.fail(session, requestId, CoreError.INVALID_TAGS, problem);
      return;
    }
    Map<String, String> tags = Map.copyOf(c.tags());
    if (c.room() != null) {
      toRoom(session, requestId, c.room(), tags);
    } else {
      toNick(session, requestId, c.nick(), tags);
    }
  }

  private static String problem(Map<String, String> tags) {
    if (tags == null || tags.isEmpty()) {
      return "no tags to send";
    }
    if (tags.size() > MAX_TAGS) {
      return "at most " + MAX_TAGS + " tags at once";
    }
    int bytes = 0;
    for (Map.Entry<String, String> tag : tags.entrySet()) {
      String name = tag.getKey();
      if (name == null || name.isEmpty() || !name.chars().allMatch(ClientTags::nameChar)) {
        return "a tag name is letters, digits, '-', '.' and '/': " + name;
      }
      String value = tag.getValue() == null ? "" : tag.getValue();
      bytes += name.length() + 2 + value.getBytes(StandardCharsets.UTF_8).length;
    }
    return bytes > MAX_BYTES ? "tags of more than " + MAX_BYTES + " bytes" : null;
  }

  private static boolean nameChar(int c) {
    return c < 128 && (Character.isLetterOrDigit(c) || c == '-' || c == '.' || c == '/');
  }

  private void toRoom(Session session, String requestId, String typed, Map<String, String> tags) {
    Room room = hub.rooms.existingRoom(typed);
    if (room == null) {
      hub.fail(session, requestId, CoreError.NOT_IN_ROOM, "you are not in room " + typed);
      return;
    }
    synchronized (room) {
      boolean member = room.contains(session);
      Moderation.Refusal refusal = hub.moderation.sending(room, session, typed);
      if (refusal != null) {
        hub.fail(session, requestId, refusal.error, refusal.getMessage());
        return;
      }
      Event.TagMessage event = new Event.TagMessage(room.name(), null, messageIds.next(),
          clock.millis(), session.nick(), session.account(), tags);
      room.broadcast(event, session, requestId);
      if (!member) {
        session.sink().event(event, requestId);
      }
    }
  }

  private void toNick(Session session, String requestId, String nick, Map<String, String> tags) {
    Session target = nick == null ? null : hub.online(nick);
    if (target == null || !target.isReady()) {
      hub.fail(session, requestId, CoreError.NO_SUCH_NICK, "nobody is called " + nick);
      return;
    }
    Event.TagMessage event = new Event.TagMessage(null, target.nick(), messageIds.next(),
        clock.millis(), session.nick(), session.account(), tags);
    Messages.toBothPeople(session, target, event, requestId);
  }
}
