package chat.core;

import chat.core.store.MessageStore;
import chat.core.store.ReadMarker;
import chat.core.store.StoredMessage;
import java.util.List;

/**
 * Counts what an account has not read after each of its markers: the messages of others with a
 * greater seq (a room) or a later id (a conversation), and among them those that mention the
 * account's nick. At most the resume cap of the newest entries is looked at, so a count past it
 * says {@code more}: a client shows it as "1000+".
 */
final class Unread {

  private final MessageStore store;
  private final Rooms rooms;
  private final int max;

  Unread(MessageStore store, Rooms rooms, int max) {
    this.store = store;
    this.rooms = rooms;
    this.max = max;
  }

  /** The count after one marker; blocking (the store is read), so off the I/O thread. */
  Reply.UnreadCount count(ReadMarker marker, String account, String nick) {
    return marker.isConversation() ? conversation(marker, account, nick) : room(marker, account, nick);
  }

  private Reply.UnreadCount room(ReadMarker marker, String account, String nick) {
    Room live = rooms.byKey.get(marker.target());
    // Only what was handed out: a message not yet durable is not yet anybody's to read.
    long upTo = live != null ? live.deliveredSeq() : store.lastSeq(marker.target());
    if (upTo <= marker.seq()) {
      return new Reply.UnreadCount(marker.target(), upTo, 0, 0, false);
    }
    List<StoredMessage> newest = store.roomHistory(marker.target(), upTo + 1, max);
    int unread = 0;
    int mentions = 0;
    for (StoredMessage m : newest) {
      if (m.seq() > marker.seq() && isMessage(m) && !mine(m, account)) {
        unread++;
        if (Mentions.mentions(m.text(), nick)) {
          mentions++;
        }
      }
    }
    boolean more = !newest.isEmpty() && newest.size() >= max && newest.get(0).seq() > marker.seq() + 1;
    return new Reply.UnreadCount(marker.target(), upTo, unread, mentions, more);
  }

  private Reply.UnreadCount conversation(ReadMarker marker, String account, String nick) {
    String with = marker.target().substring(1);
    List<StoredMessage> after = store.privateSince(account, marker.msgId(), max + 1);
    boolean more = after.size() > max;
    int unread = 0;
    int mentions = 0;
    for (StoredMessage m : more ? after.subList(1, after.size()) : after) {
      if (!mine(m, account) && m.fromAccount() != null && Names.fold(m.fromAccount()).equals(with)) {
        unread++;
        if (Mentions.mentions(m.text(), nick)) {
          mentions++;
        }
      }
    }
    return new Reply.UnreadCount(marker.target(), 0, unread, mentions, more);
  }

  private static boolean isMessage(StoredMessage m) {
    return m.kind() == MessageKind.TEXT || m.kind() == MessageKind.ACTION
        || m.kind() == MessageKind.FILE;
  }

  private static boolean mine(StoredMessage m, String account) {
    return m.fromAccount() != null && Names.fold(m.fromAccount()).equals(Names.fold(account));
  }
}
