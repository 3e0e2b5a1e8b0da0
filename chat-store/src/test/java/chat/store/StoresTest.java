package chat.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoresTest {

  @Test
  void memoryNeedsNoDirectory() {
    try (Store s = Stores.open("memory", null)) {
      assertThat(s).hasToString("memory");
      assertThat(s.lastSeq("lobby")).isZero();
    }
  }

  @Test
  void sqliteIsTheDefault(@TempDir Path dir) {
    try (Store s = Stores.open(null, dir)) {
      assertThat(s).isInstanceOf(JdbcStore.class);
      assertThat(s.toString()).startsWith("sqlite ").endsWith("chat.db");
    }
    assertThat(dir.resolve("chat.db")).isRegularFile();
  }

  @Test
  void anUnknownSpecIsRefusedClearly() {
    assertThatThrownBy(() -> Stores.open("mysql", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown store 'mysql'")
        .hasMessageContaining("sqlite, memory or a jdbc:postgresql: URL");
  }

  @Test
  void anUnreachableDatabaseFailsTheOpen() {
    // Port 1 on loopback: nothing listens, the connection is refused at once.
    assertThatThrownBy(() -> Stores.open(
        "jdbc:postgresql://127.0.0.1:1/test?user=root&connectTimeout=2&password=secret", null))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("cannot open postgresql jdbc:postgresql://127.0.0.1:1/test")
        .message().doesNotContain("secret");
  }

  @Test
  void theSchemaComesFromTheUrl() {
    String key = "currentSchema";
    assertThat(JdbcStore.queryParameter("jdbc:postgresql://h/db?user=u&currentSchema=s1", key))
        .isEqualTo("s1");
    assertThat(JdbcStore.queryParameter("jdbc:postgresql://h/db?currentSchema=a%2Cb", key))
        .isEqualTo("a");
    assertThat(JdbcStore.queryParameter("jdbc:postgresql://h/db", "currentSchema")).isNull();
  }

  @Test
  void pairKeysAreSymmetricAndUnambiguous() {
    assertThat(MessageRows.pairKey("Alice", "bob")).isEqualTo(MessageRows.pairKey("BOB", "alice"));
    assertThat(MessageRows.pairKey("ab", "c")).isNotEqualTo(MessageRows.pairKey("a", "bc"));
  }
}
