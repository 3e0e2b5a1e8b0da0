package chat.core;

import chat.core.Command.SayToNick;
import chat.core.Command.SayToRoom;
import chat.core.store.Account;
import chat.core.store.StoredMessage;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who a session is: hello (guest, chosen or registered nick), accounts (register, login,
 * password changes) and nick changes. Owns the nick registry: claiming a nick is one
 * {@code putIfAbsent}, so two sessions never hold the same nick.
 */
final class Identities {

  private static final int MAX_GUEST_ATTEMPTS = 10_000;

  private final Hub hub;
  private final Clock clock;
  private final Accounts accounts;
  /** Ready and hello-stage sessions by folded nick. */
  final ConcurrentMap<String, Session> nicks = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicLong guests =
      new java.util.concurrent.atomic.AtomicLong();

  Identities(Hub hub, Clock clock, Accounts accounts) {
    this.hub = hub;
    this.clock = clock;
    this.accounts = accounts;
  }

  void hello(Session session, String requestId, String requested, char[] password,
      boolean joinDefault) {
    if (session.isReady()) {
      hub.fail(session, requestId, CoreError.ALREADY_READY, "hello was already said");
      return;
    }
    if (hub.isShuttingDown()) {
      hub.fail(session, requestId, CoreError.SHUTTING_DOWN, "the server is shutting down");
      return;
    }
    String nick;
    if (requested == null || requested.isEmpty()) {
      nick = claimGuestNick(session);
      if (nick == null) {
        hub.fail(session, requestId, CoreError.NICK_IN_USE, "no guest nick is free");
        return;
      }
    } else {
      String problem = Names.nickProblem(requested, hub.limits().maxNickLength());
      if (problem != null) {
        hub.fail(session, requestId, CoreError.INVALID_NICK, problem);
        return;
      }
      if (password != null) {
        hub.offload(session, requestId,
            () -> helloWithPassword(session, requestId, requested, password, joinDefault));
        return;
      }
      if (accounts.owner(requested).isPresent()) {
        hub.fail(session, requestId, CoreError.NICK_REGISTERED,
            "nick " + requested + " is registered; log in with its password");
        return;
      }
      if (nicks.putIfAbsent(Names.fold(requested), session) != null) {
        hub.fail(session, requestId, CoreError.NICK_IN_USE, "nick " + requested + " is in use");
        return;
      }
      if (!claimedEverywhere(session, requested)) {
        nicks.remove(Names.fold(requested), session);
        hub.fail(session, requestId, CoreError.NICK_IN_USE,
            "nick " + requested + " is in use on another server");
        return;
      }
      nick = requested;
    }
    enter(session, requestId, nick, joinDefault);
  }

  void enter(Session session, String requestId, String nick, boolean joinDefault) {
    session.nick(nick);
    String token = session.resumeToken();
    if (token == null && session.resumable() && session.account() == null) {
      token = newToken();
      session.resumeToken(token);
    }
    session.state(Session.State.READY);
    session.sink().reply(requestId, new Reply.Welcome(nick, session.account(), session.isAdmin(),
        token, false));
    hub.watches.changed(nick);
    Peers peers = hub.peers;
    if (peers != null) {
      // An account back after its server died takes its place in its rooms, quietly.
      List<Room> adopted = session.account() == null ? List.of() : peers.adopt(session, false);
      peers.online(session, !adopted.isEmpty());
      for (Room room : adopted) {
        peers.joined(session, room, true);
      }
    }
    if (joinDefault) {
      hub.rooms.join(session, null, hub.limits().defaultRoom(), null, -1, false);
    }
  }

  void helloWithPassword(Session session, String requestId, String name, char[] password,
      boolean joinDefault) {
    Account account = authenticate(session, requestId, name, password);
    if (account == null || session.isClosed() || session.isReady()) {
      return;
    }
    session.account(account.name(), account.admin());
    Identity shared;
    try {
      shared = claimOwnNick(session, account.name(), () -> { });
    } catch (Accounts.Refusal refusal) {
      session.account(null, false);
      hub.fail(session, requestId, refusal.error, refusal.getMessage());
      return;
    }
    if (shared == null) {
      enter(session, requestId, account.name(), joinDefault);
      return;
    }
    // Another device of the account: it sees the account's rooms, not the default room.
    session.state(Session.State.READY);
    session.sink().reply(requestId, new Reply.Welcome(session.nick(), session.account(),
        session.isAdmin(), null, false, true));
    joinAccountsRooms(session);
  }

