package chat.server;

import static org.assertj.core.api.Assertions.assertThat;

import chat.core.Event;
import chat.core.MessageKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** One encoding per event for all members, reference-counted, the requester's copy apart. */
class EncodedEventsTest {

  private static final PooledByteBufAllocator ALLOC = PooledByteBufAllocator.DEFAULT;

  private static Event.RoomMessage message(long seq) {
    return new Event.RoomMessage("dev", "m" + seq, seq, 1000 + seq, "alice", MessageKind.TEXT,
        "hello " + seq);
  }

  /** Runs on a Netty thread, as the fan-out does, and returns what it returned. */
  private static <T> T onNettyThread(java.util.concurrent.Callable<T> work) throws Exception {
    CompletableFuture<T> result = new CompletableFuture<>();
    new DefaultThreadFactory("test-fanout").newThread(() -> {
      try {
        result.complete(work.call());
      } catch (Throwable e) {
        result.completeExceptionally(e);
      }
    }).start();
    return result.get(10, TimeUnit.SECONDS);
  }

  /** The buffer that owns the memory, past duplicates and leak-detection wrappers. */
  private static ByteBuf root(ByteBuf buf) {
    ByteBuf b = buf;
    while (b.unwrap() != null) {
      b = b.unwrap();
    }
    return b;
  }

  private static String text(ByteBuf buf) {
    return buf.toString(StandardCharsets.UTF_8);
  }

  @Test
  void membersShareOneEncodingWhichIsFreedOnceAllAreWrittenAndTheNextEventCame()
      throws Exception {
    Event.RoomMessage first = message(1);
    Event.RoomMessage second = message(2);
    List<ByteBuf> firstCopies = new ArrayList<>();
    ByteBuf[] secondCopy = new ByteBuf[1];
    ByteBuf[] reply = new ByteBuf[1];
    onNettyThread(() -> {
      for (int i = 0; i < 3; i++) {
        firstCopies.add(EncodedEvents.encode(ALLOC, first, null));
      }
      reply[0] = EncodedEvents.encode(ALLOC, first, "7");
      secondCopy[0] = EncodedEvents.encode(ALLOC, second, null);
      return null;
    });

    ByteBuf a = firstCopies.get(0);
    assertThat(firstCopies).allSatisfy(b -> {
      assertThat(ByteBufUtil.equals(b, a)).isTrue();
      assertThat(root(b)).isSameAs(root(a)); // one memory, several duplicates
    });
    assertThat(text(a)).contains("\"seq\":1").contains("hello 1").doesNotContain("\"id\"");
    assertThat(text(reply[0])).contains("\"id\":\"7\"").contains("\"seq\":1");
    assertThat(root(reply[0])).isNotSameAs(root(a));
    // Reading one duplicate (as a channel's write does) leaves the others whole.
    a.skipBytes(a.readableBytes());
    assertThat(firstCopies.get(1).readableBytes()).isEqualTo(firstCopies.get(2).readableBytes())
        .isPositive();
    // The second event replaced the cache, which gave up its reference to the first's buffer.
    ByteBuf shared = root(a);
    assertThat(shared.refCnt()).isEqualTo(3);
    firstCopies.forEach(ByteBuf::release);
    assertThat(shared.refCnt()).isZero();
    assertThat(text(secondCopy[0])).contains("\"seq\":2");
    secondCopy[0].release();
    reply[0].release();
  }

  @Test
  void otherThreadsEncodeEveryTime() {
    Event.RoomMessage m = message(3);
    ByteBuf x = EncodedEvents.encode(ALLOC, m, null);
    ByteBuf y = EncodedEvents.encode(ALLOC, m, null);
    assertThat(ByteBufUtil.equals(x, y)).isTrue();
    assertThat(x.refCnt()).isEqualTo(1);
    assertThat(y.refCnt()).isEqualTo(1);
    x.release();
    y.release();
  }
}
