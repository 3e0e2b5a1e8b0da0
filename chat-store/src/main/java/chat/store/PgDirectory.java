package chat.store;

import chat.core.cluster.Directory;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's {@link Directory} on PostgreSQL. Liveness: the server holds
 * {@code pg_advisory_lock(class, node)} on a session of its own, where {@code class} is derived
 * from the schema (servers of different schemas in one database never mix); the lock ends with
 * the session, so a killed server is dead for the others as soon as PostgreSQL sees its socket
 * close. A heartbeat each second writes {@code seen_ts} through that session, and reconnects
 * and locks again when the session was lost. Nicks: one row per nick in {@code nick_claims},
 * taken in one {@code INSERT ... ON CONFLICT DO UPDATE ... WHERE} (the row lock orders two
 * servers taking one nick at once: one gets it, the other sees the holder).
 */
public final class PgDirectory implements Directory {

  private static final Logger log = LoggerFactory.getLogger(PgDirectory.class);
  static final long HEARTBEAT_MILLIS = 1000;

  private static final String LIVE = "SELECT objid::text::bigint FROM pg_locks WHERE locktype ="
      + " 'advisory' AND classid::text::bigint = ? AND objsubid = 2 AND granted AND database ="
      + " (SELECT oid FROM pg_database WHERE datname = current_database())";

  private static final String CLAIM = "INSERT INTO nick_claims AS c (nick_key, nick, node,"
      + " account, token, claimed_ts) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (nick_key) DO UPDATE"
      + " SET nick = EXCLUDED.nick, node = EXCLUDED.node, account = EXCLUDED.account,"
      + " token = EXCLUDED.token, claimed_ts = EXCLUDED.claimed_ts"
      + " WHERE c.node = EXCLUDED.node"
      + " OR (EXCLUDED.account IS NOT NULL AND lower(c.account) = lower(EXCLUDED.account))"
      + " OR (EXCLUDED.token IS NOT NULL AND c.token = EXCLUDED.token)"
      + " OR (NOT EXISTS (SELECT 1 FROM pg_locks l WHERE l.locktype = 'advisory'"
      + " AND l.classid::text::bigint = ? AND l.objid::text::bigint = c.node AND l.objsubid = 2"
      + " AND l.granted) AND COALESCE((SELECT n.seen_ts FROM cluster_nodes n"
      + " WHERE n.node = c.node), 0) < ?)"
      + " RETURNING node";

  private final String url;
  private final long node;
  private final int lockClass;
  private final String address;
  private final long startedTs;
  private final ScheduledExecutorService heartbeat;
  /** The session holding the lock; guarded by this. */
  private Connection lockSession;
  /** For claims and reads; guarded by {@link #claims}. */
  private final Object claims = new Object();
  private Connection claimSession;
  private volatile Set<Long> live = Set.of();

