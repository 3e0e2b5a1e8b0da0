package chat.protocol;

import static chat.protocol.Wire.concat;
import static chat.protocol.Wire.frame;
import static chat.protocol.Wire.range;
import static chat.protocol.Wire.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The limits of {@link FrameLimits}, enforced while reading. */
class FrameDecoderLimitsTest extends CodecTestSupport {

  private static final String PING_HEADER = "{\"type\":\"ping\",\"id\":\"p\"}";
  private static final byte[] PING = frame(PING_HEADER);
  /** Not valid JSON: one malformed frame. */
  private static final byte[] GARBAGE = frame("{\"type\":");

  private static final FrameLimits SMALL = new FrameLimits(64, 16, 3);

  // ---- max-header-bytes ----

  @Test
  void headerAtTheLimitIsAccepted() {
    EmbeddedChannel channel = decoder(SMALL);
    String header = Wire.headerOfLength("msg", 64);
    write(channel, frame(header));

    assertFrame(channel.readInbound(), header);
    assertFalse(channel.finish());
  }

  @Test
  void headerOverTheLimitIsFatalAndNamesTheLimit() {
    EmbeddedChannel channel = decoder(SMALL);
    write(channel, frame(Wire.headerOfLength("msg", 65)));

    FrameError error = assertError(channel.readInbound(), ErrorCodes.HEADER_TOO_LARGE, true);
    assertThat(error.message()).contains("65").contains("limit of 64");
    assertThat(error.id()).isNull();
    assertThat(channel.<Object>readInbound()).isNull();
    assertFalse(channel.finish());
  }

  @Test
  void headerOverTheDefaultLimitIsFatal() {
    EmbeddedChannel channel = decoder();
    write(channel, Wire.lengthPrefix(FrameLimits.DEFAULT_MAX_HEADER_BYTES + 1));

    FrameError error = assertError(channel.readInbound(), ErrorCodes.HEADER_TOO_LARGE, true);
    assertThat(error.message()).contains("limit of " + FrameLimits.DEFAULT_MAX_HEADER_BYTES);
    assertFalse(channel.finish());
  }

  @Test
  void headerOverTheLimitIsRejectedFromTheLengthPrefixAlone() {
    // The 2 length bytes suffice: the decoder does not wait for (and buffer) the header itself.
    EmbeddedChannel channel = decoder(SMALL);
    write(channel, Wire.lengthPrefix(0xFFFF));

    assertError(channel.readInbound(), ErrorCodes.HEADER_TOO_LARGE, true);
    assertFalse(channel.finish());
  }

  @Test
  void inputAfterHeaderTooLargeIsDiscarded() {
    EmbeddedChannel channel = decoder(SMALL);
    // The rest of this read is a valid frame, and so are later reads: none may come out.
    write(channel, concat(Wire.lengthPrefix(65), PING));
    assertError(channel.readInbound(), ErrorCodes.HEADER_TOO_LARGE, true);

    ByteBuf later = buffer(concat(PING, PING));
    channel.writeInbound(later);

    assertThat(channel.<Object>readInbound()).isNull();
    assertThat(later.refCnt()).as("discarded input is released, not kept").isZero();
    assertFalse(channel.finish());
  }

  // ---- max-content-bytes ----

  @Test
  void contentAtTheLimitIsAccepted() {
    EmbeddedChannel channel = decoder(SMALL);
    String header = "{\"type\":\"msg\",\"content-length\":16}";
    write(channel, frame(header, "0123456789abcdef"));

    assertFrame(channel.readInbound(), header, utf8("0123456789abcdef"));
    assertFalse(channel.finish());
  }

  @Test
  void contentOverTheLimitIsANonFatalErrorWithTheRequestId() {
    EmbeddedChannel channel = decoder(SMALL);
    write(channel, frame("{\"type\":\"msg\",\"id\":\"7\",\"content-length\":17}",
        "0123456789abcdefg"));

    FrameError error = assertError(channel.readInbound(), ErrorCodes.CONTENT_TOO_LARGE, false);
    assertThat(error.id()).isEqualTo("7");
    assertThat(error.message()).contains("17").contains("limit of 16");
    assertThat(channel.<Object>readInbound()).isNull();
    assertFalse(channel.finish());
  }

