package chat.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import tools.jackson.databind.JsonNode;

/**
 * Shared plumbing for the decoder tests: every buffer handed to a channel is recorded and must
 * have been released by the time the test ends.
 */
abstract class CodecTestSupport {

  private final List<ByteBuf> written = new ArrayList<>();

  @AfterEach
  final void everyInputBufferReleased() {
    for (ByteBuf buf : written) {
      assertThat(buf.refCnt()).as("reference count of an input buffer at the end of the test")
          .isZero();
    }
  }

  static EmbeddedChannel decoder() {
    return new EmbeddedChannel(new FrameDecoder());
  }

  static EmbeddedChannel decoder(FrameLimits limits) {
    return new EmbeddedChannel(new FrameDecoder(limits));
  }

  /** A fresh buffer holding a copy of {@code bytes}, tracked for the end-of-test release check. */
  final ByteBuf buffer(byte[] bytes) {
    ByteBuf buf = Unpooled.buffer(bytes.length).writeBytes(bytes);
    written.add(buf);
    return buf;
  }

  /** Delivers {@code bytes} as one read. */
  final void write(EmbeddedChannel channel, byte[] bytes) {
    channel.writeInbound(buffer(bytes));
  }

  /** Delivers each array as its own read, in order. */
  final void writeEach(EmbeddedChannel channel, byte[]... reads) {
    for (byte[] read : reads) {
      write(channel, read);
    }
  }

  /** Delivers {@code bytes} one byte per read. */
  final void writeByteByByte(EmbeddedChannel channel, byte[] bytes) {
    for (byte b : bytes) {
      write(channel, new byte[] {b});
    }
  }

  /** Delivers {@code bytes} in reads of {@code chunk} bytes (the last one may be shorter). */
  final void writeInChunks(EmbeddedChannel channel, byte[] bytes, int chunk) {
    for (int from = 0; from < bytes.length; from += chunk) {
      write(channel, Wire.range(bytes, from, Math.min(bytes.length, from + chunk)));
    }
  }

  /** Everything the decoder has produced so far, in order. */
  static List<Object> drain(EmbeddedChannel channel) {
    List<Object> out = new ArrayList<>();
    Object msg;
    while ((msg = channel.readInbound()) != null) {
      out.add(msg);
    }
    return out;
  }

  static JsonNode json(String text) {
    return Json.MAPPER.readTree(text);
  }

  /** Asserts that {@code msg} is a frame with exactly this header and content. */
  static Frame assertFrame(Object msg, String expectedHeaderJson, byte[] expectedContent) {
    assertThat(msg).isInstanceOf(Frame.class);
    Frame frame = (Frame) msg;
    assertThat((JsonNode) frame.header()).isEqualTo(json(expectedHeaderJson));
    assertThat(frame.content()).containsExactly(expectedContent);
    return frame;
  }

  static Frame assertFrame(Object msg, String expectedHeaderJson) {
    return assertFrame(msg, expectedHeaderJson, Wire.NO_CONTENT);
  }

  /** Asserts that {@code msg} is an error with this code and fatality; returns it for more. */
  static FrameError assertError(Object msg, String code, boolean fatal) {
    assertThat(msg).isInstanceOf(FrameError.class);
    FrameError error = (FrameError) msg;
    assertThat(error.code()).as("code of %s", error).isEqualTo(code);
    assertThat(error.fatal()).as("fatal flag of %s", error).isEqualTo(fatal);
    assertThat(error.message()).as("message of %s", error).isNotBlank();
    return error;
  }
}
