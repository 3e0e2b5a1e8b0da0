package chat.core;

import chat.core.cluster.Bus;
import chat.core.cluster.RoomEntry;
import chat.core.cluster.RoomNote;
import chat.core.store.MessageStore;
import chat.core.store.StoreOutcomeUnknown;
import chat.core.store.StoredMessage;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rooms shared with other servers (docs/ARCHITECTURE.md, "Several servers"): a message is
 * numbered by the store, then published on the bus; entries come from the local store and from
 * the bus in any order, and each room hands them out in seq order, holding an entry until the one
 * before it came. An entry missing for {@link #GAP_MILLIS} (the bus lost it, or its server died
 * between commit and publish) is read from the store; a room whose last entries were lost
 * is caught up by {@link CatchUp}. Messages and room changes go this way; a
 * change another server made is applied to the room's state here as it is handed out
 * ({@link RoomReplica}), before its members see it.
 */
final class Cluster {

  private static final Logger log = LoggerFactory.getLogger(Cluster.class);
  static final long GAP_MILLIS = 500;

  private final Hub hub;
  private final Clock clock;
  private final MessageStore store;
  private final Executor blocking;
  private final Bus bus;
  private final CatchUp catchUp;
  /** Per room key, the entries held back until the ones before them came. */
  private final Map<String, Order> orders = new ConcurrentHashMap<>();
  private final RoomReplica replica = new RoomReplica();

  /**
   * An entry waiting for its turn; {@code to} gets it as the reply to its request {@code id}
   * ({@code asReply}: a message's own copy) or marked as caused by that request (a change).
   */
  /**
   * An entry waiting for its turn; {@code recipients}: this server's own change, told to the
   * members as of the change (null: to the members when it is handed out).
   */
  private record Held(StoredMessage entry, Event event, Session to, String id,
      boolean asReply, List<Session> recipients) {}

  private static final class Order {
    final TreeMap<Long, Held> held = new TreeMap<>();
    long gapSince = -1;
  }

  Cluster(Hub hub, Clock clock, MessageStore store, Executor blocking, Bus bus) {
    this.hub = hub;
    this.clock = clock;
    this.store = store;
    this.blocking = blocking;
    this.bus = bus;
    bus.onRemoteNote(this::remoteNote);
    this.catchUp = new CatchUp(hub.rooms, store, blocking,
        (room, m) -> offer(room, m, m.seq(), null, null, false, null));
    bus.onRemote(this::remote);
    bus.onLoss(catchUp::lost);
  }

  /** A checked message to a room the session is in: numbered by the store, then handed out. */
  void post(Session session, String requestId, Room room, MessageKind kind, String text) {
    StoredMessage unnumbered = new StoredMessage(hub.messageIds.next(), room.name(), 0,
        clock.millis(), session.nick(), session.account(), null, null, kind, text);
    session.appendStarted();
    store.appendNumbered(unnumbered, (seq, failure) -> {
      try {
        if (failure != null) {
          log.warn("could not store message {} in {}: {}", unnumbered.msgId(), room.name(),
              failure.toString());
          if (failure instanceof StoreOutcomeUnknown) {
            hub.fail(session, requestId, CoreError.STORE_UNKNOWN, StoreOutcomeUnknown.TO_SENDER);
          } else {
            hub.fail(session, requestId, CoreError.STORE_FAILED, "the message could not be stored");
          }
          return;
        }
        StoredMessage entry = unnumbered.withSeq(seq);
        publish(entry);
        offer(room, entry, seq, session, requestId, true, null);
      } finally {
        session.appendDone();
      }
    });
  }

  /**
   * A room change this server committed (numbered by the store): published, and handed out in
   * order; {@code alsoTo} (someone kicked) hears of it though no longer a member, and
   * {@code causer} (or null) gets it marked as caused by its request {@code causeId}. It goes
   * to {@code recipients}, the members when the change was made: one who left meanwhile (kicked
   * next, say) still hears of it, before its own leaving.
   */
  void committed(Room room, StoredMessage entry, Session alsoTo, Session causer,
      String causeId, List<Session> recipients) {
    publish(entry);
    Event event = RoomLog.event(entry);
    offer(room, entry, entry.seq(), causer, causeId, false, recipients);
    if (alsoTo != null) {
      for (Session connection : alsoTo.connections()) {
        synchronized (room) {
          if (!room.contains(connection) && !connection.isClosed()
              && (recipients == null || !recipients.contains(connection))) {
            Room.handOut(connection, event, causer, causeId);
          }
        }
      }
    }
  }

  /** A room change this server made and applied; the store is numbering it. */
  void changing(Room room, StoredMessage entry) {
    replica.changing(room, entry);
  }

  /** A room change of this server's that was not stored (under no monitor). */
  void failed(Room room, StoredMessage entry) {
    synchronized (room) {
      replica.failed(room, entry);
    }
  }

  /** A change of the room's state without a log entry was stored: the others hear of it. */
  void noted(Room room, String owner, String opGranted, String notice, long ts) {
    bus.publishNote(new RoomNote(bus.nodeId(), room.name(), owner, opGranted, notice, ts));
  }

