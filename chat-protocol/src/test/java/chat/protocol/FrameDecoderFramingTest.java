package chat.protocol;

import static chat.protocol.Wire.concat;
import static chat.protocol.Wire.frame;
import static chat.protocol.Wire.range;
import static chat.protocol.Wire.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the decoder copes with TCP merging and splitting frames arbitrarily. */
class FrameDecoderFramingTest extends CodecTestSupport {

  private static final String MSG_HEADER =
      "{\"type\":\"msg\",\"id\":\"7\",\"room\":\"lobby\",\"content-length\":5}";
  private static final byte[] MSG = frame(MSG_HEADER, "hello");

  private static final String PING_HEADER = "{\"type\":\"ping\",\"id\":\"8\"}";
  private static final byte[] PING = frame(PING_HEADER);

  /** Non-ASCII in header and content: 2-, 3- and 4-byte UTF-8 sequences. */
  private static final String TEXT = "café € 😀";
  private static final String UNICODE_HEADER = "{\"type\":\"msg\",\"room\":\"" + TEXT
      + "\",\"content-length\":" + utf8(TEXT).length + "}";
  private static final byte[] UNICODE = frame(UNICODE_HEADER, TEXT);

  @Test
  void decodesOneFrameDeliveredWhole() {
    EmbeddedChannel channel = decoder();
    write(channel, MSG);

    Frame frame = assertFrame(channel.readInbound(), MSG_HEADER, utf8("hello"));
    assertThat(frame.type()).isEqualTo("msg");
    assertThat(frame.id()).isEqualTo("7");
    assertThat(frame.string("room")).isEqualTo("lobby");
    assertThat(frame.contentAsText()).isEqualTo("hello");
    assertThat(channel.<Object>readInbound()).isNull();
    assertFalse(channel.finish());
  }

  @Test
  void absentContentLengthMeansEmptyContent() {
    EmbeddedChannel channel = decoder();
    // The ping is immediately followed by a frame: none of its bytes may be taken as content.
    write(channel, concat(PING, MSG));

    assertFrame(channel.readInbound(), PING_HEADER, Wire.NO_CONTENT);
    assertFrame(channel.readInbound(), MSG_HEADER, utf8("hello"));
    assertFalse(channel.finish());
  }

  @Test
  void contentLengthZeroMeansEmptyContent() {
    EmbeddedChannel channel = decoder();
    String header = "{\"type\":\"msg\",\"content-length\":0}";
    write(channel, concat(frame(header), PING));

    assertFrame(channel.readInbound(), header, Wire.NO_CONTENT);
    assertFrame(channel.readInbound(), PING_HEADER);
    assertFalse(channel.finish());
  }

  @Test
  void contentIsTakenAsRawBytesNotText() {
    EmbeddedChannel channel = decoder();
    byte[] binary = Wire.bytes(0x00, 0xFF, 0xC3, 0x28, 0x80, 0x7B, 0x00);
    String header = "{\"type\":\"file\",\"content-length\":7}";
    write(channel, frame(header, binary));

    assertFrame(channel.readInbound(), header, binary);
    assertFalse(channel.finish());
  }

  @Test
  void headerLengthIsUnsignedBigEndian() {
    // 40000 bytes: the top bit of the length prefix is set.
    EmbeddedChannel channel = decoder(new FrameLimits(0xFFFF, 0, 10));
    String header = Wire.headerOfLength("big", 40_000);
    byte[] bytes = frame(header);
    assertThat(bytes[0] & 0xFF).isEqualTo(40_000 >>> 8);
    write(channel, bytes);

    assertFrame(channel.readInbound(), header);
    assertFalse(channel.finish());
  }

  @Test
  void decodesSeveralFramesMergedIntoOneRead() {
    EmbeddedChannel channel = decoder();
    write(channel, concat(MSG, PING, UNICODE, MSG));

    assertFrame(channel.readInbound(), MSG_HEADER, utf8("hello"));
    assertFrame(channel.readInbound(), PING_HEADER);
    assertFrame(channel.readInbound(), UNICODE_HEADER, utf8(TEXT));
    assertFrame(channel.readInbound(), MSG_HEADER, utf8("hello"));
    assertThat(channel.<Object>readInbound()).isNull();
    assertFalse(channel.finish());
  }

  @Test
  void decodesAFrameDeliveredOneBytePerRead() {
    EmbeddedChannel channel = decoder();
    for (int i = 0; i < MSG.length - 1; i++) {
      write(channel, new byte[] {MSG[i]});
      assertThat(channel.<Object>readInbound()).as("output after %d of %d bytes", i + 1, MSG.length)
          .isNull();
    }
    write(channel, new byte[] {MSG[MSG.length - 1]});

    assertFrame(channel.readInbound(), MSG_HEADER, utf8("hello"));
    assertFalse(channel.finish());
  }

  @Test
  void decodesAStreamOfFramesDeliveredOneBytePerRead() {
    EmbeddedChannel channel = decoder();
    writeByteByByte(channel, concat(MSG, PING, UNICODE));

    assertFrame(channel.readInbound(), MSG_HEADER, utf8("hello"));
    assertFrame(channel.readInbound(), PING_HEADER);
    assertFrame(channel.readInbound(), UNICODE_HEADER, utf8(TEXT));
    assertFalse(channel.finish());
  }

