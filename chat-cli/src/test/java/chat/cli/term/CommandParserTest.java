package chat.cli.term;

import static org.assertj.core.api.Assertions.assertThat;

import chat.protocol.ModeChanges.Change;
import java.util.List;
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
    assertThat(parse("/join")).isEqualTo(new Input.Invalid("usage: /join ROOM [KEY]"));
    assertThat(parse("/join #")).isEqualTo(new Input.Invalid("usage: /join ROOM [KEY]"));
    assertThat(parse("/join a b c")).isEqualTo(new Input.Invalid("usage: /join ROOM [KEY]"));
    assertThat(parse("/msg bob")).isEqualTo(new Input.Invalid("usage: /msg NICK TEXT"));
    assertThat(parse("/msg bob   ")).isEqualTo(new Input.Invalid("usage: /msg NICK TEXT"));
    assertThat(parse("/me")).isEqualTo(new Input.Invalid("usage: /me TEXT"));
    assertThat(parse("/rooms extra")).isEqualTo(new Input.Invalid("usage: /rooms"));
    assertThat(parse("/who a b")).isEqualTo(new Input.Invalid("usage: /who [ROOM]"));
  }

  @Test
  void accountAndHistoryCommands() {
    assertThat(parse("/register")).isEqualTo(new Input.Register());
    assertThat(parse("/login")).isEqualTo(new Input.Login(null));
    assertThat(parse("/login carol")).isEqualTo(new Input.Login("carol"));
    assertThat(parse("/passwd")).isEqualTo(new Input.Passwd());
    assertThat(parse("/history")).isEqualTo(new Input.History(null, 0));
    assertThat(parse("/history 20")).isEqualTo(new Input.History(null, 20));
    assertThat(parse("/history bob")).isEqualTo(new Input.History("bob", 0));
    assertThat(parse("/history bob 5")).isEqualTo(new Input.History("bob", 5));
  }

  @Test
  void passwordsAreNeverTakenFromTheCommandLine() {
    assertThat(parse("/register hunter22")).isInstanceOf(Input.Invalid.class);
    assertThat(parse("/login carol hunter22")).isInstanceOf(Input.Invalid.class);
    assertThat(parse("/passwd old new")).isInstanceOf(Input.Invalid.class);
    assertThat(parse("/register hunter22").toString()).doesNotContain("hunter22");
  }

  @Test
  void historyArgumentsAreChecked() {
    for (String bad : List.of("/history 0", "/history 201", "/history 5 bob", "/history a b",
        "/history bob 5 6", "/history 99999999999")) {
      assertThat(parse(bad)).as(bad).isInstanceOf(Input.Invalid.class);
    }
  }

  @Test
  void moderationCommandsActOnTheCurrentRoomOrTheOneNamedFirst() {
    assertThat(parse("/join #dev s3cret")).isEqualTo(new Input.Join("dev", "s3cret"));
    assertThat(parse("/topic")).isEqualTo(new Input.Topic(null, null));
    assertThat(parse("/topic #dev")).isEqualTo(new Input.Topic("dev", null));
    assertThat(parse("/topic release on  friday ")).isEqualTo(
        new Input.Topic(null, "release on  friday"));
    assertThat(parse("/topic #dev -")).isEqualTo(new Input.Topic("dev", ""));
    assertThat(parse("/kick bob")).isEqualTo(new Input.Kick(null, "bob", null));
    assertThat(parse("/kick #dev bob stop the spam")).isEqualTo(
        new Input.Kick("dev", "bob", "stop the spam"));
    assertThat(parse("/ban bob spam")).isEqualTo(new Input.Moderate("ban", null, "bob", "spam"));
    assertThat(parse("/ban #dev account:bob")).isEqualTo(
        new Input.Moderate("ban", "dev", "account:bob", null));
    assertThat(parse("/unban bob")).isEqualTo(new Input.Moderate("unban", null, "bob", null));
    assertThat(parse("/mute bob calm down")).isEqualTo(
        new Input.Moderate("mute", null, "bob", "calm down"));
    assertThat(parse("/unmute #dev bob")).isEqualTo(new Input.Moderate("unmute", "dev", "bob", null));
    assertThat(parse("/op bob")).isEqualTo(new Input.Moderate("op", null, "bob", null));
    assertThat(parse("/deop bob")).isEqualTo(new Input.Moderate("deop", null, "bob", null));
    assertThat(parse("/invite #dev carol")).isEqualTo(
        new Input.Moderate("invite", "dev", "carol", null));
    assertThat(parse("/mode")).isEqualTo(new Input.Mode(null, List.of()));
    assertThat(parse("/mode #dev")).isEqualTo(new Input.Mode("dev", List.of()));
    assertThat(parse("/mode +i")).isEqualTo(new Input.Mode(null, List.of(new Change("+i", null))));
    assertThat(parse("/mode +k secret")).isEqualTo(
        new Input.Mode(null, List.of(new Change("+k", "secret"))));
    assertThat(parse("/mode -k")).isEqualTo(new Input.Mode(null, List.of(new Change("-k", null))));
    assertThat(parse("/mode #dev +ml-t 20")).isEqualTo(new Input.Mode("dev", List.of(
        new Change("+m", null), new Change("+l", "20"), new Change("-t", null))));
    assertThat(parse("/mode +v bob")).isEqualTo(new Input.Mode(null, List.of(new Change("+v", "bob"))));
    assertThat(parse("/kill bob")).isEqualTo(new Input.Kill("bob", null));
    assertThat(parse("/kill bob flooding the server")).isEqualTo(
        new Input.Kill("bob", "flooding the server"));
  }

  @Test
  void moderationCommandsExplainTheirUsage() {
    assertThat(parse("/kick")).isEqualTo(new Input.Invalid("usage: /kick [#ROOM] NICK [REASON]"));
    assertThat(parse("/kick #dev")).isEqualTo(new Input.Invalid("usage: /kick [#ROOM] NICK [REASON]"));
    assertThat(parse("/ban")).isEqualTo(new Input.Invalid("usage: /ban [#ROOM] NICK [REASON]"));
    assertThat(parse("/unban bob extra")).isEqualTo(new Input.Invalid("usage: /unban [#ROOM] NICK"));
    assertThat(parse("/op")).isEqualTo(new Input.Invalid("usage: /op [#ROOM] NICK"));
    assertThat(parse("/invite a b")).isEqualTo(new Input.Invalid("usage: /invite [#ROOM] NICK"));
    assertThat(parse("/kill")).isEqualTo(new Input.Invalid("usage: /kill NICK [REASON]"));
    assertThat(parse("/mode +k")).isEqualTo(new Input.Invalid(
        "+k needs an argument; usage: /mode [#ROOM] [+-MODES [ARGS]]"));
    assertThat(parse("/mode i")).isInstanceOf(Input.Invalid.class);
    assertThat(parse("/mode +z")).isEqualTo(new Input.Invalid(
        "unknown mode z (known: iklmnstovbqI); usage: /mode [#ROOM] [+-MODES [ARGS]]"));
  }

  @Test
  void unknownCommandsAreExplained() {
    assertThat(parse("/dance now")).isEqualTo(new Input.Invalid(
        "unknown command /dance (/help lists the commands, //text sends /text)"));
    assertThat(parse("/")).isEqualTo(
        new Input.Invalid("a command name must follow the / (/help lists the commands)"));
  }

  @Test
  void sendTakesAPathAndOptionallyANickFirst() {
    // One word is a path; ~ stays for the session to expand.
    assertThat(parse("/send report.pdf")).isEqualTo(new Input.Send(null, "report.pdf", null));
    assertThat(parse("/send ~/a.txt")).isEqualTo(new Input.Send(null, "~/a.txt", null));
    assertThat(parse("/send bob")).isEqualTo(new Input.Send(null, "bob", null));
    // A first word that can be a nick names the person; the rest is the path, spaces and all.
    assertThat(parse("/send bob report.pdf")).isEqualTo(
        new Input.Send("bob", "report.pdf", "bob report.pdf"));
    assertThat(parse("/send bob my  report.pdf")).isEqualTo(
        new Input.Send("bob", "my  report.pdf", "bob my  report.pdf"));
    assertThat(parse("/send bob \"my report.pdf\"")).isEqualTo(
        new Input.Send("bob", "my report.pdf", null));
    assertThat(parse("/send bob 'it''s.txt'")).isEqualTo(new Input.Send("bob", "its.txt", null));
    // A first word no nick can be (a dot, a slash, a ~, quotes) makes the whole line one path.
    assertThat(parse("/send my report.pdf")).isEqualTo(
        new Input.Send("my", "report.pdf", "my report.pdf"));
    assertThat(parse("/send notes 2025.txt")).isEqualTo(
        new Input.Send("notes", "2025.txt", "notes 2025.txt"));
    assertThat(parse("/send ~/My Documents/report.pdf")).isEqualTo(
        new Input.Send(null, "~/My Documents/report.pdf", null));
    assertThat(parse("/send q1.report final.pdf")).isEqualTo(
        new Input.Send(null, "q1.report final.pdf", null));
    assertThat(parse("/send \"my report.pdf\"")).isEqualTo(
        new Input.Send(null, "my report.pdf", null));
    assertThat(parse("/send my\\ report.pdf")).isEqualTo(
        new Input.Send(null, "my report.pdf", null));
    assertThat(parse("/send \"a b\" \"c d\"")).isInstanceOf(Input.Invalid.class);
    assertThat(parse("/send")).isEqualTo(new Input.Invalid(
        "usage: /send [NICK] PATH (quote a path with spaces: /send \"my report.pdf\")"));
    assertThat(parse("/send \"unclosed.txt")).isEqualTo(new Input.Invalid(
        "the double quote is not closed; usage: /send [NICK] PATH (quote a path with spaces: "
            + "/send \"my report.pdf\")"));
  }

  @Test
  void getTakesAnIdAndAPlaceAndFilesARoom() {
    assertThat(parse("/get 7f3a3b")).isEqualTo(new Input.Get("7f3a3b", null));
    assertThat(parse("/GET q3Jx0a-_Z9 /tmp/")).isEqualTo(new Input.Get("q3Jx0a-_Z9", "/tmp/"));
    assertThat(parse("/get 7f3a3b ~/My Files/")).isEqualTo(new Input.Get("7f3a3b", "~/My Files/"));
    assertThat(parse("/get 7f3a3b 'new name.pdf'")).isEqualTo(
        new Input.Get("7f3a3b", "new name.pdf"));
    assertThat(parse("/get")).isInstanceOf(Input.Invalid.class);
    assertThat(parse("/get ../etc")).isInstanceOf(Input.Invalid.class);
    assertThat(parse("/get \"7f3a\"")).isInstanceOf(Input.Invalid.class);
    assertThat(parse("/files")).isEqualTo(new Input.Files(null));
    assertThat(parse("/files #dev")).isEqualTo(new Input.Files("dev"));
    assertThat(parse("/files dev more")).isEqualTo(new Input.Invalid("usage: /files [ROOM]"));
  }

  @Test
  void helpListsEveryCommand() {
    for (String command : CommandParser.COMMANDS) {
      assertThat(CommandParser.HELP).anyMatch(line -> line.startsWith(command + " "));
    }
    assertThat(CommandParser.HELP).doesNotHaveDuplicates();
    // chat connect --help shows these lines as they are: longer ones would be wrapped.
    assertThat(CommandParser.HELP).allMatch(line -> line.length() < 80);
  }
}
