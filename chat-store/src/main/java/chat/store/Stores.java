package chat.store;

import chat.core.store.MemoryStore;
import java.nio.file.Path;
import org.sqlite.SQLiteConfig;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;

/** Opens a store from its spec, as given to {@code --store}. */
public final class Stores {
  private Stores() {}

  /** The spec used when none is given. */
  public static final String DEFAULT_SPEC = "sqlite";

  /**
   * Opens the store named by {@code spec}, applying schema migrations first.
   *
   * <ul>
   *   <li>{@code sqlite} (also for null or blank): the file {@code <dataDir>/chat.db}, WAL mode,
   *       {@code synchronous=FULL}; the directory is created.
   *   <li>{@code jdbc:postgresql:...}: PostgreSQL at that URL (pooled). A {@code currentSchema}
   *       parameter names the schema to migrate and use; it is created if missing.
   *   <li>{@code memory}: nothing survives the process.
   * </ul>
   *
   * @throws IllegalArgumentException for any other spec
   * @throws StoreException when the database cannot be opened or migrated
   */
  public static Store open(String spec, Path dataDir) {
    return open(spec, dataDir, null);
  }

  /**
   * {@link #open(String, Path)}, with the thread of a database store's writer made by
   * {@code writerThreads} (null: a plain daemon thread named {@code chat-store-writer}). The
   * writer also runs the append callbacks, so the server's fan-out runs on it: the server
   * passes a factory of its own threads.
   */
  public static Store open(String spec, Path dataDir, ThreadFactory writerThreads) {
    ThreadFactory threads = writerThreads != null ? writerThreads : JdbcStore.DEFAULT_WRITER_THREADS;
    String s = spec == null || spec.isBlank() ? DEFAULT_SPEC : spec.strip();
    if (s.equals("memory")) {
      return new MemoryBackedStore(new MemoryStore());
    }
    if (s.equals("sqlite")) {
      Objects.requireNonNull(dataDir, "dataDir");
      return JdbcStore.sqlite(dataDir.resolve("chat.db"), SQLiteConfig.SynchronousMode.FULL,
          threads);
    }
    if (s.startsWith("jdbc:postgresql:")) {
      return JdbcStore.postgresql(s, threads);
    }
    throw new IllegalArgumentException("unknown store '" + s
        + "': expected sqlite, memory or a jdbc:postgresql: URL");
  }
}
