package chat.cli.term;

import static org.assertj.core.api.Assertions.assertThat;

import chat.cli.term.UnreadCounts.Count;
import org.junit.jupiter.api.Test;

class UnreadCountsTest {

  private final UnreadCounts counts = new UnreadCounts();

  @Test
  void theServersCountPlusLiveMessagesOfOthersAfterIt() {
    counts.counted("Dev", 10, 20, new Count(4, 1, false));
    counts.seen("dev", 15, false, false, true); // replayed: in the server's count already
    counts.seen("dev", 21, true, false, false);
    counts.seen("dev", 22, true, true, false); // one's own
    counts.seen("dev", 23, true, false, true);
    assertThat(counts.count("DEV")).isEqualTo(new Count(6, 2, false));
    assertThat(counts.newest("dev")).isEqualTo(23);
  }

  @Test
  void aMarkerPastTheServersCountLeavesOnlyWhatCameAfterIt() {
    counts.counted("dev", 10, 20, new Count(4, 1, true));
    counts.seen("dev", 21, true, false, false);
    counts.seen("dev", 22, true, false, true);
    assertThat(counts.marked("dev", 21)).isFalse();
    assertThat(counts.count("dev")).isEqualTo(new Count(1, 1, false));
    assertThat(counts.marked("dev", 19)).as("markers do not move back").isFalse();
    assertThat(counts.marker("dev")).isEqualTo(21);
  }

  @Test
  void aMarkerInsideTheServersCountAsksForANewCount() {
    counts.counted("dev", 10, 20, new Count(4, 0, false));
    assertThat(counts.marked("dev", 15)).isTrue();
    counts.counted("dev", 15, 20, new Count(2, 0, false));
    assertThat(counts.count("dev").unread()).isEqualTo(2);
  }

  @Test
  void aGuestCountsLiveMessagesUntilItLooksAtTheRoom() {
    counts.seen("dev", 1, false, false, false);
    counts.seen("dev", 2, true, false, false);
    counts.seen("dev", 3, true, false, true);
    assertThat(counts.count("dev")).isEqualTo(new Count(2, 1, false));
    counts.read("dev");
    assertThat(counts.count("dev")).isEqualTo(Count.NONE);
    assertThat(counts.marker("dev")).isEqualTo(3);
    assertThat(counts.count("elsewhere")).isEqualTo(Count.NONE);
  }
}
