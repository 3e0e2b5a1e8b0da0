package chat.server;

import static org.assertj.core.api.Assertions.assertThat;

import chat.core.Reply;
import chat.protocol.Frame;
import chat.protocol.FrameDecoder;
import chat.protocol.FrameEncoder;
import chat.protocol.FrameLimits;
import chat.protocol.Json;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NativeFramesTest {

  @Test
  void aHugeRoomsMemberListTravelsInTheContentAndFitsAFrame() {
    List<String> members = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      members.add("member_with_a_long_nick_" + i);
    }
    Reply.Members reply = new Reply.Members("big", members, List.of("member_with_a_long_nick_0"), List.of());
    Frame frame = NativeFrames.reply("7", reply, Json.object());
    ByteBuf bytes = FrameEncoder.encode(ByteBufAllocator.DEFAULT, frame.header(), frame.content());
    int headerLength = bytes.getUnsignedShort(0);
    assertThat(headerLength).isLessThan(200);
    EmbeddedChannel client = new EmbeddedChannel(
        new FrameDecoder(new FrameLimits(0xFFFF, 4 * 1024 * 1024, 10)));
    client.writeInbound(bytes);
    Frame decoded = client.readInbound();
    assertThat(decoded.number("member-count", -1)).isEqualTo(20_000);
    assertThat(decoded.field("members")).hasSize(20_000);
    assertThat(decoded.field("ops").get(0).asString()).isEqualTo("member_with_a_long_nick_0");
    assertThat(client.finish()).isFalse();
  }
}
