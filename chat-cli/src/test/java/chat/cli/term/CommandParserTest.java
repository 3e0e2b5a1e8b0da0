package chat.cli.term;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CommandParserTest {

  private static Input parse(String line) {
    return CommandParser.parse(line);
  }

  @Test
  void textGoesToTheRoom() {
    assertThat(parse("hello there")).isEqualTo(new Input.Say("hello there"));
    assertThat(parse("  indented")).isEqualTo(new Input.Say("  indented"));
    assertThat(parse("don't \"quote\" me\r\n")).isEqualTo(new Input.Say("don't \"quote\" me"));
    assertThat(parse("//etc/passwd")).isEqualTo(new Input.Say("/etc/passwd"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "\r\n", "\t"})
  void blankLinesAreNothing(String line) {
    assertThat(parse(line)).isEqualTo(new Input.Empty());
  }

  @Test
  void commands() {
    assertThat(parse("/help")).isEqualTo(new Input.Help());
    assertThat(parse("/nick alice2")).isEqualTo(new Input.Nick("alice2"));
    assertThat(parse("/join #rust")).isEqualTo(new Input.Join("rust"));
    assertThat(parse("/JOIN rust ")).isEqualTo(new Input.Join("rust"));
    assertThat(parse("/leave")).isEqualTo(new Input.Leave(null, null));
    assertThat(parse("/leave #rust")).isEqualTo(new Input.Leave("rust", null));
    assertThat(parse("/leave rust time for dinner"))
        .isEqualTo(new Input.Leave("rust", "time for dinner"));
    assertThat(parse("/part rust")).isEqualTo(new Input.Leave("rust", null));
    assertThat(parse("/rooms")).isEqualTo(new Input.Rooms());
    assertThat(parse("/who")).isEqualTo(new Input.Who(null));
    assertThat(parse("/who #lobby")).isEqualTo(new Input.Who("lobby"));
    assertThat(parse("/msg bob hi  there ")).isEqualTo(new Input.Msg("bob", "hi  there"));
    assertThat(parse("/me waves at everyone")).isEqualTo(new Input.Me("waves at everyone"));
    assertThat(parse("/quit")).isEqualTo(new Input.Quit(null));
    assertThat(parse("/quit see you tomorrow")).isEqualTo(new Input.Quit("see you tomorrow"));
    assertThat(parse("/exit")).isEqualTo(new Input.Quit(null));
  }

  @Test
  void missingArgumentsGiveTheUsage() {
    assertThat(parse("/nick")).isEqualTo(new Input.Invalid("usage: /nick NEWNICK"));
    assertThat(parse("/nick two words")).isEqualTo(new Input.Invalid("usage: /nick NEWNICK"));
    assertThat(parse("/join")).isEqualTo(new Input.Invalid("usage: /join ROOM"));
    assertThat(parse("/join #")).isEqualTo(new Input.Invalid("usage: /join ROOM"));
    assertThat(parse("/msg bob")).isEqualTo(new Input.Invalid("usage: /msg NICK TEXT"));
    assertThat(parse("/msg bob   ")).isEqualTo(new Input.Invalid("usage: /msg NICK TEXT"));
    assertThat(parse("/me")).isEqualTo(new Input.Invalid("usage: /me TEXT"));
    assertThat(parse("/rooms extra")).isEqualTo(new Input.Invalid("usage: /rooms"));
    assertThat(parse("/who a b")).isEqualTo(new Input.Invalid("usage: /who [ROOM]"));
  }

  @Test
  void unknownCommandsAreExplained() {
    assertThat(parse("/dance now")).isEqualTo(new Input.Invalid(
        "unknown command /dance (/help lists the commands, //text sends /text)"));
    assertThat(parse("/")).isEqualTo(
        new Input.Invalid("a command name must follow the / (/help lists the commands)"));
  }

  @Test
  void helpListsEveryCommand() {
    for (String command : CommandParser.COMMANDS) {
      assertThat(CommandParser.HELP).anyMatch(line -> line.startsWith(command + " "));
    }
  }
}