  @Test
  void contentOverTheLimitIsSkippedAndTheNextFrameDecodes() {
    EmbeddedChannel channel = decoder(SMALL);
    // The skipped content looks like a frame; it must not be taken as one.
    byte[] content = concat(PING, PING);
    assertThat(content.length).isGreaterThan(16);
    write(channel, concat(
        frame("{\"type\":\"msg\",\"id\":\"7\",\"content-length\":" + content.length + "}", content),
        PING));

    assertError(channel.readInbound(), ErrorCodes.CONTENT_TOO_LARGE, false);
    assertFrame(channel.readInbound(), PING_HEADER);
    assertThat(channel.<Object>readInbound()).isNull();
    assertFalse(channel.finish());
  }

  @Test
  void contentOverTheLimitIsSkippedAsItArrivesInPieces() {
    EmbeddedChannel channel = decoder(SMALL);
    byte[] content = utf8("x".repeat(100));
    byte[] stream = concat(
        frame("{\"type\":\"msg\",\"id\":\"7\",\"content-length\":100}", content), PING);
    int headerEnd = stream.length - PING.length - content.length;

    write(channel, range(stream, 0, headerEnd + 10));
    // The error is reported as soon as the header is read, not when the content is complete.
    FrameError error = assertError(channel.readInbound(), ErrorCodes.CONTENT_TOO_LARGE, false);
    assertThat(error.id()).isEqualTo("7");

    for (int from = headerEnd + 10; from < headerEnd + 90; from += 20) {
      ByteBuf piece = buffer(range(stream, from, from + 20));
      channel.writeInbound(piece);
      assertThat(channel.<Object>readInbound()).isNull();
      assertThat(piece.refCnt()).as("skipped content is dropped, not accumulated").isZero();
    }
    // The last 10 content bytes arrive with the first half of the next frame.
    int split = headerEnd + 100 + 5;
    write(channel, range(stream, headerEnd + 90, split));
    assertThat(channel.<Object>readInbound()).isNull();
    write(channel, range(stream, split, stream.length));

    assertFrame(channel.readInbound(), PING_HEADER);
    assertFalse(channel.finish());
  }

  @Test
  void contentOverTheLimitIsSkippedWhenDeliveredOneBytePerRead() {
    EmbeddedChannel channel = decoder(SMALL);
    writeByteByByte(channel, concat(
        frame("{\"type\":\"msg\",\"content-length\":20}", "01234567890123456789"), PING));

    List<Object> out = drain(channel);
    assertThat(out).hasSize(2);
    assertError(out.get(0), ErrorCodes.CONTENT_TOO_LARGE, false);
    assertFrame(out.get(1), PING_HEADER);
    assertFalse(channel.finish());
  }

  @Test
  void contentLengthBeyondIntRangeIsContentTooLarge() {
    EmbeddedChannel channel = decoder();
    write(channel, frame("{\"type\":\"msg\",\"id\":\"big\",\"content-length\":5000000000}"));

    FrameError error = assertError(channel.readInbound(), ErrorCodes.CONTENT_TOO_LARGE, false);
    assertThat(error.id()).isEqualTo("big");
    assertThat(error.message()).contains("5000000000")
        .contains("limit of " + FrameLimits.DEFAULT_MAX_CONTENT_BYTES);
    // Whatever follows is content being skipped, not a frame.
    write(channel, PING);
    assertThat(channel.<Object>readInbound()).isNull();
    assertFalse(channel.finish());
  }

  @Test
  void contentTooLargeIsNotAMalformedFrame() {
    // The frame boundary is known: any number of them in a row leaves the stream usable.
    EmbeddedChannel channel = decoder(SMALL);
    byte[] tooLarge = frame("{\"type\":\"msg\",\"content-length\":17}", "x".repeat(17));
    for (int i = 0; i < 2 * SMALL.maxConsecutiveErrors(); i++) {
      write(channel, tooLarge);
      assertError(channel.readInbound(), ErrorCodes.CONTENT_TOO_LARGE, false);
    }
    write(channel, PING);

    assertFrame(channel.readInbound(), PING_HEADER);
    assertFalse(channel.finish());
  }

  // ---- max consecutive errors ----

