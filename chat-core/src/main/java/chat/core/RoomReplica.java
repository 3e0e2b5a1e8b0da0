package chat.core;

import chat.core.cluster.RoomNote;
import chat.core.store.StoredMessage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A shared room's state follows the room's log (docs/ARCHITECTURE.md, "Several servers"): each
 * topic, mode and kick entry another server committed is applied here from the entry itself, as
 * {@link Cluster} hands the room's entries out in seq order, so the topic, modes, lists and
 * roles here are what they are on the server that made the change, after the same entries.
 *
 * <p>This server's own changes are applied at once, before the store numbers them (the next
 * request sees them). One still being stored is numbered after every entry handed out so far,
 * so when another server's entry is applied meanwhile, the own changes in flight are applied
 * again on top: the state is the log's, in its order, whichever server's change came first.
 *
 * <p>Changes stored without a log entry (registration, the operator account of a creator or
 * former owner) travel as {@link RoomNote}s and are applied when they come.
 *
 * <p>Every method is called with the room's monitor held.
 */
final class RoomReplica {

  /** {@code @Account} after an {@code o} or {@code v} line of a MODE entry: whose status it is. */
  static final char ACCOUNT_LINE = '@';

  /** Per room key, this server's changes being stored, by message id, in the order made. */
  private final Map<String, LinkedHashMap<String, StoredMessage>> inFlight =
      new ConcurrentHashMap<>();

  /** A change this server made and applied, now being stored. */
  void changing(Room room, StoredMessage entry) {
    inFlight.computeIfAbsent(room.key(), k -> new LinkedHashMap<>()).put(entry.msgId(), entry);
  }

  /** A change of this server's that could not be stored. */
  void failed(Room room, StoredMessage entry) {
    ownDone(room, entry.msgId());
  }

  /**
   * Entry {@code entry} of the room's log is being handed out: another server's change is
   * applied (this server's own was already). Returns the member here that a KICK names, to be
   * removed once the members, that member included, have been handed the event; else null.
   */
  Session handingOut(Room room, StoredMessage entry) {
    if (entry == null || !entry.kind().isRoomChange() || ownDone(room, entry.msgId())) {
      return null;
    }
    Session kicked = null;
    switch (entry.kind()) {
      case TOPIC -> topic(room, entry);
      case MODE -> mode(room, entry);
      case KICK -> kicked = room.member(entry.to());
      default -> { }
    }
    reapplyOwn(room);
    return kicked;
  }

  /** A room note from another server. */
  void noted(Room room, RoomNote note) {
    room.owner(note.owner());
    room.opAccount(note.opGranted(), true);
    reapplyOwn(room);
    if (note.notice() != null) {
      room.broadcast(new Event.Notice(room.name(), note.notice(), note.ts()), null, null);
    }
  }

  /** Whether the entry was one of this server's changes (no longer in flight now). */
  private boolean ownDone(Room room, String msgId) {
    LinkedHashMap<String, StoredMessage> own = inFlight.get(room.key());
    if (own == null || own.remove(msgId) == null) {
      return false;
    }
    if (own.isEmpty()) {
      inFlight.remove(room.key(), own);
    }
    return true;
  }

  /** This server's changes still being stored come after what was just applied. */
  private void reapplyOwn(Room room) {
    LinkedHashMap<String, StoredMessage> own = inFlight.get(room.key());
    if (own == null) {
      return;
    }
    for (StoredMessage entry : own.values()) {
      switch (entry.kind()) {
        case TOPIC -> topic(room, entry);
        case MODE -> mode(room, entry);
        default -> { } // a kick removed its member when it was made
      }
    }
  }

  private static void topic(Room room, StoredMessage entry) {
    String by = entry.from() == null || entry.from().isEmpty() ? null : entry.from();
    room.topic(entry.text().isEmpty() ? null : new Topic(entry.text(), by, entry.ts()));
  }

  /** A change and, for a role given to an account, the account. */
  private record Line(ModeChange change, String account) {}

  private void mode(Room room, StoredMessage entry) {
    for (Line line : lines(entry.text())) {
      ModeChange change = line.change();
      boolean add = change.add();
      RoomModes modes = room.modes();
      switch (change.mode()) {
        case INVITE_ONLY, MODERATED, TOPIC_LOCK, NO_EXTERNAL, SECRET ->
            room.modes(modes.withFlag(change.mode(), add));
        case KEY -> room.modes(modes.withKey(add ? change.arg() : null));
        case LIMIT -> room.modes(modes.withLimit(add ? limit(change.arg()) : 0));
        case OP, VOICE -> role(room, line);
        case BAN, MUTE, INVITE -> list(room, change);
      }
    }
  }

  /**
   * An account's status is the account's, present here or not; a guest's belongs to the guest
   * of that nick, so it applies to a guest member here of that nick (a logged-in member of that
   * nick is someone else).
   */
  private static void role(Room room, Line line) {
    ModeChange change = line.change();
    boolean op = change.mode() == RoomMode.OP;
    if (line.account() != null) {
      if (op) {
        room.opAccount(line.account(), change.add());
      } else {
        room.voiceAccount(line.account(), change.add());
      }
      return;
    }
    Session member = room.member(change.arg());
    if (member != null && member.account() == null) {
      if (op) {
        room.op(member, change.add());
      } else {
        room.voice(member, change.add());
      }
    }
  }

  private static void list(Room room, ModeChange change) {
    Mask mask = change.arg() == null ? null : Mask.parse(change.arg());
    if (mask == null) {
      return;
    }
    Map<String, Mask> list = room.list(change.mode());
    if (change.add()) {
      list.putIfAbsent(mask.key(), mask);
    } else {
      list.remove(mask.key());
    }
    if (change.mode() == RoomMode.MUTE) {
      for (Session member : room.members()) {
        if (mask.matches(member) && !(change.add() && member.isAdmin())) {
          room.muteMember(member, change.add());
        }
      }
    }
  }

  private static int limit(String arg) {
    try {
      return Math.max(0, Integer.parseInt(arg));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** A MODE entry's changes, each with the account an {@code @} line after it names. */
  private static List<Line> lines(String text) {
    String[] lines = text.split("\n", -1);
    List<Line> out = new ArrayList<>();
    for (int i = 1; i < lines.length; i++) {
      ModeChange change = RoomLog.decodeChange(lines[i]);
      if (change == null) {
        continue;
      }
      String account = null;
      if (i + 1 < lines.length && lines[i + 1].length() > 1
          && lines[i + 1].charAt(0) == ACCOUNT_LINE) {
        account = lines[++i].substring(1);
      }
      out.add(new Line(change, account));
    }
    return out;
  }
}
