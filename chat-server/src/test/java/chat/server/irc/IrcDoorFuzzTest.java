package chat.server.irc;

import static org.assertj.core.api.Assertions.assertThat;

import chat.core.CoreLimits;
import chat.core.Hub;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.flow.FlowControlHandler;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The whole IRC door on an embedded channel with a real hub and the default limits: any bytes,
 * cut anyhow, after registration. Nothing may throw; every line the door writes parses, ends
 * with CR LF, has a body within 510 bytes; a closed connection's last line is ERROR.
 */
class IrcDoorFuzzTest {

  static {
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("chat"))
        .setLevel(ch.qos.logback.classic.Level.WARN);
  }

  @FuzzTest(maxDuration = "10s")
  void anyBytesAfterRegistrationGetWellFormedLines(FuzzedDataProvider data) throws Exception {
    Hub hub = new Hub(CoreLimits.DEFAULT, Clock.systemUTC());
    IrcServerInfo info = new IrcServerInfo(IrcConfig.of("127.0.0.1", 0), hub);
    EmbeddedChannel channel = new EmbeddedChannel(new IrcLineDecoder(), new FlowControlHandler(),
        IrcLineEncoder.INSTANCE, new IrcConnection(hub, info));
    channel.writeInbound(Unpooled.copiedBuffer(
        "CAP LS 302\r\nCAP REQ :message-tags server-time echo-message batch labeled-response "
            + "extended-join multi-prefix userhost-in-names draft/chathistory\r\n"
            + "NICK fuzzer\r\nUSER f 0 * :F\r\nCAP END\r\nJOIN #fuzz\r\n",
        StandardCharsets.UTF_8));
    channel.runPendingTasks();
    int reads = data.consumeInt(1, 8);
    for (int i = 0; i < reads && channel.isOpen(); i++) {
      byte[] bytes = i == reads - 1 ? data.consumeRemainingAsBytes() : data.consumeBytes(600);
      channel.writeInbound(Unpooled.wrappedBuffer(bytes));
      channel.runPendingTasks();
    }
    channel.runPendingTasks();
    boolean open = channel.isOpen();
    List<IrcMessage> lines = lines(channel);
    assertThat(lines).extracting(IrcMessage::command).contains("001");
    if (!open) {
      assertThat(lines.get(lines.size() - 1).command()).isEqualTo("ERROR");
    }
    channel.finishAndReleaseAll();
    assertThat(hub.sessionCount()).isZero();
  }

  private static List<IrcMessage> lines(EmbeddedChannel channel) throws Exception {
    StringBuilder all = new StringBuilder();
    Object out;
    while ((out = channel.readOutbound()) != null) {
      ByteBuf buf = (ByteBuf) out;
      all.append(buf.toString(StandardCharsets.UTF_8));
      buf.release();
    }
    List<IrcMessage> lines = new ArrayList<>();
    String text = all.toString();
    assertThat(text.isEmpty() || text.endsWith("\r\n")).isTrue();
    for (String line : text.split("\r\n")) {
      if (line.isEmpty()) {
        continue;
      }
      assertThat(line).doesNotContain("\r", "\n", "\0");
      IrcMessage m = IrcMessage.parse(line);
      String body = line.startsWith("@") ? line.substring(line.indexOf(' ') + 1) : line;
      assertThat(body.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(510);
      lines.add(m);
    }
    return lines;
  }
}
