package chat.store;

import chat.core.store.MemoryStore;
import java.nio.file.Path;
import java.util.Objects;

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
    String s = spec == null || spec.isBlank() ? DEFAULT_SPEC : spec.strip();
    if (s.equals("memory")) {
      return new MemoryBackedStore(new MemoryStore());
    }
    if (s.equals("sqlite")) {
      Objects.requireNonNull(dataDir, "dataDir");
      return JdbcStore.sqlite(dataDir.resolve("chat.db"));
    }
    if (s.startsWith("jdbc:postgresql:")) {
      return JdbcStore.postgresql(s);
    }
    throw new IllegalArgumentException("unknown store '" + s
        + "': expected sqlite, memory or a jdbc:postgresql: URL");
  }
}
