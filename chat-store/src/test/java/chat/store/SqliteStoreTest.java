package chat.store;

import static org.assertj.core.api.Assertions.assertThat;

import chat.core.store.Account;
import chat.core.store.StoredMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract on SQLite, plus what only a file shows: reopening, pragmas. */
class SqliteStoreTest extends JdbcStoreContractTest {

  @TempDir
  Path tmp;

  Path dataDir() {
    return tmp.resolve("data").resolve("nested");
  }

  @Override
  protected Store open() {
    return Stores.open("sqlite", dataDir());
  }

  @Override
  protected Store reopen() {
    return open();
  }

  @Override
  protected Store openFromVersion1(List<String> statements) throws Exception {
    Path dir = tmp.resolve("from-v1");
    Files.createDirectories(dir);
    String url = "jdbc:sqlite:" + dir.resolve("chat.db");
    Flyway.configure(getClass().getClassLoader()).dataSource(url, null, null)
        .locations("classpath:db/migration/sqlite").target("1").load().migrate();
    try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
      for (String sql : statements) {
        st.execute(sql);
      }
    }
    return Stores.open("sqlite", dir);
  }

  @Test
  void theFileIsCreatedInWalModeAndCommitsSyncFully() {
    assertThat(dataDir().resolve("chat.db")).isRegularFile();
    for (boolean writer : new boolean[] {true, false}) {
      assertThat(jdbc().queryValue(writer, "PRAGMA journal_mode")).isEqualTo("wal");
      // 2 is FULL (0 OFF, 1 NORMAL, 3 EXTRA).
      assertThat(((Number) jdbc().queryValue(writer, "PRAGMA synchronous")).intValue())
          .isEqualTo(2);
      assertThat(((Number) jdbc().queryValue(writer, "PRAGMA busy_timeout")).intValue())
          .isEqualTo(JdbcStore.SQLITE_BUSY_TIMEOUT_MS);
    }
  }

  @Test
  void historyAndAccountsSurviveReopening() throws Exception {
    List<StoredMessage> sent = roomMessages("Lobby", 20);
    appendAll(sent);
    StoredMessage pm = privateMessage("Alice", "Alice", "Bob", "Bob", "psst");
    appendAll(List.of(pm));
    Account alice = new Account("Alice", "hash", true, 42);
    assertThat(store.create(alice)).isTrue();
    store.close();

    store = open(); // migrations find the schema current and change nothing
    assertThat(store.lastSeq("lobby")).isEqualTo(20);
    assertThat(store.roomHistory("lobby", Long.MAX_VALUE, 100)).containsExactlyElementsOf(sent);
    assertThat(store.privateHistory("bob", "alice", null, 10)).containsExactly(pm);
    assertThat(store.find("alice")).contains(alice);
    appendAll(List.of(roomMessage("Lobby", 21, "after reopening")));
    assertThat(store.lastSeq("lobby")).isEqualTo(21);
    assertThat(Files.exists(dataDir().resolve("chat.db"))).isTrue();
  }
}