  // ---------------------------------------------------------------- a dropped guest's grace

  /** A dropped guest waiting for its token, and why it dropped. */
  record Parked(Session session, String reason) {}

  private final ConcurrentMap<String, Parked> parked = new ConcurrentHashMap<>();
  private final java.security.SecureRandom random = new java.security.SecureRandom();

  private String newToken() {
    byte[] bytes = new byte[18];
    random.nextBytes(bytes);
    return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /**
   * A guest whose client can resume dropped: its nick and rooms wait for the grace period
   * (nobody else notices). False when it cannot wait (an account, no token, no grace).
   */
  boolean park(Session session, String reason) {
    long grace = hub.limits().continuity().guestGrace().toMillis();
    String token = session.resumeToken();
    if (grace <= 0 || token == null || session.account() != null
        || session.identity().size() > 1) {
      return false;
    }
    session.parkedUntil(clock.millis() + grace);
    parked.put(token, new Parked(session, reason));
    return true;
  }

  /** The parked guests whose grace ended by {@code now}; they are no longer waiting. */
  List<Parked> expired(long now) {
    List<Parked> out = new ArrayList<>();
    for (var entry : parked.entrySet()) {
      if (entry.getValue().session().parkedUntil() <= now
          && parked.remove(entry.getKey(), entry.getValue())) {
        out.add(entry.getValue());
      }
    }
    return out;
  }

  /**
   * A hello with a resume token: within the grace period, the session takes the dropped guest's
   * place (nick, rooms, status) without anyone noticing. False when the token is unknown or
   * expired: the hello goes on as a new one.
   */
  boolean resume(Session session, String requestId, String token) {
    Parked waiting = parked.remove(token);
    if (waiting == null) {
      return false;
    }
    Session old = waiting.session();
    if (old.parkedUntil() <= clock.millis()) {
      parked.putIfAbsent(token, waiting); // the timer announces its departure
      return false;
    }
    old.parkedUntil(0);
    Identity person = old.identity();
    synchronized (person) {
      person.add(session);
      session.identity(person);
    }
    session.resumeToken(token);
    nicks.replace(Names.fold(old.nick()), old, session);
    session.state(Session.State.READY);
    session.sink().reply(requestId, new Reply.Welcome(session.nick(), null, false, token, true));
    List<Room> rooms = List.copyOf(old.rooms());
    for (Room room : rooms) {
      hub.rooms.join(session, null, room.name(), null, -1, false);
    }
    for (Room room : rooms) {
      synchronized (room) {
        hub.rooms.removeConnection(room, old);
      }
    }
    synchronized (person) {
      person.remove(old);
    }
    return true;
  }

  /**
   * A guest parked here came back on another server (its token took the nick there): it waits
   * here no more, and leaves its rooms quietly (its stand-in takes its place in them).
   */
  void forgetParked(String nick) {
    String key = Names.fold(nick);
    for (var entry : parked.entrySet()) {
      Session old = entry.getValue().session();
      if (!Names.fold(old.nick()).equals(key) || !parked.remove(entry.getKey(), entry.getValue())) {
        continue;
      }
      old.parkedUntil(0);
      for (Room room : List.copyOf(old.rooms())) {
        synchronized (room) {
          hub.rooms.removeRemote(room, old);
        }
      }
      nicks.remove(key, old);
      Identity person = old.identity();
      synchronized (person) {
        person.remove(old);
      }
    }
  }

  /** A connection that joined its account's identity enters every room the account is in. */
  private void joinAccountsRooms(Session session) {
    for (Session other : session.connections()) {
      if (other != session) {
        for (Room room : List.copyOf(other.rooms())) {
          hub.rooms.join(session, null, room.name(), null, -1, false);
        }
        return;
      }
    }
  }

  /**
   * With other servers: takes {@code nick} in the cluster's directory too (a guest's resume
   * token made first, so that it is stored with the claim). True alone.
   */
  private boolean claimedEverywhere(Session session, String nick) {
    Peers peers = hub.peers;
    if (peers == null) {
      return true;
    }
    if (session.resumeToken() == null && session.resumable() && session.account() == null) {
      session.resumeToken(newToken());
    }
    return peers.claim(session, nick, session.account());
  }

  /** Guest numbers start apart on each server, so that servers rarely offer the same. */
  void guestsFrom(long node) {
    guests.set(Math.floorMod(node, 1000) * 100_000L);
  }

  /**
   * A hello with a resume token of a guest that was on another server (which died, or which it
   * left): it takes its nick back in the directory, and its stand-in's place in its rooms here.
   * False when the token names nobody: the hello goes on as a new one.
   */
  boolean resumeFromPeer(Session session, String requestId, String token) {
    Peers peers = hub.peers;
    chat.core.cluster.Directory.Holder holder;
    try {
      holder = peers.directory().byToken(token);
    } catch (RuntimeException e) {
      return false;
    }
    if (holder == null || holder.account() != null) {
      return false;
    }
    String key = Names.fold(holder.nick());
    Session current = nicks.get(key);
    if (current != null && !peers.isStandIn(current)) {
      return false;
    }
    session.resumeToken(token);
    if (!peers.claim(session, holder.nick(), null)) {
      session.resumeToken(null);
      return false;
    }
    if (current == null ? nicks.putIfAbsent(key, session) != null
        : !nicks.replace(key, current, session)) {
      session.resumeToken(null);
      return false;
    }
    session.nick(holder.nick());
    session.state(Session.State.READY);
    session.sink().reply(requestId, new Reply.Welcome(session.nick(), null, false, token, true));
    List<Room> rooms = peers.adopt(session, true);
    peers.online(session, true);
    for (Room room : rooms) {
      peers.joined(session, room, true);
    }
    return true;
  }

  /** The account if the password is right; else the refusal is the reply, and null. */
  Account authenticate(Session session, String requestId, String name, char[] password) {
    try {
      return accounts.authenticate(name, password, session.remote());
    } catch (Accounts.Refusal refusal) {
      hub.fail(session, requestId, refusal.error, refusal.getMessage());
      return null;
    } finally {
      java.util.Arrays.fill(password, '\0');
    }
  }

  /**
   * Takes an account's nick for its logged-in owner (the session's account is set). When
   * connections of the same account hold it, the session becomes one more of them (after
   * {@code beforeJoining}) and their shared identity is returned, unless the account is at its
   * connection limit; null when the session now holds the nick itself. Anyone else holding it
   * (a guest who took it before it was registered) is disconnected.
   */
  Identity claimOwnNick(Session session, String nick, Runnable beforeJoining)
      throws Accounts.Refusal {
    String key = Names.fold(nick);
    Peers peers = hub.peers;
    int max = hub.limits().continuity().maxConnectionsPerAccount();
    // The account's connections to other servers count towards its limit too.
    int elsewhere = peers == null ? 0 : peers.devicesElsewhere(session.account());
    for (int attempt = 0; attempt < 10; attempt++) {
      Session holder = nicks.putIfAbsent(key, session);
      Session standIn = null;
      if (holder != null && peers != null && peers.isStandIn(holder)) {
        // The account on another server: this connection holds the nick here.
        if (!nicks.replace(key, holder, session)) {
          continue;
        }
        standIn = holder;
        holder = null;
      }
      if (holder == null && max > 0 && elsewhere >= max) {
        if (standIn != null) {
          nicks.replace(key, session, standIn);
        } else {
          nicks.remove(key, session);
        }
        throw tooMany(session.account(), elsewhere);
      }
      if (holder == null && peers != null) {
        peers.claim(session, nick, session.account()); // the account's nick: registration rules
      }
      if (holder == null || holder.identity() == session.identity()) {
        return null;
      }
      Identity person = holder.identity();
      if (sameAccount(holder, session) && !holder.isClosed()) {
        synchronized (person) {
          if (person.size() > 0) {
            if (max > 0 && person.size() + elsewhere >= max) {
              throw tooMany(session.account(), person.size() + elsewhere);
            }
            beforeJoining.run();
            person.add(session);
            session.identity(person);
            if (peers != null) {
              peers.online(session, true); // its count of connections, for the other servers
            }
            return person;
          }
        }
      }
      if (!holder.isClosed() && !sameAccount(holder, session)) {
        hub.end(holder, "the nick's account logged in");
        holder.sink().close("the nick's account logged in");
      }
      nicks.remove(key, holder);
    }
    throw new IllegalStateException("could not claim nick " + nick);
  }

  private static Accounts.Refusal tooMany(String account, int connections) {
    return new Accounts.Refusal(CoreError.TOO_MANY_CONNECTIONS, account + " has " + connections
        + " connections, the limit per account");
  }

  private static boolean sameAccount(Session a, Session b) {
    return a.account() != null && b.account() != null
        && Names.fold(a.account()).equals(Names.fold(b.account()));
  }

  /** Lets go of {@code key} if a connection of the session's identity holds it. */
  void release(String key, Session session) {
    nicks.computeIfPresent(key, (k, holder) -> holder.identity() == session.identity()
        && (holder == session || holder.isClosed() || holder.connections().size() <= 1)
        ? null : holder);
  }

  /** A connection leaves while others of its identity stay: the nick points at one of them. */
  void handOver(Session leaving) {
    nicks.computeIfPresent(Names.fold(leaving.nick()), (k, holder) -> {
      if (holder != leaving) {
        return holder;
      }
      for (Session other : leaving.connections()) {
        if (other != leaving && !other.isClosed()) {
          return other;
        }
      }
      return null;
    });
  }

  void register(Session session, String requestId, char[] password) {
    if (session.account() != null) {
      hub.fail(session, requestId, CoreError.ALREADY_REGISTERED,
          "you are logged in as " + session.account());
      return;
    }
    String nick = session.nick();
    if (nick.startsWith("Guest_")) {
      hub.fail(session, requestId, CoreError.INVALID_NICK,
          "guest nicks cannot be registered; choose a nick first");
      return;
    }
    hub.offload(session, requestId, () -> {
      try {
        Account account = accounts.register(nick, password);
        session.account(account.name(), account.admin());
        announceAccount(session);
        session.sink().reply(requestId, new Reply.Registered(account.name()));
      } catch (Accounts.Refusal refusal) {
        hub.fail(session, requestId, refusal.error, refusal.getMessage());
      } finally {
        java.util.Arrays.fill(password, '\0');
      }
    });
  }

  void login(Session session, String requestId, String name, char[] password, boolean keepNick) {
    hub.offload(session, requestId, () -> {
      Account account = authenticate(session, requestId, name, password);
      if (account == null) {
        return;
      }
      String old = session.nick();
      if (session.account() != null
          && Names.fold(session.account()).equals(Names.fold(account.name()))) {
        session.sink().reply(requestId,
            new Reply.LoggedIn(account.name(), session.nick(), account.admin()));
        return;
      }
      String oldAccount = session.account();
      boolean oldAdmin = session.isAdmin();
      session.account(account.name(), account.admin());
      List<String> left = new ArrayList<>();
      Identity shared;
      try {
        // Joining the account's other connections: the guest's rooms are left first, and
        // joined again as the account.
        shared = claimOwnNick(session, account.name(), () -> {
          for (Room room : List.copyOf(session.rooms())) {
            synchronized (room) {
              room.presence(new Event.Left(room.name(), old, "logged in as " + account.name(),
                  clock.millis()), session, null);
              if (hub.peers != null) {
                hub.peers.left(session, room, "logged in as " + account.name());
              }
              hub.rooms.removeMember(room, session);
            }
            left.add(room.name());
          }
          nicks.remove(Names.fold(old), session);
        });
      } catch (Accounts.Refusal refusal) {
        session.account(oldAccount, oldAdmin);
        hub.fail(session, requestId, refusal.error, refusal.getMessage());
        return;
      }
      if (shared != null) {
        session.sink().reply(requestId,
            new Reply.LoggedIn(account.name(), session.nick(), account.admin()));
        hub.watches.changed(old); // the guest's nick is free now
        joinAccountsRooms(session);
        for (String room : left) {
          hub.rooms.join(session, null, room, null, -1, false);
        }
        return;
      }
      boolean otherNick = !Names.fold(old).equals(Names.fold(account.name()));
      if (otherNick && keepNick) {
        // The nick stays; the account's own is free again (its registration still guards it).
        nicks.remove(Names.fold(account.name()), session);
      } else if (otherNick) {
        nicks.remove(Names.fold(old), session);
      }
      for (Room room : List.copyOf(session.rooms())) {
        synchronized (room) {
          room.loggedIn(session);
        }
      }
      String nick = otherNick && keepNick ? old : account.name();
      if (!nick.equals(old)) {
        rename(session, old, nick);
      }
      announceAccount(session);
      session.sink().reply(requestId, new Reply.LoggedIn(account.name(), nick, account.admin()));
    });
  }

  void changePassword(Session session, String requestId, Command.ChangePassword c) {
    String account = session.account();
    if (account == null) {
      hub.fail(session, requestId, CoreError.NOT_LOGGED_IN, "log in first");
      return;
    }
    hub.offload(session, requestId, () -> {
      try {
        accounts.changePassword(account, c.oldPassword(), c.newPassword());
        session.sink().reply(requestId, new Reply.Done());
      } catch (Accounts.Refusal refusal) {
        hub.fail(session, requestId, refusal.error, refusal.getMessage());
      } finally {
        java.util.Arrays.fill(c.oldPassword(), '\0');
        java.util.Arrays.fill(c.newPassword(), '\0');
      }
    });
  }

  String claimGuestNick(Session session) {
    for (int attempt = 0; attempt < MAX_GUEST_ATTEMPTS; attempt++) {
      String nick = "Guest_" + guests.incrementAndGet();
      if (nicks.putIfAbsent(Names.fold(nick), session) == null) {
        if (claimedEverywhere(session, nick)) {
          return nick;
        }
        nicks.remove(Names.fold(nick), session);
      }
    }
    return null;
  }

  void setNick(Session session, String requestId, String nick) {
    String problem = Names.nickProblem(nick, hub.limits().maxNickLength());
    if (problem != null) {
      hub.fail(session, requestId, CoreError.INVALID_NICK, problem);
      return;
    }
    String old = session.nick();
    if (nick.equals(old)) {
      session.sink().reply(requestId, new Reply.NickSet(nick));
      return;
    }
    String oldKey = Names.fold(old);
    String newKey = Names.fold(nick);
    if (!newKey.equals(oldKey)) {
      Account owner = accounts.owner(nick).orElse(null);
      if (owner != null && !Names.fold(owner.name()).equals(
          session.account() == null ? "" : Names.fold(session.account()))) {
        hub.fail(session, requestId, CoreError.NICK_REGISTERED,
            "nick " + nick + " is registered to another account");
        return;
      }
      if (nicks.putIfAbsent(newKey, session) != null) {
        hub.fail(session, requestId, CoreError.NICK_IN_USE, "nick " + nick + " is in use");
        return;
      }
      if (!claimedEverywhere(session, nick)) {
        nicks.remove(newKey, session);
        hub.fail(session, requestId, CoreError.NICK_IN_USE,
            "nick " + nick + " is in use on another server");
        return;
      }
      nicks.computeIfPresent(oldKey, (k, holder) -> holder.identity() == session.identity()
          ? null : holder);
    }
    rename(session, old, nick);
    session.sink().reply(requestId, new Reply.NickSet(nick));
  }

  /** Sets the nick and tells everyone sharing a room; the caller has claimed the new key. */
  void rename(Session session, String old, String nick) {
    session.nick(nick);
    if (old.equals(nick)) {
      return;
    }
    if (hub.peers != null) {
      hub.peers.renamed(old, nick, session.account());
      if (!Names.fold(old).equals(Names.fold(nick))) {
        hub.peers.release(Names.fold(old));
      }
    }
    hub.watches.changed(old);
    hub.watches.changed(nick);
    Event event = new Event.NickChanged(old, nick, clock.millis());
    java.util.Set<Session> told = hub.presence.roommates(session);
    told.addAll(session.connections()); // the person's other devices learn their new nick
    told.remove(session);
    for (Session other : told) {
      other.sink().event(event, null);
    }
  }

  /** Tells everyone sharing a room that the session is now logged in to its account. */
  void announceAccount(Session session) {
    if (hub.peers != null) {
      hub.peers.account(session);
    }
    Event event = new Event.AccountChanged(session.nick(), session.account(), clock.millis());
    for (Session other : hub.presence.concerned(session)) {
      other.sink().event(event, null);
    }
  }
}
