package chat.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import tools.jackson.databind.node.ObjectNode;

/**
 * The frame codec on a typical room message (a ~170-byte header, 100 bytes of text): encoding a
 * prepared header, building and encoding one as the server does per delivery, and decoding.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class FrameCodecBench {

  /** 100 bytes of text, like the load generator's messages. */
  private final byte[] content = ("0000000a 00000000000004d2 0000000012345678 "
      + "abcdefghijklmnopqrstuvwxyz".repeat(3)).substring(0, 100).getBytes(StandardCharsets.UTF_8);
  private ObjectNode header;
  private ByteBuf out;
  private ByteBuf encoded;
  private EmbeddedChannel decoder;

  static ObjectNode messageHeader(long seq) {
    ObjectNode h = Json.header(Types.MESSAGE);
    h.put(Keys.ROOM, "lobby");
    h.put(Keys.MSGID, "m1a2b3c4d5e6");
    h.put(Keys.SEQ, seq);
    h.put(Keys.TS, 1763721047000L);
    h.put(Keys.FROM, "Guest_123");
    h.put(Keys.KIND, "text");
    h.put(Keys.CONTENT_TYPE, ContentTypes.TEXT_UTF8);
    return h;
  }

  @Setup
  public void setUp() {
    header = messageHeader(42);
    out = PooledByteBufAllocator.DEFAULT.directBuffer(4096);
    encoded = FrameEncoder.encode(PooledByteBufAllocator.DEFAULT, header, content);
    decoder = new EmbeddedChannel(new FrameDecoder());
  }

  @TearDown
  public void tearDown() {
    out.release();
    encoded.release();
    decoder.finishAndReleaseAll();
  }

  /** Jackson writes a prepared header tree into a pooled buffer. */
  @Benchmark
  public int encode() {
    out.clear();
    FrameEncoder.write(out, header, content);
    return out.writerIndex();
  }

  /** Building the header tree and encoding it: the server's per-delivery work today. */
  @Benchmark
  public int buildAndEncode() {
    out.clear();
    FrameEncoder.write(out, messageHeader(42), content);
    return out.writerIndex();
  }

  /** Decoding one frame into a header tree and content (through an EmbeddedChannel). */
  @Benchmark
  public Object decode() {
    decoder.writeInbound(encoded.retainedDuplicate());
    return decoder.readInbound();
  }
}
