package chat.server.irc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IrcMessageTest {

  @Test
  void parsesTagsSourceCommandMiddleAndTrailing() throws Exception {
    IrcMessage m = IrcMessage.parse(
        "@time=2025-01-01T00:00:00.000Z;+draft/reply=ab\\sc\\:d;flag :nick!user@host privmsg #dev :hello  world ");
    assertThat(m.tags()).containsExactly(Map.entry("time", "2025-01-01T00:00:00.000Z"),
        Map.entry("+draft/reply", "ab c;d"), Map.entry("flag", ""));
    assertThat(m.source()).isEqualTo("nick!user@host");
    assertThat(m.command()).isEqualTo("PRIVMSG");
    assertThat(m.params()).containsExactly("#dev", "hello  world ");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "PING                          | PING |",
      "PING x                        | PING | x",
      "PING :                        | PING | ''",
      "PING  a   b  :c d             | PING | a,b,c d",
      "USER bob 0 * :Bob Builder     | USER | bob,0,*,Bob Builder",
      "001 alice :Welcome            | 001  | alice,Welcome",
      "PRIVMSG #a ::-)               | PRIVMSG | #a,:-)",
  })
  void parsesParameters(String line, String command, String params) throws Exception {
    IrcMessage m = IrcMessage.parse(line.strip());
    assertThat(m.command()).isEqualTo(command);
    List<String> expected = params == null ? List.of() : List.of(params.split(",", -1));
    assertThat(m.params()).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "''", "@a=b", ":source", "@a :source", "12", "1234", "PRIV-MSG x", "ÄÖÜ"})
  void refusesLinesThatAreNoCommand(String line) {
    assertThatThrownBy(() -> IrcMessage.parse(line))
        .isInstanceOf(IrcMessage.ParseException.class);
  }

  @Test
  void tagValuesEscapeAndUnescape() {
    String value = "a;b c\\d\re\nf";
    assertThat(IrcMessage.escape(value)).isEqualTo("a\\:b\\sc\\\\d\\re\\nf");
    assertThat(IrcMessage.unescape(IrcMessage.escape(value))).isEqualTo(value);
    // Unknown escapes are the character; a lone trailing backslash is dropped.
    assertThat(IrcMessage.unescape("\\x\\")).isEqualTo("x");
  }

  @Test
  void formatsNumericsAndTextWithTrailingAndTagsEscaped() {
    assertThat(IrcMessage.of("chat.local", "001", "alice", "Welcome").format())
        .isEqualTo(":chat.local 001 alice :Welcome");
    assertThat(IrcMessage.of("chat.local", "366", "alice", "#dev", "End of /NAMES list")
        .format()).isEqualTo(":chat.local 366 alice #dev :End of /NAMES list");
    assertThat(IrcMessage.of("bob!bob@chat", "PRIVMSG", "#dev", "hi").format())
        .isEqualTo(":bob!bob@chat PRIVMSG #dev :hi");
    assertThat(IrcMessage.of("bob!bob@chat", "JOIN", "#dev").format())
        .isEqualTo(":bob!bob@chat JOIN #dev");
    assertThat(IrcMessage.of("bob!bob@chat", "MODE", "#dev", "+o", "alice").format())
        .isEqualTo(":bob!bob@chat MODE #dev +o alice");
    assertThat(IrcMessage.of(null, "CAP", "*", "ACK", "").format()).isEqualTo("CAP * ACK :");
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put("time", "2025-01-01T00:00:00.000Z");
    tags.put("label", "a b;c");
    tags.put("flag", "");
    assertThat(new IrcMessage(tags, null, "PONG", List.of("x")).format())
        .isEqualTo("@time=2025-01-01T00:00:00.000Z;label=a\\sb\\:c;flag PONG x");
  }

  @Test
  void formattingNeverBreaksTheLine() {
    String line = IrcMessage.of("a!a@chat", "PRIVMSG", "#dev", "one\r\ntwo\0three").format();
    assertThat(line).isEqualTo(":a!a@chat PRIVMSG #dev :one  twothree");
    // A middle parameter that cannot be sent becomes "*".
    assertThat(IrcMessage.of(null, "KICK", "#dev", "bad nick", ":x", "why").format())
        .isEqualTo("KICK #dev * * :why");
    // The body stays within 510 bytes: the last parameter is cut, never a character split.
    String text = "é".repeat(400);
    String cut = IrcMessage.of("a!a@chat", "PRIVMSG", "#dev", text).format();
    assertThat(cut.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(510);
    assertThat(cut).endsWith("é");
  }

  @Test
  void formatThenParseGivesTheMessageBack() throws Exception {
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put("msgid", "abc.1");
    tags.put("+x", "v; \\");
    IrcMessage m = new IrcMessage(tags, "chat.local", "353",
        List.of("alice", "=", "#dev", "@alice +bob carol"));
    assertThat(IrcMessage.parse(m.format())).isEqualTo(m);
  }
}
