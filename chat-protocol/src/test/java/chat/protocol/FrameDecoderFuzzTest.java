package chat.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * Arbitrary bytes, cut into arbitrary reads, into the frame decoder. Properties: nothing is
 * thrown up the pipeline, every output is a frame within the limits or an error, nothing
 * follows a fatal error, every input buffer is released, and how the bytes are cut into reads
 * never changes what comes out.
 *
 * <p>{@code mvn test} replays the inputs under {@code src/test/resources} (regression); with
 * {@code JAZZER_FUZZ=1} Jazzer fuzzes for the time given (see README).
 */
class FrameDecoderFuzzTest {

  private static final FrameLimits LIMITS = new FrameLimits(512, 1024, 4);

  @FuzzTest(maxDuration = "15s")
  void anyBytesInAnyCutsDecodeTheSameAndWithinLimits(FuzzedDataProvider data) {
    int cuts = data.consumeInt(0, 16);
    int[] sizes = new int[cuts];
    for (int i = 0; i < cuts; i++) {
      sizes[i] = data.consumeInt(1, 64);
    }
    byte[] bytes = data.consumeRemainingAsBytes();

    List<Object> whole = decode(bytes, new int[0]);
    List<Object> cut = decode(bytes, sizes);
    List<Object> byteByByte = bytes.length <= 512 ? decode(bytes, new int[] {1}) : cut;

    assertThat(describe(cut)).isEqualTo(describe(whole));
    assertThat(describe(byteByByte)).isEqualTo(describe(whole));
  }

  /** Decodes {@code bytes} in reads of the given sizes (cycled; none: one read). */
  private static List<Object> decode(byte[] bytes, int[] sizes) {
    EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(LIMITS));
    List<ByteBuf> inputs = new ArrayList<>();
    int offset = 0;
    int next = 0;
    while (offset < bytes.length) {
      int size = sizes.length == 0 ? bytes.length : Math.min(sizes[next++ % sizes.length],
          bytes.length - offset);
      ByteBuf buf = Unpooled.copiedBuffer(bytes, offset, size);
      inputs.add(buf);
      channel.writeInbound(buf); // throws if the decoder threw
      offset += size;
    }
    channel.finish();
    List<Object> out = new ArrayList<>();
    Object message;
    while ((message = channel.readInbound()) != null) {
      out.add(message);
    }
    for (ByteBuf input : inputs) {
      assertThat(input.refCnt()).isZero();
    }
    check(out);
    return out;
  }

  private static void check(List<Object> out) {
    boolean failed = false;
    for (Object message : out) {
      assertThat(failed).as("nothing after a fatal error").isFalse();
      switch (message) {
        case Frame frame -> {
          assertThat(frame.type()).isNotEmpty();
          assertThat(frame.content().length).isLessThanOrEqualTo(LIMITS.maxContentBytes());
          assertThat(frame.number(Keys.CONTENT_LENGTH, 0)).isEqualTo(frame.content().length);
        }
        case FrameError error -> {
          assertThat(error.code()).isNotEmpty();
          assertThat(error.message()).isNotEmpty();
          failed = error.fatal();
        }
        default -> throw new AssertionError("unexpected output " + message);
      }
    }
  }

  private static List<String> describe(List<Object> out) {
    List<String> text = new ArrayList<>();
    for (Object message : out) {
      text.add(message instanceof Frame f
          ? "frame " + f.header() + " " + java.util.Arrays.toString(f.content())
          : message.toString());
    }
    return text;
  }
}
