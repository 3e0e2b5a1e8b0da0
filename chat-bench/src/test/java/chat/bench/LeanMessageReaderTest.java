package chat.bench;

import static org.assertj.core.api.Assertions.assertThat;

import chat.protocol.Frame;
import chat.protocol.FrameDecoder;
import chat.protocol.FrameEncoder;
import chat.protocol.FrameError;
import chat.protocol.Json;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** The lean receive path against the real encoder and decoder, however the bytes are split. */
class LeanMessageReaderTest {

  private final List<String> seen = new ArrayList<>();

  private EmbeddedChannel channel() {
    Payload.Reader payload = new Payload.Reader();
    DeliveryHandler handler = (seq, buf, offset, length) -> seen.add("lean " + seq + " "
        + (payload.read(buf, offset, length) ? payload.sender + "/" + payload.counter : "?"));
    return new EmbeddedChannel(new LeanMessageReader(handler), new FrameDecoder(),
        new ChannelInboundHandlerAdapter() {
          @Override
          public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Frame f) {
              seen.add("tree " + f.type() + (f.id() == null ? "" : " id=" + f.id()));
            } else if (msg instanceof FrameError e) {
              seen.add("error " + e.code());
            }
          }
        });
  }

  private static ByteBuf frame(String json, String content) {
    ObjectNode header = (ObjectNode) Json.MAPPER.readTree(json);
    return FrameEncoder.encode(UnpooledByteBufAllocator.DEFAULT, header,
        content == null ? new byte[0] : content.getBytes(StandardCharsets.UTF_8));
  }

  private static ByteBuf message(String id, long seq, int sender, long counter) {
    String idPart = id == null ? "" : "\"id\":\"" + id + "\",";
    return frame("{\"type\":\"message\"," + idPart + "\"room\":\"r\",\"msgid\":\"m1\",\"seq\":"
        + seq + ",\"ts\":1,\"from\":\"Guest_1\",\"kind\":\"text\"}",
        Payload.text(sender, counter, 42, 60));
  }

  private ByteBuf stream() {
    return Unpooled.wrappedBuffer(
        frame("{\"type\":\"welcome\",\"id\":\"1\",\"version\":1,\"nick\":\"a\",\"limits\":"
            + "{\"max-header-bytes\":8192,\"nested\":[1,{\"x\":\"}\"}]}}", null),
        frame("{\"type\":\"joined\",\"room\":\"lobby\",\"nick\":\"a\",\"ts\":1}", null),
        message(null, 1, 0, 0),
        message("7", 2, 1, 0),
        message(null, 3, 0, 1),
        frame("{\"type\":\"notice\",\"ts\":1}", "a \"quoted\" notice"));
  }

  private static final List<String> EXPECTED = List.of(
      "tree welcome id=1", "tree joined", "lean 1 0/0", "tree message id=7", "lean 3 0/1",
      "tree notice");

  @Test
  void replayedHistoryIsPassedOnNotCountedAsADelivery() {
    EmbeddedChannel ch = channel();
    String header = "\"room\":\"r\",\"msgid\":\"m1\",\"seq\":5,\"ts\":1,\"from\":\"Guest_1\","
        + "\"kind\":\"text\"";
    ch.writeInbound(Unpooled.wrappedBuffer(
        // as the server writes it (the fast path) and in another key order (the full scan)
        frame("{\"type\":\"message\"," + header + ",\"history\":true}", Payload.text(0, 0, 42, 60)),
        frame("{\"history\":true,\"type\":\"message\"," + header + "}", Payload.text(0, 1, 42, 60)),
        frame("{\"type\":\"message\"," + header + ",\"history\":false}", Payload.text(0, 2, 42, 60))));
    assertThat(seen).containsExactly("tree message", "tree message", "lean 5 0/2");
    assertThat(ch.finishAndReleaseAll()).isFalse();
  }

  @Test
  void readsRoomMessagesAndPassesEverythingElseOnInOrder() {
    EmbeddedChannel ch = channel();
    ch.writeInbound(stream());
    assertThat(seen).containsExactlyElementsOf(EXPECTED);
    assertThat(ch.finishAndReleaseAll()).isFalse();
  }

  @Test
  void oneByteAtATime() {
    EmbeddedChannel ch = channel();
    ByteBuf all = stream();
    while (all.isReadable()) {
      ch.writeInbound(all.readRetainedSlice(1));
    }
    all.release();
    assertThat(seen).containsExactlyElementsOf(EXPECTED);
    ch.finishAndReleaseAll();
  }

  @Test
  void stepsAsideForAHeaderItCannotReadAndTheDecoderJudgesIt() {
    EmbeddedChannel ch = channel();
    byte[] bad = "{not json".getBytes(StandardCharsets.UTF_8);
    ByteBuf garbage = Unpooled.buffer().writeShort(bad.length).writeBytes(bad);
    ch.writeInbound(Unpooled.wrappedBuffer(message(null, 1, 0, 0), garbage,
        message(null, 2, 0, 1)));
    assertThat(seen).containsExactly("lean 1 0/0", "error bad-json", "tree message");
    assertThat(ch.pipeline().get(LeanMessageReader.class)).isNull();
    ch.finishAndReleaseAll();
  }

  @Test
  void headerScanReadsTheServersMessageHeaderOnTheFastPathAndAnyOtherShapeFully() {
    HeaderScan scan = new HeaderScan();
    for (String json : List.of(
        "{\"type\":\"message\",\"room\":\"r\",\"msgid\":\"m1\",\"seq\":42,\"ts\":1,"
            + "\"from\":\"a\",\"kind\":\"text\",\"content-type\":\"text/plain\","
            + "\"content-length\":100}",
        "{\"seq\":42,\"type\":\"message\",\"content-length\":100}",
        "{\"type\":\"message\",\"seq\":42,\"x\":\",\\\"seq\\\":7\","
            + "\"content-length\":100}")) {
      byte[] b = json.getBytes(StandardCharsets.UTF_8);
      assertThat(scan.scan(b, b.length)).as(json).isTrue();
      assertThat(scan.message).as(json).isTrue();
      assertThat(scan.hasId).as(json).isFalse();
      assertThat(scan.seq).as(json).isEqualTo(42);
      assertThat(scan.contentLength).as(json).isEqualTo(100);
    }
    byte[] reply = "{\"type\":\"message\",\"id\":\"7\",\"seq\":1,\"content-length\":5}"
        .getBytes(StandardCharsets.UTF_8);
    assertThat(scan.scan(reply, reply.length)).isTrue();
    assertThat(scan.hasId).isTrue();
  }

  @Test
  void headerScanReadsTheKeysItNeeds() {
    HeaderScan scan = new HeaderScan();
    byte[] b = ("{ \"type\" : \"message\" , \"seq\":12345678901,\"id\":null,"
        + "\"x\":[{\"content-length\":9}],\"content-length\": 17 }").getBytes(StandardCharsets.UTF_8);
    assertThat(scan.scan(b, b.length)).isTrue();
    assertThat(scan.message).isTrue();
    assertThat(scan.hasId).isFalse();
    assertThat(scan.seq).isEqualTo(12345678901L);
    assertThat(scan.contentLength).isEqualTo(17);
    byte[] c = "{\"type\":\"messages\",\"content-length\":\"5\"}".getBytes(StandardCharsets.UTF_8);
    assertThat(scan.scan(c, c.length)).isFalse();
    byte[] d = "{\"type\":\"messages\",\"id\":3}".getBytes(StandardCharsets.UTF_8);
    assertThat(scan.scan(d, d.length)).isTrue();
    assertThat(scan.message).isFalse();
    assertThat(scan.hasId).isTrue();
  }
}
