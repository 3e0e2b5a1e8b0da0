package chat.core;

import chat.core.Command.Hello;
import chat.core.Command.Join;
import chat.core.Command.Leave;
import chat.core.Command.ListRooms;
import chat.core.Command.SayToNick;
import chat.core.Command.SayToRoom;
import chat.core.Command.SetNick;
import chat.core.Command.Who;
import chat.core.Reply.Failed;
import chat.core.store.Account;
import chat.core.store.AccountStore;
import chat.core.store.MemoryStore;
import chat.core.store.MessageStore;
import chat.core.store.StoredMessage;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rules and state of the chat: sessions, nicks, rooms and the order of messages. Doors call
 * {@link #handle} from their I/O threads; the hub answers through each session's
 * {@link EventSink}. Commands of one session arrive in order from one thread; different sessions
 * run concurrently, coordinated by the nick registry and each room's monitor.
 *
 * <p>For each request the hub hands the requester the events it caused before the reply, so a
 * client that waits for the reply has seen every effect of its request.
 */
public final class Hub {

  private static final Logger log = LoggerFactory.getLogger(Hub.class);
  /** Longest quit or leave reason kept; longer ones are cut, not refused. */
  static final int MAX_REASON_LENGTH = 256;
  private static final int MAX_GUEST_ATTEMPTS = 10_000;
  /** How long a quit waits for the session's messages still being stored. */
  static final long QUIT_WAITS_FOR_APPENDS_MS = 10_000;
  /** Longest away message kept, in characters; longer ones are cut. */
  public static final int MAX_AWAY_LENGTH = 200;
  /** Longest real name kept, in characters; longer ones are cut. */
  public static final int MAX_REALNAME_LENGTH = 100;
  /** Most nicks one lookup may ask about. */
  public static final int MAX_LOOKUP = 32;

  private final CoreLimits limits;
  private final Clock clock;
  private final MessageIds messageIds;
  private final MessageStore store;
  private final Accounts accounts;
  private final Moderation moderation;
  /** Runs slow work (password hashing) off the I/O threads. */
  private final Executor blocking;
  private final FloodControl flood;
  private final AddressLimits addresses;
  private final ConcurrentMap<Long, Session> sessions = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Session> nicks = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Room> rooms = new ConcurrentHashMap<>();
  private final AtomicLong sessionIds = new AtomicLong();
  private final AtomicLong guests = new AtomicLong();
  private final java.util.concurrent.atomic.LongAdder slowReaderDrops =
      new java.util.concurrent.atomic.LongAdder();
  private final java.util.concurrent.atomic.LongAdder floodPushbacks =
      new java.util.concurrent.atomic.LongAdder();
  private volatile boolean shuttingDown;

  /** A hub whose history lives in memory only. */
  public Hub(CoreLimits limits, Clock clock) {
    this(limits, clock, new MemoryStore());
  }

  /** A hub without accounts. */
  public Hub(CoreLimits limits, Clock clock, MessageStore store) {
    this(limits, clock, store, null, null, Runnable::run);
  }

  /**
   * @param accountStore accounts, or null to run without them
   * @param hasher password hashing, or null to run without accounts
   * @param blocking where password checks run; must not be an I/O thread
   */
  public Hub(CoreLimits limits, Clock clock, MessageStore store, AccountStore accountStore,
      PasswordHasher hasher, Executor blocking) {
    this.limits = limits;
    this.clock = clock;
    this.messageIds = new MessageIds(clock);
    this.store = store;
    this.accounts = new Accounts(accountStore, hasher, clock);
    this.moderation = new Moderation(this, clock);
    this.blocking = blocking;
    this.flood = new FloodControl(limits.flood(), clock);
    this.addresses = new AddressLimits(limits.connections(), clock);
  }

  public CoreLimits limits() {
    return limits;
  }

  /**
   * A new connection; it may only say hello until it has. Past the limits of its address it is
   * refused: the sink is told why ({@link EventSink#fatal}) and the session is born closed.
   */
  public Session open(EventSink sink, String remote) {
    Session session = new Session(sessionIds.incrementAndGet(), sink, remote);
    Reply.Failed refused = addresses.admit(remote);
    if (refused != null) {
      session.state(Session.State.CLOSED);
      sink.fatal(refused.error(), refused.message());
      return session;
    }
    sessions.put(session.id(), session);
    return session;
  }

  public int sessionCount() {
    return sessions.size();
  }

  /** How many rooms exist (have members) now. */
  public int roomCount() {
    return rooms.size();
  }

  /** Whether accounts (register, login) are enabled on this server. */
  public boolean accountsEnabled() {
    return accounts.enabled();
  }

  public void handle(Session session, String requestId, Command command) {
    if (session.isClosed() || !admit(session, requestId, flood.cost(command))) {
      return;
    }
    if (!session.turns().submit(() -> dispatch(session, requestId, command), blocking)) {
      fail(session, requestId, CoreError.SERVER_BUSY, "too many requests waiting; slow down");
    }
  }

  private void dispatch(Session session, String requestId, Command command) {
    if (session.isClosed()) {
      return;
    }
    if (command instanceof Hello hello) {
      hello(session, requestId, hello.nick(), hello.password(), hello.joinDefaultRoom());
      return;
    }
    if (!session.isReady()) {
      fail(session, requestId, CoreError.NOT_READY, "say hello first");
      return;
    }
    switch (command) {
      case Hello ignored -> throw new AssertionError("handled above");
      case SetNick c -> setNick(session, requestId, c.nick());
      case Join c -> join(session, requestId, c.room(), c.key(), true);
      case Leave c -> leave(session, requestId, c.room(), c.reason());
      case ListRooms c -> listRooms(session, requestId);
      case Who c -> who(session, requestId, c.room());
      case Command.RoomHistory c -> roomHistory(session, requestId, c);
      case Command.Register c -> register(session, requestId, c.password());
      case Command.Login c -> login(session, requestId, c.account(), c.password());
      case Command.ChangePassword c -> changePassword(session, requestId, c);
      case Command.PrivateHistory c -> privateHistory(session, requestId, c);
      case SayToRoom c -> sayToRoom(session, requestId, c);
      case SayToNick c -> sayToNick(session, requestId, c);
      case Command.SetTopic c -> moderation.topic(session, requestId, c);
      case Command.Kick c -> moderation.kick(session, requestId, c);
      case Command.Mode c -> moderation.mode(session, requestId, c);
      case Command.Kill c -> moderation.kill(session, requestId, c);
      case Command.SetAway c -> setAway(session, requestId, c.message());
      case Command.SetRealname c -> setRealname(session, requestId, c.realname());
      case Command.Lookup c -> lookup(session, requestId, c.nicks());
      case Command.Quit c -> {
        if (session.hasPendingAppends()) {
          // Messages sent before the quit are still being stored: their senders' confirmations
          // come first, then the goodbye.
          offload(session, requestId, () -> {
            session.awaitAppends(QUIT_WAITS_FOR_APPENDS_MS);
            quit(session, requestId, c.reason());
          });
        } else {
          quit(session, requestId, c.reason());
        }
      }
    }
  }

  private void quit(Session session, String requestId, String reason) {
    session.sink().reply(requestId, new Reply.Done());
    disconnect(session, reason(reason, "quit"));
    session.sink().close("quit");
  }

  private void hello(Session session, String requestId, String requested, char[] password,
      boolean joinDefault) {
    if (session.isReady()) {
      fail(session, requestId, CoreError.ALREADY_READY, "hello was already said");
      return;
    }
    if (shuttingDown) {
      fail(session, requestId, CoreError.SHUTTING_DOWN, "the server is shutting down");
      return;
    }
    String nick;
    if (requested == null || requested.isEmpty()) {
      nick = claimGuestNick(session);
      if (nick == null) {
        fail(session, requestId, CoreError.NICK_IN_USE, "no guest nick is free");
        return;
      }
    } else {
      String problem = Names.nickProblem(requested, limits.maxNickLength());
      if (problem != null) {
        fail(session, requestId, CoreError.INVALID_NICK, problem);
        return;
      }
      if (password != null) {
        offload(session, requestId,
            () -> helloWithPassword(session, requestId, requested, password, joinDefault));
        return;
      }
      if (accounts.owner(requested).isPresent()) {
        fail(session, requestId, CoreError.NICK_REGISTERED,
            "nick " + requested + " is registered; log in with its password");
        return;
      }
      if (nicks.putIfAbsent(Names.fold(requested), session) != null) {
        fail(session, requestId, CoreError.NICK_IN_USE, "nick " + requested + " is in use");
        return;
      }
      nick = requested;
    }
    enter(session, requestId, nick, joinDefault);
  }

  private void enter(Session session, String requestId, String nick, boolean joinDefault) {
    session.nick(nick);
    session.state(Session.State.READY);
    session.sink().reply(requestId, new Reply.Welcome(nick, session.account(), session.isAdmin()));
    if (joinDefault) {
      join(session, null, limits.defaultRoom(), null, false);
    }
  }

  private void helloWithPassword(Session session, String requestId, String name, char[] password,
      boolean joinDefault) {
    Account account = authenticate(session, requestId, name, password);
    if (account == null || session.isClosed() || session.isReady()) {
      return;
    }
    claimOwnNick(session, account.name());
    session.account(account.name(), account.admin());
    enter(session, requestId, account.name(), joinDefault);
  }

  /** The account if the password is right; else the refusal is the reply, and null. */
  private Account authenticate(Session session, String requestId, String name, char[] password) {
    try {
      return accounts.authenticate(name, password, session.remote());
    } catch (Accounts.Refusal refusal) {
      fail(session, requestId, refusal.error, refusal.getMessage());
      return null;
    } finally {
      java.util.Arrays.fill(password, '\0');
    }
  }

  /**
   * Takes an account's nick for its logged-in owner: whoever holds it now (an older connection
   * of the same account, perhaps half-open) is disconnected.
   */
  private void claimOwnNick(Session session, String nick) {
    String key = Names.fold(nick);
    for (int attempt = 0; attempt < 10; attempt++) {
      Session holder = nicks.putIfAbsent(key, session);
      if (holder == null || holder == session) {
        return;
      }
      disconnect(holder, "logged in from elsewhere");
      holder.sink().close("logged in from elsewhere");
      nicks.remove(key, holder);
    }
    throw new IllegalStateException("could not claim nick " + nick);
  }

  private void register(Session session, String requestId, char[] password) {
    if (session.account() != null) {
      fail(session, requestId, CoreError.ALREADY_REGISTERED,
          "you are logged in as " + session.account());
      return;
    }
    String nick = session.nick();
    if (nick.startsWith("Guest_")) {
      fail(session, requestId, CoreError.INVALID_NICK,
          "guest nicks cannot be registered; choose a nick first");
      return;
    }
    offload(session, requestId, () -> {
      try {
        Account account = accounts.register(nick, password);
        session.account(account.name(), account.admin());
        announceAccount(session);
        session.sink().reply(requestId, new Reply.Registered(account.name()));
      } catch (Accounts.Refusal refusal) {
        fail(session, requestId, refusal.error, refusal.getMessage());
      } finally {
        java.util.Arrays.fill(password, '\0');
      }
    });
  }

  private void login(Session session, String requestId, String name, char[] password) {
    offload(session, requestId, () -> {
      Account account = authenticate(session, requestId, name, password);
      if (account == null) {
        return;
      }
      String old = session.nick();
      if (!Names.fold(old).equals(Names.fold(account.name()))) {
        claimOwnNick(session, account.name());
        nicks.remove(Names.fold(old), session);
      }
      session.account(account.name(), account.admin());
      rename(session, old, account.name());
      announceAccount(session);
      session.sink().reply(requestId,
          new Reply.LoggedIn(account.name(), account.name(), account.admin()));
    });
  }

  private void changePassword(Session session, String requestId, Command.ChangePassword c) {
    String account = session.account();
    if (account == null) {
      fail(session, requestId, CoreError.NOT_LOGGED_IN, "log in first");
      return;
    }
    offload(session, requestId, () -> {
      try {
        accounts.changePassword(account, c.oldPassword(), c.newPassword());
        session.sink().reply(requestId, new Reply.Done());
      } catch (Accounts.Refusal refusal) {
        fail(session, requestId, refusal.error, refusal.getMessage());
      } finally {
        java.util.Arrays.fill(c.oldPassword(), '\0');
        java.util.Arrays.fill(c.newPassword(), '\0');
      }
    });
  }

  private void privateHistory(Session session, String requestId, Command.PrivateHistory c) {
    String account = session.account();
    if (account == null) {
      fail(session, requestId, CoreError.NOT_LOGGED_IN, "private history belongs to accounts; log in first");
      return;
    }
    int limit = Math.max(1, Math.min(c.limit() <= 0 ? limits.historyOnJoin() : c.limit(),
        limits.maxHistoryPage()));
    List<StoredMessage> page = store.privateHistory(account, c.with(), c.beforeMsgId(), limit + 1);
    boolean more = page.size() > limit;
    if (more) {
      page = page.subList(1, page.size());
    }
    replay(session, page);
    String first = page.isEmpty() ? null : page.get(0).msgId();
    session.sink().reply(requestId, new Reply.PrivateHistorySent(c.with(), page.size(), first, more));
  }

  private String claimGuestNick(Session session) {
    for (int attempt = 0; attempt < MAX_GUEST_ATTEMPTS; attempt++) {
      String nick = "Guest_" + guests.incrementAndGet();
      if (nicks.putIfAbsent(Names.fold(nick), session) == null) {
        return nick;
      }
    }
    return null;
  }

  private void setNick(Session session, String requestId, String nick) {
    String problem = Names.nickProblem(nick, limits.maxNickLength());
    if (problem != null) {
      fail(session, requestId, CoreError.INVALID_NICK, problem);
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
        fail(session, requestId, CoreError.NICK_REGISTERED,
            "nick " + nick + " is registered to another account");
        return;
      }
      if (nicks.putIfAbsent(newKey, session) != null) {
        fail(session, requestId, CoreError.NICK_IN_USE, "nick " + nick + " is in use");
        return;
      }
      nicks.remove(oldKey, session);
    }
    rename(session, old, nick);
    session.sink().reply(requestId, new Reply.NickSet(nick));
  }

  /** Sets the nick and tells everyone sharing a room; the caller has claimed the new key. */
  private void rename(Session session, String old, String nick) {
    session.nick(nick);
    if (old.equals(nick)) {
      return;
    }
    Event event = new Event.NickChanged(old, nick, clock.millis());
    for (Session other : roommates(session)) {
      other.sink().event(event, null);
    }
  }

  /** Tells everyone sharing a room that the session is now logged in to its account. */
  private void announceAccount(Session session) {
    Event event = new Event.AccountChanged(session.nick(), session.account(), clock.millis());
    for (Session other : roommates(session)) {
      other.sink().event(event, null);
    }
  }

  private void setAway(Session session, String requestId, String message) {
    String away = oneLine(message, MAX_AWAY_LENGTH);
    session.away(away);
    Event event = new Event.AwayChanged(session.nick(), away, clock.millis());
    for (Session other : roommates(session)) {
      other.sink().event(event, null);
    }
    session.sink().reply(requestId, new Reply.AwaySet(away));
  }

  private void setRealname(Session session, String requestId, String realname) {
    String name = oneLine(realname, MAX_REALNAME_LENGTH);
    session.realname(name);
    Event event = new Event.RealnameChanged(session.nick(), name, clock.millis());
    for (Session other : roommates(session)) {
      other.sink().event(event, null);
    }
    session.sink().reply(requestId, new Reply.RealnameSet(name));
  }

  private void lookup(Session session, String requestId, List<String> nicks) {
    List<Reply.UserInfo> found = new ArrayList<>();
    int asked = 0;
    for (String nick : nicks == null ? List.<String>of() : nicks) {
      if (++asked > MAX_LOOKUP) {
        break;
      }
      Session user = online(nick);
      if (user != null) {
        found.add(info(user));
      }
    }
    session.sink().reply(requestId, new Reply.Users(List.copyOf(found)));
  }

  private static Reply.UserInfo info(Session user) {
    List<String> in = new ArrayList<>();
    for (Room room : user.rooms()) {
      in.add(room.name());
    }
    in.sort(Comparator.comparing(Names::fold));
    return new Reply.UserInfo(user.nick(), user.account(), user.realname(), user.away(),
        user.isAdmin(), List.copyOf(in));
  }

  /**
   * Text for one line: control characters become spaces, cut to {@code max} characters; null
   * when nothing is left.
   */
  static String oneLine(String text, int max) {
    if (text == null) {
      return null;
    }
    StringBuilder b = new StringBuilder(Math.min(text.length(), max));
    for (int i = 0; i < text.length() && b.length() < max; i++) {
      char c = text.charAt(i);
      b.append(Character.isISOControl(c) ? ' ' : c);
    }
    String line = b.toString().strip();
    return line.isEmpty() ? null : line;
  }

  /** Everyone sharing at least one room with {@code session}, once each, without it. */
  private Set<Session> roommates(Session session) {
    Set<Session> others = new LinkedHashSet<>();
    for (Room room : session.rooms()) {
      synchronized (room) {
        for (Session member : room.members()) {
          if (member != session) {
            others.add(member);
          }
        }
      }
    }
    return others;
  }

  private void join(Session session, String requestId, String typed, String roomKey,
      boolean reply) {
    String name = Names.roomName(typed);
    String problem = Names.roomProblem(name, limits.maxRoomLength());
    if (problem != null) {
      fail(session, requestId, CoreError.INVALID_ROOM, problem);
      return;
    }
    String key = Names.fold(name);
    if (!roomAllowed(session, requestId, key)) {
      return;
    }
    while (true) {
      // A new room continues its stored sequence, so numbers are never reused after a restart.
      Room room = rooms.computeIfAbsent(key, k -> new Room(name, store.lastSeq(k)));
      Reply.JoinedRoom joined;
      synchronized (room) {
        if (room.closed()) {
          continue; // emptied and removed meanwhile; make or find its successor
        }
        if (!room.contains(session)) {
          Moderation.Refusal refusal = moderation.admission(room, session, roomKey);
          if (refusal != null) {
            fail(session, requestId, refusal.error, refusal.getMessage());
            return;
          }
          if (room.isEmpty()) {
            moderation.created(room, session);
          }
          room.add(session);
          session.entered(room);
          room.broadcast(new Event.Joined(room.name(), session.nick(), session.account(),
              session.realname(), clock.millis()), null, null);
          // Under the monitor: no live message can slip between the replay and the join.
          replay(session, store.roomHistory(key, Long.MAX_VALUE, limits.historyOnJoin()));
        }
        joined = new Reply.JoinedRoom(room.name(), room.nicks(), room.opNicks(),
            room.voicedNicks(), room.topic(), room.modes());
      }
      if (reply) {
        session.sink().reply(requestId, joined);
      }
      return;
    }
  }

  private void leave(Session session, String requestId, String typed, String reason) {
    Room room = memberRoom(session, typed);
    if (room == null) {
      fail(session, requestId, CoreError.NOT_IN_ROOM, "you are not in room " + typed);
      return;
    }
    synchronized (room) {
      if (!room.contains(session)) {
        fail(session, requestId, CoreError.NOT_IN_ROOM, "you are not in room " + typed);
        return;
      }
      room.broadcast(new Event.Left(room.name(), session.nick(), reason(reason, ""),
          clock.millis()), null, null);
      removeMember(room, session);
    }
    session.sink().reply(requestId, new Reply.LeftRoom(room.name()));
  }

  /**
   * Removes a member; the caller holds the room's monitor. When it was the last operator, status
   * may pass on ({@link Moderation#departed}).
   */
  void removeMember(Room room, Session session) {
    boolean wasOp = room.isOp(session);
    room.remove(session);
    session.exited(room);
    if (room.isEmpty()) {
      room.close();
      rooms.remove(room.key(), room);
    } else {
      moderation.departed(room, wasOp);
    }
  }

  /** The room called {@code typed} (with or without '#'), or null when there is none. */
  Room existingRoom(String typed) {
    String name = Names.roomName(typed);
    return name == null || name.isEmpty() ? null : rooms.get(Names.fold(name));
  }

  boolean isDefaultRoom(Room room) {
    return room.key().equals(Names.fold(limits.defaultRoom()));
  }

  /** The ready session called {@code nick}, or null. */
  Session online(String nick) {
    Session session = nick == null ? null : nicks.get(Names.fold(nick));
    return session != null && session.isReady() ? session : null;
  }

  /** Every ready session the mask matches. */
  List<Session> onlineMatching(Mask mask) {
    List<Session> found = new ArrayList<>();
    for (Session session : nicks.values()) {
      if (session.isReady() && mask.matches(session) && !found.contains(session)) {
        found.add(session);
      }
    }
    return found;
  }

  /** The account owning {@code nick}, or null. May block (the account store). */
  Account owner(String nick) {
    return accounts.owner(nick).orElse(null);
  }

  private Room memberRoom(Session session, String typed) {
    String name = Names.roomName(typed);
    if (name == null || name.isEmpty()) {
      return null;
    }
    Room room = rooms.get(Names.fold(name));
    return room != null && session.rooms().contains(room) ? room : null;
  }

  private void listRooms(Session session, String requestId) {
    List<Reply.RoomInfo> list = new ArrayList<>();
    for (Room room : rooms.values()) {
      synchronized (room) {
        if (!room.closed()) {
          list.add(new Reply.RoomInfo(room.name(), room.size(),
              room.topic() == null ? null : room.topic().text()));
        }
      }
    }
    list.sort(Comparator.comparing(info -> Names.fold(info.room())));
    session.sink().reply(requestId, new Reply.RoomList(List.copyOf(list)));
  }

  private void who(Session session, String requestId, String typed) {
    String name = Names.roomName(typed);
    Room room = name == null ? null : rooms.get(Names.fold(name));
    if (room == null) {
      fail(session, requestId, CoreError.NO_SUCH_ROOM, "no room named " + typed);
      return;
    }
    Reply.Members members;
    synchronized (room) {
      List<Reply.UserInfo> users = new ArrayList<>(room.size());
      for (Session member : room.members()) {
        // Without each member's rooms: a big room would pay members x rooms for nothing.
        users.add(new Reply.UserInfo(member.nick(), member.account(), member.realname(),
            member.away(), member.isAdmin(), List.of()));
      }
      members = new Reply.Members(room.name(), room.nicks(), room.opNicks(), room.voicedNicks(),
          List.copyOf(users));
    }
    session.sink().reply(requestId, members);
  }

  private void sayToRoom(Session session, String requestId, SayToRoom say) {
    if (!checkText(session, requestId, say.text())) {
      return;
    }
    Room room = memberRoom(session, say.room());
    if (room == null) {
      fail(session, requestId, CoreError.NOT_IN_ROOM, "you are not in room " + say.room());
      return;
    }
    synchronized (room) {
      if (!room.contains(session)) {
        fail(session, requestId, CoreError.NOT_IN_ROOM, "you are not in room " + say.room());
        return;
      }
      Moderation.Refusal refusal = moderation.speech(room, session);
      if (refusal != null) {
        fail(session, requestId, refusal.error, refusal.getMessage());
        return;
      }
      Event.RoomMessage event = new Event.RoomMessage(room.name(), messageIds.next(),
          room.nextSeq(), clock.millis(), session.nick(), say.kind(), say.text(),
          session.account());
      StoredMessage stored = new StoredMessage(event.msgId(), event.room(), event.seq(),
          event.ts(), event.from(), session.account(), null, null, event.kind(), event.text());
      // Appends happen in seq order under the monitor and the store calls back in append order,
      // so fan-out after commit keeps the room's order.
      session.appendStarted();
      store.append(stored, failure -> {
        try {
          roomMessageDurable(room, event, session, requestId, failure);
        } finally {
          session.appendDone();
        }
      });
    }
  }

  /** Fan-out of a stored room message; runs on a store thread (or inline for memory). */
  private void roomMessageDurable(Room room, Event.RoomMessage event, Session sender,
      String requestId, Throwable failure) {
    if (failure != null) {
      log.warn("could not store message {} in {}", event.msgId(), event.room(), failure);
      fail(sender, requestId, CoreError.STORE_FAILED, "the message could not be stored");
      return;
    }
    synchronized (room) {
      room.broadcast(event, sender, requestId);
      if (!room.contains(sender) && !sender.isClosed()) {
        sender.sink().event(event, requestId); // left meanwhile: still owed its confirmation
      }
    }
  }

  private void replay(Session session, List<StoredMessage> messages) {
    for (StoredMessage m : messages) {
      Event original = m.isPrivate()
          ? new Event.PrivateMessage(m.msgId(), m.ts(), m.from(), m.to(), m.kind(), m.text(),
              m.fromAccount())
          : new Event.RoomMessage(m.room(), m.msgId(), m.seq(), m.ts(), m.from(), m.kind(),
              m.text(), m.fromAccount());
      session.sink().event(new Event.History(original), null);
    }
  }

  private void roomHistory(Session session, String requestId, Command.RoomHistory request) {
    String name = Names.roomName(request.room());
    if (Names.roomProblem(name, limits.maxRoomLength()) != null) {
      fail(session, requestId, CoreError.INVALID_ROOM, "no room named " + request.room());
      return;
    }
    Room room = memberRoom(session, name);
    if (room == null) {
      fail(session, requestId, CoreError.NOT_IN_ROOM, "join " + name + " to read its history");
      return;
    }
    int limit = Math.max(1, Math.min(request.limit() <= 0 ? limits.historyOnJoin() : request.limit(),
        limits.maxHistoryPage()));
    long before = request.beforeSeq() <= 0 ? Long.MAX_VALUE : request.beforeSeq();
    // One more than asked tells whether older messages remain.
    List<StoredMessage> page = store.roomHistory(room.key(), before, limit + 1);
    boolean more = page.size() > limit;
    if (more) {
      page = page.subList(1, page.size());
    }
    replay(session, page);
    long firstSeq = page.isEmpty() ? 0 : page.get(0).seq();
    session.sink().reply(requestId, new Reply.HistorySent(room.name(), page.size(), firstSeq, more));
  }

  private void sayToNick(Session session, String requestId, SayToNick say) {
    if (!checkText(session, requestId, say.text())) {
      return;
    }
    Session target = say.nick() == null ? null : nicks.get(Names.fold(say.nick()));
    if (target == null || !target.isReady()) {
      fail(session, requestId, CoreError.NO_SUCH_NICK, "nobody is called " + say.nick());
      return;
    }
    Event.PrivateMessage event = new Event.PrivateMessage(messageIds.next(), clock.millis(),
        session.nick(), target.nick(), say.kind(), say.text(), session.account());
    StoredMessage stored = new StoredMessage(event.msgId(), null, 0, event.ts(), event.from(),
        session.account(), event.to(), target.account(), event.kind(), event.text());
    session.appendStarted();
    store.append(stored, failure -> {
      try {
        if (failure != null) {
          log.warn("could not store private message {}", event.msgId(), failure);
          fail(session, requestId, CoreError.STORE_FAILED, "the message could not be stored");
          return;
        }
        if (target != session) {
          target.sink().event(event, null);
        }
        session.sink().event(event, requestId);
      } finally {
        session.appendDone();
      }
    });
  }

  private boolean checkText(Session session, String requestId, String text) {
    if (text == null || text.isEmpty()) {
      fail(session, requestId, CoreError.EMPTY_MESSAGE, "message is empty");
      return false;
    }
    int bytes = Names.utf8Length(text);
    if (bytes > limits.maxMessageBytes()) {
      fail(session, requestId, CoreError.MESSAGE_TOO_LONG, "message of " + bytes
          + " bytes exceeds the limit of " + limits.maxMessageBytes() + " bytes");
      return false;
    }
    return true;
  }

  /**
   * The session is gone (quit, closed, reset, timed out): leaves its rooms, frees its nick and
   * tells everyone who shared a room with it, once. Safe to call more than once.
   */
  public void disconnect(Session session, String reason) {
    Session.State previous;
    synchronized (session) {
      previous = session.state();
      if (previous == Session.State.CLOSED) {
        return;
      }
      session.state(Session.State.CLOSED);
    }
    sessions.remove(session.id());
    addresses.release(session.remote());
    flood.forget(session);
    if (previous != Session.State.READY) {
      return;
    }
    Set<Session> others = new LinkedHashSet<>();
    for (Room room : List.copyOf(session.rooms())) {
      synchronized (room) {
        removeMember(room, session);
        for (Session member : room.members()) {
          others.add(member);
        }
      }
    }
    nicks.remove(Names.fold(session.nick()), session);
    if (shuttingDown) {
      return;
    }
    Event event = new Event.Quit(session.nick(), reason(reason, "connection closed"),
        clock.millis());
    for (Session other : others) {
      other.sink().event(event, null);
    }
    log.debug("{} disconnected: {}", session, reason);
  }

  /** Refuses new sessions, tells every session why, and asks every door to close it. */
  public void shutdown(String notice) {
    shuttingDown = true;
    Event event = new Event.Notice(null, notice, clock.millis());
    for (Session session : List.copyOf(sessions.values())) {
      session.sink().event(event, null);
      session.sink().close(notice);
    }
  }

  /**
   * Finishes the current command with slow work off the I/O thread; the session's later
   * commands wait for it. A full queue is the requester's error, not a stall.
   */
  private void offload(Session session, String requestId, Runnable work) {
    session.turns().defer(work, () -> fail(session, requestId, CoreError.SERVER_BUSY,
        "the server is busy; try again"));
  }

  // Limits (docs/ARCHITECTURE.md, "Where each limit lives"); the rules are in their own classes.

  /**
   * A request the door answers itself (ping, a malformed or unknown request): it costs like any
   * other. False if the session is closed or was refused or disconnected for flooding; the door
   * must then not answer.
   */
  public boolean charge(Session session, String requestId) {
    return !session.isClosed() && admit(session, requestId, 1);
  }

  /**
   * A door's own answer (pong, or the error for an unknown or malformed request), charged like
   * any request and sent in the session's order: after the replies to everything it sent
   * before, even a login still being checked.
   */
  public void answerInOrder(Session session, String requestId, Runnable answer) {
    if (!charge(session, requestId)) {
      return;
    }
    if (!session.turns().submit(answer, blocking)) {
      fail(session, requestId, CoreError.SERVER_BUSY, "too many requests waiting; slow down");
    }
  }

  /**
   * The door's timer, {@link ConnectionLimits#helloTimeout()} after {@link #open}: a session that
   * has not said hello by now is closed.
   */
  public void helloDeadline(Session session) {
    if (session.state() == Session.State.CONNECTED) {
      endSession(session, CoreError.HELLO_TIMEOUT,
          "no hello within " + Durations.text(limits.connections().helloTimeout()));
    }
  }

  /** The slow-reader rule for one new connection of a door. */
  public Backlog newBacklog() {
    return new Backlog(limits.slowReaders(), clock, slowReaderDrops);
  }

  /** Requests slowed down or refused by flood control since the hub started (metrics). */
  public long floodPushbacks() {
    return floodPushbacks.sum();
  }

  /** Events dropped for slow readers since the hub started, over all connections (metrics). */
  public long slowReaderDrops() {
    return slowReaderDrops.sum();
  }

  /** Applies the flood rule's verdict; false if the request must not be handled. */
  private boolean admit(Session session, String requestId, int cost) {
    FloodControl.Verdict verdict = flood.admit(session, cost);
    switch (verdict.outcome()) {
      case PASS -> {
        return true;
      }
      case KICK -> {
        endSession(session, CoreError.FLOODING, verdict.message());
        return false;
      }
      default -> floodPushbacks.increment();
    }
    if (verdict.notice() != null) {
      session.sink().event(new Event.Notice(null, verdict.notice(), clock.millis()), null);
    }
    session.sink().pause(verdict.waitMillis());
    if (verdict.outcome() == FloodControl.Outcome.REFUSE) {
      fail(session, requestId, CoreError.RATE_LIMITED, verdict.message());
      return false;
    }
    return true;
  }

  private boolean roomAllowed(Session session, String requestId, String key) {
    Room existing = rooms.get(key);
    int max = limits.maxRoomsPerSession();
    if ((existing == null || !session.rooms().contains(existing))
        && session.rooms().size() >= max) {
      fail(session, requestId, CoreError.TOO_MANY_ROOMS,
          "you are in " + session.rooms().size() + " rooms, the limit per session is " + max);
      return false;
    }
    return true;
  }

  /** Ends a session for breaking a limit: everyone hears why, the door closes it. */
  private void endSession(Session session, CoreError error, String message) {
    disconnect(session, message);
    session.sink().fatal(error, message);
  }

  void fail(Session session, String requestId, CoreError error, String message) {
    session.sink().reply(requestId, new Failed(error, message));
  }

  static String reason(String given, String fallback) {
    if (given == null || given.isBlank()) {
      return fallback;
    }
    return given.length() > MAX_REASON_LENGTH ? given.substring(0, MAX_REASON_LENGTH) : given;
  }
}
