package chat.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two stores on one PostgreSQL database, as two servers of a cluster: entries they number for
 * the same room, at the same time, get every seq once, with no gap, each store's in the order it
 * appended them. Skipped, with the reason, when no PostgreSQL answers (CI runs one).
 */
class SharedPostgresNumberingTest {

  private final String schema = "n_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
  private final List<Store> stores = new ArrayList<>();

  @AfterEach
  void drop() throws SQLException {
    stores.forEach(Store::close);
    try (Connection c = DriverManager.getConnection(PostgresStoreTest.URL);
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    } catch (SQLException e) {
      // unreachable: nothing was made
    }
  }

  @Test
  void twoServersNumberOneRoomWithoutAGapOrANumberTwice() throws Exception {
    String url = PostgresStoreTest.URL + "&currentSchema=" + schema;
    try (Connection c = DriverManager.getConnection(PostgresStoreTest.URL
        + "&connectTimeout=3&loginTimeout=3")) {
      assumeTrue(c.isValid(3), "PostgreSQL not valid at " + PostgresStoreTest.URL);
    } catch (SQLException e) {
      System.err.println("SharedPostgresNumberingTest skipped: PostgreSQL not reachable at "
          + PostgresStoreTest.URL + ": " + e.getMessage());
      assumeTrue(false, "PostgreSQL not reachable: " + e.getMessage());
    }
    stores.add(Stores.open(url, null));
    stores.add(Stores.open(url, null));
    int perThread = 250;
    int threads = 4;
    List<List<Long>> seen = new ArrayList<>();
    CountDownLatch done = new CountDownLatch(stores.size() * threads * perThread);
    List<Thread> running = new ArrayList<>();
    for (Store store : stores) {
      List<Long> order = Collections.synchronizedList(new ArrayList<>());
      seen.add(order);
      for (int t = 0; t < threads; t++) {
        running.add(Thread.ofPlatform().start(() -> {
          for (int i = 0; i < perThread; i++) {
            store.appendNumbered(NumberedAppendContract.unnumbered("dev", "x"), (seq, failure) -> {
              if (failure == null) {
                order.add(seq);
              }
              done.countDown();
            });
          }
        }));
      }
    }
    for (Thread t : running) {
      t.join(60_000);
    }
    assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();
    List<Long> all = new ArrayList<>();
    for (List<Long> order : seen) {
      assertThat(order).as("one store's numbers come back in order").isSorted();
      all.addAll(order);
    }
    Collections.sort(all);
    List<Long> expected = new ArrayList<>();
    for (long n = 1; n <= stores.size() * threads * perThread; n++) {
      expected.add(n);
    }
    assertThat(all).as("every seq once, no gap").isEqualTo(expected);
    assertThat(stores.get(0).lastSeq("dev")).isEqualTo(expected.size());
  }
}
