package chat.server.irc;

import static org.assertj.core.api.Assertions.assertThat;

import chat.core.CoreLimits;
import chat.core.Hub;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.flow.FlowControlHandler;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Another client's effects come before the reply to a command read after them. Each connection
 * is on its own embedded event loop, whose tasks run only when the test says: so the drain of
 * an event queued for alice is still waiting, deterministically, when alice's PING is read, as
 * happens on a busy server when the event loop wakes up to a readable socket and a queued drain
 * at once (Netty reads first). irctest syncs with PING/PONG and relies on this order.
 */
class IrcOrderTest {

  private final Hub hub = new Hub(CoreLimits.DEFAULT, Clock.systemUTC());
  private final IrcServerInfo info = new IrcServerInfo(IrcConfig.of("127.0.0.1", 0), hub);

  private EmbeddedChannel connect(String nick) {
    EmbeddedChannel channel = new EmbeddedChannel(new IrcLineDecoder(), new FlowControlHandler(),
        IrcLineEncoder.INSTANCE, new IrcConnection(hub, info));
    send(channel, "NICK " + nick + "\r\nUSER " + nick + " 0 * :" + nick + "\r\nJOIN #den\r\n");
    channel.runPendingTasks();
    lines(channel);
    return channel;
  }

  private static void send(EmbeddedChannel channel, String text) {
    channel.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @ValueSource(strings = {"PART #den :later", "QUIT :bye", "TOPIC #den :new topic",
      "KICK #den alice :out", "PRIVMSG #den :hello", "NICK carla", "MODE #den +m"})
  void anEffectQueuedBeforeAPingIsWrittenBeforeItsPong(String command) {
    EmbeddedChannel carol = connect("carol"); // first in: operator
    EmbeddedChannel alice = connect("alice");
    carol.runPendingTasks();
    lines(carol);

    send(carol, command + "\r\nPING c\r\n");
    carol.runPendingTasks();
    assertThat(lines(carol)).extracting(IrcMessage::command).containsAnyOf("PONG", "ERROR");
    // The event for alice is in her queue; its drain has not run yet. Now her PING is read.
    send(alice, "PING a\r\n");
    alice.runPendingTasks();
    List<String> seen = lines(alice).stream().map(IrcMessage::command).toList();
    String effect = command.split(" ")[0];
    assertThat(seen).as("alice's lines after carol's %s", command).contains(effect, "PONG");
    assertThat(seen.indexOf(effect)).isLessThan(seen.indexOf("PONG"));
    carol.finishAndReleaseAll();
    alice.finishAndReleaseAll();
  }

  @ParameterizedTest
  @ValueSource(strings = {"JOIN #den"})
  void anotherClientsJoinComesBeforeAPong(String command) {
    EmbeddedChannel alice = connect("alice");
    EmbeddedChannel dave = new EmbeddedChannel(new IrcLineDecoder(), new FlowControlHandler(),
        IrcLineEncoder.INSTANCE, new IrcConnection(hub, info));
    send(dave, "NICK dave\r\nUSER dave 0 * :dave\r\n");
    dave.runPendingTasks();
    lines(dave);
    send(dave, command + "\r\nPING d\r\n");
    dave.runPendingTasks();
    assertThat(lines(dave)).extracting(IrcMessage::command).contains("JOIN", "PONG");
    send(alice, "PING a\r\n");
    alice.runPendingTasks();
    List<String> seen = lines(alice).stream().map(IrcMessage::command).toList();
    assertThat(seen).containsExactly("JOIN", "PONG");
    dave.finishAndReleaseAll();
    alice.finishAndReleaseAll();
  }

  private static List<IrcMessage> lines(EmbeddedChannel channel) {
    StringBuilder all = new StringBuilder();
    Object out;
    while ((out = channel.readOutbound()) != null) {
      ByteBuf buf = (ByteBuf) out;
      all.append(buf.toString(StandardCharsets.UTF_8));
      buf.release();
    }
    List<IrcMessage> lines = new ArrayList<>();
    for (String line : all.toString().split("\r\n")) {
      if (!line.isEmpty()) {
        try {
          lines.add(IrcMessage.parse(line));
        } catch (IrcMessage.ParseException e) {
          throw new AssertionError(line, e);
        }
      }
    }
    return lines;
  }
}
