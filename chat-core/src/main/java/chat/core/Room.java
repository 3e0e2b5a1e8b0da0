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
  /** Member connections: each gets every event. */
  private final Set<Session> members = new LinkedHashSet<>();
  /** The people those connections belong to, in the order they came, with their count. */
  private final Map<Identity, Integer> people = new LinkedHashMap<>();
  private long lastSeq;
  /**
   * The highest seq handed out to members (durable): entries above it are still being stored
   * and will reach every member live, so a replay stops here.
   */
  private long deliveredSeq;
  /** Set when the last member left and the room was removed from the hub. */
  private boolean closed;
  /**
   * Too many people to tell each of every arrival (docs/ARCHITECTURE.md, "Big rooms"): presence
   * changes go to the person's own connections only, and member lists are fetched on demand.
   */
  private boolean quiet;
  /** The account the room is registered to, or null. */
  private String owner;
  private long createdTs;
  private long changedTs;
  /** Whether the room has state in the store (a record was saved or loaded). */
  private boolean stored;
  /** Operator and voice status of accounts (kept by the store), folded name to display name. */
  private final Map<String, String> opAccounts = new LinkedHashMap<>();
  private final Map<String, String> voiceAccounts = new LinkedHashMap<>();
  private volatile RoomModes modes = RoomModes.DEFAULT;
  private Topic topic;
  /** Guests' status, while present (an account's is in opAccounts and voiceAccounts). */
  private final Set<Identity> ops = new HashSet<>();
  private final Set<Identity> voiced = new HashSet<>();
  /** Members muted while present: a guest's nick change does not shed the mute. */
  private final Set<Identity> mutedMembers = new HashSet<>();
  private final Map<String, Mask> bans = new LinkedHashMap<>();
  private final Map<String, Mask> mutes = new LinkedHashMap<>();
  private final Map<String, Mask> invites = new LinkedHashMap<>();

  Room(String name, long lastSeq) {
    this(name, lastSeq, 0);
  }

  /** A new room, created at {@code createdTs} (epoch millis; 0: when first stored). */
  Room(String name, long lastSeq, long createdTs) {
    this.name = name;
    this.createdTs = createdTs;
    this.key = Names.fold(name);
    this.lastSeq = lastSeq;
    this.deliveredSeq = lastSeq;
  }

  /** A room as the store kept it; its log continues after {@code lastSeq}. */
  static Room restored(chat.core.store.RoomRecord record, long lastSeq) {
    Room room = new Room(record.name(), lastSeq);
    room.stored = true;
    room.owner = record.owner();
    room.createdTs = record.createdTs();
    room.changedTs = record.changedTs();
    room.topic = record.topic();
    room.modes = record.modes();
    room.restoreList(RoomMode.BAN, record.bans());
    room.restoreList(RoomMode.MUTE, record.mutes());
    room.restoreList(RoomMode.INVITE, record.invites());
    for (String account : record.ops()) {
      room.opAccounts.put(Names.fold(account), account);
    }
    for (String account : record.voiced()) {
      room.voiceAccounts.put(Names.fold(account), account);
    }
    return room;
  }

  private void restoreList(RoomMode mode, List<String> masks) {
    for (String text : masks) {
      Mask mask = Mask.parse(text);
      if (mask != null) {
        list(mode).put(mask.key(), mask);
      }
    }
  }

  /** When the room was created (epoch millis), or 0 when not known. */
  long createdTs() {
    return createdTs;
  }

  /** The state to store, as of {@code now}. */
  chat.core.store.RoomRecord record(long now) {
    if (createdTs == 0) {
      createdTs = now;
    }
    changedTs = now;
    stored = true;
    return new chat.core.store.RoomRecord(name, owner, createdTs, changedTs, topic, modes,
        masks(bans), masks(mutes), masks(invites), List.copyOf(opAccounts.values()),
        List.copyOf(voiceAccounts.values()));
  }

  private static List<String> masks(Map<String, Mask> list) {
    return list.values().stream().map(Mask::toString).toList();
  }

  boolean stored() {
    return stored;
  }

  /** The room's state is gone from the store (closed by an admin, expired). */
  void forgotten() {
    stored = false;
  }

  String owner() {
    return owner;
  }

  void owner(String account) {
    this.owner = account;
  }

  long changedTs() {
    return changedTs;
  }

  long lastSeq() {
    return lastSeq;
  }

  long deliveredSeq() {
    return deliveredSeq;
  }

  /** Entry {@code seq} of the room's log is durable and being handed out. */
  void delivered(long seq) {
    deliveredSeq = Math.max(deliveredSeq, seq);
  }

  /** An entry numbered elsewhere (the store, for a shared room): the counter goes past it. */
  void seenSeq(long seq) {
    lastSeq = Math.max(lastSeq, seq);
  }

  /** Whether entries of the log are still being stored. */
  boolean pending() {
    return lastSeq > deliveredSeq;
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

  /** Whether presence changes are told only to the person's own connections. */
  boolean quiet() {
    return quiet;
  }

  /**
   * Goes quiet above {@code limit} people and speaks again at nine tenths of it, so a room at
   * the limit does not switch at every join and leave. True when it switched.
   */
  boolean updateQuiet(int limit) {
    boolean now = quiet ? size() > limit - limit / 10 : size() > limit;
    if (now == quiet) {
      return false;
    }
    quiet = now;
    return true;
  }

  /**
   * Hands a presence change of {@code subject} (an arrival, a departure) to every member, or in a
   * quiet room to the subject's own connections only; {@code subject} gets it last, marked as
   * caused by {@code requestId}, as in {@link #broadcastCaused}.
   */
  void presence(Event event, Session subject, String requestId) {
    if (!quiet) {
      broadcastCaused(event, subject, requestId);
    } else if (subject != null) {
      List<Session> own = new ArrayList<>(2);
      for (Session connection : subject.connections()) {
        if (members.contains(connection)) {
          own.add(connection);
        }
      }
      if (members.contains(subject) && !own.contains(subject)) {
        own.add(subject);
      }
      handOutAll(own, event, subject, requestId);
    }
  }

  /** How many people are in the room (an account's connections count once). */
  int size() {
    return people.size();
  }

  boolean contains(Session session) {
    return members.contains(session);
  }

  /**
   * Whether {@code viewer} may know of the room and its members: anyone, unless the room is
   * secret ({@code +s}); then its members (any of their connections) and administrators.
   */
  boolean visibleTo(Session viewer) {
    return !modes.secret() || viewer.isAdmin() || hasPerson(viewer.identity());
  }

  /** Whether any connection of the identity is a member. */
  boolean hasPerson(Identity identity) {
    return people.containsKey(identity);
  }

  boolean add(Session session) {
    if (!members.add(session)) {
      return false;
    }
    people.merge(session.identity(), 1, Integer::sum);
    return true;
  }

  /** Removes one connection; the person's status goes with their last connection. */
  boolean remove(Session session) {
    if (!members.remove(session)) {
      return false;
    }
    Identity person = session.identity();
    if (people.merge(person, -1, Integer::sum) <= 0) {
      people.remove(person);
      ops.remove(person);
      voiced.remove(person);
      mutedMembers.remove(person);
    }
    return true;
  }

  long nextSeq() {
    return ++lastSeq;
  }

  /** The members in the order they joined; do not change it. */
  Collection<Session> members() {
    return members;
  }

  /** The people's nicks, in the order they came. */
  List<String> nicks() {
    List<String> nicks = new ArrayList<>(people.size());
    java.util.Set<String> seen = new HashSet<>();
    for (Identity person : people.keySet()) {
      // An account on two servers is two people here (one is a stand-in), shown once.
      if (seen.add(Names.fold(person.nick()))) {
        nicks.add(person.nick());
      }
    }
    return nicks;
  }

  /** One connection of each person, in the order they came. */
  List<Session> representatives() {
    List<Session> out = new ArrayList<>(people.size());
    java.util.Set<String> seen = new HashSet<>();
    for (Session member : members) {
      if (seen.add(Names.fold(member.nick()))) {
        out.add(member);
      }
    }
    return out;
  }

  /** A member connection of the person called {@code nick} (ignoring case), or null. */
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

  /** Operator: the owner, an operator account, or a guest made operator while present. */
  boolean isOp(Session session) {
    return ops.contains(session.identity()) || isOwner(session)
        || (session.account() != null && opAccounts.containsKey(Names.fold(session.account())));
  }

  boolean isOwner(Session session) {
    return owner != null && session.account() != null
        && Names.fold(owner).equals(Names.fold(session.account()));
  }

  /** Whether a present member is an operator. */
  boolean hasOps() {
    for (Session member : members) {
      if (isOp(member)) {
        return true;
      }
    }
    return false;
  }

  /** Whether operator status is recorded for anyone, present or not. */
  boolean hasOperatorRecords() {
    return owner != null || !opAccounts.isEmpty() || !ops.isEmpty();
  }

  /**
   * Gives or takes operator status; true if that changed anything. A logged-in member's status
   * belongs to the account (kept by the store); a guest's to the session.
   */
  boolean op(Session member, boolean on) {
    return role(member, on, ops, opAccounts);
  }

  boolean isVoiced(Session session) {
    return voiced.contains(session.identity())
        || (session.account() != null && voiceAccounts.containsKey(Names.fold(session.account())));
  }

  boolean voice(Session member, boolean on) {
    return role(member, on, voiced, voiceAccounts);
  }

  private static boolean role(Session member, boolean on, Set<Identity> guests,
      Map<String, String> accounts) {
    String account = member.account();
    if (account == null) {
      return on ? guests.add(member.identity()) : guests.remove(member.identity());
    }
    String folded = Names.fold(account);
    return on ? accounts.put(folded, account) == null : accounts.remove(folded) != null;
  }

  /** Operator status for an account (null: nothing), present or not. */
  void opAccount(String account, boolean on) {
    if (account != null) {
      if (on) {
        opAccounts.put(Names.fold(account), account);
      } else {
        opAccounts.remove(Names.fold(account));
      }
    }
  }

  /** Voice for an account (null: nothing), present or not. */
  void voiceAccount(String account, boolean on) {
    if (account != null) {
      if (on) {
        voiceAccounts.put(Names.fold(account), account);
      } else {
        voiceAccounts.remove(Names.fold(account));
      }
    }
  }

  List<String> opAccounts() {
    return List.copyOf(opAccounts.values());
  }

  /** Ends the session-bound roles of a session that is logged in now (they pass to the account). */
  void loggedIn(Session member) {
    if (ops.remove(member.identity())) {
      op(member, true);
    }
    if (voiced.remove(member.identity())) {
      voice(member, true);
    }
  }

  /** The operators' nicks, in the order they joined. */
  List<String> opNicks() {
    return nicks(representatives().stream().filter(this::isOp).toList());
  }

  List<String> voicedNicks() {
    return nicks(representatives().stream().filter(this::isVoiced).toList());
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
    return mutedMembers.contains(session.identity()) || listed(RoomMode.MUTE, session);
  }

  boolean muteMember(Session member, boolean on) {
    return on ? mutedMembers.add(member.identity()) : mutedMembers.remove(member.identity());
  }

  private static List<String> nicks(Collection<Session> sessions) {
    List<String> nicks = new ArrayList<>(sessions.size());
    for (Session member : sessions) {
      nicks.add(member.nick());
    }
    return nicks;
  }

  /**
   * Hands {@code event} to every member; the one with {@code replyTo} gets it as its reply, last:
   * once the sender has its confirmation, every other member has the event queued, so a client
   * that syncs after the sender's echo (with PING, say) finds the message before its answer.
   */
  void broadcast(Event event, Session replyTo, String replyId) {
    boolean replyToMember = false;
    for (Session member : members) {
      if (member == replyTo) {
        replyToMember = true;
      } else {
        member.sink().event(event, null);
      }
    }
    if (replyToMember) {
      replyTo.sink().event(event, replyId);
    }
  }

  /**
   * Hands {@code event} to every member; {@code causer} (may be null) gets it marked as caused
   * by its request {@code requestId} ({@link EventSink#caused}), last, as in {@link #broadcast}.
   */
  void broadcastCaused(Event event, Session causer, String requestId) {
    handOutAll(members, event, causer, requestId);
  }

  /** The members now, in join order (a copy). Under the room's monitor. */
  List<Session> membersNow() {
    return List.copyOf(members);
  }

  /**
   * Hands {@code event} to {@code recipients} (the members, or those when the change was made;
   * sessions closed since are skipped), {@code causer} last, as in {@link #broadcast}.
   */
  static void handOutAll(Collection<Session> recipients, Event event, Session causer,
      String requestId) {
    boolean causerThere = false;
    for (Session member : recipients) {
      if (member == causer) {
        causerThere = true;
      } else if (!member.isClosed()) {
        handOut(member, event, causer, requestId);
      }
    }
    if (causerThere && !causer.isClosed()) {
      handOut(causer, event, causer, requestId);
    }
  }

  /** Hands {@code event} to {@code to}, marked as caused when {@code to} is the causer. */
  static void handOut(Session to, Event event, Session causer, String requestId) {
    if (to == causer && requestId != null) {
      to.sink().caused(event, requestId);
    } else {
      to.sink().event(event, null);
    }
  }
}
