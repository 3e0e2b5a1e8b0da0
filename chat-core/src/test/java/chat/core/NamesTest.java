package chat.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class NamesTest {

  @ParameterizedTest
  @ValueSource(strings = {"alice", "Bob", "a", "x_y", "[away]", "n1ck", "a-b", "^_^", "abcdefghijklmnopqrstuvwx"})
  void acceptsValidNicks(String nick) {
    assertThat(Names.nickProblem(nick, 24)).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "1abc", "-abc", "has space", "é", "a,b", "#room", "abcdefghijklmnopqrstuvwxy", "a\nb"})
  void rejectsInvalidNicks(String nick) {
    assertThat(Names.nickProblem(nick, 24)).isNotNull();
  }

  @Test
  void nickProblemNamesTheLengthLimit() {
    assertThat(Names.nickProblem("a".repeat(25), 24)).contains("24");
  }

  @Test
  void roomNamesDropOneLeadingHash() {
    assertThat(Names.roomName("#lobby")).isEqualTo("lobby");
    assertThat(Names.roomName("lobby")).isEqualTo("lobby");
    assertThat(Names.roomProblem(Names.roomName("##x"), 48)).isNotNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"lobby", "rust-lang", "v1.2", "A_B"})
  void acceptsValidRooms(String room) {
    assertThat(Names.roomProblem(room, 48)).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "a b", "a/b", "caf\u00e9", "x,y"})
  void rejectsInvalidRooms(String room) {
    assertThat(Names.roomProblem(room, 48)).isNotNull();
  }

  @Test
  void foldingIsAsciiCaseInsensitive() {
    assertThat(Names.fold("AlIcE")).isEqualTo(Names.fold("alice"));
    assertThat(Names.fold("I")).isEqualTo("i"); // not Turkish dotless i, whatever the locale
  }

  @Test
  void utf8LengthMatchesTheEncoder() {
    for (String s : new String[] {"", "abc", "h\u00e9llo", "\u20ac", "\uD83D\uDE00 smile", "\uD800"}) {
      int expected = s.equals("\uD800") ? 3 : s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
      assertThat(Names.utf8Length(s)).as(s).isEqualTo(expected);
    }
  }
}
