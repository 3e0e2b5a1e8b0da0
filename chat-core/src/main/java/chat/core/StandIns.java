package chat.core;

import chat.core.cluster.Directory;
import chat.core.cluster.Note;
import chat.core.cluster.Note.Kind;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The users of the other servers, here (docs/ARCHITECTURE.md, "Several servers"): a stand-in
 * per user and server, kept true by that server's {@link Note}s, whose changes this server's
 * members are told of; a dead server's stand-ins wait for the grace period, and a user back
 * here takes its stand-ins' place ({@link #adopt}).
 */
final class StandIns {

  private static final Logger log = LoggerFactory.getLogger(StandIns.class);
  /** Stand-in ids count down from here, away from the local sessions' ids. */
  private static final AtomicLong STAND_IN_IDS = new AtomicLong(-1_000_000_000L);

  private final Hub hub;
  private final Clock clock;
  private final Peers peers;
  private final Directory directory;
  /** Stand-ins by their server's bus id and folded nick ({@link #key}). */
  private final ConcurrentMap<String, Remote> users = new ConcurrentHashMap<>();

  /** A user of another server. */
  static final class Remote {
    final Session standIn;
    volatile String origin;
    volatile long node;
    /** Clock millis its dead server's grace ends; 0 while that server lives. */
    volatile long parkedUntil;
    /** How many connections the person has to its server. */
    volatile int devices = 1;

    Remote(Session standIn, String origin, long node) {
      this.standIn = standIn;
      this.origin = origin;
      this.node = node;
    }
  }

  /** A stand-in's sink: its own server tells it everything; the few things meant for it alone
   * (kills, private messages) go through {@link Peers} as notes. */
  private static final EventSink DROP = new EventSink() {
    @Override
    public void event(Event event, String replyId) {}

    @Override
    public void reply(String replyId, Reply reply) {}

    @Override
    public void close(String reason) {}
  };

  StandIns(Hub hub, Clock clock, Peers peers, Directory directory) {
    this.hub = hub;
    this.clock = clock;
    this.peers = peers;
    this.directory = directory;
  }

  static boolean isStandIn(Session session) {
    return session.sink() == DROP;
  }

  int size() {
    return users.size();
  }

  /** The other servers alive now where {@code account} is connected. */
  int servers(String account) {
    String key = Names.fold(account);
    java.util.Set<Long> live = directory.live();
    java.util.Set<Long> found = new HashSet<>();
    for (Remote user : users.values()) {
      String of = user.standIn.account();
      if (of != null && Names.fold(of).equals(key) && live.contains(user.node)) {
        found.add(user.node);
      }
    }
    return found.size();
  }

  /** The connections of {@code account} to the other servers alive now. */
  int devices(String account) {
    String key = Names.fold(account);
    java.util.Set<Long> live = directory.live();
    int n = 0;
    for (Remote user : users.values()) {
      String of = user.standIn.account();
      if (of != null && Names.fold(of).equals(key) && live.contains(user.node)) {
        n += user.devices;
      }
    }
    return n;
  }

  // ---------------------------------------------------------------- the others' users

  private static String key(String origin, String nick) {
    return origin + "/" + Names.fold(nick);
  }

  /** The stand-ins of {@code nick}, one per server it is connected to. */
  private List<Remote> ofNick(String nick) {
    List<Remote> found = new ArrayList<>(1);
    for (Remote user : users.values()) {
      if (Names.fold(user.standIn.nick()).equals(Names.fold(nick))) {
        found.add(user);
      }
    }
    return found;
  }

  void received(Note note) {
    try {
      apply(note);
    } catch (RuntimeException e) {
      log.warn("could not apply {} from server {}", note.kind(), note.node(), e);
    }
  }

  private void apply(Note note) {
    switch (note.kind()) {
      case SYNC -> roster();
      case ROSTER -> pruned(note);
      case ONLINE -> arrived(note);
      case JOIN -> joinedThere(note);
      case PART -> leftThere(note);
      case QUIT -> {
        Remote user = known(note);
        if (user != null) {
          gone(user, note.text() == null ? "" : note.text());
        }
      }
      case NICK -> renamedThere(note);
      case AWAY, REALNAME, ACCOUNT -> changedThere(note);
      case PRIVATE -> deliver(note);
      case KILL -> killedHere(note);
      case WALLOPS -> hub.operators.deliver(note.nick(), note.text());
      case STATUS -> statusThere(note);
    }
  }

