package chat.store;

import static org.assertj.core.api.Assertions.assertThat;

import chat.core.MessageKind;
import chat.core.store.StoredMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What the JDBC stores add to the contract: group commit, failure isolation, close. */
abstract class JdbcStoreContractTest extends StoreContractTest {

  JdbcStore jdbc() {
    return (JdbcStore) store;
  }

  /** Appends {@code m} with a future for its callback's argument (null means durable). */
  CompletableFuture<Throwable> append(StoredMessage m) {
    CompletableFuture<Throwable> f = new CompletableFuture<>();
    store.append(m, f::complete);
    return f;
  }

  /**
   * Appends a message whose callback holds the writer until {@link #release} opens, and waits
   * until the writer is in it: everything appended meanwhile waits in the queue.
   */
  CountDownLatch holdWriter() throws Exception {
    CountDownLatch inCallback = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    store.append(roomMessage("Holder", store.lastSeq("holder") + 1, "hold"), error -> {
      inCallback.countDown();
      try {
        release.await(WAIT_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    assertThat(inCallback.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    return release;
  }

  @Test
  void appendsWaitingTogetherAreCommittedInOneTransaction() throws Exception {
    CountDownLatch release = holdWriter();
    JdbcStore.WriterStats before = jdbc().writerStats();
    List<CompletableFuture<Throwable>> results = new ArrayList<>();
    for (StoredMessage m : roomMessages("Lobby", 100)) {
      results.add(append(m));
    }
    release.countDown();
    for (CompletableFuture<Throwable> r : results) {
      assertThat(r.get(WAIT_SECONDS, TimeUnit.SECONDS)).isNull();
    }
    JdbcStore.WriterStats after = jdbc().writerStats();
    assertThat(after.batches() - before.batches()).isEqualTo(1);
    assertThat(after.messages() - before.messages()).isEqualTo(100);
    assertThat(store.lastSeq("lobby")).isEqualTo(100);
  }

  @Test
  void aRefusedMessageFailsAloneAndTheRestOfItsBatchIsStored() throws Exception {
    CountDownLatch release = holdWriter();
    StoredMessage first = roomMessage("Lobby", 1, "one");
    StoredMessage sameSeq = roomMessage("lobby", 1, "a second seq 1 for the room");
    StoredMessage sameId = new StoredMessage(first.msgId(), null, 0, 5, "Bob", "Bob", "Alice",
        "Alice", MessageKind.TEXT, "a reused msgid");
    StoredMessage last = roomMessage("Lobby", 2, "two");
    CompletableFuture<Throwable> r1 = append(first);
    CompletableFuture<Throwable> r2 = append(sameSeq);
    CompletableFuture<Throwable> r3 = append(sameId);
    CompletableFuture<Throwable> r4 = append(last);
    release.countDown();

    assertThat(r1.get(WAIT_SECONDS, TimeUnit.SECONDS)).isNull();
    assertThat(r2.get(WAIT_SECONDS, TimeUnit.SECONDS)).isNotNull();
    assertThat(r3.get(WAIT_SECONDS, TimeUnit.SECONDS)).isNotNull();
    assertThat(r4.get(WAIT_SECONDS, TimeUnit.SECONDS)).isNull();
    assertThat(store.roomHistory("lobby", Long.MAX_VALUE, 10)).containsExactly(first, last);
    assertThat(store.privateHistory("alice", "bob", null, 10)).isEmpty();
  }

  @Test
  void aFailedBatchDoesNotStopTheWriter() throws Exception {
    StoredMessage noText = new StoredMessage(newId(), "Lobby", 1, 1, "Alice", null, null, null,
        MessageKind.TEXT, null);
    assertThat(append(noText).get(WAIT_SECONDS, TimeUnit.SECONDS)).isNotNull();
    StoredMessage ok = roomMessage("Lobby", 1, "fine");
    assertThat(append(ok).get(WAIT_SECONDS, TimeUnit.SECONDS)).isNull();
    assertThat(store.roomHistory("lobby", Long.MAX_VALUE, 10)).containsExactly(ok);
  }

  @Test
  void appendsAfterCloseFailAtOnce() throws Exception {
    store.close();
    CompletableFuture<Throwable> late = append(roomMessage("Lobby", 1, "too late"));
    assertThat(late).isDone();
    assertThat(late.get()).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }
}
