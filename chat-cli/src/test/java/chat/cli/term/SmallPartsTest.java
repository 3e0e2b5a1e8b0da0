package chat.cli.term;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SmallPartsTest {

  @Test
  void backoffDoublesUpToTheCap() {
    Backoff backoff = Backoff.DEFAULT;
    assertThat(List.of(1, 2, 3, 4, 5, 6, 7, 14).stream().map(backoff::delay)
        .map(Backoff::show).toList())
        .containsExactly("1s", "2s", "4s", "8s", "16s", "30s", "30s", "30s");
    assertThat(Backoff.show(Duration.ofMillis(250))).isEqualTo("250ms");
  }

  @Test
  void completionOffersCommandsRoomsAndNicks() {
    List<String> nicks = List.of("alice", "Albert", "bob");
    List<String> rooms = List.of("lobby", "rust");
    assertThat(Completions.candidates(List.of("/j"), 0, nicks, rooms)).containsExactly("/join");
    assertThat(Completions.candidates(List.of("/"), 0, nicks, rooms))
        .containsExactlyElementsOf(CommandParser.COMMANDS);
    assertThat(Completions.candidates(List.of("/leave", "#r"), 1, nicks, rooms))
        .containsExactly("#rust");
    assertThat(Completions.candidates(List.of("/who", ""), 1, nicks, rooms))
        .containsExactly("lobby", "rust");
    assertThat(Completions.candidates(List.of("/msg", "al"), 1, nicks, rooms))
        .containsExactly("alice", "Albert");
    assertThat(Completions.candidates(List.of("hi", "B"), 1, nicks, rooms))
        .containsExactly("bob");
    assertThat(Completions.candidates(List.of("al"), 0, nicks, rooms))
        .containsExactly("alice", "Albert");
  }

  @Test
  void membersFollowEvents() {
    Members members = new Members();
    members.set("#Lobby", List.of("alice", "bob"));
    members.joined("rust", "carol");
    members.joined("lobby", "dave");
    assertThat(members.nicks()).containsExactly("alice", "bob", "carol", "dave");
    members.renamed("bob", "bobby");
    members.left("lobby", "alice");
    members.quit("carol");
    assertThat(members.nicks()).containsExactly("bobby", "dave");
    assertThat(members.of("LOBBY")).containsExactly("bobby", "dave");
    members.forget("lobby");
    assertThat(members.nicks()).isEmpty();
  }
}
