package chat.server;

import static org.assertj.core.api.Assertions.assertThat;

import chat.core.Backlog;
import chat.core.SlowReaderLimits;
import chat.protocol.Frame;
import chat.protocol.FrameDecoder;
import chat.protocol.FrameEncoder;
import chat.protocol.FrameLimits;
import chat.protocol.Json;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The outbox with shared encodings: runs of buffers joined into one write on a byte stream, one
 * message each otherwise, and a member that is behind drops (and releases) its duplicates while
 * replies still go out; every reference is given back.
 */
class OutboxTest {

  private static final SlowReaderLimits LIMITS =
      new SlowReaderLimits(2048, 1024 * 1024, Duration.ofSeconds(30));

  /** A frame of about {@code size} bytes, encoded as the door shares it (one reference). */
  private static ByteBuf encoded(int seq, int size) {
    return FrameEncoder.encode(PooledByteBufAllocator.DEFAULT,
        Json.header("message").put("room", "r").put("seq", seq),
        "x".repeat(size).getBytes(StandardCharsets.UTF_8));
  }

  private static List<Frame> decode(EmbeddedChannel channel) {
    EmbeddedChannel reader = new EmbeddedChannel(new FrameDecoder(FrameLimits.DEFAULT));
    Object out;
    while ((out = channel.readOutbound()) != null) {
      if (out instanceof Frame frame) {
        ByteBuf bytes = FrameEncoder.encode(PooledByteBufAllocator.DEFAULT, frame.header(),
            frame.content());
        reader.writeInbound(bytes);
      } else {
        reader.writeInbound(out);
      }
    }
    List<Frame> frames = new ArrayList<>();
    Object frame;
    while ((frame = reader.readInbound()) != null) {
      frames.add((Frame) frame);
    }
    reader.finishAndReleaseAll();
    return frames;
  }

  @Test
  void aDrainJoinsRunsOfBuffersIntoOneWriteAndReleasesEachDuplicate() {
    EmbeddedChannel channel = new EmbeddedChannel();
    Outbox outbox = new Outbox(channel, true,
        new Backlog(SlowReaderLimits.DEFAULT, Clock.systemUTC()), null, reason -> { });
    ByteBuf shared = encoded(1, 100);
    outbox.offerEncoded(shared.retainedDuplicate(), true, true);
    outbox.offerEncoded(shared.retainedDuplicate(), true, true);
    outbox.offer(Frame.of(Json.header("pong").put("id", "p")));
    outbox.offerEncoded(encoded(2, 100), true, true);
    assertThat(outbox.pendingBytes()).isGreaterThan(3L * shared.readableBytes());
    channel.runPendingTasks();

    // The two duplicates in one buffer, then the frame, then the last buffer as it is.
    List<Object> written = new ArrayList<>(channel.outboundMessages());
    assertThat(written).hasSize(3);
    assertThat(((ByteBuf) written.get(0)).readableBytes()).isEqualTo(2 * shared.readableBytes());
    assertThat(written.get(1)).isInstanceOf(Frame.class);
    assertThat(shared.refCnt()).isEqualTo(1); // the duplicates were copied and released
    assertThat(decode(channel)).extracting(f -> f.type() + (f.id() == null ? "" : " " + f.id())
        + " " + f.number("seq", 0)).containsExactly("message 1", "message 1", "pong p 0",
        "message 2");
    assertThat(outbox.pendingBytes()).isZero();
    shared.release();
    assertThat(channel.finishAndReleaseAll()).isFalse();
  }

