package chat.server.web;

import chat.core.store.MessageStore;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * {@code /healthz}: live while the event loop answers at all; ready while the server is not
 * stopping and the store answers a read within {@link #STORE_TIMEOUT_MS}. The store is asked on
 * a thread of its own (never on an event loop), at most once a second however often the
 * endpoint is polled. With a cluster bus (docs/ARCHITECTURE.md, "When NATS or PostgreSQL
 * fails") it also says whether the bus is connected ({@code up}, {@code down}; {@code none}
 * without one), and the server is not ready while it is down: its members still get their own
 * server's messages, but the others' only as they are read from the store.
 */
final class Health implements AutoCloseable {

  static final long STORE_TIMEOUT_MS = 2000;
  private static final long CACHE_NANOS = TimeUnit.SECONDS.toNanos(1);

  record Status(boolean ready, String store, long storeMillis, boolean stopping, String bus) {}

  private final MessageStore store;
  private final BooleanSupplier stopping;
  private final ExecutorService checker = Executors.newSingleThreadExecutor(
      Thread.ofPlatform().name(chat.server.ChatServer.THREAD_NAME_PREFIX + "health").daemon().factory());
  private volatile chat.core.cluster.Bus bus;
  private CompletableFuture<Status> last;
  private long lastAt;

  Health(MessageStore store, BooleanSupplier stopping) {
    this.store = store;
    this.stopping = stopping;
  }

  /** The cluster bus whose connection the status reports. */
  void bus(chat.core.cluster.Bus bus) {
    this.bus = bus;
  }

  private String busStatus() {
    chat.core.cluster.Bus b = bus;
    return b == null ? "none" : b.connected() ? "up" : "down";
  }

  /** The current status; completes within the store timeout. */
  synchronized CompletableFuture<Status> check() {
    return storeCheck().thenApply(s -> {
      String bus = busStatus();
      boolean stopping = this.stopping.getAsBoolean();
      return new Status(s.ready() && !stopping && !bus.equals("down"), s.store(), s.storeMillis(),
          stopping, bus);
    });
  }

  private CompletableFuture<Status> storeCheck() {
    long now = System.nanoTime();
    if (last != null && (!last.isDone() || now - lastAt < CACHE_NANOS)) {
      return last;
    }
    lastAt = now;
    CompletableFuture<Status> check;
    try {
      check = CompletableFuture.supplyAsync(() -> {
        long start = System.nanoTime();
        store.lastSeq("healthz");
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      }, checker).handle((millis, failure) -> failure == null
          ? new Status(true, "ok", millis, false, null)
          : new Status(false, "failing: " + rootMessage(failure), -1, false, null))
          .completeOnTimeout(new Status(false, "not answering within " + STORE_TIMEOUT_MS + " ms",
              -1, false, null), STORE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      check = CompletableFuture.completedFuture(new Status(false, "stopped", -1, true, null));
    }
    last = check;
    return check;
  }

  private static String rootMessage(Throwable t) {
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
  }

  @Override
  public void close() {
    checker.shutdownNow();
  }
}
