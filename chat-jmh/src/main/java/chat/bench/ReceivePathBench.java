package chat.bench;

import chat.protocol.Frame;
import chat.protocol.FrameDecoder;
import chat.protocol.FrameEncoder;
import chat.protocol.Json;
import chat.protocol.Keys;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import tools.jackson.databind.node.ObjectNode;

/**
 * The load generator's receive path per delivery, on a batch of 100 room messages as the server
 * writes them: the lean reader (header scan, payload read, order checks and latency record) and
 * the client library's path (frame decoder building a JSON tree, then the same checks).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class ReceivePathBench {

  private static final int BATCH = 100;

  private ByteBuf batch;
  private EmbeddedChannel lean;
  private EmbeddedChannel tree;
  private LoadBench.Member leanMember;
  private LoadBench.Member treeMember;

  @Setup
  public void setUp() {
    batch = PooledByteBufAllocator.DEFAULT.directBuffer();
    for (int i = 0; i < BATCH; i++) {
      ObjectNode h = Json.header("message");
      h.put(Keys.ROOM, "bench-1a2b-0");
      h.put(Keys.MSGID, "m1a2b3c4d5e6");
      h.put(Keys.SEQ, i + 1);
      h.put(Keys.TS, 1763721047000L);
      h.put(Keys.FROM, "Guest_123");
      h.put(Keys.KIND, "text");
      h.put(Keys.CONTENT_TYPE, "text/plain; charset=utf-8");
      FrameEncoder.write(batch, h, Payload.text(0, i, System.nanoTime(), 100)
          .getBytes(StandardCharsets.US_ASCII));
    }
    LoadBench.Phase phase = new LoadBench.Phase();
    leanMember = member(phase);
    treeMember = member(phase);
    lean = new EmbeddedChannel(new LeanMessageReader(leanMember));
    LoadBench.Member m = treeMember;
    tree = new EmbeddedChannel(new FrameDecoder(), new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Frame f = (Frame) msg;
        ByteBuf content = Unpooled.wrappedBuffer(f.content());
        m.onDelivery(f.number(Keys.SEQ, -1), content, 0, content.readableBytes());
      }
    });
  }

  private static LoadBench.Member member(LoadBench.Phase phase) {
    LoadBench.Member member = new LoadBench.Member(0, 1, new int[] {0}, new int[] {0});
    member.stats = new LoadBench.LoopStats(phase);
    return member;
  }

  /** Each batch repeats seq and counters; the checks then count it as out of order, which costs
   * the same as in order. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long leanReader() {
    lean.writeInbound(batch.retainedDuplicate());
    return leanMember.received;
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long clientLibraryTree() {
    tree.writeInbound(batch.retainedDuplicate());
    return treeMember.received;
  }

  @TearDown
  public void tearDown() {
    batch.release();
    lean.finishAndReleaseAll();
    tree.finishAndReleaseAll();
  }
}
