package chat.server;

import static org.assertj.core.api.Assertions.assertThat;

import chat.core.CoreLimits;
import chat.core.FloodLimits;
import chat.protocol.Frame;
import chat.protocol.Json;
import chat.server.irc.IrcConfig;
import chat.server.irc.IrcMessage;
import chat.server.irc.IrcTestClient;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import io.netty.channel.uring.IoUring;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Write coalescing ({@code --write-coalesce}) and the transports ({@code --transport}): a burst
 * reaches every member of both doors whole and in order, on each transport this machine has.
 */
class CoalescedWritesTest {

  private static final int BURST = 300;

  private ChatServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void aDrainRunsAtOnceAfterAQuietSpellAndWaitsOutTheGapUnderLoad() throws Exception {
    EventLoop loop = new DefaultEventLoop();
    try {
      long gap = TimeUnit.MILLISECONDS.toNanos(400);
      CountDownLatch quiet = new CountDownLatch(1);
      WriteCoalescing.schedule(loop, quiet::countDown, WriteCoalescing.never(gap), gap);
      assertThat(quiet.await(200, TimeUnit.MILLISECONDS)).isTrue();

      CountDownLatch busy = new CountDownLatch(1);
      long start = System.nanoTime();
      WriteCoalescing.schedule(loop, busy::countDown, System.nanoTime(), gap);
      assertThat(busy.await(5, TimeUnit.SECONDS)).isTrue();
      assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(gap - 1_000_000);
    } finally {
      loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"auto", "epoll", "nio", "io_uring"})
  void aBurstReachesEveryMemberOfBothDoorsWholeAndInOrder(String transport) throws Exception {
    if (transport.equals("io_uring") && !IoUring.isAvailable()) {
      System.out.println("SKIPPED io_uring: not available here: "
          + IoUring.unavailabilityCause());
      return;
    }
    server = new ChatServer(ServerConfig.defaults().withAddress("127.0.0.1", 0)
        .withCoreLimits(CoreLimits.DEFAULT.withFlood(FloodLimits.OFF))
        .withWriteCoalesce(Duration.ofMillis(20)).withTransport(transport))
        .irc(IrcConfig.of("127.0.0.1", 0)).start();
    List<String> expected = IntStream.range(0, BURST).mapToObj(i -> "m" + i).toList();
    try (WireClient sender = WireClient.hello(server.port(), "sender");
        WireClient reader = WireClient.hello(server.port(), "reader");
        IrcTestClient irc = IrcTestClient.register(server.ircPort(), "ircy")) {
      irc.send("JOIN #lobby");
      irc.await("366");
      for (String text : expected) {
        sender.send(Json.header("msg").put("room", "lobby"), text);
      }
      List<String> native_ = new ArrayList<>();
      while (native_.size() < BURST) {
        Frame f = reader.await(m -> "message".equals(m.type()));
        native_.add(f.contentAsText());
      }
      List<String> ircLines = new ArrayList<>();
      while (ircLines.size() < BURST) {
        IrcMessage m = irc.await("PRIVMSG");
        ircLines.add(m.param(1));
      }
      assertThat(native_).isEqualTo(expected);
      assertThat(ircLines).isEqualTo(expected);
    }
  }

  @Test
  void anUnknownTransportIsRefusedWithItsName() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Transport.named("carrier-pigeon"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("carrier-pigeon")
        .hasMessageContaining("io_uring");
  }
}
