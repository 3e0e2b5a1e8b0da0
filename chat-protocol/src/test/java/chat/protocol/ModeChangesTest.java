package chat.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chat.protocol.ModeChanges.Change;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModeChangesTest {

  @Test
  void argumentsGoToTheLettersThatTakeThemInOrder() {
    assertThat(ModeChanges.parse("+ik-m+l", List.of("secret", "50"))).containsExactly(
        new Change("+i", null), new Change("+k", "secret"), new Change("-m", null),
        new Change("+l", "50"));
    assertThat(ModeChanges.parse("-k", List.of())).containsExactly(new Change("-k", null));
    assertThat(ModeChanges.parse("+ov", List.of("alice", "bob"))).containsExactly(
        new Change("+o", "alice"), new Change("+v", "bob"));
    assertThat(ModeChanges.parse("-bI", List.of("account:x", "y"))).containsExactly(
        new Change("-b", "account:x"), new Change("-I", "y"));
  }

  @Test
  void mistakesAreNamed() {
    assertThatThrownBy(() -> ModeChanges.parse("i", List.of())).hasMessageContaining("start with");
    assertThatThrownBy(() -> ModeChanges.parse("+x", List.of())).hasMessageContaining("unknown mode x");
    assertThatThrownBy(() -> ModeChanges.parse("+k", List.of())).hasMessage("+k needs an argument");
    assertThatThrownBy(() -> ModeChanges.parse("+i", List.of("extra"))).hasMessageContaining("too many");
    assertThatThrownBy(() -> ModeChanges.parse("+-", List.of())).hasMessageContaining("no mode letter");
  }

  @Test
  void roundTripThroughAFrame() {
    var header = Json.header(Types.MODE);
    header.set(Keys.CHANGES, ModeChanges.toJson(List.of(new Change("+k", "s"), new Change("-m", null))));
    assertThat(header.toString()).isEqualTo(
        "{\"type\":\"mode\",\"changes\":[{\"mode\":\"+k\",\"arg\":\"s\"},{\"mode\":\"-m\"}]}");
    assertThat(ModeChanges.of(Frame.of(header))).containsExactly(
        new Change("+k", "s"), new Change("-m", null));
  }
}
