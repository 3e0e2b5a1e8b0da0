package chat.core;

import chat.core.cluster.Bus;
import chat.core.cluster.Directory;
import chat.core.cluster.Note;
import chat.core.cluster.Note.Kind;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The users of the other servers sharing this one's rooms (docs/ARCHITECTURE.md, "Several
 * servers"). Each of them is here as a stand-in: a ready {@link Session} whose sink drops what
 * it is given (its own server hands it its rooms' entries and events), in the nick registry and
 * in the members of its rooms, so nicks, lookups, member lists, bans and kicks treat it as any
 * member. Their servers' {@link Note}s keep the stand-ins true and tell this server's members of
 * the changes; this server's notes do the same for its users there.
 *
 * <p>A server that dies (its directory lock is gone) keeps its users' stand-ins for the grace
 * period: a user who comes back on another server within it (resume token, or the account's
 * login) takes its stand-in's place there, and nobody sees it leave; the others quit when the
 * grace ends.
 */
final class Peers {

  private static final Logger log = LoggerFactory.getLogger(Peers.class);

  private final Hub hub;
  private final Clock clock;
  private final Bus bus;
  private final Directory directory;
  private final Executor blocking;
  /** The other servers' users, as stand-ins here. */
  private final StandIns standIns;

  Peers(Hub hub, Clock clock, Bus bus, Directory directory, Executor blocking) {
    this.hub = hub;
    this.clock = clock;
    this.bus = bus;
    this.directory = directory;
    this.blocking = blocking;
    this.standIns = new StandIns(hub, clock, this, directory);
  }

  /** Subscribes and asks the others for their users. */
  void start() {
    bus.onNote(standIns::received);
    // Notes may have been lost both ways: the others hear our users again, we theirs.
    bus.onLoss(() -> {
      standIns.roster();
      send(Kind.SYNC, null, null, null, null, List.of(), false);
    });
    send(Kind.SYNC, null, null, null, null, List.of(), false);
  }

  boolean isStandIn(Session session) {
    return StandIns.isStandIn(session);
  }

  Directory directory() {
    return directory;
  }

  int remoteUsers() {
    return standIns.size();
  }

  /** How many connections {@code account} has to the other servers alive now. */
  int devicesElsewhere(String account) {
    return account == null ? 0 : standIns.devices(account);
  }

  /** On how many other servers alive now {@code account} is connected. */
  int serversElsewhere(String account) {
    return account == null ? 0 : standIns.servers(account);
  }

  /** Every second: see {@link StandIns#tick}. */
  void tick() {
    standIns.tick();
  }

  /** See {@link StandIns#adopt}. */
  List<Room> adopt(Session session, boolean byToken) {
    return standIns.adopt(session, byToken);
  }

  // ---------------------------------------------------------------- nicks, cluster-wide

  /** The grace a dead server's users and nicks wait for them to come back elsewhere. */
  long graceMillis() {
    return hub.limits().continuity().guestGrace().toMillis();
  }

  /**
   * Takes {@code nick} in the directory for {@code session} (its account and resume token);
   * blocking. False when someone of another server holds it.
   */
  boolean claim(Session session, String nick, String account) {
    try {
      Directory.Holder holder = directory.claim(Names.fold(nick), nick, account,
          session.resumeToken(), graceMillis());
      return holder == null;
    } catch (RuntimeException e) {
      log.warn("could not claim nick {} in the cluster directory", nick, e);
      return false;
    }
  }

  /** Lets go of a nick in the directory, unless a session here took it again meanwhile. */
  void release(String nickKey) {
    blocking.execute(() -> {
      Session holder = hub.identities.nicks.get(nickKey);
      if (holder != null && !isStandIn(holder)) {
        return;
      }
      try {
        directory.release(nickKey);
      } catch (RuntimeException e) {
        log.warn("could not let go of nick {} in the cluster directory", nickKey, e);
      }
    });
  }

  // ---------------------------------------------------------------- this server's users

  void online(Session session, boolean resumed) {
    send(Kind.ONLINE, session.nick(), session.account(), session.isAdmin() ? "admin" : null,
        null, infoOf(session), resumed);
  }

  private static List<String> infoOf(Session session) {
    List<String> info = new ArrayList<>(2);
    info.add(session.realname() == null ? "" : session.realname());
    info.add(session.away() == null ? "" : session.away());
    info.add(Integer.toString(session.connections().size()));
    return info;
  }

  void joined(Session session, Room room, boolean quietly) {
    send(Kind.JOIN, session.nick(), session.account(), null, room.name(), List.of(), quietly);
  }

  void left(Session session, Room room, String reason) {
    send(Kind.PART, session.nick(), session.account(), reason, room.name(), List.of(), false);
  }

  void quit(Session session, String reason) {
    send(Kind.QUIT, session.nick(), session.account(), reason, null, List.of(), false);
  }

  void renamed(String old, String nick, String account) {
    send(Kind.NICK, old, account, nick, null, List.of(), false);
  }

  void away(Session session) {
    send(Kind.AWAY, session.nick(), session.account(), session.away(), null, List.of(), false);
  }

  void realname(Session session) {
    send(Kind.REALNAME, session.nick(), session.account(), session.realname(), null, List.of(),
        false);
  }

  void account(Session session) {
    send(Kind.ACCOUNT, session.nick(), session.account(), null, null, List.of(), false);
  }

  /** A stored private message: the servers of both people hand it to their connections. */
  void privateMessage(Event.PrivateMessage m, String toAccount) {
    send(Kind.PRIVATE, m.from(), m.fromAccount(), m.text(), null, List.of(m.msgId(), m.to(),
        toAccount == null ? "" : toAccount, m.kind().wire(), Long.toString(m.ts())), false);
  }

  /** A message for a room's operators: each server hands it to its own. */
  void statusMessage(Event.StatusMessage m) {
    send(Kind.STATUS, m.from(), m.fromAccount(), m.text(), m.room(),
        List.of(m.msgId(), m.kind().wire(), Long.toString(m.ts())), m.voicedToo());
  }

  /** An admin here killed a user of another server: its server ends it. */
  void kill(String by, Session standIn, String reason) {
    send(Kind.KILL, standIn.nick(), standIn.account(), reason, null, List.of(by), false);
  }

  void send(Kind kind, String nick, String account, String text, String room,
      List<String> extra, boolean flag) {
    try {
      bus.publish(new Note(bus.nodeId(), directory.node(), kind, nick, account, text, room,
          extra, flag));
    } catch (RuntimeException e) {
      log.warn("could not tell the other servers: {} {}", kind, nick, e);
    }
  }
}
