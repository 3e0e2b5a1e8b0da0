package chat.server.irc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chat.core.FileRef;
import chat.core.MessageKind;
import chat.server.FileLinks;
import chat.server.web.WebConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class IrcFilesTest {

  private final String file = new FileRef("q3Jx0aZ8kM2bW1cT5yE9Hg", 2_400_000, "application/pdf",
      "ab".repeat(32), "report 1.pdf").encode();

  @Test
  void aFileIsItsNameSizeTypeAndLinkAndOtherTextStaysAsItIs() {
    FileLinks links = new FileLinks(new byte[32],
        Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC), Duration.ofHours(24));
    IrcFiles files = new IrcFiles(links, "https://chat.example.org/chat");

    assertThat(files.text(MessageKind.FILE, file)).isEqualTo("shared report 1.pdf (2.4 MB, "
        + "application/pdf) https://chat.example.org/chat"
        + links.path("q3Jx0aZ8kM2bW1cT5yE9Hg", "report 1.pdf"));
    assertThat(files.text(MessageKind.TEXT, file)).isEqualTo(file);
    assertThat(files.text(MessageKind.FILE, "not\ta file")).isEqualTo("not\ta file");
    assertThat(IrcFiles.NONE.text(MessageKind.FILE, file))
        .isEqualTo("shared report 1.pdf (2.4 MB, application/pdf)");
  }

  @Test
  void aPublicUrlIsCheckedAndTheDefaultFollowsTheWebDoor() {
    assertThat(WebConfig.publicUrl("https://chat.example.org/")).isEqualTo("https://chat.example.org");
    assertThat(WebConfig.publicUrl("http://10.0.0.5:8080/chat//")).isEqualTo("http://10.0.0.5:8080/chat");
    assertThatThrownBy(() -> WebConfig.publicUrl("ftp://x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> WebConfig.publicUrl("https://x/?a=1")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> WebConfig.publicUrl("chat.example.org")).isInstanceOf(IllegalArgumentException.class);
    assertThat(WebConfig.derivedUrl("127.0.0.1", 8080, false)).isEqualTo("http://127.0.0.1:8080");
    assertThat(WebConfig.derivedUrl("::1", 8443, true)).isEqualTo("https://[::1]:8443");
    assertThat(WebConfig.derivedUrl("0.0.0.0", 8080, true)).startsWith("https://").endsWith(":8080")
        .doesNotContain("0.0.0.0");
  }
}
