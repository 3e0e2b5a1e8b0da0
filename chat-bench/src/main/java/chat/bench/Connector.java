package chat.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/**
 * Opens many connections at a given ramp (connections per second, 0 for as fast as possible),
 * with a bounded number of handshakes in flight, and records each connection's time to ready.
 * Stops opening new connections after the first failure.
 */
final class Connector {
  private Connector() {}

  @FunctionalInterface
  interface Opener<C> {
    C open(int index) throws Exception;
  }

  /**
   * @param connections index-ordered, null where a connection failed or was not tried
   * @param connectMicros time from the start of the TCP connect to a ready connection
   */
  record Outcome<C>(List<C> connections, int opened, String firstError, double seconds,
      Histogram connectMicros) {
    boolean complete() {
      return firstError == null;
    }
  }

  static <C> Outcome<C> openAll(int n, double ramp, int concurrency, Opener<C> opener,
      Consumer<String> progress) throws InterruptedException {
    List<C> slots = Collections.synchronizedList(new ArrayList<>(Collections.nCopies(n, null)));
    Histogram micros = new Histogram(60_000_000L, 3);
    Semaphore inFlight = new Semaphore(concurrency);
    AtomicReference<String> failure = new AtomicReference<>();
    AtomicInteger opened = new AtomicInteger();
    int step = n >= 2000 ? Math.max(1000, n / 10) : Integer.MAX_VALUE;
    ExecutorService pool = Executors.newFixedThreadPool(concurrency, r -> {
      Thread t = new Thread(r, "chat-bench-connect");
      t.setDaemon(true);
      return t;
    });
    long start = System.nanoTime();
    try {
      for (int i = 0; i < n && failure.get() == null; i++) {
        if (ramp > 0) {
          long due = start + (long) (i * 1e9 / ramp);
          long wait;
          while ((wait = due - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
          }
        }
        inFlight.acquire();
        int index = i;
        pool.execute(() -> {
          try {
            if (failure.get() != null) {
              return;
            }
            long t0 = System.nanoTime();
            C c = opener.open(index);
            long took = (System.nanoTime() - t0) / 1000;
            synchronized (micros) {
              micros.recordValue(Math.min(took, micros.getHighestTrackableValue()));
            }
            slots.set(index, c);
            int done = opened.incrementAndGet();
            if (done % step == 0) {
              progress.accept("connected " + done + "/" + n);
            }
          } catch (Exception e) {
            failure.compareAndSet(null, "connection " + (index + 1) + " of " + n + " failed: "
                + (e.getMessage() == null ? e.toString() : e.getMessage()));
          } finally {
            inFlight.release();
          }
        });
      }
      inFlight.acquire(concurrency);
      inFlight.release(concurrency);
    } finally {
      pool.shutdown();
      pool.awaitTermination(30, TimeUnit.SECONDS);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    List<C> result = new ArrayList<>(slots);
    return new Outcome<>(result, opened.get(), failure.get(), seconds, micros);
  }
}
