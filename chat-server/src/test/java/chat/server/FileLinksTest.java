package chat.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileLinksTest {

  @TempDir
  Path temp;

  private static String query(String path, String key) {
    for (String part : path.substring(path.indexOf('?') + 1).split("&")) {
      if (part.startsWith(key + "=")) {
        return part.substring(key.length() + 1);
      }
    }
    return null;
  }

  @Test
  void aPersistentKeyIsMadeOnceOwnerOnlyAndSignsTheSameLinksAfterARestart() throws Exception {
    Path key = temp.resolve("files/link.key");
    Clock clock = Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC);
    FileLinks first = FileLinks.persistent(key, clock);
    String path = first.path("abc", "a b.txt");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
        .isEqualTo("rw-------");

    FileLinks again = FileLinks.persistent(key, clock);

    assertThat(again.path("abc", "a b.txt")).isEqualTo(path);
    assertThat(again.verify("abc", query(path, "e"), query(path, "s")))
        .isEqualTo(FileLinks.Verdict.VALID);
    assertThat(FileLinks.ephemeral(clock).verify("abc", query(path, "e"), query(path, "s")))
        .isEqualTo(FileLinks.Verdict.BAD);
  }

  @Test
  void onlyASignatureOfOursCanExpireEverythingElseIsBad() {
    byte[] key = new byte[32];
    Instant now = Instant.parse("2026-12-01T10:00:00Z");
    FileLinks links = new FileLinks(key, Clock.fixed(now, ZoneOffset.UTC), Duration.ofHours(1));
    FileLinks.Link link = links.link("abc", "x.png");
    String e = query(link.path(), "e");
    String s = query(link.path(), "s");
    assertThat(link.expiresMillis()).isEqualTo(now.plusSeconds(3600).toEpochMilli());
    assertThat(link.path()).startsWith("/files/abc/x.png?e=");

    FileLinks later = new FileLinks(key, Clock.fixed(now.plusSeconds(3601), ZoneOffset.UTC),
        Duration.ofHours(1));
    assertThat(later.verify("abc", e, s)).isEqualTo(FileLinks.Verdict.EXPIRED);
    assertThat(later.verify("abd", e, s)).isEqualTo(FileLinks.Verdict.BAD);
    assertThat(later.verify("abc", e, "x" + s.substring(1))).isEqualTo(FileLinks.Verdict.BAD);
    assertThat(links.verify("abc", String.valueOf(Long.parseLong(e) + 1), s))
        .isEqualTo(FileLinks.Verdict.BAD);
    assertThat(links.verify("abc", "soon", s)).isEqualTo(FileLinks.Verdict.BAD);
    assertThat(links.verify("abc", e, null)).isEqualTo(FileLinks.Verdict.BAD);
    assertThat(links.valid("abc", e, s)).isTrue();
  }
}