  @Test
  void decodesAFrameSplitInTwoAtEveryOffset() {
    for (int split = 0; split <= UNICODE.length; split++) {
      EmbeddedChannel channel = decoder();
      write(channel, range(UNICODE, 0, split));
      if (split < UNICODE.length) {
        assertThat(channel.<Object>readInbound()).as("output before the rest, split at %d", split)
            .isNull();
      }
      write(channel, range(UNICODE, split, UNICODE.length));

      List<Object> out = drain(channel);
      assertThat(out).as("split at %d", split).hasSize(1);
      assertFrame(out.get(0), UNICODE_HEADER, utf8(TEXT));
      assertFalse(channel.finish(), "split at " + split);
    }
  }

  @Test
  void decodesTwoFramesSplitInTwoAtEveryOffset() {
    byte[] stream = concat(MSG, PING);
    for (int split = 0; split <= stream.length; split++) {
      EmbeddedChannel channel = decoder();
      writeEach(channel, range(stream, 0, split), range(stream, split, stream.length));

      List<Object> out = drain(channel);
      assertThat(out).as("split at %d", split).hasSize(2);
      assertFrame(out.get(0), MSG_HEADER, utf8("hello"));
      assertFrame(out.get(1), PING_HEADER);
      assertFalse(channel.finish(), "split at " + split);
    }
  }

  @Test
  void decodesAStreamDeliveredInReadsOfEverySize() {
    byte[] stream = concat(MSG, UNICODE, PING, MSG);
    for (int chunk = 1; chunk <= stream.length; chunk++) {
      EmbeddedChannel channel = decoder();
      writeInChunks(channel, stream, chunk);

      List<Object> out = drain(channel);
      assertThat(out).as("reads of %d bytes", chunk).hasSize(4);
      assertFrame(out.get(0), MSG_HEADER, utf8("hello"));
      assertFrame(out.get(1), UNICODE_HEADER, utf8(TEXT));
      assertFrame(out.get(2), PING_HEADER);
      assertFrame(out.get(3), MSG_HEADER, utf8("hello"));
      assertFalse(channel.finish(), "reads of " + chunk);
    }
  }

  @Test
  void decodesMultiByteCharactersCutAcrossTwoReadsInTheHeader() {
    int headerEnd = 2 + utf8(UNICODE_HEADER).length;
    List<Integer> cuts = cutsInsideCharacters(UNICODE, 2, headerEnd);
    // é (1 cut), € (2 cuts), 😀 (3 cuts).
    assertThat(cuts).hasSize(6);
    for (int cut : cuts) {
      EmbeddedChannel channel = decoder();
      writeEach(channel, range(UNICODE, 0, cut), range(UNICODE, cut, UNICODE.length));

      Frame frame = assertFrame(channel.readInbound(), UNICODE_HEADER, utf8(TEXT));
      assertThat(frame.string("room")).as("cut at %d", cut).isEqualTo(TEXT);
      assertFalse(channel.finish(), "cut at " + cut);
    }
  }

  @Test
  void decodesMultiByteCharactersCutAcrossTwoReadsInTheContent() {
    int headerEnd = 2 + utf8(UNICODE_HEADER).length;
    List<Integer> cuts = cutsInsideCharacters(UNICODE, headerEnd, UNICODE.length);
    assertThat(cuts).hasSize(6);
    for (int cut : cuts) {
      EmbeddedChannel channel = decoder();
      writeEach(channel, range(UNICODE, 0, cut), range(UNICODE, cut, UNICODE.length));

      Frame frame = assertFrame(channel.readInbound(), UNICODE_HEADER, utf8(TEXT));
      assertThat(frame.contentAsText()).as("cut at %d", cut).isEqualTo(TEXT);
      assertFalse(channel.finish(), "cut at " + cut);
    }
  }

  @Test
  void producesNothingForAFrameTruncatedByTheEndOfTheStream() {
    EmbeddedChannel channel = decoder();
    write(channel, concat(PING, range(MSG, 0, MSG.length - 1)));

    assertFrame(channel.readInbound(), PING_HEADER);
    // Closing with a partial frame buffered: nothing more comes out, no exception.
    assertFalse(channel.finish());
  }

  @Test
  void waitsForTheWholeLengthPrefix() {
    EmbeddedChannel channel = decoder();
    write(channel, range(PING, 0, 1));
    assertThat(channel.<Object>readInbound()).isNull();
    write(channel, range(PING, 1, PING.length));

    assertFrame(channel.readInbound(), PING_HEADER);
    assertFalse(channel.finish());
  }

  /** Offsets in [from, to) that fall between the bytes of one multi-byte UTF-8 character. */
  private static List<Integer> cutsInsideCharacters(byte[] bytes, int from, int to) {
    List<Integer> cuts = new ArrayList<>();
    for (int i = from; i < to; i++) {
      if ((bytes[i] & 0xC0) == 0x80) {
        cuts.add(i);
      }
    }
    return cuts;
  }
}
