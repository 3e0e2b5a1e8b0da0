package chat.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One room: its members, its message sequence and its moderation state (topic, modes, operators,
 * voice, ban, mute and invitation lists). Every change and every delivery happens under the
 * room's monitor, so each member's sink is handed the room's events in one order: the order of
 * {@code seq}. Sinks only enqueue, so the monitor is held for the fan-out loop only. The rules
 * about the moderation state are {@link Moderation}'s; this class only holds it.
 */
final class Room {

  private final String name;
  private final String key;
  private final Set<Session> members = new LinkedHashSet<>();
  private long lastSeq;
  /** Set when the last member left and the room was removed from the hub. */
  private boolean closed;
  private RoomModes modes = RoomModes.DEFAULT;
  private Topic topic;
  private final Set<Session> ops = new HashSet<>();
  private final Set<Session> voiced = new HashSet<>();
  /** Members muted while present: a guest's nick change does not shed the mute. */
  private final Set<Session> mutedMembers = new HashSet<>();
  private final Map<String, Mask> bans = new LinkedHashMap<>();
  private final Map<String, Mask> mutes = new LinkedHashMap<>();
  private final Map<String, Mask> invites = new LinkedHashMap<>();

  Room(String name, long lastSeq) {
    this.name = name;
    this.key = Names.fold(name);
    this.lastSeq = lastSeq;
  }

  String name() {
    return name;
  }

  String key() {
    return key;
  }

  boolean closed() {
    return closed;
  }

  void close() {
    closed = true;
  }

  boolean isEmpty() {
    return members.isEmpty();
  }

  int size() {
    return members.size();
  }

  boolean contains(Session session) {
    return members.contains(session);
  }

  boolean add(Session session) {
    return members.add(session);
  }

  boolean remove(Session session) {
    ops.remove(session);
    voiced.remove(session);
    mutedMembers.remove(session);
    return members.remove(session);
  }

  long nextSeq() {
    return ++lastSeq;
  }

  /** The members in the order they joined; do not change it. */
  Collection<Session> members() {
    return members;
  }

  List<String> nicks() {
    return nicks(members);
  }

  /** The member called {@code nick} (ignoring case), or null. */
  Session member(String nick) {
    if (nick == null) {
      return null;
    }
    String key = Names.fold(nick);
    for (Session member : members) {
      if (Names.fold(member.nick()).equals(key)) {
        return member;
      }
    }
    return null;
  }

  // ---------------------------------------------------------------- moderation state

  RoomModes modes() {
    return modes;
  }

  void modes(RoomModes modes) {
    this.modes = modes;
  }

  /** The topic, or null when none is set. */
  Topic topic() {
    return topic;
  }

  void topic(Topic topic) {
    this.topic = topic;
  }

  boolean isOp(Session session) {
    return ops.contains(session);
  }

  boolean hasOps() {
    return !ops.isEmpty();
  }

  /** Gives or takes operator status; true if that changed anything. */
  boolean op(Session member, boolean on) {
    return on ? ops.add(member) : ops.remove(member);
  }

  boolean isVoiced(Session session) {
    return voiced.contains(session);
  }

  boolean voice(Session member, boolean on) {
    return on ? voiced.add(member) : voiced.remove(member);
  }

  /** The operators' nicks, in the order they joined. */
  List<String> opNicks() {
    return nicks(members.stream().filter(ops::contains).toList());
  }

  List<String> voicedNicks() {
    return nicks(members.stream().filter(voiced::contains).toList());
  }

  /** The ban, mute or invitation list, by {@link Mask#key()}. */
  Map<String, Mask> list(RoomMode mode) {
    return switch (mode) {
      case BAN -> bans;
      case MUTE -> mutes;
      case INVITE -> invites;
      default -> throw new IllegalArgumentException(mode + " is not a list");
    };
  }

  /** Whether a mask on the list matches the session. */
  boolean listed(RoomMode mode, Session session) {
    for (Mask mask : list(mode).values()) {
      if (mask.matches(session)) {
        return true;
      }
    }
    return false;
  }

  boolean isMuted(Session session) {
    return mutedMembers.contains(session) || listed(RoomMode.MUTE, session);
  }

  boolean muteMember(Session member, boolean on) {
    return on ? mutedMembers.add(member) : mutedMembers.remove(member);
  }

  private static List<String> nicks(Collection<Session> sessions) {
    List<String> nicks = new ArrayList<>(sessions.size());
    for (Session member : sessions) {
      nicks.add(member.nick());
    }
    return nicks;
  }

  /** Hands {@code event} to every member; the one with {@code replyTo} gets it as its reply. */
  void broadcast(Event event, Session replyTo, String replyId) {
    for (Session member : members) {
      member.sink().event(event, member == replyTo ? replyId : null);
    }
  }
}