  /**
   * Every user of this server, then their nicks and rooms: what another server asked for. The
   * roster's entries are {@code nick room room ...} (neither holds a space).
   */
  void roster() {
    Set<Identity> told = new HashSet<>();
    List<String> entries = new ArrayList<>();
    for (Session session : hub.identities.nicks.values()) {
      if (!session.isReady() || isStandIn(session) || !told.add(session.identity())) {
        continue;
      }
      peers.online(session, true);
      StringBuilder entry = new StringBuilder(session.nick());
      for (Room room : List.copyOf(session.rooms())) {
        peers.joined(session, room, true);
        entry.append(' ').append(room.name());
      }
      entries.add(entry.toString());
    }
    peers.send(Kind.ROSTER, null, null, null, null, entries, false);
  }

  /**
   * A server's whole roster: its users this server has and it did not name are gone, and rooms
   * they are no longer in are left (notes missed while the bus was down).
   */
  private void pruned(Note note) {
    Map<String, Set<String>> named = new java.util.HashMap<>();
    for (String entry : note.extra()) {
      String[] parts = entry.split(" ");
      Set<String> rooms = new HashSet<>();
      for (int i = 1; i < parts.length; i++) {
        rooms.add(Names.fold(parts[i]));
      }
      named.put(Names.fold(parts[0]), rooms);
    }
    for (Remote user : List.copyOf(users.values())) {
      if (!user.origin.equals(note.origin())) {
        continue;
      }
      Set<String> rooms = named.get(Names.fold(user.standIn.nick()));
      if (rooms == null) {
        gone(user, "connection closed");
        continue;
      }
      for (Room room : List.copyOf(user.standIn.rooms())) {
        if (!rooms.contains(room.key())) {
          leave(user.standIn, room, "");
        }
      }
    }
  }

  private void arrived(Note note) {
    String key = key(note.origin(), note.nick());
    Remote user = users.get(key);
    if (note.flag()) {
      // A guest that dropped here and came back there: it is not waiting here any more.
      hub.identities.forgetParked(note.nick());
    }
    if (user == null && note.flag()) {
      // Back after a drop: if it was on a server that died, its stand-in moves here.
      for (Remote other : ofNick(note.nick())) {
        if (other.parkedUntil > 0 || !directory.live().contains(other.node)) {
          if (users.remove(key(other.origin, other.standIn.nick()), other)) {
            other.origin = note.origin();
            other.node = note.node();
            other.parkedUntil = 0;
            users.put(key, other);
            user = other;
            break;
          }
        }
      }
    }
    if (user == null) {
      Session standIn = new Session(STAND_IN_IDS.decrementAndGet(), DROP, "server " + note.node());
      standIn.nick(note.nick());
      standIn.account(note.account(), "admin".equals(note.text()));
      standIn.state(Session.State.READY);
      user = new Remote(standIn, note.origin(), note.node());
      users.put(key, user);
      hub.identities.nicks.putIfAbsent(Names.fold(note.nick()), standIn);
      hub.watches.changed(note.nick());
    } else {
      user.parkedUntil = 0;
      user.standIn.account(note.account(), "admin".equals(note.text()));
    }
    List<String> info = note.extra();
    if (info.size() >= 2) {
      user.standIn.realname(info.get(0).isEmpty() ? null : info.get(0));
      user.standIn.away(info.get(1).isEmpty() ? null : info.get(1));
    }
    if (info.size() >= 3) {
      try {
        user.devices = Math.max(1, Integer.parseInt(info.get(2)));
      } catch (NumberFormatException e) {
        user.devices = 1;
      }
    }
  }

  private Remote known(Note note) {
    return note.nick() == null ? null : users.get(key(note.origin(), note.nick()));
  }

  /** Whether someone called {@code nick} other than {@code besides} is a member. */
  private static boolean present(Room room, String nick, Session besides) {
    String key = Names.fold(nick);
    for (Session member : room.members()) {
      if (member != besides && Names.fold(member.nick()).equals(key)) {
        return true;
      }
    }
    return false;
  }

  private void joinedThere(Note note) {
    Remote user = known(note);
    if (user == null) {
      return;
    }
    Session standIn = user.standIn;
    Room room = hub.rooms.roomFor(note.room());
    if (room == null) {
      return;
    }
    Session device = note.flag() ? null : localDevice(standIn);
    if (device != null && !device.rooms().contains(room)) {
      // Membership is the person's: the account's connections here come in too (they are told
      // of it, and the members here hear of the arrival once).
      hub.rooms.join(device, null, room.name(), null, -1, false);
      room = hub.rooms.existingRoom(room.name());
      if (room == null) {
        return;
      }
    }
    synchronized (room) {
      if (room.contains(standIn)) {
        return;
      }
      boolean there = present(room, standIn.nick(), standIn); // the account, on another device
      room.add(standIn);
      standIn.entered(room);
      hub.rooms.presenceCheck(room, standIn);
      if (!note.flag() && !there && !room.quiet()) {
        room.broadcast(new Event.Joined(room.name(), standIn.nick(), standIn.account(),
            standIn.realname(), standIn.away(), clock.millis()), null, null);
      }
    }
  }

