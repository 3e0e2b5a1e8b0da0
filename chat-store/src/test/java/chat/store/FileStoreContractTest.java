package chat.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chat.core.store.FileRecord;
import chat.core.store.FileStore;
import chat.core.store.MemoryFileStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What every {@link FileStore} does, on memory, on disk and on PostgreSQL. */
abstract class FileStoreContractTest {

  abstract FileStore store();

  static String sha(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  static FileRecord upload(String id, byte[] bytes, String room, long created) throws Exception {
    return new FileRecord(id, "notes-" + id + ".txt", bytes.length, "text/plain", sha(bytes),
        room, "alice", "alice", null, null, created, false);
  }

  private static final byte[] HELLO = "hello, files".getBytes(StandardCharsets.UTF_8);

  @Test
  void anUploadIsInvisibleUntilCompleteThenReadable() throws Exception {
    FileStore s = store();
    FileRecord up = upload("aaaaaaaaaaaaaaaaaaaaaa", HELLO, "dev", 1);
    s.begin(up);
    assertThat(s.find(up.id())).hasValueSatisfying(r -> assertThat(r.complete()).isFalse());
    assertThat(s.recent("dev", 10)).isEmpty();
    assertThat(s.received(up.id())).isZero();
    s.write(up.id(), 0, java.util.Arrays.copyOf(HELLO, 5));
    assertThat(s.received(up.id())).isEqualTo(5);
    s.write(up.id(), 5, java.util.Arrays.copyOfRange(HELLO, 5, HELLO.length));
    FileRecord done = s.complete(up.id());
    assertThat(done.complete()).isTrue();
    assertThat(s.recent("dev", 10)).extracting(FileRecord::id).containsExactly(up.id());
    assertThat(s.read(up.id(), 7, 100)).isEqualTo(java.util.Arrays.copyOfRange(HELLO, 7,
        HELLO.length));
    assertThat(s.usage("alice")).isEqualTo(HELLO.length);
    assertThat(s.totalBytes()).isEqualTo(HELLO.length);
  }

  @Test
  void bytesThatDoNotMatchAreRefusedAndTheUploadRemoved() throws Exception {
    FileStore s = store();
    FileRecord up = upload("bbbbbbbbbbbbbbbbbbbbbb", HELLO, "dev", 1);
    s.begin(up);
    byte[] wrong = HELLO.clone();
    wrong[0] = 'J';
    s.write(up.id(), 0, wrong);
    assertThatThrownBy(() -> s.complete(up.id())).isInstanceOf(FileStore.BadUploadException.class)
        .hasMessageContaining("SHA-256");
    assertThat(s.find(up.id())).isEmpty();
    assertThat(s.totalBytes()).isZero();
  }

  @Test
  void aDiscardedFileKeepsItsRecordButNotItsBytesAndSharedBytesStayWhileUsed() throws Exception {
    FileStore s = store();
    FileRecord one = upload("cccccccccccccccccccccc", HELLO, "dev", 1);
    FileRecord two = upload("dddddddddddddddddddddd", HELLO, "dev", 2);
    for (FileRecord r : new FileRecord[] {one, two}) {
      s.begin(r);
      s.write(r.id(), 0, HELLO);
      s.complete(r.id());
    }
    s.discard(one.id());
    assertThat(s.find(one.id())).isPresent();
    assertThatThrownBy(() -> s.read(one.id(), 0, 10)).isInstanceOf(java.io.IOException.class);
    assertThat(s.read(two.id(), 0, 5)).isEqualTo(java.util.Arrays.copyOf(HELLO, 5));
    assertThat(s.usage("alice")).isEqualTo(HELLO.length);
    s.delete(two.id());
    assertThat(s.find(two.id())).isEmpty();
    assertThat(s.all()).extracting(FileRecord::id).containsExactly(one.id());
  }

  static final class MemoryFileStoreTest extends FileStoreContractTest {
    @Override
    FileStore store() {
      return new MemoryFileStore();
    }
  }

  static final class DiskFileStoreTest extends FileStoreContractTest {
    @TempDir
    Path dir;

    @Override
    FileStore store() {
      return DiskFileStore.open(dir);
    }

    @Test
    void recordsAndUnfinishedUploadsSurviveAReopenAndContentIsKeptOnce() throws Exception {
      DiskFileStore s = DiskFileStore.open(dir);
      FileRecord done = upload("eeeeeeeeeeeeeeeeeeeeee", HELLO, "dev", 1);
      s.begin(done);
      s.write(done.id(), 0, HELLO);
      s.complete(done.id());
      FileRecord same = upload("ffffffffffffffffffffff", HELLO, "dev", 2);
      s.begin(same);
      s.write(same.id(), 0, HELLO);
      s.complete(same.id());
      FileRecord half = upload("gggggggggggggggggggggg", HELLO, "dev", 3);
      s.begin(half);
      s.write(half.id(), 0, java.util.Arrays.copyOf(HELLO, 4));

      DiskFileStore again = DiskFileStore.open(dir);
      assertThat(again.find(done.id())).hasValueSatisfying(r -> assertThat(r.complete()).isTrue());
      assertThat(again.read(done.id(), 0, 100)).isEqualTo(HELLO);
      assertThat(again.received(half.id())).isEqualTo(4);
      again.write(half.id(), 4, java.util.Arrays.copyOfRange(HELLO, 4, HELLO.length));
      assertThat(again.complete(half.id()).complete()).isTrue();
      try (var blobs = Files.walk(dir.resolve("blobs"))) {
        assertThat(blobs.filter(Files::isRegularFile).count()).as("one copy of the bytes")
            .isEqualTo(1);
      }
      assertThat(again.path(done.id())).exists();
    }

    @Test
    void idsThatAreNotIdsNeverReachTheFileSystem() {
      DiskFileStore s = DiskFileStore.open(dir);
      assertThatThrownBy(() -> s.begin(new FileRecord("../../etc/passwd", "x", 1, "text/plain",
          "0".repeat(64), "dev", "a", null, null, null, 1, false)))
          .isInstanceOf(java.io.IOException.class);
      assertThat(s.find("../x")).isEmpty();
    }
  }

  /**
   * On PostgreSQL ({@link PostgresStoreTest#URL}), in a schema of its own dropped afterwards.
   * Skipped, with the reason, when no PostgreSQL answers (CI runs one).
   */
  static final class PgFileStoreContractTest extends FileStoreContractTest {
    private final PgFileStoreTest.Schema schema = new PgFileStoreTest.Schema();

    @org.junit.jupiter.api.BeforeEach
    void reachable() {
      schema.require("PgFileStoreContractTest");
    }

    @org.junit.jupiter.api.AfterEach
    void drop() throws Exception {
      schema.close();
    }

    @Override
    FileStore store() {
      return schema.open();
    }
  }
}
