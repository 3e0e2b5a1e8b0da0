package chat.server.irc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a labeled command's lines are written, without a socket. */
class LabeledResponseTest {

  private static List<String> written(String label, boolean batches, IrcMessage... lines) {
    List<String> out = new ArrayList<>();
    int[] ids = {0};
    LabeledResponse.write(label, List.of(lines), "srv", batches, () -> "b" + (++ids[0]),
        m -> out.add(m.format()));
    return out;
  }

  private static final IrcMessage ONE = IrcMessage.of("srv", "NOTICE", "me", "one");
  private static final IrcMessage TWO = IrcMessage.of("srv", "NOTICE", "me", "two");

  @Test
  void withoutALabelTheLinesGoAsTheyAre() {
    assertThat(written(null, true, ONE, TWO)).containsExactly(ONE.format(), TWO.format());
    assertThat(written(null, true)).isEmpty();
  }

  @Test
  void noLinesIsAnAckAndOneLineCarriesTheLabel() {
    assertThat(written("x1", true)).containsExactly("@label=x1 :srv ACK");
    assertThat(written("x1", true, ONE)).containsExactly("@label=x1 :srv NOTICE me :one");
  }

  @Test
  void severalLinesAreOneBatchOrLabelOnTheFirstWithoutBatch() {
    assertThat(written("x2", true, ONE, TWO)).containsExactly(
        "@label=x2 :srv BATCH +b1 labeled-response",
        "@batch=b1 :srv NOTICE me :one",
        "@batch=b1 :srv NOTICE me :two",
        ":srv BATCH -b1");
    assertThat(written("x2", false, ONE, TWO)).containsExactly(
        "@label=x2 :srv NOTICE me :one", ":srv NOTICE me :two");
  }

  @Test
  void aLineInABatchOfItsOwnKeepsIt() {
    IrcMessage inner = TWO.withTag("batch", "history");
    assertThat(written("x3", true, ONE, inner)).containsSubsequence(
        "@batch=b1 :srv NOTICE me :one", "@batch=history :srv NOTICE me :two");
  }
}