  @Test
  void tooManyMalformedFramesInARowIsFatal() {
    EmbeddedChannel channel = decoder(SMALL);
    writeEach(channel, GARBAGE, GARBAGE, GARBAGE);

    assertError(channel.readInbound(), ErrorCodes.BAD_JSON, false);
    assertError(channel.readInbound(), ErrorCodes.BAD_JSON, false);
    FrameError error = assertError(channel.readInbound(), ErrorCodes.TOO_MANY_ERRORS, true);
    assertThat(error.message()).contains("3 malformed frames in a row");
    assertThat(channel.<Object>readInbound()).isNull();
    assertFalse(channel.finish());
  }

  @Test
  void tenMalformedFramesInARowIsFatalByDefault() {
    EmbeddedChannel channel = decoder();
    for (int i = 1; i < FrameLimits.DEFAULT_MAX_CONSECUTIVE_ERRORS; i++) {
      write(channel, GARBAGE);
      assertError(channel.readInbound(), ErrorCodes.BAD_JSON, false);
    }
    write(channel, GARBAGE);

    assertError(channel.readInbound(), ErrorCodes.TOO_MANY_ERRORS, true);
    assertFalse(channel.finish());
  }

  @Test
  void everyKindOfMalformedFrameCountsTowardsTheLimit() {
    EmbeddedChannel channel = decoder(new FrameLimits(64, 16, 4));
    writeEach(channel,
        Wire.rawFrame(Wire.bytes(0xC3, 0x28), Wire.NO_CONTENT), // bad-utf8
        frame("[1]"), // bad-header
        frame("{\"id\":\"x\"}"), // missing-key
        GARBAGE); // bad-json

    assertError(channel.readInbound(), ErrorCodes.BAD_UTF8, false);
    assertError(channel.readInbound(), ErrorCodes.BAD_HEADER, false);
    assertError(channel.readInbound(), ErrorCodes.MISSING_KEY, false);
    assertError(channel.readInbound(), ErrorCodes.TOO_MANY_ERRORS, true);
    assertFalse(channel.finish());
  }

  @Test
  void tooManyErrorsCarriesTheIdOfTheLastFrameWhenKnown() {
    EmbeddedChannel channel = decoder(new FrameLimits(64, 16, 1));
    write(channel, frame("{\"id\":\"42\"}"));

    FrameError error = assertError(channel.readInbound(), ErrorCodes.TOO_MANY_ERRORS, true);
    assertThat(error.id()).isEqualTo("42");
    assertFalse(channel.finish());
  }

  @Test
  void inputAfterTooManyErrorsIsDiscarded() {
    EmbeddedChannel channel = decoder(SMALL);
    write(channel, concat(GARBAGE, GARBAGE, GARBAGE, PING));
    List<Object> out = drain(channel);
    assertThat(out).hasSize(3);
    assertError(out.get(2), ErrorCodes.TOO_MANY_ERRORS, true);

    write(channel, PING);

    assertThat(channel.<Object>readInbound()).isNull();
    assertFalse(channel.finish());
  }

  @Test
  void aValidFrameBetweenErrorsResetsTheCount() {
    EmbeddedChannel channel = decoder(SMALL);
    writeEach(channel, GARBAGE, GARBAGE, PING, GARBAGE, GARBAGE);

    assertError(channel.readInbound(), ErrorCodes.BAD_JSON, false);
    assertError(channel.readInbound(), ErrorCodes.BAD_JSON, false);
    assertFrame(channel.readInbound(), PING_HEADER);
    // Two more: four errors in all, but only two in a row.
    assertError(channel.readInbound(), ErrorCodes.BAD_JSON, false);
    assertError(channel.readInbound(), ErrorCodes.BAD_JSON, false);

    // The third in a row since the valid frame is fatal.
    write(channel, GARBAGE);
    assertError(channel.readInbound(), ErrorCodes.TOO_MANY_ERRORS, true);
    assertFalse(channel.finish());
  }

  @Test
  void aValidFrameWithContentResetsTheCount() {
    EmbeddedChannel channel = decoder(SMALL);
    String header = "{\"type\":\"msg\",\"content-length\":2}";
    writeEach(channel, GARBAGE, GARBAGE, frame(header, "hi"), GARBAGE, GARBAGE);

    List<Object> out = drain(channel);
    assertThat(out).hasSize(5);
    assertFrame(out.get(2), header, utf8("hi"));
    assertThat(out.stream().filter(FrameError.class::isInstance).map(FrameError.class::cast))
        .allSatisfy(e -> assertThat(e.fatal()).isFalse());
    assertFalse(channel.finish());
  }
}
