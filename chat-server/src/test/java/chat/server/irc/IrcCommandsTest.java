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
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The command table and the handlers behind it, without sockets: connections on Netty's
 * embedded channel, one in-memory hub between them, lines in and lines out.
 */
class IrcCommandsTest {

  private final Hub hub = new Hub(CoreLimits.DEFAULT, Clock.systemUTC());
  private final IrcServerInfo info = new IrcServerInfo(IrcConfig.of("127.0.0.1", 0), hub);
  private final List<EmbeddedChannel> open = new ArrayList<>();

  @AfterEach
  void close() {
    open.forEach(EmbeddedChannel::finishAndReleaseAll);
  }

  /** A registered client named {@code nick}, its welcome read. */
  private EmbeddedChannel client(String nick) throws Exception {
    EmbeddedChannel channel = new EmbeddedChannel(new IrcLineDecoder(), new FlowControlHandler(),
        IrcLineEncoder.INSTANCE, new IrcConnection(hub, info));
    open.add(channel);
    send(channel, "NICK " + nick, "USER " + nick + " 0 * :" + nick);
    assertThat(lines(channel)).extracting(IrcMessage::command).contains("001");
    return channel;
  }

  private static void send(EmbeddedChannel channel, String... lines) {
    channel.writeInbound(Unpooled.copiedBuffer(String.join("\r\n", lines) + "\r\n",
        StandardCharsets.UTF_8));
    channel.runPendingTasks();
  }

  /** What was written to the client since the last call, every hub task run first. */
  private List<IrcMessage> lines(EmbeddedChannel channel) throws Exception {
    for (EmbeddedChannel c : open) {
      c.runPendingTasks();
    }
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
        lines.add(IrcMessage.parse(line));
      }
    }
    return lines;
  }

  private static List<String> commands(List<IrcMessage> lines) {
    return lines.stream().map(IrcMessage::command).toList();
  }

  @Test
  void theTableSaysWhatMayComeBeforeRegistrationAndEveryCommandHasHelp() {
    assertThat(IrcCommands.all().stream().filter(IrcCommands.Spec::early)
        .map(IrcCommands.Spec::name)).containsExactlyInAnyOrder("CAP", "PASS", "NICK", "USER",
            "AUTHENTICATE", "REGISTER", "PING", "PONG", "QUIT");
    assertThat(IrcCommands.all()).allSatisfy(spec -> {
      assertThat(spec.help()).as(spec.name()).startsWith(spec.name());
      assertThat(spec.handler()).as(spec.name()).isNotNull();
    });
  }

  @Test
  void targmaxIsTheTablesAndTheCoresLimits() {
    int max = CoreLimits.DEFAULT.sizes().maxTargets();
    assertThat(info.isupport).contains("TARGMAX=JOIN:,PART:,NAMES:1,KICK:" + max + ",PRIVMSG:"
        + max + ",NOTICE:" + max + ",TAGMSG:" + max + ",WHOIS:1,USERHOST:5,ISON:"
        + CoreLimits.DEFAULT.sizes().maxLookup());
  }

  @Test
  void moreTargetsThanTargmaxIs407AndNothingIsSent() throws Exception {
    EmbeddedChannel alice = client("alice");
    EmbeddedChannel bob = client("bob");
    int max = CoreLimits.DEFAULT.sizes().maxTargets();
    String many = IntStream.range(0, max).mapToObj(i -> "bob").collect(Collectors.joining(","))
        + ",carol";
    send(alice, "PRIVMSG " + many + " :hi");
    List<IrcMessage> answer = lines(alice);
    assertThat(commands(answer)).containsExactly("407");
    assertThat(answer.get(0).param(1)).isEqualTo("carol");
    assertThat(lines(bob)).isEmpty();
    send(alice, "PRIVMSG bob :just one");
    assertThat(lines(bob)).extracting(m -> m.param(1)).containsExactly("just one");
  }

  @Test
  void beforeRegistrationOnlyTheEarlyCommandsRun() throws Exception {
    EmbeddedChannel early = new EmbeddedChannel(new IrcLineDecoder(), new FlowControlHandler(),
        IrcLineEncoder.INSTANCE, new IrcConnection(hub, info));
    open.add(early);
    send(early, "JOIN #dev", "FROBNICATE", "PING x");
    assertThat(commands(lines(early))).containsExactly("451", "451", "PONG");
    EmbeddedChannel alice = client("alice");
    send(alice, "FROBNICATE", "TOPIC", "KICK #dev");
    List<IrcMessage> answer = lines(alice);
    assertThat(commands(answer)).containsExactly("421", "461", "461");
    assertThat(answer.get(1).param(1)).isEqualTo("TOPIC");
  }

  @Test
  void channelHandlersJoinTopicModeAndKickThroughTheCore() throws Exception {
    EmbeddedChannel alice = client("alice");
    EmbeddedChannel bob = client("bob");
    send(alice, "JOIN #dev");
    assertThat(commands(lines(alice))).containsExactly("JOIN", "353", "366");
    send(bob, "JOIN #dev");
    assertThat(commands(lines(bob))).containsExactly("JOIN", "353", "366");
    assertThat(lines(alice)).singleElement().satisfies(m -> {
      assertThat(m.command()).isEqualTo("JOIN");
      assertThat(m.source()).startsWith("bob!");
    });
    send(alice, "TOPIC #dev :news", "MODE #dev +m");
    assertThat(commands(lines(alice))).containsExactly("TOPIC", "MODE");
    assertThat(commands(lines(bob))).containsExactly("TOPIC", "MODE");
    send(bob, "KICK #dev alice");
    assertThat(commands(lines(bob))).containsExactly("482");
    send(alice, "KICK #dev bob :bye", "NAMES #dev");
    List<IrcMessage> answer = lines(alice);
    assertThat(commands(answer)).containsExactly("KICK", "353", "366");
    assertThat(answer.get(1).param(3)).isEqualTo("@alice");
    assertThat(lines(bob)).extracting(IrcMessage::command).containsExactly("KICK");
  }

  @Test
  void userModesAreTheConnectionsOwn() throws Exception {
    EmbeddedChannel alice = client("alice");
    send(alice, "MODE alice +iwB", "MODE alice", "MODE alice -w", "MODE bob +i");
    List<IrcMessage> answer = lines(alice);
    assertThat(commands(answer)).containsExactly("MODE", "221", "MODE", "502");
    assertThat(answer.get(0).param(1)).isEqualTo("+iwB");
    assertThat(answer.get(1).param(1)).isEqualTo("+Biw");
    assertThat(answer.get(2).param(1)).isEqualTo("-w");
  }

  @Test
  void helpComesFromTheTable() throws Exception {
    EmbeddedChannel alice = client("alice");
    send(alice, "HELP", "HELP wallops", "HELP frobnicate");
    List<IrcMessage> answer = lines(alice);
    assertThat(commands(answer)).containsExactly("704", "705", "706", "704", "706", "524");
    for (IrcCommands.Spec spec : IrcCommands.all()) {
      assertThat(answer.get(0).param(2)).contains(" " + spec.name());
    }
    assertThat(answer.get(3).param(2)).isEqualTo(IrcCommands.of("WALLOPS").help());
  }
}
