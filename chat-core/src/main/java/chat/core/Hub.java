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
  private final LogLimiter storeLogLimiter = new LogLimiter(Clock.systemUTC(),
      java.time.Duration.ofSeconds(10));
  private static final int MAX_GUEST_ATTEMPTS = 10_000;
  /** How long a quit waits for the session's messages still being stored. */
  static final long QUIT_WAITS_FOR_APPENDS_MS = 10_000;
  /** Most nicks one session may watch, and most users one search finds. */
  public static final int MAX_WATCHED = 100;
  public static final int MAX_FOUND = 500;

  private final CoreLimits limits;
  private final Clock clock;
  private final Accounts accounts;
  final Moderation moderation;
  final Identities identities;
  final Presence presence;
  final Watches watches;
  final Operators operators;
  final Rooms rooms;
  final Messages messages;
  final ClientTags clientTags;
  final History history;
  final HistorySlices slices;
  final RoomLog roomLog;
  final RoomAdmin roomAdmin;
  final Markers markers;
  final Files files;
  final MessageIds messageIds;
  /** Rooms shared with other servers, or null for one server alone. */
  volatile Cluster cluster;
  /** The users of the other servers, or null for one server alone (or rooms shared only). */
  volatile Peers peers;
  private final MessageStore store;
  private final chat.core.store.FileStore fileStore;
  /** Runs slow work (password hashing) off the I/O threads. */
  private final Executor blocking;
  private final FloodControl flood;
  private final AddressLimits addresses;
  private final ConcurrentMap<Long, Session> sessions = new ConcurrentHashMap<>();
  private final AtomicLong sessionIds = new AtomicLong();
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
    this(limits, clock, store, accountStore, hasher, blocking,
        new chat.core.store.MemoryFileStore(), blocking);
  }

  /**
   * @param fileStore where shared files live
   * @param fileWork where whole uploaded files are checked; must not be an I/O thread
   */
  public Hub(CoreLimits limits, Clock clock, MessageStore store, AccountStore accountStore,
      PasswordHasher hasher, Executor blocking, chat.core.store.FileStore fileStore,
      Executor fileWork) {
    this.limits = limits;
    this.clock = clock;
    this.store = store;
    this.accounts = new Accounts(accountStore, hasher, clock);
    this.moderation = new Moderation(this, clock);
    this.identities = new Identities(this, clock, accounts);
    this.presence = new Presence(this, clock);
    this.watches = new Watches(this, clock);
    this.operators = new Operators(this, clock);
    this.messageIds = new MessageIds(clock);
    this.roomLog = new RoomLog(clock, messageIds, store);
    this.rooms = new Rooms(this, clock, store);
    this.messages = new Messages(this, clock, messageIds, store);
    this.clientTags = new ClientTags(this, clock, messageIds);
    this.history = new History(this, store);
    this.slices = new HistorySlices(this, history, store);
    this.roomAdmin = new RoomAdmin(this, clock, store);
    this.markers = new Markers(this, clock, accounts, store,
        new Unread(store, rooms, limits.continuity().maxResume()));
    rooms.restore();
    this.blocking = blocking;
    this.files = new Files(this, clock, fileStore, fileWork);
    this.fileStore = fileStore;
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

  /**
   * A complete, unexpired file, for a door serving a link it signed (the signature is the
   * door's proof that someone who may see the file asked for it); null otherwise. Blocking.
   */
  public chat.core.store.FileRecord servableFile(String id) {
    return files.servable(id);
  }

  /** Bytes of a complete file, for a door serving it. Blocking. */
  public byte[] readFile(String id, long offset, int length) throws java.io.IOException {
    return fileStore.read(id, offset, length);
  }

  /** Removes abandoned uploads and expired files' bytes (blocking); returns how many. */
  public int expireFiles() {
    return files.expire();
  }

  /**
   * Forgets the state of empty unregistered rooms without history that did not change for
   * {@link ContinuityLimits#roomExpiry()}; the door's timer calls it. Returns how many.
   */
  public int expireRooms() {
    return roomAdmin.expire();
  }

  public int sessionCount() {
    return sessions.size();
  }

  /** How many sessions are past their hello (the others are still registering). */
  /** The ready sessions of this server (no other server's users). */
  List<Session> readySessions() {
    List<Session> ready = new java.util.ArrayList<>();
    for (Session session : sessions.values()) {
      if (session.isReady()) {
        ready.add(session);
      }
    }
    return ready;
  }

  public int readyCount() {
    return (int) sessions.values().stream().filter(Session::isReady).count();
  }

  /** How many rooms exist (have members) now. */
  public int roomCount() {
    return (int) rooms.byKey.values().stream().filter(r -> !r.isEmpty()).count();
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
    if (peers != null && (command instanceof Hello || command instanceof SetNick)
        && !session.offloaded()) {
      // Nicks are claimed in the cluster's directory: a database round trip, off the I/O thread.
      offload(session, requestId, () -> {
        session.offloaded(true);
        try {
          dispatch(session, requestId, command);
        } finally {
          session.offloaded(false);
        }
      });
      return;
    }
    try {
      route(session, requestId, command);
    } catch (chat.core.store.StoreFailure e) {
      storeUnavailable(session, requestId, e);
    }
  }

  /**
   * A request that needed the store, which did not answer in time or refused: the requester is
   * told, the connection stays (docs/ARCHITECTURE.md, "When NATS or PostgreSQL fails").
   */
  private void storeUnavailable(Session session, String requestId, RuntimeException e) {
    long held = storeLogLimiter.permit();
    if (held >= 0) {
      log.warn("a request failed, the store is unavailable ({} more not logged): {}", held,
          e.toString());
    }
    fail(session, requestId, CoreError.STORE_UNAVAILABLE,
        "the store is unavailable; nothing was changed; try again later");
  }

  private void route(Session session, String requestId, Command command) {
    if (command instanceof Hello hello) {
      if (hello.realname() != null && !session.isReady()) {
        // Known before anyone hears the session is online (a MONITOR sees no SETNAME for it).
        session.realname(Presence.oneLine(hello.realname(), limits().sizes().maxRealnameLength()));
      }
      if (hello.resume() != null) {
        session.resumable(true);
        if (!hello.resume().isEmpty() && !session.isReady()
            && identities.resume(session, requestId, hello.resume())) {
          return;
        }
        Peers others = peers;
        if (!hello.resume().isEmpty() && !session.isReady() && others != null
            && identities.resumeFromPeer(session, requestId, hello.resume())) {
          return;
        }
      }
      identities.hello(session, requestId, hello.nick(), hello.password(),
          hello.joinDefaultRoom());
      return;
    }
    if (!session.isReady()) {
      fail(session, requestId, CoreError.NOT_READY, "say hello first");
      return;
    }
    switch (command) {
      case Hello ignored -> throw new AssertionError("handled above");
      case SetNick c -> identities.setNick(session, requestId, c.nick());
      case Join c -> rooms.join(session, requestId, c.room(), c.key(), c.since(), true);
      case Leave c -> rooms.leave(session, requestId, c.room(), c.reason());
      case ListRooms c -> rooms.listRooms(session, requestId);
      case Who c -> rooms.who(session, requestId, c.room());
      case Command.RoomHistory c -> history.roomHistory(session, requestId, c);
      case Command.Register c -> identities.register(session, requestId, c.password());
      case Command.Login c -> identities.login(session, requestId, c.account(), c.password(),
          c.keepNick());
      case Command.ChangePassword c -> identities.changePassword(session, requestId, c);
      case Command.PrivateHistory c -> history.privateHistory(session, requestId, c);
      case Command.PrivateSince c -> history.privateSince(session, requestId, c.afterMsgId());
      case Command.ReadHistory c -> slices.read(session, requestId, c);
      case Command.HistoryAround c -> slices.around(session, requestId, c);
      case Command.HistoryTargets c -> slices.targets(session, requestId, c);
      case SayToRoom c -> messages.sayToRoom(session, requestId, c);
      case SayToNick c -> messages.sayToNick(session, requestId, c);
      case Command.SendTags c -> clientTags.send(session, requestId, c);
      case Command.SetTopic c -> moderation.topic(session, requestId, c);
      case Command.Kick c -> moderation.kick(session, requestId, c);
      case Command.Mode c -> moderation.mode(session, requestId, c);
      case Command.Kill c -> moderation.kill(session, requestId, c);
      case Command.RoomCommand c -> roomAdmin.handle(session, requestId, c);
      case Command.SetMarker c -> markers.set(session, requestId, c);
      case Command.Upload c -> files.upload(session, requestId, c);
      case Command.Chunk c -> files.chunk(session, requestId, c);
      case Command.Download c -> files.download(session, requestId, c);
      case Command.ListFiles c -> files.list(session, requestId, c);
      case Command.FileAccess c -> files.access(session, requestId, c);
      case Command.Markers c -> markers.list(session, requestId);
      case Command.SetAway c -> presence.setAway(session, requestId, c.message());
      case Command.SetRealname c -> presence.setRealname(session, requestId, c.realname());
      case Command.Lookup c -> presence.lookup(session, requestId, c.nicks());
      case Command.FindUsers c -> presence.find(session, requestId, c.mask(), c.limit());
      case Command.Watch c -> watches.watch(session, requestId, c);
      case Command.Oper c -> operators.oper(session, requestId, c);
      case Command.Wallops c -> operators.wallops(session, requestId, c.text());
      case Command.SayToOps c -> messages.sayToOps(session, requestId, c);
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
    end(session, reason(reason, "quit"));
    session.sink().close("quit");
  }

  boolean isShuttingDown() {
    return shuttingDown;
  }

  void removeMember(Room room, Session session) {
    rooms.removeMember(room, session);
  }

  Room existingRoom(String typed) {
    return rooms.existingRoom(typed);
  }

  boolean isDefaultRoom(Room room) {
    return rooms.isDefaultRoom(room);
  }

  Session online(String nick) {
    return presence.online(nick);
  }

  List<Session> onlineMatching(Mask mask) {
    return presence.onlineMatching(mask);
  }

  /** The account owning {@code nick}, or null. May block (the account store). */
  Account owner(String nick) {
    return accounts.owner(nick).orElse(null);
  }

  /**
   * The side of a conversation with {@code nick} in the store: the account of that name, or a
   * guest who used the nick ({@link chat.core.store.StoredMessage#side}). Asks the account store.
   */
  String conversationSide(String nick) {
    if (nick == null || nick.isEmpty()) {
      return "";
    }
    return accounts.owner(nick).isPresent() ? Names.fold(nick)
        : chat.core.store.StoredMessage.guest(nick);
  }

  /**
   * The session is gone (quit, closed, reset, timed out): leaves its rooms, frees its nick and
   * tells everyone who shared a room with it, once. Safe to call more than once.
   */
  public void disconnect(Session session, String reason) {
    leave(session, reason, true);
  }

  /** The session is gone for good (quit, kill, a broken limit): no grace, whoever it is. */
  void end(Session session, String reason) {
    leave(session, reason, false);
  }

  /**
   * Called by the server's timer every few seconds: dropped guests whose grace is over leave
   * for good (their rooms hear of it, their nick is free).
   */
  /**
   * Shares this server's rooms with other servers on {@code bus}, whose messages the store
   * numbers (docs/ARCHITECTURE.md, "Several servers"); before the first connection.
   */
  public synchronized void share(chat.core.cluster.Bus bus) {
    share(bus, null);
  }

  /**
   * {@link #share(chat.core.cluster.Bus)}, and the users too: nicks are held cluster-wide in
   * {@code directory} (whose node number the message ids carry), the other servers' users are
   * members here and this server's there (docs/ARCHITECTURE.md, "Several servers").
   */
  public synchronized void share(chat.core.cluster.Bus bus,
      chat.core.cluster.Directory directory) {
    if (cluster != null) {
      throw new IllegalStateException("the rooms are shared already");
    }
    messageIds.node(directory != null ? directory.node() : store.nodeNumber());
    cluster = new Cluster(this, clock, store, blocking, bus);
    roomLog.shared(cluster);
    if (directory != null) {
      identities.guestsFrom(directory.node());
      peers = new Peers(this, clock, bus, directory, blocking);
      peers.start();
      Peers others = peers;
      flood.servers(account -> 1 + others.serversElsewhere(account));
    }
  }

  /** How many users of other servers this server knows (0 alone). */
  public int remoteUsers() {
    Peers p = peers;
    return p == null ? 0 : p.remoteUsers();
  }

  public void tick() {
    Cluster shared = cluster;
    if (shared != null) {
      shared.tick();
    }
    Peers others = peers;
    if (others != null) {
      others.tick();
    }
    for (Identities.Parked parked : identities.expired(clock.millis())) {
      depart(parked.session(), parked.reason());
    }
  }

  private void leave(Session session, String reason, boolean mayPark) {
    Session.State previous;
    synchronized (session) {
      previous = session.state();
      if (previous == Session.State.CLOSED) {
        return;
      }
      session.state(Session.State.CLOSED);
    }
    sessions.remove(session.id());
    watches.forget(session);
    addresses.release(session.remote());
    flood.forget(session);
    if (previous != Session.State.READY) {
      return;
    }
    if (mayPark && !shuttingDown && identities.park(session, reason)) {
      log.debug("{} dropped, waiting for its resume: {}", session, reason);
      return;
    }
    depart(session, reason);
  }

  /** A ready session leaves: quietly when its person stays through another connection. */
  private void depart(Session session, String reason) {
    Identity person = session.identity();
    boolean last;
    synchronized (person) {
      last = person.remove(session);
    }
    if (!last) {
      // Another device of the person stays: nobody else notices this one going.
      for (Room room : List.copyOf(session.rooms())) {
        synchronized (room) {
          rooms.removeConnection(room, session);
        }
      }
      identities.handOver(session);
      Peers elsewhere = peers;
      if (elsewhere != null && !shuttingDown) {
        for (Session stays : session.connections()) {
          if (stays != session && !stays.isClosed()) {
            elsewhere.online(stays, true); // one connection fewer, for the other servers
            break;
          }
        }
      }
      log.debug("{} disconnected, its account stays: {}", session, reason);
      return;
    }
    Set<Session> others = new LinkedHashSet<>();
    for (Room room : List.copyOf(session.rooms())) {
      synchronized (room) {
        boolean quiet = room.quiet(); // nobody hears of departures from a quiet room
        rooms.removeMember(room, session);
        if (!quiet) {
          others.addAll(room.members());
        }
      }
    }
    identities.release(Names.fold(session.nick()), session);
    watches.changed(session.nick());
    Peers elsewhere = peers;
    if (elsewhere != null && !shuttingDown) {
      elsewhere.quit(session, reason(reason, "connection closed"));
      elsewhere.release(Names.fold(session.nick()));
    }
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
  void offload(Session session, String requestId, Runnable work) {
    if (session.offloaded()) {
      try {
        work.run(); // off the I/O thread already
      } catch (chat.core.store.StoreFailure e) {
        storeUnavailable(session, requestId, e);
      }
      return;
    }
    session.turns().defer(() -> {
      try {
        work.run();
      } catch (chat.core.store.StoreFailure e) {
        storeUnavailable(session, requestId, e);
      }
    }, () -> fail(session, requestId, CoreError.SERVER_BUSY,
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

  /** Ends a session for breaking a limit: everyone hears why, the door closes it. */
  private void endSession(Session session, CoreError error, String message) {
    end(session, message);
    session.sink().fatal(error, message);
  }

  void fail(Session session, String requestId, CoreError error, String message) {
    session.sink().reply(requestId, new Failed(error, message));
  }

  /** A reason as kept: {@code fallback} for none, cut at {@link SizeLimits#maxReasonLength}. */
  String reason(String given, String fallback) {
    if (given == null || given.isBlank()) {
      return fallback;
    }
    int max = limits.sizes().maxReasonLength();
    return given.length() > max ? given.substring(0, max) : given;
  }
}
