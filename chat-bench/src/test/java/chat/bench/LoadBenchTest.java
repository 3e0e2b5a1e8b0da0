package chat.bench;

import static org.assertj.core.api.Assertions.assertThat;

import chat.server.ChatServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Short runs against a server in the test's process, on 127.0.0.1 and a free port. */
class LoadBenchTest {

  private ChatServer server;
  private final List<String> progress = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    server = new ChatServer(BenchCommand.inProcessConfig(0)).start();
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
    return new Target(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()),
        new InProcessProbe());
  }

  @ParameterizedTest
  @ValueSource(strings = {"lean", "tree"})
  void everyMemberGetsEveryMessageOnceAndInOrder(String decoder) throws Exception {
    // Rooms 0 and 1 have 3 members each; senders 0 and 2 are in room 0, sender 1 in room 1.
    BenchConfig cfg = config("--clients", "6", "--rooms", "2", "--senders", "3",
        "--messages", "200", "--window", "16", "--warmup", "0", "--duration", "30",
        "--decoder", decoder);
    LoadResult result = new LoadBench(cfg, target(), progress::add).run();

    assertThat(result.connections()).isEqualTo(6);
    assertThat(result.sent()).isEqualTo(600);
    assertThat(result.expectedDeliveries()).isEqualTo((400 + 200) * 3);
    assertThat(result.deliveries()).isEqualTo(1800);
    assertThat(result.lost()).isZero();
    assertThat(result.outOfOrder()).isZero();
    assertThat(result.seqGaps()).isZero();
    assertThat(result.foreign()).isZero();
    assertThat(result.sendErrors()).isZero();
    assertThat(result.drained()).isTrue();
    assertThat(result.ok()).isTrue();
    // No warm-up: every message was sent inside the measured interval.
    assertThat(result.latencyMicros().getTotalCount()).isEqualTo(1800);
    assertThat(result.latencyMicros().getMaxValue()).isPositive();
    assertThat(result.connectMicros().getTotalCount()).isEqualTo(6);
    assertThat(result.measuredDeliveries()).isBetween(1L, 1800L);
    assertThat(result.serverCpuNanos()).isPositive();
  }

  @Test
  void fixedRateSendsAndChecksTheSameWay() throws Exception {
    BenchConfig cfg = config("--clients", "4", "--senders", "2", "--rate", "400",
        "--messages", "40", "--warmup", "0", "--duration", "30", "--ramp", "200");
    LoadResult result = new LoadBench(cfg, target(), progress::add).run();

    assertThat(result.sent()).isEqualTo(80);
    assertThat(result.deliveries()).isEqualTo(80 * 4);
    assertThat(result.ok()).isTrue();
    assertThat(result.latencyMicros().getTotalCount()).isEqualTo(320);
  }

  @Test
  void theIdleRunCountsItsConnections() throws Exception {
    BenchConfig cfg = config("--idle", "--clients", "12", "--settle", "0");
    IdleResult result = new IdleBench(cfg, target(), progress::add).run();

    assertThat(result.connections()).isEqualTo(12);
    assertThat(result.heapBefore()).isPositive();
    assertThat(result.heapAfter()).isPositive();
    assertThat(server.hub().sessionCount()).isBetween(0, 12);
  }
}
