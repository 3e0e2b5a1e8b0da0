package chat.store;

import chat.core.Names;
import chat.core.store.RoomRecord;
import chat.core.store.StoreOutcomeUnknown;
import chat.core.store.StoredMessage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The group-commit writer of a {@link JdbcStore}: writes are queued; one thread takes everything
 * waiting (up to {@link JdbcStore#MAX_BATCH}), writes it in one transaction (messages with a JDBC
 * batch), commits, and then runs the callbacks in queue order.
 *
 * <p>When the database fails (docs/ARCHITECTURE.md, "When NATS or PostgreSQL fails"):
 * <ul>
 *   <li>A batch the database refuses while the connection is still good is retried one write
 *       per transaction, so only the culprits fail; a batch whose connection broke before the
 *       commit fails whole (nothing of it is stored).</li>
 *   <li>A connection that broke during the commit leaves the outcome open: the writer asks the
 *       database, for up to {@link #RESOLVE_MILLIS}, whether the batch's first message is
 *       stored, and reports the batch durable or failed accordingly; if it cannot find out, the
 *       batch fails with {@link StoreOutcomeUnknown}.</li>
 *   <li>A write that waited in the queue longer than {@link #QUEUE_DEADLINE_MILLIS} fails without
 *       being tried, so a sender hears within about that plus one attempt (the pool's connection
 *       timeout, the driver's socket timeout), however long the database is away.</li>
 * </ul>
 * Nothing is retried later on its own: a failed write is failed to its caller, who may send it
 * again. The pool reconnects by itself once the database is back.
 */
final class GroupCommitWriter {

  private static final Logger log = LoggerFactory.getLogger(GroupCommitWriter.class);

  static final long QUEUE_DEADLINE_MILLIS = 10_000;
  static final long RESOLVE_MILLIS = 3_000;
  private static final long RESOLVE_PAUSE_MILLIS = 200;

  /** One queued write; the writer applies them in queue order. */
  sealed interface Write {}

  record Append(StoredMessage message) implements Write {}

  /** A room entry the store numbers; {@code seq[0]} is the number it got, once applied. */
  record Numbered(StoredMessage message, long[] seq) implements Write {}

  /** A room's state with its change, the change numbered as {@link Numbered}. */
  record NumberedSaveRoom(RoomRecord room, StoredMessage change, long[] seq) implements Write {}

  record SaveRoom(RoomRecord room, StoredMessage change) implements Write {}

  record DeleteRoom(String roomKey) implements Write {}

  private record Pending(Write write, Consumer<Throwable> onDurable, long queuedNanos) {}

  /** Offered once, by the first close, after every accepted write. */
  private static final Pending STOP = new Pending(null, null, 0);

  private final DataSource pool;
  private final Runnable onStopped;
  private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  /** Writers hold it shared while they check {@code closed} and queue; close holds it alone. */
  private final ReentrantReadWriteLock closeLock = new ReentrantReadWriteLock();
  private boolean closed; // guarded by closeLock
  private final Thread thread;
  private final AtomicLong batches = new AtomicLong();
  private final AtomicLong messages = new AtomicLong();

  /** Starts the writer thread; {@code onStopped} runs on it once the queue is done. */
  GroupCommitWriter(DataSource pool, ThreadFactory threads, Runnable onStopped) {
    this.pool = pool;
    this.onStopped = onStopped;
    this.thread = threads.newThread(this::run);
    thread.setDaemon(true);
    thread.start();
  }

  void enqueue(Write write, Consumer<Throwable> onDurable) {
    Objects.requireNonNull(onDurable, "onDurable");
    closeLock.readLock().lock();
    try {
      if (!closed) {
        queue.add(new Pending(write, onDurable, System.nanoTime()));
        return;
      }
    } finally {
      closeLock.readLock().unlock();
    }
    notify(onDurable, new IllegalStateException("store is closed"));
  }

  JdbcStore.WriterStats stats() {
    return new JdbcStore.WriterStats(batches.get(), messages.get());
  }

  private void run() {
    List<Pending> batch = new ArrayList<>(JdbcStore.MAX_BATCH);
    boolean stop = false;
    try {
      while (!stop) {
        batch.add(takeUninterruptibly());
        queue.drainTo(batch, JdbcStore.MAX_BATCH - 1);
        // STOP is the last thing ever queued, so if it was taken it is at the end.
        if (batch.get(batch.size() - 1) == STOP) {
          batch.remove(batch.size() - 1);
          stop = true;
        }
        failExpired(batch);
        if (!batch.isEmpty()) {
          write(batch);
        }
        batch.clear();
      }
    } finally {
      if (!stop) {
        // Only an Error gets here: nothing more will be written, so refuse and fail the rest.
        closeLock.writeLock().lock();
        try {
          closed = true;
        } finally {
          closeLock.writeLock().unlock();
        }
        IllegalStateException failure = new IllegalStateException("store writer stopped");
        for (Pending p : batch) {
          notify(p.onDurable(), failure);
        }
        for (Pending p; (p = queue.poll()) != null; ) {
          if (p != STOP) {
            notify(p.onDurable(), failure);
          }
        }
      }
      onStopped.run();
    }
  }

  /**
   * Fails, unwritten, the writes at the head of {@code batch} up to the last one that waited
   * past the deadline (a prefix, so callbacks keep queue order), and removes them.
   */
  private void failExpired(List<Pending> batch) {
    long now = System.nanoTime();
    long deadline = TimeUnit.MILLISECONDS.toNanos(QUEUE_DEADLINE_MILLIS);
    int last = -1;
    for (int i = 0; i < batch.size(); i++) {
      if (now - batch.get(i).queuedNanos() > deadline) {
        last = i;
      }
    }
    if (last < 0) {
      return;
    }
    StoreException failure = new StoreException("not stored: the database did not take it within "
        + QUEUE_DEADLINE_MILLIS + " ms", null);
    log.warn("{} writes waited more than {} ms for the database; failed unwritten", last + 1,
        QUEUE_DEADLINE_MILLIS);
    List<Pending> failed = new ArrayList<>(batch.subList(0, last + 1));
    batch.subList(0, last + 1).clear();
    for (Pending p : failed) {
      notify(p.onDurable(), failure);
    }
  }

  private Pending takeUninterruptibly() {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return queue.take();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Commits {@code batch} and runs its callbacks in order. */
  private void write(List<Pending> batch) {
    int n = batch.size();
    Throwable[] results = new Throwable[n]; // null: durable
    Connection c = null;
    try {
      c = pool.getConnection();
    } catch (SQLException | RuntimeException e) {
      log.warn("A batch of {} writes failed: no connection: {}", n, e.toString());
      Arrays.fill(results, e);
    }
    boolean resolve = false;
    Throwable commitFailure = null;
    if (c != null) {
      boolean committing = false;
      try {
        apply(c, batch);
        committing = true;
        c.commit();
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(c);
        boolean valid = isValid(c);
        if (committing && !valid) {
          resolve = true; // the commit was sent and its answer lost: it may have happened
          commitFailure = e;
        } else if (n > 1 && valid) {
          // The database is there but refused something: find out which writes it refuses.
          log.warn("A batch of {} writes failed ({}); retrying one by one", n, e.toString());
          for (int i = 0; i < n; i++) {
            try {
              apply(c, batch.subList(i, i + 1));
              c.commit();
            } catch (SQLException | RuntimeException single) {
              rollbackQuietly(c);
              results[i] = single;
            }
          }
        } else {
          log.warn("A batch of {} writes failed: {}", n, e.toString());
          Arrays.fill(results, e);
        }
      } finally {
        try {
          c.close(); // back to the pool (a broken one is evicted); what committed stays
        } catch (SQLException e) {
          log.warn("Returning the writer's connection failed", e);
        }
      }
    }
    if (resolve) {
      Boolean committed = committed(batch);
      if (committed == null) {
        log.warn("A batch of {} writes: the connection broke during the commit and the database"
            + " could not be asked whether it committed", n);
        Arrays.fill(results, new StoreOutcomeUnknown("the connection broke during the commit",
            commitFailure));
      } else if (!committed) {
        log.warn("A batch of {} writes failed during the commit (not stored): {}", n,
            commitFailure.toString());
        Arrays.fill(results, commitFailure);
      } else {
        log.info("A batch of {} writes was committed although the answer was lost", n);
      }
    }
    batches.incrementAndGet();
    messages.addAndGet(n);
    for (int i = 0; i < n; i++) {
      notify(batch.get(i).onDurable(), results[i]);
    }
  }

  /**
   * Whether the batch whose commit answer was lost is stored, asked by its first message's id;
   * null if there is none or the database does not answer within {@link #RESOLVE_MILLIS}.
   */
  private Boolean committed(List<Pending> batch) {
    String msgId = batch.stream().map(p -> firstMessage(p.write())).filter(Objects::nonNull)
        .map(StoredMessage::msgId).findFirst().orElse(null);
    if (msgId == null) {
      return null;
    }
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RESOLVE_MILLIS);
    for (int attempt = 0; attempt < 50 && System.nanoTime() < end; attempt++) {
      try (Connection c = pool.getConnection();
          PreparedStatement ps = c.prepareStatement("SELECT 1 FROM messages WHERE msg_id = ?")) {
        ps.setString(1, msgId);
        try (ResultSet rs = ps.executeQuery()) {
          boolean found = rs.next();
          c.rollback(); // the writer's pool does not auto-commit
          return found;
        }
      } catch (SQLException | RuntimeException e) {
        log.debug("could not ask whether the batch committed", e);
      }
      try {
        Thread.sleep(RESOLVE_PAUSE_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
    }
    return null;
  }

  private static StoredMessage firstMessage(Write w) {
    return switch (w) {
      case Append a -> a.message();
      case Numbered n -> n.message();
      case NumberedSaveRoom r -> r.change();
      case SaveRoom s -> s.change();
      case DeleteRoom d -> null;
    };
  }

  /**
   * Writes {@code batch} on {@code c} without committing. Room rows are written as they come and
   * messages in one JDBC batch at the end: the tables are apart, so only the order within each
   * matters, and the one transaction makes it all or nothing.
   */
  private static void apply(Connection c, List<Pending> batch) throws SQLException {
    try (PreparedStatement messages = c.prepareStatement(MessageRows.INSERT)) {
      int added = 0;
      for (Pending p : batch) {
        switch (p.write()) {
          case Append a -> {
            MessageRows.addInsert(messages, a.message());
            added++;
          }
          case SaveRoom s -> {
            RoomRows.save(c, s.room());
            if (s.change() != null) {
              MessageRows.addInsert(messages, s.change());
              added++;
            }
          }
          case DeleteRoom d -> RoomRows.delete(c, d.roomKey());
          case NumberedSaveRoom r -> {
            RoomRows.save(c, r.room());
            r.seq()[0] = RoomSeqs.next(c, Names.fold(r.change().room()));
            MessageRows.addInsert(messages, r.change().withSeq(r.seq()[0]));
            added++;
          }
          case Numbered n -> {
            n.seq()[0] = RoomSeqs.next(c, Names.fold(n.message().room()));
            MessageRows.addInsert(messages, n.message().withSeq(n.seq()[0]));
            added++;
          }
        }
      }
      if (added > 0) {
        messages.executeBatch();
      }
    }
  }

  static void notify(Consumer<Throwable> onDurable, Throwable result) {
    try {
      onDurable.accept(result);
    } catch (RuntimeException e) {
      log.error("A store callback failed", e);
    }
  }

  private static boolean isValid(Connection c) {
    try {
      return c.isValid(2);
    } catch (SQLException e) {
      return false;
    }
  }

  private static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException e) {
      log.debug("Rollback failed", e);
    }
  }

  /** Stops taking writes, lets the thread finish the queue, and waits for it. */
  void close() {
    boolean first;
    closeLock.writeLock().lock();
    try {
      first = !closed;
      closed = true;
      if (first) {
        queue.add(STOP);
      }
    } finally {
      closeLock.writeLock().unlock();
    }
    if (Thread.currentThread() == thread) {
      return; // closed from a callback: the writer finishes the queue when the callback returns
    }
    boolean interrupted = false;
    while (thread.isAlive()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