  private void leftThere(Note note) {
    Remote user = known(note);
    Room room = user == null ? null : hub.rooms.existingRoom(note.room());
    if (room == null) {
      return;
    }
    String reason = note.text() == null ? "" : note.text();
    Session device = localDevice(user.standIn);
    if (device != null) {
      // The person left: its connections here leave too, and tell the other servers.
      boolean left = false;
      synchronized (room) {
        if (room.contains(device)) {
          room.presence(new Event.Left(room.name(), device.nick(), reason, clock.millis()),
              device, null);
          hub.rooms.removeMember(room, device);
          left = true;
        }
      }
      if (left) {
        peers.left(device, room, reason);
      }
    }
    leave(user.standIn, room, reason);
  }

  /** A connection here of the stand-in's account (its other device), or null. */
  private Session localDevice(Session standIn) {
    String account = standIn.account();
    Session holder = account == null ? null
        : hub.identities.nicks.get(Names.fold(standIn.nick()));
    return holder != null && !isStandIn(holder) && holder.isReady() && holder.account() != null
        && Names.fold(holder.account()).equals(Names.fold(account)) ? holder : null;
  }

  /** A stand-in leaves a room; its members hear of it unless the person stays there. */
  private void leave(Session standIn, Room room, String reason) {
    synchronized (room) {
      if (!room.contains(standIn)) {
        return;
      }
      if (!present(room, standIn.nick(), standIn) && !room.quiet()) {
        room.broadcast(new Event.Left(room.name(), standIn.nick(), reason, clock.millis()),
            null, null);
      }
      hub.rooms.removeRemote(room, standIn);
    }
  }

  /**
   * A user of another server is gone for good: its roommates here hear it quit, unless the
   * person is still connected elsewhere (then the rooms it is no longer in hear it leave).
   */
  private void gone(Remote user, String reason) {
    Session standIn = user.standIn;
    String nickKey = Names.fold(standIn.nick());
    if (!users.remove(key(user.origin, standIn.nick()), user)) {
      return;
    }
    standIn.state(Session.State.CLOSED);
    Session holder = hub.identities.nicks.get(nickKey);
    List<Remote> others = ofNick(standIn.nick());
    if (holder == standIn) {
      Session next = others.isEmpty() ? null : others.get(0).standIn;
      if (next == null ? hub.identities.nicks.remove(nickKey, standIn)
          : hub.identities.nicks.replace(nickKey, standIn, next)) {
        holder = next;
      }
    }
    boolean stays = holder != null && holder != standIn;
    hub.watches.changed(standIn.nick());
    Set<Session> roommates = new LinkedHashSet<>();
    for (Room room : List.copyOf(standIn.rooms())) {
      synchronized (room) {
        boolean there = present(room, standIn.nick(), standIn);
        boolean quiet = room.quiet();
        hub.rooms.removeRemote(room, standIn);
        if (quiet) {
          continue; // nobody here hears of departures from a quiet room
        }
        if (stays && !there) {
          room.broadcast(new Event.Left(room.name(), standIn.nick(), reason, clock.millis()),
              null, null);
        } else if (!stays) {
          roommates.addAll(room.members());
        }
      }
    }
    if (stays) {
      return; // the person is still here or elsewhere: nobody is told it quit
    }
    Event quit = new Event.Quit(standIn.nick(), reason, clock.millis());
    for (Session other : roommates) {
      other.sink().event(quit, null);
    }
  }

  private void statusThere(Note note) {
    Remote user = known(note);
    Room room = note.room() == null ? null : hub.rooms.existingRoom(note.room());
    List<String> x = note.extra();
    if (user == null || room == null || x.size() < 3) {
      return;
    }
    Event.StatusMessage event = new Event.StatusMessage(room.name(), note.flag(), x.get(0),
        Long.parseLong(x.get(2)), note.nick(), MessageKind.ofWire(x.get(1)), note.text(),
        note.account());
    synchronized (room) {
      hub.messages.deliverToOps(room, event, null, null);
    }
  }

  private void renamedThere(Note note) {
    Remote user = known(note);
    if (user == null || note.text() == null) {
      return;
    }
    Session standIn = user.standIn;
    String oldKey = Names.fold(note.nick());
    String newKey = Names.fold(note.text());
    users.remove(key(user.origin, note.nick()), user);
    standIn.nick(note.text());
    users.put(key(user.origin, note.text()), user);
    hub.identities.nicks.remove(oldKey, standIn);
    hub.identities.nicks.putIfAbsent(newKey, standIn);
    hub.watches.changed(note.nick());
    hub.watches.changed(note.text());
    Event event = new Event.NickChanged(note.nick(), note.text(), clock.millis());
    for (Session other : hub.presence.roommates(standIn)) {
      other.sink().event(event, null);
    }
  }

