package chat.store;

import chat.core.MessageKind;
import chat.core.store.StoredMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.sqlite.SQLiteConfig.SynchronousMode;

/**
 * How many messages per second a store makes durable, and how long an append waits for it.
 *
 * <p>T appender threads append N messages in all (each thread to its own room, with its own
 * sequence), then the bench waits for every callback and prints messages/s, the mean number of
 * messages per transaction and the time from {@code append} to its callback (p50, p99, max).
 * With {@code --window W} each appender keeps at most W messages unconfirmed, like clients that
 * wait for their confirmations; without it appenders go as fast as they can, so the times are
 * mostly queueing.
 *
 * <p>SQLite runs in a new temporary directory unless {@code --data-dir} is given; PostgreSQL
 * runs in a new schema that is dropped afterwards unless the URL names one
 * ({@code currentSchema}). {@code --sqlite-synchronous NORMAL} measures what the store's FULL
 * costs.
 *
 * <p>From the project's root, in Maven's JVM:
 *
 * <pre>
 * ./mvnw -B -q -pl chat-store -am compile exec:java \
 *     -Dexec.args="--store sqlite --messages 200000 --appenders 4 --size 100"
 * </pre>
 *
 * <p>or in a JVM of its own:
 *
 * <pre>
 * ./mvnw -B -q -pl chat-store -am compile dependency:build-classpath \
 *     -Dmdep.outputFile=target/classpath.txt -DincludeScope=runtime
 * java --enable-native-access=ALL-UNNAMED \
 *     -cp chat-store/target/classes:$(cat chat-store/target/classpath.txt) \
 *     chat.store.StoreBench --store jdbc:postgresql://127.0.0.1:5432/test?user=root \
 *     --messages 200000 --appenders 16
 * </pre>
 */
public final class StoreBench {
  private StoreBench() {}

  public static void main(String[] args) throws Exception {
    String spec = "sqlite";
    int messages = 200_000;
    int appenders = 4;
    int size = 100;
    int window = 0;
    int warmup = 10_000;
    Path dataDir = null;
    String synchronous = "FULL";
    for (int i = 0; i < args.length; i++) {
      String value = i + 1 < args.length ? args[i + 1] : null;
      switch (args[i]) {
        case "--store" -> spec = value;
        case "--messages" -> messages = Integer.parseInt(value);
        case "--appenders" -> appenders = Integer.parseInt(value);
        case "--size" -> size = Integer.parseInt(value);
        case "--window" -> window = Integer.parseInt(value);
        case "--warmup" -> warmup = Integer.parseInt(value);
        case "--data-dir" -> dataDir = Path.of(value);
        case "--sqlite-synchronous" -> synchronous = value.toUpperCase(Locale.ROOT);
        case "-h", "--help" -> {
          usage();
          return;
        }
        default -> {
          System.err.println("unknown option " + args[i]);
          usage();
          System.exit(2);
        }
      }
      i++;
    }
    if (messages < appenders || appenders < 1 || size < 0 || window < 0 || warmup < 0) {
      System.err.println("need --messages >= --appenders >= 1, and no negative numbers");
      System.exit(2);
    }

    boolean tempDir = false;
    String dropSchema = null;
    String openSpec = spec;
    if (spec.equals("sqlite") && dataDir == null) {
      dataDir = Files.createTempDirectory("storebench");
      tempDir = true;
    }
    if (spec.startsWith("jdbc:postgresql:")
        && JdbcStore.queryParameter(spec, "currentSchema") == null) {
      dropSchema = "bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
      openSpec = spec + (spec.contains("?") ? "&" : "?") + "currentSchema=" + dropSchema;
    }

    try (Store store = spec.equals("sqlite")
        ? JdbcStore.sqlite(dataDir.resolve("chat.db"), SynchronousMode.valueOf(synchronous))
        : Stores.open(openSpec, dataDir)) {
      System.out.printf(Locale.ROOT, "store: %s%n", store);
      String run = UUID.randomUUID().toString().substring(0, 8);
      if (warmup > 0) {
        runOnce(store, run + "w", Math.max(warmup, appenders), appenders, size, window);
      }
      Result r = runOnce(store, run, messages, appenders, size, window);
      System.out.printf(Locale.ROOT,
          "messages=%d appenders=%d size=%d window=%s%n", messages, appenders, size,
          window == 0 ? "unlimited" : window);
      System.out.printf(Locale.ROOT, "throughput: %.0f messages/s (%.2f s)%n",
          messages / r.seconds, r.seconds);
      if (r.batches > 0) {
        System.out.printf(Locale.ROOT, "transactions: %d, mean %.1f messages each%n",
            r.batches, (double) r.messages / r.batches);
      }
      System.out.printf(Locale.ROOT, "time to durable: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
          r.p50 / 1e6, r.p99 / 1e6, r.max / 1e6);
      System.out.printf(Locale.ROOT, "failed: %d, stored: %s%n", r.failed,
          r.verified ? "all rows verified" : "ROWS MISSING");
      if (r.failed > 0 || !r.verified) {
        System.exit(1);
      }
    } finally {
      if (tempDir) {
        deleteTree(dataDir);
      }
      if (dropSchema != null) {
        try (Connection c = DriverManager.getConnection(spec);
            Statement s = c.createStatement()) {
          s.execute("DROP SCHEMA IF EXISTS " + dropSchema + " CASCADE");
        }
      }
    }
  }