  @Test
  void aDrainUnlinksTheNodesItTookSoAnOldOneKeepsNoYoungOnesAlive() throws Exception {
    EmbeddedChannel channel = new EmbeddedChannel();
    Outbox outbox = new Outbox(channel, true,
        new Backlog(SlowReaderLimits.DEFAULT, Clock.systemUTC()), null, reason -> { });
    java.lang.reflect.Field head = Outbox.class.getDeclaredField("head");
    head.setAccessible(true);
    Object stub = head.get(outbox);
    java.lang.reflect.Field next = stub.getClass().getDeclaredField("next");
    next.setAccessible(true);
    outbox.offer(Frame.of(Json.header("pong").put("id", "1")));
    outbox.offer(Frame.of(Json.header("pong").put("id", "2")));
    assertThat(next.get(stub)).isNotNull();
    channel.runPendingTasks();
    Object last = head.get(outbox);
    assertThat(last).isNotSameAs(stub);
    assertThat(next.get(stub)).isNull(); // taken: linked to nothing
    assertThat(decode(channel)).extracting(Frame::id).containsExactly("1", "2");
    assertThat(channel.finishAndReleaseAll()).isFalse();
  }

  @Test
  void withoutBatchingEveryBufferIsAMessageOfItsOwn() {
    EmbeddedChannel channel = new EmbeddedChannel();
    Outbox outbox = new Outbox(channel, false,
        new Backlog(SlowReaderLimits.DEFAULT, Clock.systemUTC()), null, reason -> { });
    ByteBuf shared = encoded(1, 100);
    outbox.offerEncoded(shared.retainedDuplicate(), true, true);
    outbox.offerEncoded(shared.retainedDuplicate(), true, true);
    channel.runPendingTasks();
    assertThat(channel.outboundMessages()).hasSize(2).allSatisfy(m ->
        assertThat(((ByteBuf) m).readableBytes()).isEqualTo(shared.readableBytes()));
    assertThat(decode(channel)).hasSize(2);
    assertThat(shared.refCnt()).isEqualTo(1);
    shared.release();
    assertThat(channel.finishAndReleaseAll()).isFalse();
  }

  @Test
  void aMemberBehindDropsItsDuplicatesOnlyAndCountsThemWhileRepliesGoOut() {
    EmbeddedChannel channel = new EmbeddedChannel();
    Backlog backlog = new Backlog(LIMITS, Clock.systemUTC());
    Outbox outbox = new Outbox(channel, true, backlog, null, reason -> { });
    ByteBuf shared = encoded(1, 1500); // the first fits under the mark, the next ones do not
    for (int i = 0; i < 4; i++) {
      outbox.offerEncoded(shared.retainedDuplicate(), true, true);
    }
    outbox.offerEncoded(shared.retainedDuplicate(), false, false); // the sender's confirmation
    outbox.offer(Frame.of(Json.header("ok").put("id", "7")));
    assertThat(outbox.dropped()).isEqualTo(3);
    assertThat(shared.refCnt()).isEqualTo(1 + 2); // ours and the two still queued
    channel.runPendingTasks();
    assertThat(decode(channel)).extracting(Frame::type)
        .containsExactly("message", "message", "ok");
    assertThat(shared.refCnt()).isEqualTo(1);

    // Read: the next offer finds it caught up and tells it what it missed first.
    outbox.offerEncoded(encoded(2, 100), true, true);
    channel.runPendingTasks();
    List<Frame> after = decode(channel);
    assertThat(after).extracting(Frame::type).containsExactly("notice", "message");
    assertThat(after.get(0).contentAsText()).startsWith("3 messages were not sent to you");
    assertThat(shared.release()).isTrue(); // nothing else holds it
    assertThat(channel.finishAndReleaseAll()).isFalse();
  }

  @Test
  void whatIsOfferedAfterTheChannelClosedIsReleased() {
    EmbeddedChannel channel = new EmbeddedChannel();
    Outbox outbox = new Outbox(channel, true,
        new Backlog(SlowReaderLimits.DEFAULT, Clock.systemUTC()), null, reason -> { });
    ByteBuf shared = encoded(1, 100);
    channel.close();
    outbox.offerEncoded(shared.retainedDuplicate(), true, true);
    outbox.offerEncoded(shared.retainedDuplicate(), true, true);
    channel.runPendingTasks();
    assertThat(shared.refCnt()).isEqualTo(1);
    assertThat(outbox.pendingBytes()).isZero();
    shared.release();
    channel.finishAndReleaseAll();
  }
}
