package chat.core;

import chat.core.store.Account;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rules of room moderation and server administration, for every door.
 *
 * <ul>
 *   <li>A room's first member is its operator, except in the default room, which belongs to the
 *       server: there only admins moderate, and whoever they make operator.
 *   <li>Operators and server admins ({@link Session#isAdmin()}) may set the topic, kick, change
 *       modes (flags {@code i k l m t}, {@code o v}, the ban, mute and invitation lists); admins
 *       need be neither operator nor member. Without {@code +t} any member may set the topic.
 *   <li>Every change is announced to the room under its monitor, so in the room's order: a
 *       {@code topic}, a {@code mode} (what changed, who changed it, why) or a {@code kicked}
 *       event. A ban removes the banned members present with a {@code kicked} event.
 *   <li>Joining: banned ({@code banned}), then invite-only ({@code invite-only}), then the key
 *       ({@code bad-key}), then the limit ({@code room-full}); an invitation passes the last
 *       three, never a ban. Admins and the room's operators (owner, operator accounts) pass all
 *       four.
 *   <li>Speaking: admins and operators always; otherwise not when muted ({@code muted}), and in a
 *       moderated room only with voice ({@code moderated}).
 *   <li>A non-admin may not kick a server admin or take their operator status.
 *   <li>When the last operator leaves a room that still has members (other than the default
 *       room), the longest-present member who is not muted becomes operator, announced as a
 *       {@code mode} change by the server.
 *   <li>Moderation state is durable ({@link RoomLog}): topic, modes, lists and the operator
 *       and voice status of accounts are stored with every change, before it is announced, and
 *       survive the room emptying and a restart. A guest's status ends with the guest. A room
 *       registered to an account keeps that owner as its permanent operator, and no status
 *       passes on in it.
 * </ul>
 *
 * <p>Bans, mutes and invitations name a {@link Mask}: a nick given for one resolves to the
 * account when its user is logged in (or the nick is registered), else to the nick. An account
 * mask holds across nick changes; a nick mask holds the nick, so a guest can shed a ban by
 * changing nick (a mute holds while the guest stays in the room).
 */
final class Moderation {

  /** Longest topic by default, in characters ({@link CoreLimits#maxTopicLength()}). */
  static final int MAX_TOPIC_LENGTH = 390;
  /** Highest member limit ({@code +l}). */
  static final int MAX_LIMIT = 100_000;
  static final String SUCCESSION_REASON = "the last operator left";

  private final Hub hub;
  private final Clock clock;

  Moderation(Hub hub, Clock clock) {
    this.hub = hub;
    this.clock = clock;
  }

  // ---------------------------------------------------------------- checks used by the hub

  /**
   * Why {@code session} may not join {@code room} with {@code key}, or null if it may. The
   * caller holds the room's monitor.
   */
  Refusal admission(Room room, Session session, String key) {
    if (session.isAdmin() || room.isOp(session)) {
      return null; // the room's own operators (its owner, operator accounts) always get in
    }
    if (room.listed(RoomMode.BAN, session)) {
      return new Refusal(CoreError.BANNED, "you are banned from #" + room.name());
    }
    boolean invited = room.listed(RoomMode.INVITE, session);
    RoomModes modes = room.modes();
    if (modes.inviteOnly() && !invited) {
      return new Refusal(CoreError.INVITE_ONLY, "#" + room.name() + " is invite-only");
    }
    if (modes.key() != null && !invited && !modes.key().equals(key)) {
      return new Refusal(CoreError.BAD_KEY, key == null || key.isEmpty()
          ? "#" + room.name() + " needs a key" : "wrong key for #" + room.name());
    }
    if (modes.limit() > 0 && room.size() >= modes.limit() && !invited) {
      return new Refusal(CoreError.ROOM_FULL,
          "#" + room.name() + " is full (" + modes.limit() + " members)");
    }
    return null;
  }

  /** Why {@code member} may not send to {@code room}, or null. The caller holds the monitor. */
  Refusal speech(Room room, Session member) {
    if (member.isAdmin() || room.isOp(member)) {
      return null;
    }
    if (room.isMuted(member)) {
      return new Refusal(CoreError.MUTED, "you are muted in #" + room.name());
    }
    if (room.modes().moderated() && !room.isVoiced(member)) {
      return new Refusal(CoreError.MODERATED,
          "#" + room.name() + " is moderated: only operators and voiced members speak");
    }
    return null;
  }

  /**
   * Why {@code sender} may not send to {@code room} (typed as {@code typed}), member or not,
   * or null: an outsider needs {@code -n} and a room it may see. The caller holds the monitor.
   */
  Refusal sending(Room room, Session sender, String typed) {
    if (room.contains(sender)) {
      return speech(room, sender);
    }
    if (room.closed() || !room.visibleTo(sender)) {
      return new Refusal(CoreError.NOT_IN_ROOM, "you are not in room " + typed);
    }
    if (room.modes().noExternal()) {
      return new Refusal(CoreError.NOT_IN_ROOM,
          "#" + room.name() + " takes messages from its members only (+n)");
    }
    return externalSpeech(room, sender);
  }

  /**
   * Why {@code sender}, not a member, may not send to {@code room} set {@code -n}, or null: the
   * banned may not, nor anyone in a moderated room (outsiders have no voice). The caller holds
   * the monitor.
   */
  private Refusal externalSpeech(Room room, Session sender) {
    if (sender.isAdmin()) {
      return null;
    }
    if (room.listed(RoomMode.BAN, sender)) {
      return new Refusal(CoreError.BANNED, "you are banned from #" + room.name());
    }
    if (room.isMuted(sender)) {
      return new Refusal(CoreError.MUTED, "you are muted in #" + room.name());
    }
    if (room.modes().moderated()) {
      return new Refusal(CoreError.MODERATED,
          "#" + room.name() + " is moderated: only operators and voiced members speak");
    }
    return null;
  }

  /** A room's first member becomes its operator, unless it is the server's default room. */
  void created(Room room, Session creator) {
    if (hub.isDefaultRoom(room) || room.hasOperatorRecords()) {
      return; // a stored room's operators are its owner and operator accounts
    }
    room.op(creator, true);
    if (creator.account() != null) {
      hub.roomLog.save(room, creator.account(), null, RoomLog.After.NOTHING);
    }
  }

  /**
   * After a member left (for whatever reason): if it was the last operator, status passes on.
   * The caller holds the monitor.
   */
  void departed(Room room, boolean wasOp) {
    if (!wasOp || room.isEmpty() || room.hasOps() || hub.isDefaultRoom(room)
        || room.owner() != null) {
      return;
    }
    for (Session member : room.members()) {
      if (!room.isMuted(member)) {
        room.op(member, true);
        hub.roomLog.mode(room, null, List.of(ModeChange.set(RoomMode.OP, member.nick())),
            SUCCESSION_REASON, clock.millis(), RoomLog.After.NOTHING);
        return;
      }
    }
  }

  // ---------------------------------------------------------------- commands

  void topic(Session session, String requestId, Command.SetTopic c) {
    String text = c.topic();
    if (text != null) {
      String problem = topicProblem(text, hub.limits().maxTopicLength());
      if (problem != null) {
        hub.fail(session, requestId, CoreError.INVALID_TOPIC, problem);
        return;
      }
    }
    Room room = hub.existingRoom(c.room());
    if (room == null) {
      noSuchRoom(session, requestId, c.room());
      return;
    }
    synchronized (room) {
      if (room.closed()) {
        noSuchRoom(session, requestId, c.room());
        return;
      }
      if (text == null) {
        session.sink().reply(requestId, new Reply.RoomTopic(room.name(), room.topic()));
        return;
      }
      if (room.modes().topicLocked() ? !mayModerate(session, requestId, room)
          : !isMemberOrAdmin(session, requestId, room)) {
        return;
      }
      long now = clock.millis();
      Topic topic = text.isEmpty() ? null : new Topic(text, session.nick(), now);
      room.topic(topic);
      hub.roomLog.topic(room, session.nick(), text, now,
          RoomLog.After.reply(session, requestId, new Reply.RoomTopic(room.name(), topic)));
    }
  }

  void kick(Session session, String requestId, Command.Kick c) {
    Room room = hub.existingRoom(c.room());
    if (room == null) {
      noSuchRoom(session, requestId, c.room());
      return;
    }
    synchronized (room) {
      if (room.closed()) {
        noSuchRoom(session, requestId, c.room());
        return;
      }
      if (!mayModerate(session, requestId, room)) {
        return;
      }
      Session target = room.member(c.nick());
      if (target == null) {
        Refusal absent = absent(room, c.nick());
        hub.fail(session, requestId, absent.error, absent.getMessage());
        return;
      }
      if (target.isAdmin() && !session.isAdmin()) {
        hub.fail(session, requestId, CoreError.NOT_OPERATOR,
            target.nick() + " is a server administrator");
        return;
      }
      String nick = target.nick();
      hub.removeMember(room, target);
      hub.roomLog.kick(room, target, session.nick(), hub.reason(c.reason(), ""), clock.millis(),
          RoomLog.After.reply(session, requestId, new Reply.Kicked(room.name(), nick)));
    }
  }

  void kill(Session session, String requestId, Command.Kill c) {
    if (!session.isAdmin()) {
      hub.fail(session, requestId, CoreError.NOT_ADMIN, "only server administrators may kill");
      return;
    }
    Session target = hub.online(c.nick());
    if (target == null) {
      hub.fail(session, requestId, CoreError.NO_SUCH_NICK, "nobody is called " + c.nick());
      return;
    }
    String reason = hub.reason(c.reason(), "");
    if (hub.peers != null && hub.peers.isStandIn(target)) {
      hub.peers.kill(session.nick(), target, reason); // its own server ends it
      session.sink().reply(requestId, new Reply.Done());
      return;
    }
    String quit = "killed by " + session.nick() + (reason.isEmpty() ? "" : ": " + reason);
    List<Session> connections = List.copyOf(target.connections());
    if (connections.contains(session)) {
      session.sink().reply(requestId, new Reply.Done());
    }
    Event killed = new Event.Killed(session.nick(), reason, clock.millis());
    for (Session connection : connections) {
      connection.sink().event(killed, null);
      hub.end(connection, quit);
      connection.sink().close(quit);
    }
    if (!connections.contains(session)) {
      session.sink().reply(requestId, new Reply.Done());
    }
  }

  void mode(Session session, String requestId, Command.Mode c) {
    List<ModeChange> changes = c.changes() == null ? List.of() : c.changes();
    if (changes.isEmpty()) {
      listModes(session, requestId, c.room());
      return;
    }
    if (changes.size() > hub.limits().sizes().maxModeChanges()) {
      hub.fail(session, requestId, CoreError.INVALID_MODE,
          "at most " + hub.limits().sizes().maxModeChanges() + " changes in one request");
      return;
    }
    // Checked and resolved before taking the monitor: resolving may ask the account store.
    List<Planned> plan = new ArrayList<>(changes.size());
    for (ModeChange change : changes) {
      Planned planned;
      try {
        planned = plan(change);
      } catch (Refusal refusal) {
        session.sink().reply(requestId,
            new Reply.Failed(refusal.error, refusal.getMessage(), change.sign()));
        return;
      }
      if (planned != null) {
        plan.add(planned);
      }
    }
    Room room = hub.existingRoom(c.room());
    if (room == null) {
      noSuchRoom(session, requestId, c.room());
      return;
    }
    String reason = c.reason() == null || c.reason().isBlank() ? null : hub.reason(c.reason(), "");
    synchronized (room) {
      if (room.closed()) {
        noSuchRoom(session, requestId, c.room());
        return;
      }
      if (!mayModerate(session, requestId, room)) {
        return;
      }
      try {
        check(session, room, plan);
      } catch (Refusal refusal) {
        session.sink().reply(requestId,
            new Reply.Failed(refusal.error, refusal.getMessage(), refusal.about));
        return;
      }
      List<ModeChange> applied = apply(room, plan);
      Reply reply = new Reply.ModesChanged(room.name(), applied);
      if (applied.isEmpty()) {
        session.sink().reply(requestId, reply);
        return;
      }
      long now = clock.millis();
      List<Session> banned = banned(room, applied);
      List<Session> invited = invited(room, applied);
      Runnable tell = () -> tellInvited(room, session, invited, reason, now);
      hub.roomLog.mode(room, session.nick(), applied, reason, now, banned.isEmpty()
          ? new RoomLog.After(session, requestId, reply, tell)
          : new RoomLog.After(null, null, null, tell).causedBy(session, requestId));
      // The banned leave at once; each removal is its own entry of the log, after the mode.
      for (int i = 0; i < banned.size(); i++) {
        Session member = banned.get(i);
        hub.removeMember(room, member);
        hub.roomLog.kick(room, member, session.nick(), reason == null ? "banned" : reason, now,
            i == banned.size() - 1 ? RoomLog.After.reply(session, requestId, reply)
                : RoomLog.After.NOTHING.causedBy(session, requestId));
      }
    }
  }

  private void listModes(Session session, String requestId, String typed) {
    Room room = hub.existingRoom(typed);
    if (room == null) {
      noSuchRoom(session, requestId, typed);
      return;
    }
    Reply reply;
    synchronized (room) {
      if (room.closed()) {
        noSuchRoom(session, requestId, typed);
        return;
      }
      if (!isMemberOrAdmin(session, requestId, room)) {
        return;
      }
      reply = new Reply.RoomModeList(room.name(), room.modes(), masks(room, RoomMode.BAN),
          masks(room, RoomMode.MUTE), masks(room, RoomMode.INVITE), room.createdTs());
    }
    session.sink().reply(requestId, reply);
  }

  // ---------------------------------------------------------------- mode changes

  /**
   * A change checked for form, its masks resolved.
   *
   * @param masks for list modes: the masks to add (one) or remove (the resolved one, and for a
   *     plain nick also the nick itself)
   * @param present for list modes given a nick: the user with that nick, if online
   */
  private record Planned(ModeChange change, List<Mask> masks, Session present) {}

  /** Checks a change's form and resolves its masks; null for a change that changes nothing. */
  private Planned plan(ModeChange change) throws Refusal {
    RoomMode mode = change.mode();
    String arg = change.arg() == null ? null : change.arg().strip();
    if (mode == null) {
      throw new Refusal(CoreError.INVALID_MODE, "unknown mode");
    }
    if (mode.takesArgument(change.add()) && (arg == null || arg.isEmpty())) {
      throw new Refusal(CoreError.INVALID_MODE, change.sign() + " needs an argument");
    }
    switch (mode) {
      case KEY -> {
        if (change.add()) {
          String problem = keyProblem(arg);
          if (problem != null) {
            throw new Refusal(CoreError.INVALID_MODE, problem);
          }
        }
        return new Planned(new ModeChange(change.add(), mode, change.add() ? arg : null),
            List.of(), null);
      }
      case LIMIT -> {
        if (!change.add()) {
          return new Planned(ModeChange.unset(mode), List.of(), null);
        }
        int limit;
        try {
          limit = Integer.parseInt(arg);
        } catch (NumberFormatException e) {
          limit = -1;
        }
        if (limit < 1 || limit > MAX_LIMIT) {
          throw new Refusal(CoreError.INVALID_MODE,
              "+l needs a number of members from 1 to " + MAX_LIMIT);
        }
        return new Planned(ModeChange.set(mode, Integer.toString(limit)), List.of(), null);
      }
      case OP, VOICE -> {
        return new Planned(new ModeChange(change.add(), mode, arg), List.of(), null);
      }
      case BAN, MUTE, INVITE -> {
        return planList(change.add(), mode, arg);
      }
      case INVITE_ONLY, MODERATED, TOPIC_LOCK, NO_EXTERNAL, SECRET -> {
        return new Planned(new ModeChange(change.add(), mode, null), List.of(), null);
      }
    }
    throw new AssertionError(mode);
  }

  private Planned planList(boolean add, RoomMode mode, String arg) throws Refusal {
    Mask explicit = Mask.parse(arg);
    if (explicit != null) {
      if (Names.nickProblem(explicit.name(), Integer.MAX_VALUE) != null) {
        throw new Refusal(CoreError.INVALID_MODE, "not a nick or account: " + explicit.name());
      }
      return new Planned(new ModeChange(add, mode, arg), List.of(explicit), null);
    }
    if (Names.nickProblem(arg, Integer.MAX_VALUE) != null) {
      throw new Refusal(CoreError.INVALID_MODE,
          "not a nick, account:NAME or nick:NICK: " + arg);
    }
    Session present = hub.online(arg);
    Mask resolved;
    if (present != null) {
      resolved = present.account() != null ? Mask.ofAccount(present.account())
          : Mask.ofNick(present.nick());
    } else {
      Account owner = hub.owner(arg);
      resolved = owner != null ? Mask.ofAccount(owner.name()) : Mask.ofNick(arg);
    }
    List<Mask> masks = new ArrayList<>();
    masks.add(resolved);
    if (!add && resolved.account()) {
      masks.add(Mask.ofNick(arg)); // unban bob: whichever way bob was banned
    }
    return new Planned(new ModeChange(add, mode, arg), masks, present);
  }

  /** Why {@code nick} cannot be acted on in {@code room}: nobody has it, or not a member. */
  private Refusal absent(Room room, String nick) {
    return hub.online(nick) == null
        ? new Refusal(CoreError.NO_SUCH_NICK, "nobody is called " + nick)
        : new Refusal(CoreError.NOT_A_MEMBER, nick + " is not in #" + room.name());
  }

  /** Checks the changes against the room (all or nothing). The caller holds the monitor. */
  private void check(Session actor, Room room, List<Planned> plan) throws Refusal {
    Map<RoomMode, Integer> growth = new LinkedHashMap<>();
    for (Planned p : plan) {
      ModeChange change = p.change();
      try {
        switch (change.mode()) {
          case OP, VOICE -> {
            Session target = room.member(change.arg());
            if (target == null) {
              throw absent(room, change.arg());
            }
            if (change.mode() == RoomMode.OP && !change.add() && target.isAdmin()
                && !actor.isAdmin()) {
              throw new Refusal(CoreError.NOT_OPERATOR,
                  target.nick() + " is a server administrator");
            }
            if (change.mode() == RoomMode.OP && !change.add() && room.isOwner(target)) {
              throw new Refusal(CoreError.NOT_OPERATOR,
                  target.nick() + " owns #" + room.name() + " (transfer the room first)");
            }
          }
          case BAN, MUTE, INVITE -> {
            if (change.add() && !room.list(change.mode()).containsKey(p.masks().get(0).key())) {
              int max = hub.limits().sizes().maxListSize();
              int size = room.list(change.mode()).size()
                  + growth.merge(change.mode(), 1, Integer::sum);
              if (size > max) {
                throw new Refusal(CoreError.INVALID_MODE, "the " + listName(change.mode())
                    + " list of #" + room.name() + " is full (" + max + ")");
              }
            }
          }
          default -> { }
        }
      } catch (Refusal refusal) {
        throw refusal.about(change.sign());
      }
    }
  }

  /** Applies the changes; returns those that changed something, arguments resolved. */
  private List<ModeChange> apply(Room room, List<Planned> plan) {
    List<ModeChange> applied = new ArrayList<>();
    for (Planned p : plan) {
      ModeChange change = p.change();
      boolean add = change.add();
      RoomModes modes = room.modes();
      switch (change.mode()) {
        case INVITE_ONLY, MODERATED, TOPIC_LOCK, NO_EXTERNAL, SECRET -> {
          if (modes.has(change.mode()) != add) {
            room.modes(modes.withFlag(change.mode(), add));
            applied.add(change);
          }
        }
        case KEY -> {
          String key = add ? change.arg() : null;
          if (!java.util.Objects.equals(modes.key(), key)) {
            room.modes(modes.withKey(key));
            applied.add(change);
          }
        }
        case LIMIT -> {
          int limit = add ? Integer.parseInt(change.arg()) : 0;
          if (modes.limit() != limit) {
            room.modes(modes.withLimit(limit));
            applied.add(change);
          }
        }
        case OP, VOICE -> {
          Session target = room.member(change.arg());
          boolean changed = change.mode() == RoomMode.OP ? room.op(target, add)
              : room.voice(target, add);
          if (changed) {
            applied.add(new ModeChange(add, change.mode(), target.nick()));
          }
        }
        case BAN, MUTE, INVITE -> applyList(room, p, applied);
      }
    }
    return applied;
  }

  private void applyList(Room room, Planned p, List<ModeChange> applied) {
    ModeChange change = p.change();
    Map<String, Mask> list = room.list(change.mode());
    if (change.add()) {
      Mask mask = p.masks().get(0);
      boolean changed = list.putIfAbsent(mask.key(), mask) == null;
      if (change.mode() == RoomMode.MUTE) {
        for (Session member : room.members()) {
          if (mask.matches(member) && !member.isAdmin()) {
            changed |= room.muteMember(member, true);
          }
        }
      }
      if (changed) {
        applied.add(ModeChange.set(change.mode(), mask.toString()));
      }
      return;
    }
    boolean any = false;
    for (Mask mask : p.masks()) {
      if (list.remove(mask.key()) != null) {
        applied.add(ModeChange.unset(change.mode(), mask.toString()));
        any = true;
      }
    }
    if (change.mode() == RoomMode.MUTE && p.present() != null
        && room.muteMember(p.present(), false) && !any) {
      applied.add(ModeChange.unset(RoomMode.MUTE, Mask.ofNick(p.present().nick()).toString()));
    }
  }

  /** The members a ban among {@code applied} removes. */
  private static List<Session> banned(Room room, List<ModeChange> applied) {
    List<Session> out = new ArrayList<>();
    for (ModeChange change : applied) {
      if (change.add() && change.mode() == RoomMode.BAN) {
        Mask mask = Mask.parse(change.arg());
        for (Session member : room.representatives()) {
          if (mask.matches(member) && !member.isAdmin() && !out.contains(member)) {
            out.add(member);
          }
        }
      }
    }
    return out;
  }

  /** Who an invitation among {@code applied} reaches: online, not in the room. */
  private List<Session> invited(Room room, List<ModeChange> applied) {
    List<Session> out = new ArrayList<>();
    for (ModeChange change : applied) {
      if (change.add() && change.mode() == RoomMode.INVITE) {
        for (Session invitee : hub.onlineMatching(Mask.parse(change.arg()))) {
          if (!room.hasPerson(invitee.identity()) && !out.contains(invitee)) {
            out.add(invitee);
          }
        }
      }
    }
    return out;
  }

  private static void tellInvited(Room room, Session actor, List<Session> invited,
      String reason, long now) {
    Event event = new Event.Invited(room.name(), actor.nick(), actor.account(), reason, now);
    for (Session invitee : invited) {
      for (Session connection : invitee.connections()) {
        connection.sink().event(event, null);
      }
    }
  }

  // ---------------------------------------------------------------- helpers

  /** Operators and admins pass; others are told why not. The caller holds the monitor. */
  private boolean mayModerate(Session session, String requestId, Room room) {
    if (session.isAdmin() || room.isOp(session)) {
      return true;
    }
    if (!room.contains(session)) {
      hub.fail(session, requestId, CoreError.NOT_IN_ROOM, "you are not in room " + room.name());
    } else {
      hub.fail(session, requestId, CoreError.NOT_OPERATOR,
          "you are not an operator of #" + room.name());
    }
    return false;
  }

  private boolean isMemberOrAdmin(Session session, String requestId, Room room) {
    if (session.isAdmin() || room.contains(session)) {
      return true;
    }
    hub.fail(session, requestId, CoreError.NOT_IN_ROOM, "you are not in room " + room.name());
    return false;
  }

  private void noSuchRoom(Session session, String requestId, String typed) {
    hub.fail(session, requestId, CoreError.NO_SUCH_ROOM, "no room named " + typed);
  }

  private static List<String> masks(Room room, RoomMode mode) {
    return room.list(mode).values().stream().map(Mask::toString).toList();
  }

  private static String listName(RoomMode mode) {
    return switch (mode) {
      case BAN -> "ban";
      case MUTE -> "mute";
      default -> "invitation";
    };
  }

  static String topicProblem(String topic, int maxLength) {
    if (topic.length() > maxLength) {
      return "topic is longer than " + maxLength + " characters";
    }
    for (int i = 0; i < topic.length(); i++) {
      if (Character.isISOControl(topic.charAt(i))) {
        return "topic must be one line without control characters";
      }
    }
    return null;
  }

  String keyProblem(String key) {
    if (key.length() > hub.limits().sizes().maxKeyLength()) {
      return "key is longer than " + hub.limits().sizes().maxKeyLength() + " characters";
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c <= ' ' || c > '~' || c == ',') {
        return "key may contain only printable ASCII without spaces or commas";
      }
    }
    return null;
  }

  /** Why a moderation rule refuses something. */
  static final class Refusal extends Exception {
    final CoreError error;
    /** Which part of the request it refuses (a mode change's sign), or null. */
    String about;

    Refusal(CoreError error, String message) {
      super(message, null, false, false);
      this.error = error;
    }

    Refusal about(String part) {
      about = part;
      return this;
    }
  }
}
