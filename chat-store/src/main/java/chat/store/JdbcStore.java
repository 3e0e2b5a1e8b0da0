package chat.store;

import chat.core.Names;
import chat.core.store.Account;
import chat.core.store.Conversation;
import chat.core.store.ReadMarker;
import chat.core.store.RoomRecord;
import chat.core.store.StoredMessage;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * Messages, rooms and accounts in a relational database: SQLite (one file) or PostgreSQL.
 *
 * <p>Writes of messages and of room state go through group commit: {@link #append},
 * {@link #saveRoom} and {@link #deleteRoom} only queue; one writer thread takes everything
 * waiting (up to {@link #MAX_BATCH}), writes it in one transaction (messages with a JDBC batch),
 * commits, and then runs the callbacks in queue order. A room change and its log entry are thus
 * ordered with the room's messages. The writer never waits to gather more: when idle a write is
 * committed alone, under load batches grow by themselves while the previous commit is on disk.
 * If a batch fails although the connection is still good (a bad or duplicate message), its
 * writes are retried one transaction each so that only the culprits fail; otherwise the whole
 * batch fails with the error. Later batches are tried as usual. The writer is
 * {@link GroupCommitWriter}, which also bounds how long a write waits when the database is away.
 *
 * <p>Timeouts, so that nothing hangs while PostgreSQL is unreachable or stalled: a pooled
 * connection is waited for at most {@link #CONNECTION_TIMEOUT_MS}; the driver gives up connecting
 * after {@link #CONNECT_TIMEOUT_S} and on a silent socket after {@link #SOCKET_TIMEOUT_S} (unless
 * the URL sets {@code connectTimeout} or {@code socketTimeout}). A failed call throws
 * {@link StoreException}; HikariCP replaces broken connections by itself once the database
 * answers again, so the store works again without a restart.
 *
 * <p>Reads and account changes use a separate pool, so history is served while the writer
 * commits. In SQLite's WAL mode readers never block the writer nor the writer them.
 */
public final class JdbcStore implements Store {

  private static final Logger log = LoggerFactory.getLogger(JdbcStore.class);

  /** The most messages one transaction takes. */
  public static final int MAX_BATCH = 1024;

  /** How long an SQLite connection waits for a lock held by another connection or process. */
  static final int SQLITE_BUSY_TIMEOUT_MS = 10_000;

  /**
   * How long a caller waits for a pooled PostgreSQL connection (HikariCP's
   * {@code connectionTimeout}; SQLite, a local file, keeps 10 s).
   */
  static final long CONNECTION_TIMEOUT_MS = 3_000;
  /** PostgreSQL driver: seconds to open a connection ({@code connectTimeout}). */
  static final int CONNECT_TIMEOUT_S = 3;
  /** PostgreSQL driver: seconds a read may wait on a silent socket ({@code socketTimeout}). */
  static final int SOCKET_TIMEOUT_S = 10;

  private static final String ACCOUNT_COLUMNS = "name, password_hash, admin, created_ts";

  /**
   * What the writer has done so far: transactions and the writes they carried (messages, room
   * saves and room deletions; a room save with its log entry counts once).
   */
  public record WriterStats(long batches, long messages) {
    public double meanBatch() {
      return batches == 0 ? 0 : (double) messages / batches;
    }
  }

  private final String description;
  private final HikariDataSource writePool;
  private final HikariDataSource readPool;
  private final HistoryReads history;
  private final GroupCommitWriter writer;

  /** The writer thread when the caller names none. */
  static final ThreadFactory DEFAULT_WRITER_THREADS = r -> new Thread(r, "chat-store-writer");

  private JdbcStore(String description, HikariDataSource writePool, HikariDataSource readPool,
      ThreadFactory writerThreads) {
    this.description = description;
    this.writePool = writePool;
    this.readPool = readPool;
    this.history = new HistoryReads(readPool, description);
    this.writer = new GroupCommitWriter(writePool, writerThreads, () -> {
      closeQuietly(writePool);
      closeQuietly(readPool);
    });
  }

  /**
   * One SQLite file in WAL mode with {@code synchronous=FULL}: every commit syncs the WAL, so a
   * confirmed message survives a process kill and a power loss. {@code NORMAL} would sync only
   * at checkpoints: still safe against a killed process, but the last commits before a power
   * loss or OS crash could roll back, which would break "confirmed means stored".
   */
  static JdbcStore sqlite(Path file) {
    return sqlite(file, SQLiteConfig.SynchronousMode.FULL, DEFAULT_WRITER_THREADS);
  }

  /** {@link #sqlite(Path)} with another {@code synchronous} mode, for measuring what FULL costs. */
  static JdbcStore sqlite(Path file, SQLiteConfig.SynchronousMode synchronous) {
    return sqlite(file, synchronous, DEFAULT_WRITER_THREADS);
  }

  /**
   * {@link #sqlite(Path, SQLiteConfig.SynchronousMode)} with the writer thread (which also runs
   * the append callbacks) made by {@code writerThreads}.
   */
  static JdbcStore sqlite(Path file, SQLiteConfig.SynchronousMode synchronous,
      ThreadFactory writerThreads) {
    try {
      Path dir = file.toAbsolutePath().getParent();
      if (dir != null) {
        Files.createDirectories(dir);
      }
    } catch (IOException e) {
      throw new StoreException("cannot create the data directory for " + file, e);
    }
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(synchronous);
    config.setBusyTimeout(SQLITE_BUSY_TIMEOUT_MS);
    SQLiteDataSource sqlite = new SQLiteDataSource(config);
    sqlite.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
    migrate(sqlite, "sqlite", null);
    HikariDataSource write = null;
    try {
      write = pool("chat-store-write", 1, false, c -> c.setDataSource(sqlite));
      HikariDataSource read = pool("chat-store-read", 4, true, c -> c.setDataSource(sqlite));
      String shown = "sqlite " + file.toAbsolutePath()
          + (synchronous == SQLiteConfig.SynchronousMode.FULL ? "" : " synchronous=" + synchronous);
      return new JdbcStore(shown, write, read, writerThreads);
    } catch (RuntimeException e) {
      closeQuietly(write);
      throw e;
    }
  }

  /** PostgreSQL at {@code url}; its {@code currentSchema} parameter, if any, is migrated. */
  static JdbcStore postgresql(String url) {
    return postgresql(url, DEFAULT_WRITER_THREADS);
  }

  /** {@link #postgresql(String)} with the writer thread made by {@code writerThreads}. */
  static JdbcStore postgresql(String url, ThreadFactory writerThreads) {
    Consumer<HikariConfig> target = c -> {
      c.setJdbcUrl(url);
      c.setDriverClassName("org.postgresql.Driver");
      // One multi-row INSERT per batch instead of one statement per row.
      c.addDataSourceProperty("reWriteBatchedInserts", "true");
      // Errors name the constraint but not the row: messages are private, logs are not.
      c.addDataSourceProperty("logServerErrorDetail", "false");
      // Bounded waits on a database that is away or stalled (the URL may say otherwise).
      if (queryParameter(url, "connectTimeout") == null) {
        c.addDataSourceProperty("connectTimeout", String.valueOf(CONNECT_TIMEOUT_S));
      }
      if (queryParameter(url, "socketTimeout") == null) {
        c.addDataSourceProperty("socketTimeout", String.valueOf(SOCKET_TIMEOUT_S));
      }
    };
    int query = url.indexOf('?');
    String shown = "postgresql " + (query < 0 ? url : url.substring(0, query)); // no password
    HikariDataSource read = null;
    HikariDataSource write = null;
    try {
      read = pool("chat-store-read", 8, true, target);
      migrate(read, "postgresql", queryParameter(url, "currentSchema"));
      write = pool("chat-store-write", 1, false, target);
      return new JdbcStore(shown, write, read, writerThreads);
    } catch (RuntimeException e) {
      closeQuietly(write);
      closeQuietly(read);
      if (e instanceof StoreException) {
        throw e;
      }
      throw new StoreException("cannot open " + shown + ": " + e.getMessage(), e);
    }
  }

  private static HikariDataSource pool(String name, int size, boolean autoCommit,
      Consumer<HikariConfig> target) {
    HikariConfig c = new HikariConfig();
    target.accept(c);
    c.setPoolName(name);
    c.setMaximumPoolSize(size);
    c.setMinimumIdle(1);
    c.setAutoCommit(autoCommit);
    c.setConnectionTimeout(c.getJdbcUrl() != null ? CONNECTION_TIMEOUT_MS : 10_000);
    return new HikariDataSource(c);
  }

  /**
   * Brings the schema up to date with Flyway, unless it is current already: then Flyway is not
   * even loaded ({@link Migrations#current}), which saves most of a start's store time.
   */
  static void migrate(DataSource dataSource, String vendor, String schema) {
    if (Migrations.current(dataSource, vendor, schema)) {
      return;
    }
    FluentConfiguration config = Flyway.configure(JdbcStore.class.getClassLoader())
        .loggers("slf4j")
        .dataSource(dataSource)
        .locations("classpath:" + Migrations.location(vendor))
        .failOnMissingLocations(true);
    if (schema != null && !schema.isEmpty()) {
      config.schemas(schema).defaultSchema(schema);
    }
    try {
      config.load().migrate();
    } catch (RuntimeException e) {
      throw new StoreException("schema migration failed: " + e.getMessage(), e);
    }
  }

  /** The first value of {@code name} in the URL's query, decoded; null if absent. */
  static String queryParameter(String url, String name) {
    int q = url.indexOf('?');
    if (q < 0) {
      return null;
    }
    for (String pair : url.substring(q + 1).split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).equals(name)) {
        String value = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        int comma = value.indexOf(',');
        return (comma < 0 ? value : value.substring(0, comma)).strip();
      }
    }
    return null;
  }

  // ---------------------------------------------------------------- appends (group commit)

  /**
   * Queues {@code message}; {@code onDurable} runs on the writer thread after the commit (or
   * with the failure). Callbacks delay the next batch, so they must be quick and must not block.
   * After {@link #close} the callback runs at once, on the caller's thread, with an
   * {@link IllegalStateException}.
   */
  @Override
  public void append(StoredMessage message, Consumer<Throwable> onDurable) {
    Objects.requireNonNull(message, "message");
    enqueue(new GroupCommitWriter.Append(message), onDurable);
  }

  /** PostgreSQL: the next value of {@code node_numbers}; SQLite (one server): 0. */
  @Override
  public long nodeNumber() {
    try (Connection c = readPool.getConnection()) {
      if (!c.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT)
          .contains("postgres")) {
        return 0; // SQLite is one server's own file
      }
      try (PreparedStatement next = c.prepareStatement(RoomSeqs.NODE);
          ResultSet rs = next.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    } catch (SQLException e) {
      throw new StoreException("could not number this server", e);
    }
  }

  /**
   * Queues a room entry numbered in the store: its seq is the room's next in the
   * {@code room_seqs} row, taken in the entry's transaction (PostgreSQL: a row lock, so that
   * servers sharing the database number a room one after the other).
   */
  @Override
  public void appendNumbered(StoredMessage message,
      java.util.function.BiConsumer<Long, Throwable> onDurable) {
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(onDurable, "onDurable");
    long[] seq = {0};
    enqueue(new GroupCommitWriter.Numbered(message, seq), failure -> onDurable.accept(failure == null ? seq[0] : 0L,
        failure));
  }

  @Override
  public void saveRoomNumbered(RoomRecord room, StoredMessage change,
      java.util.function.BiConsumer<Long, Throwable> onDurable) {
    Objects.requireNonNull(room, "room");
    Objects.requireNonNull(change, "change");
    long[] seq = {0};
    enqueue(new GroupCommitWriter.NumberedSaveRoom(room, change, seq),
        failure -> onDurable.accept(failure == null ? seq[0] : 0L, failure));
  }

  /**
   * Queues the room's state and its log entry {@code change} (may be null) as one write, in
   * order with appends; {@code onDurable} runs as for {@link #append}.
   */
  @Override
  public void saveRoom(RoomRecord room, StoredMessage change, Consumer<Throwable> onDurable) {
    Objects.requireNonNull(room, "room");
    enqueue(new GroupCommitWriter.SaveRoom(room, change), onDurable);
  }

  /** Queues the removal of the room's state, in order with appends; as for {@link #append}. */
  @Override
  public void deleteRoom(String roomKey, Consumer<Throwable> onDurable) {
    Objects.requireNonNull(roomKey, "roomKey");
    enqueue(new GroupCommitWriter.DeleteRoom(roomKey), onDurable);
  }

  private void enqueue(GroupCommitWriter.Write write, Consumer<Throwable> onDurable) {
    writer.enqueue(write, onDurable);
  }

  /** Transactions committed or tried so far and the messages in them; for benchmarks. */
  public WriterStats writerStats() {
    return writer.stats();
  }

  private static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException e) {
      log.debug("Rollback failed", e);
    }
  }

  private static void closeQuietly(HikariDataSource pool) {
    if (pool != null) {
      pool.close();
    }
  }

  @Override
  public void close() {
    writer.close();
  }

  // ---------------------------------------------------------------- history

  @Override
  public long lastSeq(String roomKey) {
    return history.lastSeq(roomKey);
  }

  @Override
  public List<StoredMessage> roomHistory(String roomKey, long beforeSeq, int limit) {
    return history.roomHistory(roomKey, beforeSeq, limit);
  }

  @Override
  public List<StoredMessage> privateHistory(String accountA, String accountB, String beforeMsgId,
      int limit) {
    return history.privateHistory(accountA, accountB, beforeMsgId, limit);
  }

  @Override
  public List<StoredMessage> privateSince(String account, String afterMsgId, int limit) {
    return history.privateSince(account, afterMsgId, limit);
  }

  @Override
  public List<StoredMessage> roomSlice(String roomKey, long afterSeq, long beforeSeq, int limit,
      boolean newest, boolean messagesOnly) {
    return history.roomSlice(roomKey, afterSeq, beforeSeq, limit, newest, messagesOnly);
  }

  @Override
  public long roomSeqAt(String roomKey, long ts) {
    return history.roomSeqAt(roomKey, ts);
  }

  @Override
  public List<StoredMessage> privateSlice(String accountA, String accountB, Bound after,
      Bound before, int limit, boolean newest) {
    return history.privateSlice(accountA, accountB, after, before, limit, newest);
  }

  @Override
  public Optional<StoredMessage> privateMessage(String msgId) {
    return history.privateMessage(msgId);
  }

  @Override
  public List<Conversation> conversations(String account, long afterTs, long beforeTs,
      int limit) {
    return history.conversations(account, afterTs, beforeTs, limit);
  }

  // ---------------------------------------------------------------- rooms

  @Override
  public List<RoomRecord> rooms() {
    return execute(RoomRows.SELECT_ALL, RoomRows::read);
  }

  @Override
  public Optional<RoomRecord> room(String roomKey) {
    return execute(RoomRows.SELECT_ONE, ps -> {
      ps.setString(1, roomKey);
      return RoomRows.read(ps).stream().findFirst();
    });
  }

  // ---------------------------------------------------------------- read markers

  @Override
  public void setMarker(String nameKey, ReadMarker marker) {
    Objects.requireNonNull(marker, "marker");
    execute(MarkerRows.UPSERT, ps -> {
      MarkerRows.bindUpsert(ps, nameKey, marker);
      return ps.executeUpdate();
    });
  }

  @Override
  public List<ReadMarker> markers(String nameKey) {
    return execute(MarkerRows.SELECT, ps -> {
      ps.setString(1, nameKey);
      return MarkerRows.read(ps);
    });
  }

  // ---------------------------------------------------------------- accounts

  @Override
  public Optional<Account> find(String nameKey) {
    return execute("SELECT " + ACCOUNT_COLUMNS + " FROM accounts WHERE name_key = ?", ps -> {
      ps.setString(1, nameKey);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(account(rs)) : Optional.<Account>empty();
      }
    });
  }

  @Override
  public boolean create(Account account) {
    return execute("INSERT INTO accounts (name_key, name, password_hash, admin, created_ts)"
        + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (name_key) DO NOTHING", ps -> {
          ps.setString(1, Names.fold(account.name()));
          ps.setString(2, account.name());
          ps.setString(3, account.passwordHash());
          ps.setBoolean(4, account.admin());
          ps.setLong(5, account.createdTs());
          return ps.executeUpdate() == 1;
        });
  }

  @Override
  public boolean updatePassword(String nameKey, String passwordHash) {
    return execute("UPDATE accounts SET password_hash = ? WHERE name_key = ?", ps -> {
      ps.setString(1, passwordHash);
      ps.setString(2, nameKey);
      return ps.executeUpdate() > 0;
    });
  }

  @Override
  public boolean setAdmin(String nameKey, boolean admin) {
    return execute("UPDATE accounts SET admin = ? WHERE name_key = ?", ps -> {
      ps.setBoolean(1, admin);
      ps.setString(2, nameKey);
      return ps.executeUpdate() > 0;
    });
  }

  /** Deletes the account and its read markers in one transaction. */
  @Override
  public boolean delete(String nameKey) {
    return transaction(c -> {
      try (PreparedStatement ps = c.prepareStatement(MarkerRows.DELETE_ALL)) {
        ps.setString(1, nameKey);
        ps.executeUpdate();
      }
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM accounts WHERE name_key = ?")) {
        ps.setString(1, nameKey);
        return ps.executeUpdate() > 0;
      }
    });
  }

  @Override
  public List<Account> list() {
    return execute("SELECT " + ACCOUNT_COLUMNS + " FROM accounts ORDER BY name_key", ps -> {
      List<Account> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(account(rs));
        }
      }
      return List.copyOf(out);
    });
  }

  private static Account account(ResultSet rs) throws SQLException {
    return new Account(rs.getString(1), rs.getString(2), rs.getBoolean(3), rs.getLong(4));
  }

  // ---------------------------------------------------------------- plumbing

  private interface Statement<T> {
    T run(PreparedStatement ps) throws SQLException;
  }

  /** Runs one auto-committed statement on a pooled connection (not the writer's). */
  private <T> T execute(String sql, Statement<T> body) {
    try (Connection c = readPool.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      return body.run(ps);
    } catch (SQLException e) {
      throw new StoreException(description + ": " + e.getMessage(), e);
    }
  }

  private interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /** Runs {@code body} in one transaction on a pooled connection (not the writer's). */
  private <T> T transaction(Work<T> body) {
    try (Connection c = readPool.getConnection()) {
      c.setAutoCommit(false);
      try {
        T result = body.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(c);
        throw e;
      } finally {
        c.setAutoCommit(true); // the read pool hands out auto-commit connections
      }
    } catch (SQLException e) {
      throw new StoreException(description + ": " + e.getMessage(), e);
    }
  }

  /** For tests: one value from {@code sql} on the writer's connection or a reader's. */
  Object queryValue(boolean writerConnection, String sql) {
    try (Connection c = (writerConnection ? writePool : readPool).getConnection();
        PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getObject(1) : null;
    } catch (SQLException e) {
      throw new StoreException(description + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return description;
  }
}
