package chat.server.irc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TextAndMasksTest {

  @Test
  void longTextSplitsAtSpacesAndLineBreaksWithinTheBudget() {
    String text = "word ".repeat(100) + "\nsecond line\r\n\r\nthird";
    List<String> pieces = Text.split(text, 100);
    assertThat(pieces).allSatisfy(p ->
        assertThat(p.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(100));
    assertThat(pieces).endsWith("second line", "third");
    assertThat(String.join(" ", pieces.subList(0, pieces.size() - 2)).strip())
        .isEqualTo(("word ".repeat(100)).strip());
    // No spaces: cut at character boundaries, never inside one.
    List<String> emoji = Text.split("😀".repeat(60), 50);
    assertThat(emoji).allSatisfy(p -> assertThat(p).matches("(😀)+"));
    assertThat(String.join("", emoji)).isEqualTo("😀".repeat(60));
  }

  @Test
  void ctcpAction() {
    assertThat(Text.ctcpAction("\u0001ACTION waves\u0001")).isEqualTo("waves");
    assertThat(Text.ctcpAction("\u0001ACTION waves")).isEqualTo("waves");
    assertThat(Text.ctcpAction("\u0001ACTION\u0001")).isEqualTo("");
    assertThat(Text.ctcpAction("\u0001VERSION\u0001")).isNull();
    assertThat(Text.ctcpAction("\u0001ACTIONS x\u0001")).isNull();
    assertThat(Text.ctcpAction("hello")).isNull();
    assertThat(Text.action("waves")).isEqualTo("\u0001ACTION waves\u0001");
  }

  @Test
  void serverTime() {
    assertThat(Text.serverTime(1_763_721_045_123L)).isEqualTo("2025-11-21T10:30:45.123Z");
    assertThat(Text.parseServerTime("2025-11-21T10:30:45.123Z")).isEqualTo(1_763_721_045_123L);
    assertThat(Text.parseServerTime("yesterday")).isEqualTo(-1);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', nullValues = "null", value = {
      "bob           | bob",
      "bob!*@*       | nick:bob",
      "bob!~u@h      | nick:bob",
      "*!bob@*       | nick:bob",
      "*!*bob@*      | nick:bob",
      "*!~bob@chat   | nick:bob",
      "$a:carol      | account:carol",
      "account:dave  | account:dave",
      "nick:Guest_1  | nick:Guest_1",
      "*!*@chat      | null",
      "b*b           | null",
      "$a:*          | null",
      "$x:thing      | null",
  })
  void ircMasksToCoreMasks(String irc, String core) {
    assertThat(Masks.toCore(irc)).isEqualTo(core);
  }

  @Test
  void coreMasksToIrc() {
    assertThat(Masks.toIrc("account:carol")).isEqualTo("$a:carol");
    assertThat(Masks.toIrc("nick:Guest_1")).isEqualTo("Guest_1!*@*");
  }
}
