package chat.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import chat.core.cluster.Directory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The cluster directory on the real PostgreSQL: three servers' directories in one schema. A nick
 * raced for by all three goes to one; the same account and a guest's resume token take it over;
 * a server's death is seen when its session ends, and its nicks wait for the grace. Skipped, with
 * the reason, when no PostgreSQL answers (CI runs one).
 */
class PgDirectoryTest {

  private final String schema = "d_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
  private final String url = PostgresStoreTest.URL + "&currentSchema=" + schema;
  private final List<AutoCloseable> open = new ArrayList<>();

  @BeforeEach
  void database() {
    try (Connection c = DriverManager.getConnection(PostgresStoreTest.URL
        + "&connectTimeout=3&loginTimeout=3")) {
      assumeTrue(c.isValid(3), "PostgreSQL not valid at " + PostgresStoreTest.URL);
    } catch (SQLException e) {
      System.err.println("PgDirectoryTest skipped: PostgreSQL not reachable at "
          + PostgresStoreTest.URL + ": " + e.getMessage());
      assumeTrue(false, "PostgreSQL not reachable: " + e.getMessage());
    }
    open.add(Stores.open(url, null)); // migrates the schema
  }

  @AfterEach
  void drop() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
    try (Connection c = DriverManager.getConnection(PostgresStoreTest.URL);
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
  }

  private PgDirectory server(long node) {
    PgDirectory d = PgDirectory.open(url, node, "127.0.0.1:" + (7000 + node));
    open.add(d);
    return d;
  }

  @Test
  void aNickRacedForByThreeServersGoesToOne() throws Exception {
    List<PgDirectory> servers = List.of(server(1), server(2), server(3));
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      for (int round = 0; round < 20; round++) {
        String nick = "Racer" + round;
        List<Future<Directory.Holder>> tries = new ArrayList<>();
        for (PgDirectory d : servers) {
          for (int i = 0; i < 2; i++) {
            Callable<Directory.Holder> claim = () -> d.claim(nick.toLowerCase(), nick, null,
                null, 60_000);
            tries.add(pool.submit(claim));
          }
        }
        long nodesThatGotIt = 0;
        List<Long> winners = new ArrayList<>();
        for (int i = 0; i < tries.size(); i++) {
          if (tries.get(i).get(20, TimeUnit.SECONDS) == null) {
            winners.add(servers.get(i / 2).node());
          }
        }
        nodesThatGotIt = winners.stream().distinct().count();
        assertThat(nodesThatGotIt).as("servers holding " + nick).isEqualTo(1);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void theSameAccountOrTheGuestsTokenTakesItOverAndAStrangerDoesNot() {
    PgDirectory a = server(1);
    PgDirectory b = server(2);
    assertThat(a.claim("carol", "carol", "carol", null, 60_000)).isNull();
    assertThat(b.claim("carol", "carol", null, null, 60_000))
        .isEqualTo(new Directory.Holder("carol", 1, "carol"));
    assertThat(b.claim("carol", "carol", "Carol", null, 60_000)).as("another device").isNull();

    assertThat(a.claim("guest", "Guest", null, "token-1", 60_000)).isNull();
    assertThat(b.byToken("token-1")).isEqualTo(new Directory.Holder("Guest", 1, null));
    assertThat(b.byToken("token-2")).isNull();
    assertThat(b.claim("guest", "Guest", null, "token-2", 60_000)).isNotNull();
    assertThat(b.claim("guest", "Guest", null, "token-1", 60_000)).as("its token").isNull();
    a.release("guest"); // a no longer holds it: nothing happens
    assertThat(b.claim("guest", "Guest", null, null, 60_000)).as("b's already").isNull();
    b.release("guest");
    assertThat(a.claim("guest", "Guest", null, null, 60_000)).as("free").isNull();
  }

  @Test
  void aDeadServersNicksWaitForTheGraceAndItsDeathIsSeenAtOnce() throws Exception {
    PgDirectory a = server(1);
    PgDirectory b = server(2);
    assertThat(a.liveNow()).containsExactlyInAnyOrder(1L, 2L);
    assertThat(b.claim("bob", "bob", null, null, 60_000)).isNull();
    // b's process dies: its database sessions end (closing them without a word, as a kill does).
    b.closeSessionsOnly();
    await().atMost(Duration.ofSeconds(10)).until(() -> !a.liveNow().contains(2L));
    assertThat(a.claim("bob", "bob", null, null, 60_000)).as("within the grace")
        .isEqualTo(new Directory.Holder("bob", 2, null));
    assertThat(a.claim("bob", "bob", null, null, 0)).as("after the grace").isNull();
    assertThat(a.nodes()).extracting(Directory.NodeStatus::node, Directory.NodeStatus::alive)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(2L, false),
            org.assertj.core.groups.Tuple.tuple(1L, true));
    assertThat(PgDirectory.status(url)).hasSize(2);
  }
}
