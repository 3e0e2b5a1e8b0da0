package chat.protocol;

import static chat.protocol.Wire.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.buffer.UnpooledDirectByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.EncoderException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@link FrameEncoder}, alone and feeding {@link FrameDecoder}. */
class FrameEncoderTest extends CodecTestSupport {

  /** Records every buffer it hands out, so a test can check they were all released. */
  private static final class RecordingAllocator extends AbstractByteBufAllocator {
    final List<ByteBuf> allocated = new ArrayList<>();

    RecordingAllocator() {
      super(false);
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
      return record(new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity));
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
      return record(new UnpooledDirectByteBuf(this, initialCapacity, maxCapacity));
    }

    @Override
    public boolean isDirectBufferPooled() {
      return false;
    }

    private ByteBuf record(ByteBuf buf) {
      allocated.add(buf);
      return buf;
    }
  }

  private static ObjectNode msgHeader() {
    ObjectNode header = Json.header(Types.MSG);
    header.put(Keys.ID, "7");
    header.put(Keys.ROOM, "lobby");
    return header;
  }

  /** A header whose JSON text is exactly {@code length} bytes. */
  private static ObjectNode headerOfLength(int length) {
    ObjectNode header = Json.header("big");
    header.put("pad", "");
    int base = Json.MAPPER.writeValueAsBytes(header).length;
    header.put("pad", "x".repeat(length - base));
    assertThat(Json.MAPPER.writeValueAsBytes(header)).hasSize(length);
    return header;
  }

  /** Encodes through a channel and returns the bytes written, releasing the buffer. */
  private static byte[] encodeThroughChannel(Frame frame) {
    EmbeddedChannel channel = new EmbeddedChannel(FrameEncoder.INSTANCE);
    assertThat(channel.writeOutbound(frame)).isTrue();
    ByteBuf buf = channel.readOutbound();
    try {
      return ByteBufUtil.getBytes(buf);
    } finally {
      assertThat(buf.release()).isTrue();
      assertFalse(channel.finish());
    }
  }

  private static int headerLength(byte[] wire) {
    return ((wire[0] & 0xFF) << 8) | (wire[1] & 0xFF);
  }

  private static JsonNode headerOf(byte[] wire) {
    return Json.MAPPER.readTree(
        new String(wire, 2, headerLength(wire), StandardCharsets.UTF_8));
  }

  @Test
  void writesLengthPrefixHeaderAndContent() {
    byte[] wire = encodeThroughChannel(new Frame(msgHeader(), utf8("hello")));

    int h = headerLength(wire);
    assertThat(wire).hasSize(2 + h + 5);
    JsonNode header = headerOf(wire);
    assertThat(header.get(Keys.TYPE).asString()).isEqualTo("msg");
    assertThat(header.get(Keys.ID).asString()).isEqualTo("7");
    assertThat(header.get(Keys.ROOM).asString()).isEqualTo("lobby");
    assertThat(Wire.range(wire, 2 + h, wire.length)).containsExactly(utf8("hello"));
  }

  @Test
  void setsContentLengthFromTheContent() {
    ObjectNode header = msgHeader();
    header.put(Keys.CONTENT_LENGTH, 999); // stale value: the encoder must correct it
    byte[] wire = encodeThroughChannel(new Frame(header, utf8("hello")));

    assertThat(headerOf(wire).get(Keys.CONTENT_LENGTH).asLong()).isEqualTo(5);
  }

  @Test
  void omitsContentLengthWhenThereIsNoContent() {
    ObjectNode header = Json.header(Types.PING);
    header.put(Keys.CONTENT_LENGTH, 3); // stale value: the encoder must drop it
    byte[] wire = encodeThroughChannel(Frame.of(header));

    assertThat(wire).hasSize(2 + headerLength(wire));
    assertThat(headerOf(wire).has(Keys.CONTENT_LENGTH)).isFalse();
  }

  @Test
  void headerLengthCountsUtf8BytesNotCharacters() {
    ObjectNode header = Json.header(Types.MSG);
    header.put(Keys.ROOM, "é€😀"); // 4 characters (Java: 4 chars), 9 bytes
    byte[] wire = encodeThroughChannel(Frame.of(header));

    assertThat(headerLength(wire)).isEqualTo(wire.length - 2);
    assertThat(headerOf(wire).get(Keys.ROOM).asString()).isEqualTo("é€😀");
  }

  @Test
  void textFrameCarriesUtf8ContentAndContentType() {
    byte[] wire = encodeThroughChannel(Frame.text(msgHeader(), "héllo"));

    JsonNode header = headerOf(wire);
    assertThat(header.get(Keys.CONTENT_TYPE).asString()).isEqualTo(ContentTypes.TEXT_UTF8);
    assertThat(header.get(Keys.CONTENT_LENGTH).asLong()).isEqualTo(6);
    assertThat(Wire.range(wire, wire.length - 6, wire.length)).containsExactly(utf8("héllo"));
  }

  @Test
  void roundTripsThroughTheDecoder() {
    EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(), FrameEncoder.INSTANCE);
    ObjectNode header = msgHeader();
    header.put(Keys.CONTENT_TYPE, ContentTypes.TEXT_UTF8);
    header.putObject(Keys.LIMITS).put("max-nick-length", 24);
    byte[] content = utf8("héllo € 😀");
    assertThat(channel.writeOutbound(new Frame(header.deepCopy(), content))).isTrue();
    ByteBuf encoded = channel.readOutbound();
    assertThat(channel.<Object>readOutbound()).isNull();

    // The wire bytes go back in through the decoder, which releases them.
    channel.writeInbound(encoded);
    Frame decoded = (Frame) channel.readInbound();

    assertThat(encoded.refCnt()).isZero();
    ObjectNode expected = header.deepCopy();
    expected.put(Keys.CONTENT_LENGTH, content.length);
    assertThat((JsonNode) decoded.header()).isEqualTo(expected);
    assertThat(decoded.content()).containsExactly(content);
    assertThat(channel.<Object>readInbound()).isNull();
    assertFalse(channel.finish());
  }

  @Test
  void roundTripsAFrameWithoutContent() {
    EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(), FrameEncoder.INSTANCE);
    ObjectNode header = Json.header(Types.PING);
    header.put(Keys.ID, "10");
    channel.writeOutbound(Frame.of(header.deepCopy()));
    channel.writeInbound((ByteBuf) channel.readOutbound());

    Frame decoded = (Frame) channel.readInbound();
    assertThat((JsonNode) decoded.header()).isEqualTo(header);
    assertThat(decoded.content()).isEmpty();
    assertFalse(channel.finish());
  }

  @Test
  void roundTripsBinaryContent() {
    EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(), FrameEncoder.INSTANCE);
    byte[] content = new byte[256];
    for (int i = 0; i < content.length; i++) {
      content[i] = (byte) i;
    }
    channel.writeOutbound(new Frame(Json.header("file"), content));
    channel.writeInbound((ByteBuf) channel.readOutbound());

    assertThat(((Frame) channel.readInbound()).content()).containsExactly(content);
    assertFalse(channel.finish());
  }

  @Test
  void writeAppendsFramesThatDecodeInOrder() {
    ByteBuf out = Unpooled.buffer();
    FrameEncoder.write(out, Json.header("a"), utf8("1"));
    FrameEncoder.write(out, Json.header("b"), Wire.NO_CONTENT);
    FrameEncoder.write(out, Json.header("c"), utf8("333"));

    EmbeddedChannel channel = decoder();
    channel.writeInbound(out);

    assertFrame(channel.readInbound(), "{\"type\":\"a\",\"content-length\":1}", utf8("1"));
    assertFrame(channel.readInbound(), "{\"type\":\"b\"}");
    assertFrame(channel.readInbound(), "{\"type\":\"c\",\"content-length\":3}", utf8("333"));
    assertThat(out.refCnt()).isZero();
    assertFalse(channel.finish());
  }

  @Test
  void encodeReturnsABufferFromTheGivenAllocator() {
    RecordingAllocator alloc = new RecordingAllocator();
    ByteBuf buf = FrameEncoder.encode(alloc, msgHeader(), utf8("hello"));
    try {
      assertThat(alloc.allocated).hasSize(1);
      byte[] wire = ByteBufUtil.getBytes(buf);
      assertThat(headerOf(wire).get(Keys.CONTENT_LENGTH).asLong()).isEqualTo(5);
      assertThat(wire).hasSize(2 + headerLength(wire) + 5);
    } finally {
      buf.release();
    }
    assertThat(alloc.allocated).allSatisfy(b -> assertThat(b.refCnt()).isZero());
  }

  @Test
  void headerOfExactly65535BytesIsEncodedAndDecodes() {
    ObjectNode header = headerOfLength(0xFFFF);
    ByteBuf buf = FrameEncoder.encode(UnpooledByteBufAllocator.DEFAULT, header, Wire.NO_CONTENT);
    assertThat(buf.getUnsignedShort(0)).isEqualTo(0xFFFF);
    assertThat(buf.readableBytes()).isEqualTo(2 + 0xFFFF);

    EmbeddedChannel channel = decoder(new FrameLimits(0xFFFF, 0, 1));
    channel.writeInbound(buf);

    assertThat((JsonNode) ((Frame) channel.readInbound()).header()).isEqualTo(header);
    assertThat(buf.refCnt()).isZero();
    assertFalse(channel.finish());
  }

  @Test
  void encodeRejectsAHeaderTooLargeFor16BitsAndReleasesItsBuffer() {
    RecordingAllocator alloc = new RecordingAllocator();

    assertThatThrownBy(() -> FrameEncoder.encode(alloc, headerOfLength(0x10000), Wire.NO_CONTENT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("65536");

    assertThat(alloc.allocated).isNotEmpty()
        .allSatisfy(b -> assertThat(b.refCnt()).as("refCnt of %s", b).isZero());
  }

  @Test
  void writeLeavesTheBufferAsItWasWhenTheHeaderIsTooLarge() {
    ByteBuf out = Unpooled.buffer();
    try {
      FrameEncoder.write(out, Json.header("a"), utf8("1"));
      byte[] before = ByteBufUtil.getBytes(out);

      assertThatThrownBy(() -> FrameEncoder.write(out, headerOfLength(70_000), utf8("x")))
          .isInstanceOf(IllegalArgumentException.class);

      // No half-written frame may follow the good one: the buffer must still decode cleanly.
      assertThat(out.readableBytes()).isEqualTo(before.length);
      assertThat(ByteBufUtil.getBytes(out)).containsExactly(before);
      FrameEncoder.write(out, Json.header("c"), Wire.NO_CONTENT);
      EmbeddedChannel channel = decoder();
      channel.writeInbound(out.retain());
      assertFrame(channel.readInbound(), "{\"type\":\"a\",\"content-length\":1}", utf8("1"));
      assertFrame(channel.readInbound(), "{\"type\":\"c\"}");
      assertFalse(channel.finish());
    } finally {
      out.release();
    }
  }

  @Test
  void channelWriteOfAHeaderTooLargeFailsAndReleasesItsBuffer() {
    RecordingAllocator alloc = new RecordingAllocator();
    EmbeddedChannel channel = new EmbeddedChannel(FrameEncoder.INSTANCE);
    channel.config().setAllocator(alloc);

    assertThatThrownBy(() -> channel.writeOutbound(Frame.of(headerOfLength(0x10000))))
        .isInstanceOf(EncoderException.class)
        .hasCauseInstanceOf(IllegalArgumentException.class);

    assertThat(channel.<Object>readOutbound()).isNull();
    assertThat(alloc.allocated).isNotEmpty()
        .allSatisfy(b -> assertThat(b.refCnt()).as("refCnt of %s", b).isZero());
    assertFalse(channel.finish());
  }

  @Test
  void channelStaysUsableAfterAFailedWrite() {
    EmbeddedChannel channel = new EmbeddedChannel(FrameEncoder.INSTANCE);
    assertThatThrownBy(() -> channel.writeOutbound(Frame.of(headerOfLength(0x10000))))
        .hasCauseInstanceOf(IllegalArgumentException.class);

    channel.writeOutbound(Frame.of(Json.header(Types.PING)));
    ByteBuf buf = channel.readOutbound();
    try {
      assertThat(headerOf(ByteBufUtil.getBytes(buf)).get(Keys.TYPE).asString()).isEqualTo("ping");
    } finally {
      buf.release();
    }
    assertFalse(channel.finish());
  }
}
