package chat.server.irc;

import static org.assertj.core.api.Assertions.assertThat;

import chat.core.ConnectionLimits;
import chat.core.CoreLimits;
import chat.core.FloodLimits;
import chat.server.ChatServer;
import chat.server.ServerConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The core's limits hold for IRC connections: flood pushback and the hello timeout. */
class IrcLimitsTest {

  private ChatServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private int start(CoreLimits limits) throws Exception {
    server = new ChatServer(ServerConfig.defaults().withAddress("127.0.0.1", 0)
        .withCoreLimits(limits)).irc(IrcConfig.of("127.0.0.1", 0)).start();
    return server.ircPort();
  }

  @Test
  void aFloodIsSlowedDownWithANoticeAndNothingIsLostOrReordered() throws Exception {
    int port = start(CoreLimits.DEFAULT.withFlood(
        new FloodLimits(12, 40, 80, 40, 2, 5, Duration.ofSeconds(60))));
    try (IrcTestClient alice = IrcTestClient.register(port, "alice", "echo-message")) {
      alice.send("JOIN #dev");
      alice.await("366");
      StringBuilder burst = new StringBuilder();
      for (int i = 0; i < 30; i++) {
        burst.append("PRIVMSG #dev :m").append(i).append("\r\n");
      }
      alice.raw(burst.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      List<String> echoed = new ArrayList<>();
      boolean slowedDown = false;
      while (echoed.size() < 30) {
        IrcMessage m = alice.await(l -> l.command().equals("PRIVMSG")
            || l.command().equals("NOTICE"));
        if (m.command().equals("NOTICE")) {
          slowedDown |= m.param(1).startsWith("slow down");
        } else {
          echoed.add(m.param(1));
        }
      }
      assertThat(slowedDown).isTrue();
      assertThat(echoed).isEqualTo(java.util.stream.IntStream.range(0, 30)
          .mapToObj(i -> "m" + i).toList());
    }
  }

  @Test
  void registrationMustFinishWithinTheHelloTimeout() throws Exception {
    int port = start(CoreLimits.DEFAULT.withConnections(
        ConnectionLimits.DEFAULT.withHelloTimeout(Duration.ofMillis(300))));
    try (IrcTestClient slow = new IrcTestClient(port)) {
      slow.send("CAP LS 302").send("NICK slow");
      List<IrcMessage> last = slow.untilClosed();
      assertThat(last.get(last.size() - 1).command()).isEqualTo("ERROR");
      assertThat(last.get(last.size() - 1).param(0)).contains("no hello within");
    }
  }
}
