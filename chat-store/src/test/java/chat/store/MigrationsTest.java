package chat.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sqlite.SQLiteDataSource;

/**
 * The start-up shortcut past Flyway: a schema is "current" only when Flyway would find nothing
 * to do, so new, old, failed and edited schemas still go through Flyway.
 */
class MigrationsTest {

  @TempDir
  Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgresql"})
  void theListNamesEveryScriptOnTheClassPathInOrder(String vendor) throws Exception {
    Path dir = Path.of(URI.create(getClass().getClassLoader()
        .getResource(Migrations.location(vendor)).toString()));
    try (Stream<Path> files = Files.list(dir)) {
      List<String> onDisk = files.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".sql"))
          .sorted(java.util.Comparator.comparingInt(
              (String n) -> Integer.parseInt(n.substring(1, n.indexOf("__")))))
          .toList();
      assertThat(Migrations.SCRIPTS.get(vendor)).containsExactlyElementsOf(onDisk);
    }
  }

  private SQLiteDataSource sqlite(String name) {
    SQLiteDataSource ds = new SQLiteDataSource();
    ds.setUrl("jdbc:sqlite:" + tmp.resolve(name));
    return ds;
  }

  private static Flyway flyway(SQLiteDataSource ds, String target) {
    var config = Flyway.configure(MigrationsTest.class.getClassLoader()).dataSource(ds)
        .locations("classpath:" + Migrations.location("sqlite"));
    return (target == null ? config : config.target(target)).load();
  }

  @Test
  void aSchemaFlywayMigratedIsCurrentAndItsChecksumsAreFlyways() {
    SQLiteDataSource ds = sqlite("full.db");
    flyway(ds, null).migrate();
    assertThat(Migrations.current(ds, "sqlite", null)).isTrue();
    // Flyway itself agrees there is nothing to do or to complain about.
    assertThat(flyway(ds, null).validateWithResult().validationSuccessful).isTrue();
    assertThat(flyway(ds, null).info().pending()).isEmpty();
  }

  @Test
  void aNewOrEmptyDatabaseIsNotCurrentAndOpeningItMakesTheSchema() throws Exception {
    assertThat(Migrations.current(sqlite("none.db"), "sqlite", null)).isFalse();
    Path dir = tmp.resolve("new");
    try (Store store = Stores.open("sqlite", dir)) {
      assertThat(store.lastSeq("lobby")).isZero(); // the tables are there
    }
    SQLiteDataSource ds = new SQLiteDataSource();
    ds.setUrl("jdbc:sqlite:" + dir.resolve("chat.db"));
    assertThat(Migrations.current(ds, "sqlite", null)).isTrue();
  }

  @Test
  void anOlderSchemaIsNotCurrentAndOpeningItMigratesTheRest() throws Exception {
    Path dir = tmp.resolve("old");
    Files.createDirectories(dir);
    SQLiteDataSource ds = new SQLiteDataSource();
    ds.setUrl("jdbc:sqlite:" + dir.resolve("chat.db"));
    flyway(ds, "2").migrate();
    assertThat(Migrations.current(ds, "sqlite", null)).isFalse();
    try (Store store = Stores.open("sqlite", dir)) {
      assertThat(store.lastSeq("lobby")).isZero();
    }
    assertThat(Migrations.current(ds, "sqlite", null)).isTrue();
    assertThat(flyway(ds, null).info().applied()).hasSize(Migrations.SCRIPTS.get("sqlite").size());
  }

  @Test
  void anEditedOrFailedMigrationIsLeftToFlywayWhichStillRefusesIt() throws Exception {
    Path dir = tmp.resolve("edited");
    Files.createDirectories(dir);
    SQLiteDataSource ds = new SQLiteDataSource();
    ds.setUrl("jdbc:sqlite:" + dir.resolve("chat.db"));
    flyway(ds, null).migrate();
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute("UPDATE " + Migrations.HISTORY_TABLE + " SET checksum = checksum + 1 WHERE version = '2'");
    }
    assertThat(Migrations.current(ds, "sqlite", null)).isFalse();
    assertThatThrownBy(() -> Stores.open("sqlite", dir)).isInstanceOf(StoreException.class)
        .hasMessageContaining("migration");

    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute("UPDATE " + Migrations.HISTORY_TABLE + " SET checksum = checksum - 1 WHERE version = '2'");
      s.execute("UPDATE " + Migrations.HISTORY_TABLE + " SET success = 0 WHERE version = '3'");
    }
    assertThat(Migrations.current(ds, "sqlite", null)).isFalse();
  }

  @Test
  void aSchemaWithAMigrationThisBuildDoesNotKnowIsNotCurrent() throws Exception {
    SQLiteDataSource ds = sqlite("newer.db");
    flyway(ds, null).migrate();
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute("INSERT INTO " + Migrations.HISTORY_TABLE + " (installed_rank, version, "
          + "description, type, script, checksum, installed_by, execution_time, success) "
          + "VALUES (99, '99', 'later', 'SQL', 'V99__later.sql', 1, 'x', 0, 1)");
    }
    assertThat(Migrations.current(ds, "sqlite", null)).isFalse();
  }

  @Test
  void onPostgresqlASchemaIsCurrentOnlyOnceMigrated() throws Exception {
    String url = PostgresStoreTest.URL;
    try (Connection c = DriverManager.getConnection(url + "&connectTimeout=3&loginTimeout=3")) {
      assumeTrue(c.isValid(3), "PostgreSQL not reachable at " + url);
    } catch (java.sql.SQLException e) {
      assumeTrue(false, "PostgreSQL not reachable at " + url + ": " + e.getMessage());
    }
    String schema = "t_mig_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    String schemaUrl = url + "&currentSchema=" + schema;
    var ds = new org.postgresql.ds.PGSimpleDataSource();
    ds.setUrl(schemaUrl);
    try {
      assertThat(Migrations.current(ds, "postgresql", schema)).isFalse(); // no schema yet
      Stores.open(schemaUrl, null).close();
      assertThat(Migrations.current(ds, "postgresql", schema)).isTrue();
      try (Store again = Stores.open(schemaUrl, null)) { // the shortcut: opens as before
        assertThat(again.lastSeq("lobby")).isZero();
      }
    } finally {
      try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      }
    }
  }
}
