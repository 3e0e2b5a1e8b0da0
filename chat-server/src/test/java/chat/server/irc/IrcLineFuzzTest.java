package chat.server.irc;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Arbitrary bytes, cut into arbitrary reads, through the IRC line decoder and parser.
 * Properties: nothing but a parse refusal is thrown; every line is within the limits; how the
 * bytes are cut never changes the lines; a parsed line formats to a line that parses to the
 * same message (up to what formatting must change: CR, LF and NUL), within 510 bytes of body.
 */
class IrcLineFuzzTest {

  @FuzzTest(maxDuration = "15s")
  void anyBytesInAnyCutsGiveTheSameLinesAndRoundTrip(FuzzedDataProvider data) throws Exception {
    int cuts = data.consumeInt(0, 16);
    int[] sizes = new int[cuts];
    for (int i = 0; i < cuts; i++) {
      sizes[i] = data.consumeInt(1, 64);
    }
    byte[] bytes = data.consumeRemainingAsBytes();
    List<Object> whole = decode(bytes, new int[0]);
    assertThat(decode(bytes, sizes)).isEqualTo(whole);
    for (Object line : whole) {
      if (line == IrcLineDecoder.TOO_LONG) {
        continue;
      }
      String text = (String) line;
      assertThat(text).doesNotContain("\n");
      IrcMessage parsed;
      try {
        parsed = IrcMessage.parse(text);
      } catch (IrcMessage.ParseException refused) {
        continue;
      }
      String formatted = parsed.format();
      assertThat(formatted).doesNotContain("\r", "\n", "\0");
      String body = parsed.tags().isEmpty() ? formatted
          : formatted.substring(formatted.indexOf(' ') + 1);
      assertThat(body.getBytes(StandardCharsets.UTF_8).length)
          .isLessThanOrEqualTo(IrcMessage.MAX_BODY_BYTES);
      IrcMessage again = IrcMessage.parse(formatted);
      assertThat(again.command()).isEqualTo(parsed.command());
      java.util.Map<String, String> expectedTags = new java.util.LinkedHashMap<>();
      parsed.tags().forEach((k, v) -> expectedTags.put(k, v.replace("\0", "")));
      assertThat(again.tags()).isEqualTo(expectedTags);
      if (body.getBytes(StandardCharsets.UTF_8).length < IrcMessage.MAX_BODY_BYTES - 1) {
        assertThat(again.params()).isEqualTo(parsed.params().stream()
            .map(p -> p.replace('\r', ' ').replace("\0", "")).toList());
      }
    }
  }

  /** Decodes {@code bytes} in reads of the given sizes (cycled; none: one read). */
  private static List<Object> decode(byte[] bytes, int[] sizes) {
    IrcLineDecoder decoder = new IrcLineDecoder();
    EmbeddedChannel channel = new EmbeddedChannel(decoder);
    List<ByteBuf> inputs = new ArrayList<>();
    int offset = 0;
    int next = 0;
    while (offset < bytes.length) {
      int size = sizes.length == 0 ? bytes.length
          : Math.min(sizes[next++ % sizes.length], bytes.length - offset);
      ByteBuf buf = Unpooled.copiedBuffer(bytes, offset, size);
      inputs.add(buf);
      channel.writeInbound(buf);
      offset += size;
      {
        assertThat(decoder.buffered())
            .isLessThanOrEqualTo(IrcLineDecoder.MAX_TAG_BYTES + IrcLineDecoder.MAX_BODY_BYTES + 2);
      }
    }
    channel.finishAndReleaseAll();
    List<Object> out = new ArrayList<>();
    Object message;
    while ((message = channel.readInbound()) != null) {
      out.add(message);
    }
    for (ByteBuf input : inputs) {
      assertThat(input.refCnt()).isZero();
    }
    return out;
  }
}