  private void changedThere(Note note) {
    Remote user = known(note);
    if (user == null) {
      return;
    }
    Session standIn = user.standIn;
    long now = clock.millis();
    Event event = switch (note.kind()) {
      case AWAY -> {
        standIn.away(note.text());
        yield new Event.AwayChanged(standIn.nick(), note.text(), now);
      }
      case REALNAME -> {
        standIn.realname(note.text());
        yield new Event.RealnameChanged(standIn.nick(), note.text(), now);
      }
      default -> {
        standIn.account(note.account(), standIn.isAdmin());
        yield new Event.AccountChanged(standIn.nick(), note.account(), now);
      }
    };
    for (Session other : hub.presence.concerned(standIn)) {
      other.sink().event(event, null);
    }
  }

  /** A private message stored by another server: to this server's connections of both. */
  private void deliver(Note note) {
    List<String> x = note.extra();
    if (x.size() < 5) {
      return;
    }
    MessageKind kind = MessageKind.ofWire(x.get(3));
    Event.PrivateMessage event = new Event.PrivateMessage(x.get(0), Long.parseLong(x.get(4)),
        note.nick(), x.get(1), kind == null ? MessageKind.TEXT : kind, note.text(),
        note.account());
    Set<Session> to = new LinkedHashSet<>();
    for (String nick : List.of(x.get(1), note.nick())) {
      Session holder = hub.identities.nicks.get(Names.fold(nick));
      if (holder != null && !isStandIn(holder) && holder.isReady()) {
        to.addAll(holder.connections());
      }
    }
    for (Session connection : to) {
      connection.sink().event(event, null);
    }
  }

  private void killedHere(Note note) {
    Session target = hub.online(note.nick());
    if (target == null || isStandIn(target)) {
      return;
    }
    String by = note.extra().isEmpty() ? "" : note.extra().get(0);
    String reason = note.text() == null ? "" : note.text();
    String quit = "killed by " + by + (reason.isEmpty() ? "" : ": " + reason);
    Event killed = new Event.Killed(by, reason, clock.millis());
    for (Session connection : List.copyOf(target.connections())) {
      connection.sink().event(killed, null);
      hub.end(connection, quit);
      connection.sink().close(quit);
    }
  }

  // ---------------------------------------------------------------- a server's death

  /**
   * Every second: the users of servers whose directory lock is gone wait for the grace period,
   * then quit here.
   */
  void tick() {
    long now = clock.millis();
    Set<Long> live = directory.live();
    for (Remote user : List.copyOf(users.values())) {
      if (live.contains(user.node)) {
        user.parkedUntil = 0;
        continue;
      }
      if (user.parkedUntil == 0) {
        user.parkedUntil = now + peers.graceMillis();
        log.info("server {} is gone; {} waits {} ms to come back", user.node,
            user.standIn.nick(), peers.graceMillis());
      } else if (user.parkedUntil <= now) {
        gone(user, "server went away");
      }
    }
  }

  /**
   * A user resuming here whose stand-ins are here (its server died, or it moved): the session
   * takes their place in their rooms, with their status, and nobody notices. By an account's
   * login only stand-ins of dead servers are taken (a live server's is the account's other
   * device); by a guest's resume token, any. Returns the rooms it is in now; the caller holds
   * the nick for it already.
   */
  List<Room> adopt(Session session, boolean byToken) {
    Set<Long> live = Set.of();
    if (!byToken) {
      try {
        live = directory.liveNow();
      } catch (RuntimeException e) {
        live = directory.live();
      }
    }
    List<Room> rooms = new ArrayList<>();
    for (Remote user : ofNick(session.nick())) {
      Session standIn = user.standIn;
      if (!byToken && (live.contains(user.node) || standIn.account() == null
          || !Names.fold(standIn.account()).equals(Names.fold(session.account())))) {
        continue;
      }
      if (!users.remove(key(user.origin, standIn.nick()), user)) {
        continue;
      }
      for (Room room : List.copyOf(standIn.rooms())) {
        synchronized (room) {
          boolean op = room.isOp(standIn);
          boolean voiced = room.isVoiced(standIn);
          room.remove(standIn);
          standIn.exited(room);
          if (room.add(session)) {
            session.entered(room);
          }
          if (op) {
            room.op(session, true);
          }
          if (voiced) {
            room.voice(session, true);
          }
          if (!rooms.contains(room)) {
            rooms.add(room);
          }
        }
      }
      standIn.state(Session.State.CLOSED);
      hub.identities.nicks.replace(Names.fold(standIn.nick()), standIn, session);
    }
    return rooms;
  }
}
