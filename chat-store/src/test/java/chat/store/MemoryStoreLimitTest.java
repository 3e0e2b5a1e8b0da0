package chat.store;

import static org.assertj.core.api.Assertions.assertThat;

import chat.core.MessageKind;
import chat.core.store.MemoryStore;
import chat.core.store.StoredMessage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The memory store keeps each room's newest entries only, and finds history by seq. */
class MemoryStoreLimitTest {

  private static StoredMessage message(long seq) {
    return new StoredMessage("m" + seq, "lobby", seq, 1_700_000_000_000L + seq, "alice",
        "alice", null, null, MessageKind.TEXT, "text " + seq);
  }

  @Test
  void aRoomKeepsItsNewestEntriesAndItsSequenceGoesOn() {
    MemoryStore store = new MemoryStore(100);
    for (long seq = 1; seq <= 1000; seq++) {
      store.append(message(seq), failure -> { });
    }
    assertThat(store.lastSeq("lobby")).isEqualTo(1000);
    List<StoredMessage> all = store.roomHistory("lobby", Long.MAX_VALUE, 1000);
    assertThat(all.size()).isBetween(90, 100);
    assertThat(all.getLast().seq()).isEqualTo(1000);
    assertThat(all).extracting(StoredMessage::seq).isSorted();
    assertThat(store.roomHistory("lobby", 991, 5)).extracting(StoredMessage::seq)
        .containsExactly(986L, 987L, 988L, 989L, 990L);
    assertThat(store.roomHistory("lobby", 500, 5)).isEmpty(); // forgotten
  }
}
