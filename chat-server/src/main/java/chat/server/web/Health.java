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
 * endpoint is polled.
 */
final class Health implements AutoCloseable {

  static final long STORE_TIMEOUT_MS = 2000;
  private static final long CACHE_NANOS = TimeUnit.SECONDS.toNanos(1);

  record Status(boolean ready, String store, long storeMillis, boolean stopping) {}

  private final MessageStore store;
  private final BooleanSupplier stopping;
  private final ExecutorService checker = Executors.newSingleThreadExecutor(
      Thread.ofPlatform().name(chat.server.ChatServer.THREAD_NAME_PREFIX + "health").daemon().factory());
  private CompletableFuture<Status> last;
  private long lastAt;

  Health(MessageStore store, BooleanSupplier stopping) {
    this.store = store;
    this.stopping = stopping;
  }

  /** The current status; completes within the store timeout. */
  synchronized CompletableFuture<Status> check() {
    long now = System.nanoTime();
    if (last != null && (!last.isDone() || now - lastAt < CACHE_NANOS)) {
      return last.thenApply(s -> new Status(s.ready() && !stopping.getAsBoolean(), s.store(),
          s.storeMillis(), stopping.getAsBoolean()));
    }
    lastAt = now;
    CompletableFuture<Status> check;
    try {
      check = CompletableFuture.supplyAsync(() -> {
        long start = System.nanoTime();
        store.lastSeq("healthz");
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      }, checker).handle((millis, failure) -> failure == null
          ? new Status(!stopping.getAsBoolean(), "ok", millis, stopping.getAsBoolean())
          : new Status(false, "failing: " + rootMessage(failure), -1, stopping.getAsBoolean()))
          .completeOnTimeout(new Status(false, "not answering within " + STORE_TIMEOUT_MS + " ms",
              -1, stopping.getAsBoolean()), STORE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      check = CompletableFuture.completedFuture(new Status(false, "stopped", -1, true));
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
