package chat.store;

import static org.assertj.core.api.Assertions.assertThat;

import chat.core.MessageKind;
import chat.core.store.StoredMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The store contract for entries the store numbers (what several servers sharing one store
 * need: one place decides a room's order). Mixed into {@link StoreContractTest}.
 */
interface NumberedAppendContract {

  AtomicLong NUMBERED_IDS = new AtomicLong();

  Store store();

  void appendAll(List<StoredMessage> messages) throws Exception;

  static StoredMessage unnumbered(String room, String text) {
    return new StoredMessage("n" + NUMBERED_IDS.incrementAndGet(), room, 0, 1_750_000_000_000L,
        "Alice", "Alice", null, null, MessageKind.TEXT, text);
  }

  static long numbered(Store store, StoredMessage m) throws Exception {
    CompletableFuture<Long> seq = new CompletableFuture<>();
    store.appendNumbered(m, (n, failure) -> {
      if (failure != null) {
        seq.completeExceptionally(failure);
      } else {
        seq.complete(n);
      }
    });
    return seq.get(20, TimeUnit.SECONDS);
  }

  @Test
  default void numberedEntriesTakeTheRoomsNextSeqAfterItsLog() throws Exception {
    appendAll(List.of(StoreContractTest.roomMessage("dev", 1, "one"),
        StoreContractTest.roomMessage("dev", 2, "two")));
    assertThat(numbered(store(), unnumbered("dev", "three"))).isEqualTo(3);
    assertThat(numbered(store(), unnumbered("Dev", "four"))).as("room keys fold").isEqualTo(4);
    assertThat(numbered(store(), unnumbered("ops", "first in ops"))).isEqualTo(1);
    assertThat(store().lastSeq("dev")).isEqualTo(4);
    List<String> texts = new ArrayList<>();
    for (StoredMessage m : store().roomHistory("dev", Long.MAX_VALUE, 10)) {
      texts.add(m.seq() + " " + m.text());
    }
    assertThat(texts).containsExactly("1 one", "2 two", "3 three", "4 four");
  }
}
