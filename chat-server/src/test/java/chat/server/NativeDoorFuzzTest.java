package chat.server;

import static org.assertj.core.api.Assertions.assertThat;

import chat.core.CoreLimits;
import chat.core.Hub;
import chat.protocol.Frame;
import chat.protocol.FrameDecoder;
import chat.protocol.FrameEncoder;
import chat.protocol.FrameError;
import chat.protocol.FrameLimits;
import chat.protocol.Json;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.flow.FlowControlHandler;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The whole native door on an embedded channel with a real hub and the default limits (flood
 * control included): any bytes, cut anyhow, after a proper hello. Nothing may throw, every
 * answer must be a well-formed frame, and the connection ends only with a fatal error.
 */
class NativeDoorFuzzTest {

  static {
    // Millions of inputs: the door's one line per closed offender would drown the fuzzer.
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("chat"))
        .setLevel(ch.qos.logback.classic.Level.WARN);
  }

  private static final FrameLimits LIMITS = new FrameLimits(1024, 2048, 10);

  @FuzzTest(maxDuration = "10s")
  void anyBytesAfterHelloGetWellFormedAnswers(FuzzedDataProvider data) {
    Hub hub = new Hub(CoreLimits.DEFAULT, Clock.systemUTC());
    EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(LIMITS),
        new FlowControlHandler(), FrameEncoder.INSTANCE,
        new NativeSession(hub, NativeFrames.limits(ServerConfig.defaults()), true));
    ByteBuf hello = Unpooled.buffer();
    FrameEncoder.write(hello, Json.header("hello").put("id", "h").put("version", 1)
        .put("nick", "fuzzer"), new byte[0]);
    channel.writeInbound(hello);
    int reads = data.consumeInt(1, 8);
    for (int i = 0; i < reads && channel.isOpen(); i++) {
      byte[] bytes = i == reads - 1 ? data.consumeRemainingAsBytes() : data.consumeBytes(600);
      channel.writeInbound(Unpooled.wrappedBuffer(bytes)); // rethrows what the pipeline threw
      channel.runPendingTasks();
    }
    channel.runPendingTasks();
    boolean open = channel.isOpen();
    List<Object> answers = answers(channel);
    assertThat(answers).isNotEmpty();
    assertThat(((Frame) answers.get(0)).type()).isEqualTo("welcome");
    if (!open) {
      Frame last = (Frame) answers.get(answers.size() - 1);
      assertThat(last.type()).as("the last word before a close").isEqualTo("error");
      assertThat(last.header().get("fatal").asBoolean()).isTrue();
    }
    channel.finishAndReleaseAll();
    assertThat(hub.sessionCount()).isZero();
  }

  /** Decodes what the door wrote: every byte must belong to a well-formed frame. */
  private static List<Object> answers(EmbeddedChannel channel) {
    EmbeddedChannel reader = new EmbeddedChannel(new FrameDecoder(
        new FrameLimits(0xFFFF, Integer.MAX_VALUE, 1)));
    Object out;
    while ((out = channel.readOutbound()) != null) {
      reader.writeInbound(out);
    }
    List<Object> frames = new ArrayList<>();
    Object frame;
    while ((frame = reader.readInbound()) != null) {
      assertThat(frame).isNotInstanceOf(FrameError.class);
      frames.add(frame);
    }
    reader.finishAndReleaseAll();
    return frames;
  }
}
