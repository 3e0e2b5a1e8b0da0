package chat.bench;

import static org.assertj.core.api.Assertions.assertThat;

import chat.server.ChatServer;
import chat.server.irc.IrcConfig;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Short IRC-mode runs against the IRC door of a server in the test's process. */
class IrcLoadBenchTest {

  private ChatServer server;
  private final List<String> progress = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    server = new ChatServer(BenchCommand.inProcessConfig(0))
        .irc(IrcConfig.of("127.0.0.1", 0)).start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private BenchConfig config(String... args) {
    BenchCommand command = new BenchCommand();
    new CommandLine(command).parseArgs(args);
    return command.config();
  }

  private Target target() {
    return new Target(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.ircPort()),
        new InProcessProbe());
  }

  @Test
  void windowModeWithEchoMessageDeliversEveryMessageOnceAndInOrder() throws Exception {
    // Rooms 0 and 1 have 3 members each; senders 0 and 2 are in room 0, sender 1 in room 1.
    BenchConfig cfg = config("--protocol", "irc", "--clients", "6", "--rooms", "2",
        "--senders", "3", "--messages", "200", "--window", "16", "--warmup", "0",
        "--duration", "30");
    assertThat(cfg.irc()).isTrue();
    assertThat(cfg.port()).isEqualTo(6667);
    LoadResult result = new LoadBench(cfg, target(), progress::add).run();

    assertThat(result.connections()).isEqualTo(6);
    assertThat(result.sent()).isEqualTo(600);
    // The door offers echo-message: each sender hears its own messages, as members do.
    assertThat(result.expectedDeliveries()).isEqualTo((400 + 200) * 3);
    assertThat(result.deliveries()).isEqualTo(1800);
    assertThat(result.lost()).isZero();
    assertThat(result.outOfOrder()).isZero();
    assertThat(result.seqGaps()).isZero();
    assertThat(result.foreign()).isZero();
    assertThat(result.sendErrors()).isZero();
    assertThat(result.drained()).isTrue();
    assertThat(result.ok()).isTrue();
    assertThat(result.latencyMicros().getTotalCount()).isEqualTo(1800);
  }

  @Test
  void fixedRateRunsTheSameWay() throws Exception {
    BenchConfig cfg = config("--protocol", "irc", "--clients", "5", "--senders", "2",
        "--rate", "400", "--messages", "40", "--warmup", "0", "--duration", "30",
        "--size", "300");
    LoadResult result = new LoadBench(cfg, target(), progress::add).run();

    assertThat(result.sent()).isEqualTo(80);
    assertThat(result.deliveries()).isEqualTo(80 * 5);
    assertThat(result.lost()).isZero();
    assertThat(result.outOfOrder()).isZero();
    assertThat(result.ok()).isTrue();
  }

  @Test
  void anIrcLineBoundsTheSize() {
    BenchCommand command = new BenchCommand();
    CommandLine line = new CommandLine(command);
    line.parseArgs("--protocol", "irc", "--size", "401");
    org.assertj.core.api.Assertions.assertThatThrownBy(command::config)
        .hasMessageContaining("at most 400");
  }
}
