package chat.store;

import chat.core.store.FileRecord;
import chat.core.store.FileStore;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Files on PostgreSQL, for servers sharing one database (a cluster): every server lists and
 * serves every file, and an upload begun on one goes on on another. Tables (migration V5):
 *
 * <ul>
 *   <li>{@code files}: one row per file or upload, with how many bytes of an upload are in
 *       ({@code received}) and its state (upload, complete, expired);
 *   <li>{@code file_chunks}: the bytes, one {@code bytea} row per write at its byte offset, under
 *       a blob name: {@code upload:<id>} while uploading, the SHA-256 once complete;
 *   <li>{@code file_blobs}: complete contents by SHA-256 with the number of files using them, so
 *       two files with the same bytes keep one copy, removed with the last of them.
 * </ul>
 *
 * <p>A write is one transaction: it locks the file's row, adds its chunk and moves
 * {@code received}, so the row never says more than the chunks hold, and two servers writing
 * one upload are ordered. Writes commit with {@code synchronous_commit=off}: they survive the
 * chat server's death at once (they are in PostgreSQL), a crash of PostgreSQL itself may lose
 * the last fraction of a second of them, and the upload resumes from what is there, as on disk,
 * where parts are synced only at the end. Completing commits synchronously, which makes every
 * earlier write durable too. Completing checks the SHA-256 hashed as the bytes came, when this
 * store saw every write of the upload, else by reading the chunks back a few at a time; never
 * a whole file in memory. Bytes are chunk rows rather than large objects: rows are removed
 * with the file in plain SQL, dumped with the schema and renamed in place (large objects need
 * their own unlink and {@code lo_} calls, and live outside the schema).
 *
 * <p>The pool is small and its own; calls block (the core makes them off the I/O threads).
 */
public final class PgFileStore implements FileStore {

  private static final short UPLOAD = 0;
  private static final short COMPLETE = 1;
  private static final short DISCARDED = 2;

  /** Chunk rows the read-back of an upload holds at once (each about one write's size). */
  private static final int READ_BACK_ROWS = 16;

  private static final String COLUMNS = "id, name, size, content_type, sha256, room, from_nick,"
      + " from_account, to_nick, to_account, created_ts, state";

  private final HikariDataSource pool;
  private final String shown;

  /**
   * Per upload, the SHA-256 of its bytes so far while every write of it went through this
   * store, in order: {@code writes} is the file row's write count after the last of them.
   */
  private final Map<String, Hashing> hashing = new ConcurrentHashMap<>();

  private static final class Hashing {
    final MessageDigest digest = sha256();
    long upTo;
    long writes;
  }

  private PgFileStore(HikariDataSource pool, String shown) {
    this.pool = pool;
    this.shown = shown;
  }

  /**
   * Opens the files of the PostgreSQL at {@code url} (a {@code jdbc:postgresql:} URL, its
   * {@code currentSchema} migrated as {@link Stores#open} does) with a pool of
   * {@code poolSize} connections.
   *
   * @throws StoreException when the database cannot be reached or migrated
   */
  public static PgFileStore open(String url, int poolSize) {
    if (url == null || !url.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException("files on PostgreSQL need a jdbc:postgresql: URL");
    }
    int query = url.indexOf('?');
    String shown = "postgresql " + (query < 0 ? url : url.substring(0, query)); // no password
    HikariConfig c = new HikariConfig();
    c.setJdbcUrl(url);
    c.setDriverClassName("org.postgresql.Driver");
    c.addDataSourceProperty("logServerErrorDetail", "false");
    c.setPoolName("chat-files");
    c.setMaximumPoolSize(Math.max(1, poolSize));
    c.setMinimumIdle(1);
    c.setAutoCommit(false);
    c.setConnectionTimeout(10_000);
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(c);
    } catch (RuntimeException e) {
      throw new StoreException("cannot open files on " + shown + ": " + e.getMessage(), e);
    }
    try {
      JdbcStore.migrate(pool, "postgresql", JdbcStore.queryParameter(url, "currentSchema"));
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
    return new PgFileStore(pool, shown);
  }

  /** {@link #open(String, int)} with four connections. */
  public static PgFileStore open(String url) {
    return open(url, 4);
  }

  @Override
  public String toString() {
    return "files on " + shown;
  }

  // ---------------------------------------------------------------- transactions

  private interface Work<T> {
    T run(Connection c) throws SQLException, IOException;
  }