  /** An admin here closed the room and its state is deleted: the others forget theirs. */
  void closed(Room room, String why, long ts) {
    bus.publishNote(new RoomNote(bus.nodeId(), room.name(), null, null, why, ts, true));
  }

  private void remoteNote(RoomNote note) {
    Room room = hub.rooms.byKey.get(Names.fold(note.room()));
    if (room == null) {
      return; // nothing here; whoever joins reads the room's record from the store
    }
    synchronized (room) {
      if (room.closed()) {
        return;
      }
      if (note.closed()) {
        forget(room, note);
        return;
      }
      replica.noted(room, note);
    }
  }

  /**
   * Another server closed the room. Its kicks came first on the bus, but may still wait here
   * behind a gap: whoever is still a member is removed now (told like a kick, by the server),
   * then the room's state is forgotten. Under the room's monitor.
   */
  private void forget(Room room, RoomNote note) {
    String why = note.notice() == null ? "room closed" : note.notice();
    for (Session member : java.util.List.copyOf(room.members())) {
      if (!member.isClosed()) {
        member.sink().event(new Event.Kicked(room.name(), member.nick(), null, why, note.ts(),
            room.deliveredSeq()), null);
      }
      if (room.remove(member)) {
        member.exited(room);
      }
    }
    orders.remove(room.key());
    hub.rooms.forget(room);
  }

  /** A publish that fails loses the entry for the others, who read it from the store. */
  private void publish(StoredMessage entry) {
    try {
      bus.publish(new RoomEntry(bus.nodeId(), entry));
    } catch (RuntimeException e) {
      log.warn("could not publish {} of {}: {}", entry.seq(), entry.room(), e.toString());
    }
  }

  /** An entry another server committed: for the local members only. */
  private void remote(RoomEntry entry) {
    Room room = hub.rooms.byKey.get(Names.fold(entry.entry().room()));
    if (room == null) {
      return; // nobody here; whoever joins reads the log from the store
    }
    offer(room, entry.entry(), entry.entry().seq(), null, null, false, null);
  }

  /** Hands out {@code entry} if it is the room's next (and what it held after it). */
  private void offer(Room room, StoredMessage entry, long seq, Session replyTo, String replyId,
      boolean asReply, List<Session> recipients) {
    Event event = RoomLog.event(entry);
    synchronized (room) {
      if (seq <= room.deliveredSeq()) {
        if (asReply && replyTo != null && !replyTo.isClosed()) {
          replyTo.sink().event(event, replyId); // filled from the store before it came back
        }
        return;
      }
      Order order = orders.computeIfAbsent(room.key(), k -> new Order());
      Held held = new Held(entry, event, replyTo, replyId, asReply, recipients);
      if (replyTo == null) {
        order.held.putIfAbsent(seq, held); // a copy from the bus or the store
      } else {
        order.held.put(seq, held); // this server's own, with whom to answer
      }
      drain(room, order);
    }
  }

  /**
   * Under the room's monitor. Another server's room change is applied before the members see
   * it; the member its kick names leaves after seeing it (status passes on where it was kicked).
   */
  private void drain(Room room, Order order) {
    while (!order.held.isEmpty() && order.held.firstKey() == room.deliveredSeq() + 1) {
      Held next = order.held.pollFirstEntry().getValue();
      long seq = room.deliveredSeq() + 1;
      room.delivered(seq);
      room.seenSeq(seq);
      Session kicked = replica.handingOut(room, next.entry());
      if (next.asReply()) {
        room.broadcast(next.event(), next.to(), next.id());
        if (next.to() != null && !room.contains(next.to()) && !next.to().isClosed()) {
          next.to().sink().event(next.event(), next.id());
        }
      } else if (next.recipients() != null) {
        Room.handOutAll(next.recipients(), next.event(), next.to(), next.id());
      } else {
        room.broadcastCaused(next.event(), next.to(), next.id());
      }
      if (kicked != null) {
        hub.rooms.removeMember(room, kicked, false);
      }
    }
    order.gapSince = order.held.isEmpty() ? -1
        : order.gapSince < 0 ? clock.millis() : order.gapSince;
  }

  /**
   * Every second: rooms holding entries behind a gap older than {@link #GAP_MILLIS} read every
   * hole up to the last entry held, in one read (entries from several servers interleave, so with
   * the bus away most of them are holes; one read per hole and tick would hand out one a second).
   */
  void tick() {
    long now = clock.millis();
    for (Map.Entry<String, Order> e : orders.entrySet()) {
      Room room = hub.rooms.byKey.get(e.getKey());
      if (room == null) {
        orders.remove(e.getKey());
        continue;
      }
      long from;
      long to;
      synchronized (room) {
        Order order = e.getValue();
        if (order.held.isEmpty() || order.gapSince < 0 || now - order.gapSince < GAP_MILLIS) {
          continue;
        }
        from = room.deliveredSeq();
        to = order.held.lastKey();
      }
      try {
        blocking.execute(() -> catchUp.fill(room, from, to));
      } catch (java.util.concurrent.RejectedExecutionException busy) {
        break; // the pool is full; the next tick tries again
      }
    }
    catchUp.tick(now);
  }
}
