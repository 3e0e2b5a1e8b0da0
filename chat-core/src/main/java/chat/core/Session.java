package chat.core;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

/** One connected user as the core sees it, whichever door it came through. */
public final class Session {

  enum State { CONNECTED, READY, CLOSED }

  private final long id;
  private final EventSink sink;
  private final String remote;
  @SuppressWarnings("rawtypes")
  private static final AtomicReferenceFieldUpdater<Session, Set> ROOMS =
      AtomicReferenceFieldUpdater.newUpdater(Session.class, Set.class, "rooms");
  /**
   * The rooms it is in: an immutable set, replaced on each join and leave (rare) so that the
   * many reads (every quit, nick change, lookup) need no lock and an idle connection pays 24
   * bytes for its one room, where a concurrent set cost about 200.
   */
  private volatile Set<Room> rooms = Set.of();
  private final Turns turns = new Turns();
  /** Its own until it joins an account's other connections (a second device). */
  private volatile Identity identity = new Identity(this);
  private volatile State state = State.CONNECTED;
  /** Whether the client can resume (said so in its hello). */
  private volatile boolean resumable;
  /** A guest's token for taking its nick and rooms back after a drop, or null. */
  private volatile String resumeToken;
  /** While dropped and waiting for its token: until when, clock millis (0: not parked). */
  private volatile long parkedUntil;

  Session(long id, EventSink sink, String remote) {
    this.id = id;
    this.sink = sink;
    this.remote = remote;
  }

  public long id() {
    return id;
  }

  /** The current nick, or null before the hello. */
  public String nick() {
    return identity.nick();
  }

  /** The logged-in account, or null for a guest. */
  public String account() {
    return identity.account();
  }

  public boolean isAdmin() {
    return identity.admin();
  }

  void account(String account, boolean admin) {
    identity.account(account, admin);
  }

  boolean resumable() {
    return resumable;
  }

  void resumable(boolean on) {
    this.resumable = on;
  }

  String resumeToken() {
    return resumeToken;
  }

  void resumeToken(String token) {
    this.resumeToken = token;
  }

  long parkedUntil() {
    return parkedUntil;
  }

  void parkedUntil(long millis) {
    this.parkedUntil = millis;
  }

  Identity identity() {
    return identity;
  }

  /** Joins an account's identity; before the session is ready only. */
  void identity(Identity shared) {
    this.identity = shared;
  }

  /** Every connection of this session's identity, this one included. */
  java.util.List<Session> connections() {
    return identity.sessions();
  }

  /** The away message, or null when the user is present. */
  public String away() {
    return identity.away();
  }

  void away(String message) {
    identity.away(message);
  }

  /** The real name the user gave, or null. */
  public String realname() {
    return identity.realname();
  }

  void realname(String realname) {
    identity.realname(realname);
  }

  public String remote() {
    return remote;
  }

  public boolean isReady() {
    return state == State.READY;
  }

  public boolean isClosed() {
    return state == State.CLOSED;
  }

  /** Messages of this session appended to the store and not yet durable; guarded by this. */
  private int pendingAppends;

  synchronized void appendStarted() {
    pendingAppends++;
  }

  synchronized void appendDone() {
    if (--pendingAppends == 0) {
      notifyAll();
    }
  }

  synchronized boolean hasPendingAppends() {
    return pendingAppends > 0;
  }

  /** Waits, at most {@code millis}, until every message of this session is durable. */
  synchronized void awaitAppends(long millis) {
    long deadline = System.nanoTime() + millis * 1_000_000L;
    try {
      while (pendingAppends > 0) {
        long left = (deadline - System.nanoTime()) / 1_000_000L;
        if (left <= 0) {
          return;
        }
        wait(left);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Whether the current command runs off the I/O thread already ({@link Hub#offload}). */
  private volatile boolean offloaded;

  boolean offloaded() {
    return offloaded;
  }

  void offloaded(boolean on) {
    offloaded = on;
  }

  Turns turns() {
    return turns;
  }

  EventSink sink() {
    return sink;
  }

  void nick(String nick) {
    identity.nick(nick);
  }

  State state() {
    return state;
  }

  void state(State state) {
    this.state = state;
  }

  /** The rooms now: a snapshot that later joins and leaves do not change. */
  Set<Room> rooms() {
    return rooms;
  }

  void entered(Room room) {
    change(room, true);
  }

  void exited(Room room) {
    change(room, false);
  }

  @SuppressWarnings("unchecked")
  private void change(Room room, boolean in) {
    while (true) {
      Set<Room> now = rooms;
      if (now.contains(room) == in) {
        return;
      }
      Set<Room> next = new HashSet<>(now);
      if (in) {
        next.add(room);
      } else {
        next.remove(room);
      }
      if (ROOMS.compareAndSet(this, now, Set.copyOf(next))) {
        return;
      }
    }
  }

  @Override
  public String toString() {
    return "Session[" + id + " " + nick() + " " + remote + "]";
  }
}
