package chat.store;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The contract on PostgreSQL at 127.0.0.1:5432 (database test, user root, trust auth), in a
 * schema of this class's own that is dropped afterwards. Skipped, with the reason, when no
 * PostgreSQL answers there. {@code -Dchat.test.postgres=URL} points it elsewhere.
 */
class PostgresStoreTest extends JdbcStoreContractTest {

  static final String URL = System.getProperty("chat.test.postgres",
      "jdbc:postgresql://127.0.0.1:5432/test?user=root");
  static final String SCHEMA =
      "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);

  private static String unreachable;
  /** Schemas of openFromVersion1, dropped with SCHEMA. */
  private static final List<String> moreSchemas = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void probe() {
    try (Connection c = DriverManager.getConnection(URL + "&connectTimeout=3&loginTimeout=3")) {
      unreachable = c.isValid(3) ? null : "connection not valid";
    } catch (SQLException e) {
      unreachable = e.getMessage();
      System.err.println("PostgresStoreTest skipped: PostgreSQL not reachable at " + URL + ": "
          + unreachable);
    }
  }

  @AfterAll
  static void dropSchema() throws SQLException {
    if (unreachable == null) {
      try (Connection c = DriverManager.getConnection(URL);
          Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        for (String schema : moreSchemas) {
          s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
      }
    }
  }

  static String schemaUrl() {
    return URL + "&currentSchema=" + SCHEMA;
  }

  @Override
  protected Store open() throws SQLException {
    assumeTrue(unreachable == null,
        () -> "PostgreSQL not reachable at " + URL + ": " + unreachable);
    Store s = Stores.open(schemaUrl(), null);
    try (Connection c = DriverManager.getConnection(schemaUrl());
        Statement st = c.createStatement()) {
      st.execute("TRUNCATE messages, accounts, rooms, room_lists, read_markers, room_seqs"
          + " RESTART IDENTITY");
    }
    return s;
  }

  @Override
  protected Store reopen() {
    return Stores.open(schemaUrl(), null);
  }

  @Override
  protected Store openFromVersion1(List<String> statements) throws SQLException {
    String schema = SCHEMA + "_v1_" + moreSchemas.size();
    moreSchemas.add(schema);
    String url = URL + "&currentSchema=" + schema;
    Flyway.configure(getClass().getClassLoader()).dataSource(url, null, null)
        .schemas(schema).defaultSchema(schema)
        .locations("classpath:db/migration/postgresql").target("1").load().migrate();
    try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
      for (String sql : statements) {
        st.execute(sql);
      }
    }
    return Stores.open(url, null);
  }
}
