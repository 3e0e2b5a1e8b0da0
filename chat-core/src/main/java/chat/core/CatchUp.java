package chat.core;

import chat.core.store.MessageStore;
import chat.core.store.StoredMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads from the store what the bus did not bring (docs/ARCHITECTURE.md, "When NATS or
 * PostgreSQL fails"). {@link Cluster}'s gap filler needs a later entry to notice a missing one; a
 * room whose last entries were lost would wait for the next entry forever. So the rooms with
 * members here are compared with the store's last seq: all of them at once when the bus says it
 * may have lost entries (a reconnect, a slow consumer), and every {@link #SWEEP_MILLIS} those
 * that handed nothing out since the last look. What is missing is read in pages of
 * {@link #PAGE} and offered in seq order; the room drops what it has already handed out, so
 * nothing comes twice.
 */
final class CatchUp {

  private static final Logger log = LoggerFactory.getLogger(CatchUp.class);
  static final long SWEEP_MILLIS = 5_000;
  static final int PAGE = 500;

  /** Where read entries go: {@link Cluster}'s ordering. */
  interface Offer {
    void offer(Room room, StoredMessage entry);
  }

  private final Rooms rooms;
  private final MessageStore store;
  private final Executor blocking;
  private final Offer offer;
  private final AtomicBoolean sweeping = new AtomicBoolean();
  /** A loss was signalled and not yet swept for (a sweep was running, or the store failed). */
  private volatile boolean lossPending;
  /** Per room key, what it had handed out at the last sweep: unchanged means quiet. */
  private final Map<String, Long> lastLook = new ConcurrentHashMap<>();
  private volatile long lastSweep;
  private volatile long storeFailureLogged;

  CatchUp(Rooms rooms, MessageStore store, Executor blocking, Offer offer) {
    this.rooms = rooms;
    this.store = store;
    this.blocking = blocking;
    this.offer = offer;
  }

  /** The bus may have lost entries: every room with members is compared with the store. */
  void lost() {
    lossPending = true;
    start(true);
  }

  /** The hub's one-second timer. */
  void tick(long now) {
    if (lossPending) {
      start(true);
    } else if (now - lastSweep >= SWEEP_MILLIS) {
      lastSweep = now;
      start(false);
    }
  }

  private void start(boolean all) {
    if (!sweeping.compareAndSet(false, true)) {
      return; // the running one, or the next tick, covers it
    }
    if (all) {
      lossPending = false;
    }
    try {
      blocking.execute(() -> {
        try {
          sweep(all);
        } finally {
          sweeping.set(false);
        }
      });
    } catch (RejectedExecutionException e) {
      sweeping.set(false);
      lossPending |= all; // the pool is full: the next tick tries again
    }
  }

  private void sweep(boolean all) {
    lastLook.keySet().retainAll(rooms.byKey.keySet());
    for (Room room : List.copyOf(rooms.byKey.values())) {
      long delivered;
      synchronized (room) {
        if (room.isEmpty() || room.closed()) {
          continue;
        }
        delivered = room.deliveredSeq();
      }
      Long before = lastLook.put(room.key(), delivered);
      if (!all && (before == null || before != delivered)) {
        continue; // entries came since the last look: its gap filler sees any hole
      }
      long last;
      try {
        last = store.lastSeq(room.key());
      } catch (RuntimeException e) {
        storeFailed(e);
        lossPending |= all; // try again on the next tick
        return;
      }
      if (last > delivered) {
        log.info("{} is behind the store ({} < {}); reading what it missed", room.name(),
            delivered, last);
        if (!fill(room, delivered, last + 1)) {
          lossPending |= all;
          return;
        }
      }
    }
  }

  /**
   * Reads the room's entries between {@code after} and {@code before} (both exclusive) from the
   * store, oldest first, and offers them; false if the store failed.
   */
  boolean fill(Room room, long after, long before) {
    long from = after;
    // Bounded: each page moves {@code from} forward by at least one.
    for (long pages = (before - after) / PAGE + 2; pages > 0 && from + 1 < before; pages--) {
      List<StoredMessage> page;
      try {
        page = new ArrayList<>(store.roomSlice(room.key(), from, before, PAGE, false, false));
      } catch (RuntimeException e) {
        storeFailed(e);
        return false;
      }
      for (StoredMessage m : page) {
        offer.offer(room, m);
        from = Math.max(from, m.seq());
      }
      if (page.size() < PAGE) {
        break;
      }
    }
    return true;
  }

  private void storeFailed(RuntimeException e) {
    long now = System.currentTimeMillis();
    if (now - storeFailureLogged >= 10_000) {
      storeFailureLogged = now;
      log.warn("could not compare rooms with the store (trying again): {}", e.toString());
    }
  }
}