  /** Runs {@code work} in one transaction, committed if it returns, rolled back if it throws. */
  private <T> T tx(Work<T> work) throws IOException {
    try (Connection c = pool.getConnection()) {
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | IOException | RuntimeException e) {
        rollbackQuietly(c);
        throw e;
      }
    } catch (SQLException e) {
      throw new IOException("files on " + shown + ": " + e.getMessage(), e);
    }
  }

  /** {@link #tx} for the port's methods that declare no IOException. */
  private <T> T query(Work<T> work) {
    try {
      return tx(work);
    } catch (IOException e) {
      throw new StoreException(e.getMessage(), e);
    }
  }

  private static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException ignored) {
      // the connection is gone; the pool drops it
    }
  }

  /** The file row's state, size, received, writes and sha256, locked until commit; or null. */
  private record Row(FileRecord record, short state, long received, long writes) {}

  private static Row lock(Connection c, String id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + ", received, writes"
        + " FROM files WHERE id = ? FOR UPDATE")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? new Row(record(rs), rs.getShort(12), rs.getLong(13), rs.getLong(14))
            : null;
      }
    }
  }

  private static String uploadBlob(String id) {
    return "upload:" + id;
  }

  // ---------------------------------------------------------------- the port

  @Override
  public void begin(FileRecord upload) throws IOException {
    if (upload.id() == null) {
      throw new NoSuchFileException("null");
    }
    tx(c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO files (" + COLUMNS
          + ", owner) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING")) {
        ps.setString(1, upload.id());
        ps.setString(2, upload.name());
        ps.setLong(3, upload.size());
        ps.setString(4, upload.contentType());
        ps.setString(5, upload.sha256());
        ps.setString(6, upload.room());
        ps.setString(7, upload.from());
        ps.setString(8, upload.fromAccount());
        ps.setString(9, upload.to());
        ps.setString(10, upload.toAccount());
        ps.setLong(11, upload.created());
        ps.setShort(12, upload.complete() ? COMPLETE : UPLOAD);
        ps.setString(13, upload.owner());
        if (ps.executeUpdate() != 1) {
          throw new IOException("a file " + upload.id() + " exists already");
        }
      }
      return null;
    });
  }

  @Override
  public Optional<FileRecord> find(String id) {
    if (id == null) {
      return Optional.empty();
    }
    return query(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
          + " FROM files WHERE id = ?")) {
        ps.setString(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(record(rs)) : Optional.<FileRecord>empty();
        }
      }
    });
  }

  @Override
  public long received(String id) throws IOException {
    if (id == null) {
      return 0;
    }
    return tx(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT CASE WHEN state = 0 THEN"
          + " LEAST(received, size) ELSE size END FROM files WHERE id = ?")) {
        ps.setString(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? rs.getLong(1) : 0L;
        }
      }
    });
  }

  @Override
  public void write(String id, long offset, byte[] bytes) throws IOException {
    try {
      tx(c -> {
        try (Statement s = c.createStatement()) {
          s.execute("SET LOCAL synchronous_commit TO off");
        }
        Row row = id == null ? null : lock(c, id);
        if (row == null || row.state() != UPLOAD) {
          throw new NoSuchFileException(String.valueOf(id));
        }
        if (offset < 0 || offset > row.received()) {
          throw new IOException("the upload " + id + " has " + row.received()
              + " bytes; cannot write at " + offset);
        }
        String blob = uploadBlob(id);
        if (offset < row.received()) {
          truncate(c, blob, offset);
        }
        if (bytes.length > 0) {
          try (PreparedStatement ps = c.prepareStatement(
              "INSERT INTO file_chunks (blob, pos, bytes) VALUES (?, ?, ?)")) {
            ps.setString(1, blob);
            ps.setLong(2, offset);
            ps.setBytes(3, bytes);
            ps.executeUpdate();
          }
        }
        try (PreparedStatement ps = c.prepareStatement(
            "UPDATE files SET received = ?, writes = writes + 1 WHERE id = ?")) {
          ps.setLong(1, offset + bytes.length);
          ps.setString(2, id);
          ps.executeUpdate();
        }
        hash(id, offset, bytes, row.writes());
        return null;
      });
    } catch (IOException | RuntimeException e) {
      hashing.remove(id);
      throw e;
    }
  }

  /** Drops an upload's bytes from {@code offset} on (a write going back over them). */
  private static void truncate(Connection c, String blob, long offset) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "DELETE FROM file_chunks WHERE blob = ? AND pos >= ?")) {
      ps.setString(1, blob);
      ps.setLong(2, offset);
      ps.executeUpdate();
    }
    try (PreparedStatement ps = c.prepareStatement("UPDATE file_chunks SET bytes ="
        + " substring(bytes FROM 1 FOR (? - pos)::int) WHERE blob = ? AND pos = (SELECT max(pos)"
        + " FROM file_chunks WHERE blob = ? AND pos < ?) AND pos + octet_length(bytes) > ?")) {
      ps.setLong(1, offset);
      ps.setString(2, blob);
      ps.setString(3, blob);
      ps.setLong(4, offset);
      ps.setLong(5, offset);
      ps.executeUpdate();
    }
  }

  /** Hashes a write made under the row lock, when it follows this store's previous one. */
  private void hash(String id, long offset, byte[] bytes, long writesBefore) {
    Hashing h = offset == 0 ? new Hashing() : hashing.get(id);
    if (h == null) {
      return;
    }
    synchronized (h) {
      if (h.upTo == offset && (offset == 0 || h.writes == writesBefore)) {
        h.digest.update(bytes);
        h.upTo += bytes.length;
        h.writes = writesBefore + 1;
        hashing.put(id, h);
      } else {
        hashing.remove(id); // another server wrote some: read it back when complete
      }
    }
  }

  @Override
  public FileRecord complete(String id) throws IOException {
    Hashing hashed = id == null ? null : hashing.remove(id);
    String[] mismatch = new String[1];
    FileRecord done = tx(c -> {
      Row row = id == null ? null : lock(c, id);
      if (row == null) {
        throw new NoSuchFileException(String.valueOf(id));
      }
      FileRecord r = row.record();
      if (row.state() != UPLOAD) {
        return r;
      }
      String blob = uploadBlob(id);
      long length;
      String sha;
      if (hashed != null && hashed.writes == row.writes() && hashed.upTo == row.received()) {
        length = row.received();
        synchronized (hashed) {
          sha = HexFormat.of().formatHex(hashed.digest.digest());
        }
      } else {
        MessageDigest digest = sha256();
        length = readBack(c, blob, digest);
        sha = HexFormat.of().formatHex(digest.digest());
      }
      if (length != r.size() || !sha.equals(r.sha256())) {
        mismatch[0] = length != r.size() ? "received " + length + " bytes of " + r.size()
            : "the SHA-256 of the bytes is " + sha + ", not " + r.sha256();
        deleteChunks(c, blob);
        deleteRow(c, id);
        return null;
      }
      boolean firstCopy;
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO file_blobs AS b (sha256, size,"
          + " refs) VALUES (?, ?, 1) ON CONFLICT (sha256) DO UPDATE SET refs = b.refs + 1"
          + " RETURNING refs")) {
        ps.setString(1, sha);
        ps.setLong(2, length);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          // A blob at 0 references is removed in the transaction that brought it there.
          firstCopy = rs.getInt(1) == 1;
        }
      }
      if (firstCopy) {
        try (PreparedStatement ps = c.prepareStatement(
            "UPDATE file_chunks SET blob = ? WHERE blob = ?")) {
          ps.setString(1, sha);
          ps.setString(2, blob);
          ps.executeUpdate();
        }
      } else {
        deleteChunks(c, blob); // the same bytes are here already
      }
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE files SET state = 1, received = size WHERE id = ?")) {
        ps.setString(1, id);
        ps.executeUpdate();
      }
      return r.completed();
    });
    if (done == null) {
      throw new BadUploadException(mismatch[0]);
    }
    return done;
  }

  /** Feeds an upload's chunks to {@code digest} in order; returns their length. */
  private static long readBack(Connection c, String blob, MessageDigest digest)
      throws SQLException, IOException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT pos, bytes FROM file_chunks WHERE blob = ? ORDER BY pos")) {
      ps.setFetchSize(READ_BACK_ROWS); // a cursor: a few rows in memory at a time
      ps.setString(1, blob);
      long at = 0;
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          if (rs.getLong(1) != at) {
            throw new IOException("the bytes of " + blob + " have a gap at " + at);
          }
          byte[] bytes = rs.getBytes(2);
          digest.update(bytes);
          at += bytes.length;
        }
      }
      return at;
    }
  }

  @Override
  public byte[] read(String id, long offset, int length) throws IOException {
    return tx(c -> {
      FileRecord r = null;
      short state = -1;
      if (id != null) {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
            + " FROM files WHERE id = ?")) {
          ps.setString(1, id);
          try (ResultSet rs = ps.executeQuery()) {
            if (rs.next()) {
              r = record(rs);
              state = rs.getShort(12);
            }
          }
        }
      }
      if (r == null || state != COMPLETE) {
        throw new NoSuchFileException(String.valueOf(id));
      }
      long from = Math.max(0, Math.min(offset, r.size()));
      long end = from + Math.max(0, Math.min(length, r.size() - from));
      ByteArrayOutputStream out = new ByteArrayOutputStream((int) (end - from));
      if (end > from) {
        // The row holding `from` and the following ones up to `end`, each cut to what is asked.
        try (PreparedStatement ps = c.prepareStatement("SELECT GREATEST(?, pos),"
            + " substring(bytes FROM (GREATEST(?, pos) - pos + 1)::int"
            + " FOR (? - GREATEST(?, pos))::int) FROM file_chunks WHERE blob = ? AND pos < ?"
            + " AND pos >= (SELECT COALESCE(max(pos), 0) FROM file_chunks WHERE blob = ?"
            + " AND pos <= ?) ORDER BY pos")) {
          ps.setLong(1, from);
          ps.setLong(2, from);
          ps.setLong(3, end);
          ps.setLong(4, from);
          ps.setString(5, r.sha256());
          ps.setLong(6, end);
          ps.setString(7, r.sha256());
          ps.setLong(8, from);
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              if (rs.getLong(1) != from + out.size()) {
                throw new IOException("the bytes of file " + id + " have a gap at "
                    + (from + out.size()));
              }
              out.writeBytes(rs.getBytes(2));
            }
          }
        }
        if (out.size() != end - from) {
          throw new IOException("the bytes of file " + id + " end at " + (from + out.size()));
        }
      }
      return out.toByteArray();
    });
  }

  @Override
  public void delete(String id) throws IOException {
    if (id == null) {
      return;
    }
    hashing.remove(id);
    tx(c -> {
      Row row = lock(c, id);
      if (row == null) {
        return null;
      }
      deleteChunks(c, uploadBlob(id));
      deleteRow(c, id);
      if (row.state() == COMPLETE) {
        release(c, row.record().sha256());
      }
      return null;
    });
  }

  @Override
  public void discard(String id) throws IOException {
    if (id == null) {
      return;
    }
    tx(c -> {
      Row row = lock(c, id);
      if (row == null || row.state() != COMPLETE) {
        return null;
      }
      try (PreparedStatement ps = c.prepareStatement("UPDATE files SET state = 2 WHERE id = ?")) {
        ps.setString(1, id);
        ps.executeUpdate();
      }
      release(c, row.record().sha256());
      return null;
    });
  }

  /** One file less uses the content {@code sha}; the last one takes its bytes along. */
  private static void release(Connection c, String sha) throws SQLException {
    int refs;
    try (PreparedStatement ps = c.prepareStatement(
        "UPDATE file_blobs SET refs = refs - 1 WHERE sha256 = ? RETURNING refs")) {
      ps.setString(1, sha);
      try (ResultSet rs = ps.executeQuery()) {
        refs = rs.next() ? rs.getInt(1) : -1;
      }
    }
    if (refs == 0) {
      deleteChunks(c, sha);
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM file_blobs WHERE sha256 = ?")) {
        ps.setString(1, sha);
        ps.executeUpdate();
      }
    }
  }

  private static void deleteChunks(Connection c, String blob) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM file_chunks WHERE blob = ?")) {
      ps.setString(1, blob);
      ps.executeUpdate();
    }
  }

  private static void deleteRow(Connection c, String id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM files WHERE id = ?")) {
      ps.setString(1, id);
      ps.executeUpdate();
    }
  }

  @Override
  public List<FileRecord> recent(String roomKey, int limit) {
    return query(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM files"
          + " WHERE room = ? AND state = 1 ORDER BY created_ts DESC, id LIMIT ?")) {
        ps.setString(1, roomKey);
        ps.setInt(2, Math.max(0, limit));
        return records(ps);
      }
    });
  }

  @Override
  public long usage(String owner) {
    return sum("SELECT COALESCE(SUM(size), 0) FROM files WHERE owner = ? AND state <> 2", owner);
  }

  @Override
  public long totalBytes() {
    return sum("SELECT COALESCE(SUM(size), 0) FROM files WHERE state <> 2", null);
  }

  private long sum(String sql, String parameter) {
    return query(c -> {
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        if (parameter != null) {
          ps.setString(1, parameter);
        }
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return rs.getLong(1);
        }
      }
    });
  }

  @Override
  public List<FileRecord> all() {
    return query(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM files")) {
        return records(ps);
      }
    });
  }

  /**
   * The key that signs the web door's links to files, one for every server on this database:
   * made at random by the first server that asks, read by the others.
   */
  public byte[] linkKey() throws IOException {
    byte[] fresh = new byte[32];
    new SecureRandom().nextBytes(fresh);
    return tx(c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO file_link_key (id, link_key)"
          + " VALUES (1, ?) ON CONFLICT (id) DO NOTHING")) {
        ps.setBytes(1, fresh);
        ps.executeUpdate();
      }
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT link_key FROM file_link_key WHERE id = 1")) {
        rs.next();
        return rs.getBytes(1);
      }
    });
  }

  @Override
  public void close() {
    pool.close();
  }

  // ---------------------------------------------------------------- rows

  private static List<FileRecord> records(PreparedStatement ps) throws SQLException {
    List<FileRecord> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(record(rs));
      }
    }
    return out;
  }

  private static FileRecord record(ResultSet rs) throws SQLException {
    return new FileRecord(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4),
        rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9),
        rs.getString(10), rs.getLong(11), rs.getShort(12) != UPLOAD);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
