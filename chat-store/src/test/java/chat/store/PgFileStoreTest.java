package chat.store;

import static chat.store.FileStoreContractTest.sha;
import static chat.store.FileStoreContractTest.upload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import chat.core.store.FileRecord;
import chat.core.store.FileStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Files on PostgreSQL as a cluster has them: two {@link PgFileStore}s on one schema, as two
 * servers. Skipped, with the reason, when no PostgreSQL answers at {@link PostgresStoreTest#URL}
 * (CI runs one).
 */
class PgFileStoreTest {

  /** A fresh schema, the stores opened on it, and its removal. */
  static final class Schema implements AutoCloseable {
    final String name = "f_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    private final List<PgFileStore> opened = new ArrayList<>();
    private boolean reachable;

    /** Skips the test, saying why on stderr, when PostgreSQL does not answer. */
    void require(String test) {
      String why = null;
      try (Connection c = DriverManager.getConnection(PostgresStoreTest.URL
          + "&connectTimeout=3&loginTimeout=3")) {
        if (!c.isValid(3)) {
          why = "connection not valid";
        }
      } catch (SQLException e) {
        why = e.getMessage();
      }
      if (why != null) {
        System.err.println(test + " skipped: PostgreSQL not reachable at "
            + PostgresStoreTest.URL + ": " + why);
      }
      assumeTrue(why == null, "PostgreSQL not reachable: " + why);
      reachable = true;
    }

    String url() {
      return PostgresStoreTest.URL + "&currentSchema=" + name;
    }

    PgFileStore open() {
      PgFileStore store = PgFileStore.open(url(), 2);
      opened.add(store);
      return store;
    }

    long count(String sql) throws SQLException {
      try (Connection c = DriverManager.getConnection(url()); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery(sql)) {
        rs.next();
        return rs.getLong(1);
      }
    }

    @Override
    public void close() throws SQLException {
      opened.forEach(PgFileStore::close);
      if (reachable) {
        try (Connection c = DriverManager.getConnection(PostgresStoreTest.URL);
            Statement s = c.createStatement()) {
          s.execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
        }
      }
    }
  }

  private final Schema schema = new Schema();

  @BeforeEach
  void reachable() {
    schema.require("PgFileStoreTest");
  }

  @AfterEach
  void drop() throws SQLException {
    schema.close();
  }

  private static byte[] random(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  /** Writes {@code bytes[from, to)} in writes of {@code step} bytes. */
  private static void write(FileStore s, String id, byte[] bytes, int from, int to, int step)
      throws Exception {
    for (int at = from; at < to; at += step) {
      s.write(id, at, Arrays.copyOfRange(bytes, at, Math.min(to, at + step)));
    }
  }

  @Test
  void anUploadBegunOnOneServerGoesOnAndCompletesOnTheOtherAndBothListAndServeIt()
      throws Exception {
    PgFileStore a = schema.open();
    PgFileStore b = schema.open();
    byte[] bytes = random(1_000_003, 1);
    FileRecord up = upload("resumed000000000000000", bytes, "dev", 10);
    a.begin(up);
    write(a, up.id(), bytes, 0, 400_000, 65_536);
    a.close(); // server A dies: what it wrote is in PostgreSQL

    assertThat(b.find(up.id())).hasValueSatisfying(r -> assertThat(r.complete()).isFalse());
    assertThat(b.recent("dev", 10)).isEmpty();
    long offset = b.received(up.id());
    assertThat(offset).isEqualTo(400_000);
    write(b, up.id(), bytes, (int) offset, bytes.length, 65_536);
    assertThat(b.complete(up.id()).complete()).isTrue();

    PgFileStore c = schema.open(); // a third server, or A restarted
    for (PgFileStore s : List.of(b, c)) {
      assertThat(s.recent("dev", 10)).extracting(FileRecord::id).containsExactly(up.id());
      assertThat(s.received(up.id())).isEqualTo(bytes.length);
      assertThat(s.read(up.id(), 0, bytes.length)).isEqualTo(bytes);
      assertThat(s.usage("alice")).isEqualTo(bytes.length);
    }
  }

  @Test
  void aFileCompletedOnOneServerIsReadAnywhereInItAndExpiredForAllByEither() throws Exception {
    PgFileStore a = schema.open();
    PgFileStore b = schema.open();
    byte[] bytes = random(3 * 65_536 + 17, 2);
    FileRecord f = upload("shared0000000000000000", bytes, "dev", 20);
    a.begin(f);
    write(a, f.id(), bytes, 0, bytes.length, 65_536);
    a.complete(f.id());

    assertThat(b.recent("dev", 10)).singleElement()
        .satisfies(r -> assertThat(r).isEqualTo(f.completed()));
    assertThat(b.all()).containsExactly(f.completed());
    Random offsets = new Random(3);
    for (int i = 0; i < 50; i++) {
      int at = offsets.nextInt(bytes.length + 1);
      int length = offsets.nextInt(200_000);
      assertThat(b.read(f.id(), at, length)).as("%d bytes at %d", length, at)
          .isEqualTo(Arrays.copyOfRange(bytes, at, Math.min(bytes.length, at + length)));
    }
    assertThat(b.read(f.id(), 65_535, 2)).isEqualTo(Arrays.copyOfRange(bytes, 65_535, 65_537));

    b.discard(f.id());
    assertThatThrownBy(() -> a.read(f.id(), 0, 10)).isInstanceOf(java.io.IOException.class);
    assertThat(a.find(f.id())).hasValueSatisfying(r -> assertThat(r.complete()).isTrue());
    assertThat(a.recent("dev", 10)).isEmpty();
    assertThat(a.usage("alice")).isZero();
    assertThat(schema.count("SELECT count(*) FROM file_chunks")).as("its bytes are gone")
        .isZero();
    a.discard(f.id()); // a second server's expiry finds nothing more to do
    a.delete(f.id());
    assertThat(b.all()).isEmpty();
  }

  @Test
  void anUploadRewrittenInPartByAnotherServerIsCheckedByReadingItBack()
      throws Exception {
    PgFileStore a = schema.open();
    PgFileStore b = schema.open();
    byte[] bytes = random(300_000, 4);
    FileRecord up = upload("rewritten0000000000000", bytes, "dev", 30);
    a.begin(up);
    byte[] wrong = bytes.clone();
    Arrays.fill(wrong, 100_001, 200_000, (byte) 0);
    write(a, up.id(), wrong, 0, 200_000, 50_000); // A hashes what it wrote: some wrong bytes
    b.write(up.id(), 100_001, Arrays.copyOfRange(bytes, 100_001, 200_000)); // B writes them again
    assertThat(b.received(up.id())).isEqualTo(200_000);
    // A goes on where its hash stopped, but B wrote since: A must read back, not trust its digest.
    write(a, up.id(), bytes, 200_000, bytes.length, 50_000);

    assertThat(a.complete(up.id()).complete()).isTrue();
    assertThat(b.read(up.id(), 0, bytes.length)).isEqualTo(bytes);
    assertThat(b.complete(up.id()).complete()).as("completing twice is harmless").isTrue();
  }

  @Test
  void wrongBytesOrAShortUploadAreRefusedWhereverTheyWereWritten() throws Exception {
    PgFileStore a = schema.open();
    PgFileStore b = schema.open();
    byte[] bytes = random(100_000, 6);
    FileRecord bad = upload("corrupted0000000000000", bytes, "dev", 40);
    a.begin(bad);
    byte[] wrong = bytes.clone();
    wrong[99_999] ^= 1;
    write(a, bad.id(), wrong, 0, 50_000, 10_000);
    write(b, bad.id(), wrong, 50_000, wrong.length, 10_000);
    assertThatThrownBy(() -> a.complete(bad.id()))
        .isInstanceOf(FileStore.BadUploadException.class).hasMessageContaining("SHA-256");
    FileRecord shortOne = upload("short00000000000000000", bytes, "dev", 41);
    b.begin(shortOne);
    write(b, shortOne.id(), bytes, 0, 60_000, 10_000);
    assertThatThrownBy(() -> a.complete(shortOne.id()))
        .isInstanceOf(FileStore.BadUploadException.class).hasMessageContaining("60000 bytes");
    assertThatThrownBy(() -> a.write(bad.id(), 0, bytes))
        .isInstanceOf(java.nio.file.NoSuchFileException.class);
    assertThat(b.all()).isEmpty();
    assertThat(schema.count("SELECT count(*) FROM file_chunks")).isZero();
    assertThat(b.totalBytes()).isZero();
  }

  @Test
  void aWriteBeyondWhatWasReceivedIsRefused() throws Exception {
    PgFileStore a = schema.open();
    byte[] bytes = random(1000, 7);
    FileRecord up = upload("gap0000000000000000000", bytes, "dev", 50);
    a.begin(up);
    a.write(up.id(), 0, Arrays.copyOf(bytes, 100));
    assertThatThrownBy(() -> a.write(up.id(), 200, Arrays.copyOfRange(bytes, 200, 300)))
        .isInstanceOf(java.io.IOException.class).hasMessageContaining("cannot write at 200");
    assertThat(a.received(up.id())).isEqualTo(100);
  }

  @Test
  void theSameBytesSharedByManyFilesOnTwoServersAtOnceAreKeptOnceAndGoWithTheLast()
      throws Exception {
    PgFileStore a = schema.open();
    PgFileStore b = schema.open();
    byte[] bytes = random(150_000, 8);
    int perThread = 8;
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<List<String>>> work = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        PgFileStore s = t % 2 == 0 ? a : b;
        int thread = t;
        work.add(pool.submit(() -> {
          List<String> kept = new ArrayList<>();
          for (int i = 0; i < perThread; i++) {
            FileRecord f = upload(String.format("same%02d%02d00000000000000", thread, i), bytes,
                "dev", i);
            s.begin(f);
            write(s, f.id(), bytes, 0, bytes.length, 65_536);
            s.complete(f.id());
            kept.add(f.id());
            if (i % 2 == 1) { // drop one of ours, maybe the blob's last user for a moment
              s.delete(kept.remove(0));
            }
          }
          return kept;
        }));
      }
      List<String> kept = new ArrayList<>();
      for (Future<List<String>> f : work) {
        kept.addAll(f.get(120, TimeUnit.SECONDS));
      }
      assertThat(kept).hasSize(4 * perThread / 2);
      for (String id : kept) {
        assertThat(a.read(id, 0, bytes.length)).as(id).isEqualTo(bytes);
      }
      assertThat(schema.count("SELECT count(*) FROM file_blobs")).isEqualTo(1);
      assertThat(schema.count("SELECT refs FROM file_blobs")).isEqualTo(kept.size());
      assertThat(schema.count("SELECT count(DISTINCT blob) FROM file_chunks")).isEqualTo(1);
      for (int i = 0; i < kept.size(); i++) {
        (i % 2 == 0 ? a : b).delete(kept.get(i));
      }
      assertThat(schema.count("SELECT count(*) FROM file_chunks")).isZero();
      assertThat(schema.count("SELECT count(*) FROM file_blobs")).isZero();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void anAbandonedUploadIsDeletedWithItsBytes() throws Exception {
    PgFileStore a = schema.open();
    byte[] bytes = random(70_000, 9);
    FileRecord up = upload("abandoned0000000000000", bytes, "dev", 60);
    a.begin(up);
    write(a, up.id(), bytes, 0, 40_000, 20_000);
    assertThat(a.usage("alice")).as("an upload counts against its owner").isEqualTo(70_000);
    schema.open().delete(up.id());
    assertThat(a.find(up.id())).isEmpty();
    assertThat(a.received(up.id())).isZero();
    assertThat(schema.count("SELECT count(*) FROM file_chunks")).isZero();
  }

  @Test
  void everyServerGetsTheSameLinkKey() throws Exception {
    byte[] first = schema.open().linkKey();
    assertThat(first).hasSize(32);
    assertThat(schema.open().linkKey()).isEqualTo(first);
    assertThat(sha(first)).isNotEqualTo(sha(new byte[32]));
  }
}
