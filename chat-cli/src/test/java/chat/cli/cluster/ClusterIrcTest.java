package chat.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import chat.client.ChatClient;
import chat.client.ClientOptions;
import chat.protocol.Frame;
import chat.server.ServerConfig;
import chat.server.irc.IrcConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The IRC door of one server and the native door of another, in one cluster: an IRC client on
 * A sees a native user of B join, finds it in NAMES and WHOIS, and they talk privately. Raw
 * IRC lines over a real socket.
 */
class ClusterIrcTest {

  private final ClusterFixture cluster = new ClusterFixture();
  private Socket irc;
  private BufferedReader in;
  private OutputStream out;

  @BeforeEach
  void services() {
    ClusterFixture.requireServices("ClusterIrcTest");
  }

  @AfterEach
  void stop() throws Exception {
    if (irc != null) {
      irc.close();
    }
    cluster.close();
  }

  private void send(String line) throws Exception {
    out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** Reads lines until one contains {@code wanted} (at most 200 lines, 10 s each). */
  private String until(String wanted) throws Exception {
    for (int i = 0; i < 200; i++) {
      String line = in.readLine();
      if (line == null) {
        throw new AssertionError("closed before " + wanted);
      }
      if (line.startsWith("PING")) {
        send("PONG" + line.substring(4));
      }
      if (line.contains(wanted)) {
        return line;
      }
    }
    throw new AssertionError("no line with " + wanted);
  }

  @Test
  void anIrcClientOnOneServerMeetsANativeUserOfAnother() throws Exception {
    ClusterFixture.Node a = cluster.node(ServerConfig.defaults(),
        server -> server.irc(IrcConfig.of("127.0.0.1", 0)));
    ClusterFixture.Node b = cluster.node();
    irc = new Socket("127.0.0.1", a.server().ircPort());
    irc.setSoTimeout(10_000);
    in = new BufferedReader(new InputStreamReader(irc.getInputStream(), StandardCharsets.UTF_8));
    out = irc.getOutputStream();
    send("NICK ircuser");
    send("USER ircuser 0 * :IRC User");
    until(" 001 ");
    send("JOIN #dev");
    until(" 366 ");

    List<Frame> onB = new CopyOnWriteArrayList<>();
    try (ChatClient bob = ChatClient.connect(ClientOptions.of("127.0.0.1", b.port(), "bob"),
        onB::add)) {
      bob.join("dev").get(10, TimeUnit.SECONDS);
      assertThat(until("JOIN")).startsWith(":bob!").contains("#dev");
      send("NAMES #dev");
      assertThat(until(" 353 ")).contains("bob").contains("ircuser");
      send("WHOIS bob");
      assertThat(until(" 311 ")).contains("bob");
      send("PRIVMSG bob :hello from irc");
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() ->
          onB.stream().anyMatch(f -> "privmsg".equals(f.type())
              && "hello from irc".equals(f.contentAsText())));
      bob.privmsg("ircuser", "hello from b").get(10, TimeUnit.SECONDS);
      assertThat(until("hello from b")).startsWith(":bob!").contains("PRIVMSG ircuser");
      bob.say("dev", "to the room").get(10, TimeUnit.SECONDS);
      assertThat(until("to the room")).contains("PRIVMSG #dev");
      bob.quit("gone").get(10, TimeUnit.SECONDS);
      assertThat(until("QUIT")).startsWith(":bob!");
    }
  }

  @Test
  void awayAndRealNameSetOnOneServerAreSeenOnAnother() throws Exception {
    ClusterFixture.Node a = cluster.node(ServerConfig.defaults(),
        server -> server.irc(IrcConfig.of("127.0.0.1", 0)));
    ClusterFixture.Node b = cluster.node(ServerConfig.defaults(),
        server -> server.irc(IrcConfig.of("127.0.0.1", 0)));
    irc = new Socket("127.0.0.1", a.server().ircPort());
    irc.setSoTimeout(10_000);
    in = new BufferedReader(new InputStreamReader(irc.getInputStream(), StandardCharsets.UTF_8));
    out = irc.getOutputStream();
    send("NICK napper");
    send("USER napper 0 * :Nap Taker");
    until(" 001 ");
    send("JOIN #dev");
    until(" 366 ");
    send("AWAY :gone fishing");
    until(" 306 ");
    try (Socket other = new Socket("127.0.0.1", b.server().ircPort())) {
      other.setSoTimeout(10_000);
      BufferedReader otherIn = new BufferedReader(new InputStreamReader(other.getInputStream(),
          StandardCharsets.UTF_8));
      OutputStream otherOut = other.getOutputStream();
      otherOut.write("NICK asker\r\nUSER asker 0 * :Asker\r\n".getBytes(StandardCharsets.UTF_8));
      otherOut.flush();
      for (int i = 0; i < 100; i++) {
        String line = otherIn.readLine();
        if (line == null || line.contains(" 001 ")) {
          break;
        }
      }
      String whois = null;
      for (int attempt = 0; attempt < 50 && whois == null; attempt++) {
        otherOut.write("WHOIS napper\r\n".getBytes(StandardCharsets.UTF_8));
        otherOut.flush();
        StringBuilder reply = new StringBuilder();
        for (int i = 0; i < 100; i++) {
          String line = otherIn.readLine();
          if (line == null) {
            throw new AssertionError("closed");
          }
          if (line.startsWith("PING")) {
            otherOut.write(("PONG" + line.substring(4) + "\r\n").getBytes(StandardCharsets.UTF_8));
          }
          reply.append(line).append('\n');
          if (line.contains(" 318 ")) {
            break;
          }
        }
        if (reply.indexOf(" 301 ") >= 0) {
          whois = reply.toString();
        } else {
          TimeUnit.MILLISECONDS.sleep(200);
        }
      }
      assertThat(whois).as("WHOIS on b of a user of a").isNotNull()
          .contains("gone fishing").contains("Nap Taker").contains("#dev");
    }
  }
}