  private record Result(double seconds, long batches, long messages, long p50, long p99,
      long max, long failed, boolean verified) {}

  private static Result runOnce(Store store, String run, int messages, int appenders, int size,
      int window) throws InterruptedException {
    String text = "x".repeat(size);
    long[] latency = new long[messages];
    AtomicLong failed = new AtomicLong();
    CountDownLatch done = new CountDownLatch(messages);
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    int[] counts = new int[appenders];
    for (int t = 0; t < appenders; t++) {
      int from = (int) ((long) messages * t / appenders);
      int to = (int) ((long) messages * (t + 1) / appenders);
      counts[t] = to - from;
      String room = "bench-" + run + "-" + t;
      Semaphore unconfirmed = new Semaphore(window == 0 ? Integer.MAX_VALUE : window);
      threads.add(Thread.ofPlatform().name("appender-" + t).start(() -> {
        try {
          start.await();
          for (int i = from; i < to; i++) {
            unconfirmed.acquire();
            int index = i;
            long seq = i - from + 1;
            StoredMessage m = new StoredMessage(run + "-" + i, room, seq,
                System.currentTimeMillis(), "bench", "bench", null, null, MessageKind.TEXT, text);
            long t0 = System.nanoTime();
            store.append(m, error -> {
              latency[index] = System.nanoTime() - t0;
              if (error != null) {
                failed.incrementAndGet();
              }
              unconfirmed.release();
              done.countDown();
            });
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }));
    }
    JdbcStore.WriterStats before = stats(store);
    long t0 = System.nanoTime();
    start.countDown();
    if (!done.await(15, TimeUnit.MINUTES)) {
      throw new IllegalStateException("not all callbacks ran within 15 minutes");
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    JdbcStore.WriterStats after = stats(store);
    for (Thread t : threads) {
      t.join(TimeUnit.MINUTES.toMillis(1));
    }
    boolean verified = true;
    for (int t = 0; t < appenders; t++) {
      verified &= store.lastSeq("bench-" + run + "-" + t) == counts[t];
    }
    Arrays.sort(latency);
    return new Result(seconds, after.batches() - before.batches(),
        after.messages() - before.messages(), latency[(int) (messages * 0.50)],
        latency[Math.min(messages - 1, (int) (messages * 0.99))], latency[messages - 1],
        failed.get(), verified);
  }

  private static JdbcStore.WriterStats stats(Store store) {
    return store instanceof JdbcStore j ? j.writerStats() : new JdbcStore.WriterStats(0, 0);
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static void usage() {
    System.err.println("""
        usage: StoreBench [--store sqlite|memory|jdbc:postgresql:...] [--messages N]
                          [--appenders T] [--size B] [--window W] [--warmup N] [--data-dir DIR]
                          [--sqlite-synchronous FULL|NORMAL|OFF]
        """);
  }
}