  private PgDirectory(String url, long node, String address) throws SQLException {
    this.url = url;
    this.node = node;
    this.address = address;
    this.startedTs = System.currentTimeMillis();
    this.lockClass = lockClass(schemaOf(url));
    lockSession = lock();
    try (PreparedStatement up = lockSession.prepareStatement("INSERT INTO cluster_nodes (node,"
        + " address, started_ts, seen_ts) VALUES (?, ?, ?, ?) ON CONFLICT (node) DO UPDATE"
        + " SET address = EXCLUDED.address, seen_ts = EXCLUDED.seen_ts")) {
      up.setLong(1, node);
      up.setString(2, address);
      up.setLong(3, startedTs);
      up.setLong(4, startedTs);
      up.executeUpdate();
    }
    live = readLive(lockSession);
    heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "chat-directory");
      t.setDaemon(true);
      return t;
    });
    heartbeat.scheduleWithFixedDelay(this::beat, HEARTBEAT_MILLIS, HEARTBEAT_MILLIS,
        TimeUnit.MILLISECONDS);
  }

  /**
   * Joins the cluster of servers on the PostgreSQL at {@code url} (a {@code jdbc:postgresql:}
   * URL, its {@code currentSchema} migrated already by the store) as server {@code node}.
   */
  public static PgDirectory open(String url, long node, String address) {
    try {
      return new PgDirectory(url, node, address);
    } catch (SQLException e) {
      throw new StoreException("cannot join the cluster at " + shown(url) + ": "
          + e.getMessage(), e);
    }
  }

  private static String shown(String url) {
    int query = url.indexOf('?');
    return query < 0 ? url : url.substring(0, query);
  }

  static String schemaOf(String url) {
    String schema = JdbcStore.queryParameter(url, "currentSchema");
    return schema == null || schema.isBlank() ? "public" : schema;
  }

  /** The advisory lock class of a schema: its servers' locks never meet another schema's. */
  static int lockClass(String schema) {
    return (schema.hashCode() & 0x3fffffff) | 0x40000000;
  }

  private Connection lock() throws SQLException {
    Connection c = DriverManager.getConnection(url);
    try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_lock(?, ?)")) {
      lock.setInt(1, lockClass);
      lock.setInt(2, (int) node);
      lock.executeQuery().close();
    } catch (SQLException e) {
      c.close();
      throw e;
    }
    return c;
  }

  private Set<Long> readLive(Connection c) throws SQLException {
    Set<Long> found = new HashSet<>();
    try (PreparedStatement q = c.prepareStatement(LIVE)) {
      q.setLong(1, lockClass);
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          found.add(rs.getLong(1));
        }
      }
    }
    return Set.copyOf(found);
  }

  private synchronized void beat() {
    try {
      if (lockSession == null || !lockSession.isValid(2)) {
        closeQuietly(lockSession);
        lockSession = null;
        lockSession = lock();
        log.info("server {} rejoined the cluster directory", node);
      }
      try (PreparedStatement seen = lockSession.prepareStatement(
          "UPDATE cluster_nodes SET seen_ts = ? WHERE node = ?")) {
        seen.setLong(1, System.currentTimeMillis());
        seen.setLong(2, node);
        seen.executeUpdate();
      }
      live = readLive(lockSession);
    } catch (SQLException | RuntimeException e) {
      log.warn("cluster directory heartbeat failed: {}", e.getMessage());
      closeQuietly(lockSession);
      lockSession = null;
    }
  }

  @Override
  public long node() {
    return node;
  }

  @Override
  public Set<Long> live() {
    return live;
  }

  @Override
  public Set<Long> liveNow() {
    Set<Long> now = withClaims(this::readLive);
    live = now;
    return now;
  }

  private <T> T withClaims(SqlWork<T> work) {
    synchronized (claims) {
      for (int attempt = 0; ; attempt++) {
        try {
          if (claimSession == null || claimSession.isClosed()) {
            claimSession = DriverManager.getConnection(url);
          }
          return work.run(claimSession);
        } catch (SQLException e) {
          closeQuietly(claimSession);
          claimSession = null;
          if (attempt >= 1) {
            throw new StoreException("the cluster directory failed: " + e.getMessage(), e);
          }
        }
      }
    }
  }

  private interface SqlWork<T> {
    T run(Connection c) throws SQLException;
  }

  @Override
  public Holder claim(String nickKey, String nick, String account, String token,
      long graceMillis) {
    return withClaims(c -> {
      try (PreparedStatement up = c.prepareStatement(CLAIM)) {
        up.setString(1, nickKey);
        up.setString(2, nick);
        up.setLong(3, node);
        up.setString(4, account);
        up.setString(5, token == null ? null : hash(token));
        up.setLong(6, System.currentTimeMillis());
        up.setLong(7, lockClass);
        up.setLong(8, System.currentTimeMillis() - Math.max(0, graceMillis));
        try (ResultSet rs = up.executeQuery()) {
          if (rs.next()) {
            return null;
          }
        }
      }
      return holder(c, "SELECT nick, node, account FROM nick_claims WHERE nick_key = ?", nickKey,
          new Holder(nick, -1, null));
    });
  }

  private static Holder holder(Connection c, String sql, String arg, Holder otherwise)
      throws SQLException {
    try (PreparedStatement q = c.prepareStatement(sql)) {
      q.setString(1, arg);
      try (ResultSet rs = q.executeQuery()) {
        return rs.next() ? new Holder(rs.getString(1), rs.getLong(2), rs.getString(3))
            : otherwise;
      }
    }
  }

  @Override
  public void release(String nickKey) {
    withClaims(c -> {
      try (PreparedStatement del = c.prepareStatement(
          "DELETE FROM nick_claims WHERE nick_key = ? AND node = ?")) {
        del.setString(1, nickKey);
        del.setLong(2, node);
        return del.executeUpdate();
      }
    });
  }

  @Override
  public Holder byToken(String token) {
    if (token == null || token.isEmpty()) {
      return null;
    }
    return withClaims(c -> holder(c, "SELECT nick, node, account FROM nick_claims WHERE token = ?",
        hash(token), null));
  }

  @Override
  public List<NodeStatus> nodes() {
    return withClaims(c -> {
      Set<Long> alive = readLive(c);
      List<NodeStatus> out = new ArrayList<>();
      try (Statement q = c.createStatement(); ResultSet rs = q.executeQuery("SELECT n.node,"
          + " n.address, n.started_ts, n.seen_ts, (SELECT count(*) FROM nick_claims c"
          + " WHERE c.node = n.node) FROM cluster_nodes n ORDER BY n.node DESC")) {
        while (rs.next()) {
          out.add(new NodeStatus(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getLong(4),
              alive.contains(rs.getLong(1)), rs.getInt(5)));
        }
      }
      return List.copyOf(out);
    });
  }

  /** The servers of the cluster at {@code url}, for {@code chat cluster status}. */
  public static List<NodeStatus> status(String url) {
    try (Connection c = DriverManager.getConnection(url)) {
      int lockClass = lockClass(schemaOf(url));
      Set<Long> alive = new HashSet<>();
      try (PreparedStatement q = c.prepareStatement(LIVE)) {
        q.setLong(1, lockClass);
        try (ResultSet rs = q.executeQuery()) {
          while (rs.next()) {
            alive.add(rs.getLong(1));
          }
        }
      }
      List<NodeStatus> out = new ArrayList<>();
      try (Statement q = c.createStatement(); ResultSet rs = q.executeQuery("SELECT n.node,"
          + " n.address, n.started_ts, n.seen_ts, (SELECT count(*) FROM nick_claims c"
          + " WHERE c.node = n.node) FROM cluster_nodes n ORDER BY n.node DESC")) {
        while (rs.next()) {
          out.add(new NodeStatus(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getLong(4),
              alive.contains(rs.getLong(1)), rs.getInt(5)));
        }
      }
      return List.copyOf(out);
    } catch (SQLException e) {
      throw new StoreException("cannot read the cluster at " + shown(url) + ": "
          + e.getMessage(), e);
    }
  }

  static String hash(String token) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void closeQuietly(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // going anyway
      }
    }
  }

  /**
   * Ends this server's database sessions without letting go of its nicks, as the death of its
   * process does (tests); the heartbeat stops too.
   */
  void closeSessionsOnly() {
    heartbeat.shutdownNow();
    synchronized (this) {
      closeQuietly(lockSession);
      lockSession = null;
    }
    synchronized (claims) {
      closeQuietly(claimSession);
      claimSession = null;
    }
  }

  @Override
  public void close() {
    heartbeat.shutdownNow();
    synchronized (this) {
      closeQuietly(lockSession); // the lock goes with the session
      lockSession = null;
    }
    synchronized (claims) {
      try {
        if (claimSession != null && !claimSession.isClosed()) {
          try (PreparedStatement del = claimSession.prepareStatement(
              "DELETE FROM nick_claims WHERE node = ?")) {
            del.setLong(1, node);
            del.executeUpdate();
          }
        }
      } catch (SQLException e) {
        log.debug("could not let go of this server's nicks", e);
      }
      closeQuietly(claimSession);
      claimSession = null;
    }
  }
}
