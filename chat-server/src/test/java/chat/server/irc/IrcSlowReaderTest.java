package chat.server.irc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import chat.core.ConnectionLimits;
import chat.core.CoreLimits;
import chat.core.FloodLimits;
import chat.core.SlowReaderLimits;
import chat.server.ChatServer;
import chat.server.ServerConfig;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An IRC member that stops reading sits in a busy channel: what the server holds for it stays
 * near the slow-reader mark (the door's inbox counts, not only the socket's buffer), the others
 * receive everything in order, and the laggard is told how many lines it missed, or cut off once
 * it has been behind too long.
 */
class IrcSlowReaderTest {

  private static final long HIGH_WATER = 128 * 1024;
  private static final long HARD_LIMIT = 512 * 1024;
  private static final String TEXT = "x".repeat(400);
  /** Enough to fill any kernel buffers between the server and a reader that stopped. */
  private static final int MOST = 40_000;

  private ChatServer server;
  private final List<IrcTestClient> clients = new ArrayList<>();
  private final ExecutorService threads = Executors.newCachedThreadPool();
  /** Lines from alice bob has read so far, checked to come in order. */
  private final AtomicInteger bobRead = new AtomicInteger();

  private void start(Duration maxBehind) throws InterruptedException {
    server = new ChatServer(ServerConfig.defaults().withAddress("127.0.0.1", 0)
        .withCoreLimits(CoreLimits.DEFAULT.withFlood(FloodLimits.OFF)
            .withConnections(ConnectionLimits.DEFAULT.withHelloTimeout(Duration.ofSeconds(5)))
            .withSlowReaders(new SlowReaderLimits(HIGH_WATER, HARD_LIMIT, maxBehind))))
        .irc(IrcConfig.of("127.0.0.1", 0))
        .start();
  }

  @AfterEach
  void stop() throws Exception {
    threads.shutdownNow();
    for (IrcTestClient client : clients) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private IrcTestClient member(String nick) throws Exception {
    IrcTestClient client = IrcTestClient.register(server.ircPort(), nick);
    clients.add(client);
    client.send("JOIN #lobby");
    client.await(m -> m.command().equals("366"));
    return client;
  }

  /** A member whose socket takes little: it stops reading once joined. */
  private IrcTestClient slowMember() throws Exception {
    Socket socket = new Socket();
    socket.setReceiveBufferSize(4096);
    socket.connect(new InetSocketAddress("127.0.0.1", server.ircPort()));
    IrcTestClient client = new IrcTestClient(socket);
    clients.add(client);
    client.send("NICK slow").send("USER slow 0 * :Slow");
    client.await(m -> m.command().equals("376") || m.command().equals("422"));
    client.send("JOIN #lobby");
    client.await(m -> m.command().equals("366"));
    return client;
  }

  private IrcConnection connectionOf(String nick) {
    return server.ircChannels().stream().map(ch -> ch.pipeline().get(IrcConnection.class))
        .filter(c -> c != null && nick.equals(c.nick())).findFirst().orElseThrow();
  }

  private Future<?> readAll(IrcTestClient bob) {
    return threads.submit(() -> {
      int expected = 0;
      while (!Thread.currentThread().isInterrupted()) {
        IrcMessage m = bob.next();
        if (m == null) {
          return null;
        }
        if (m.command().equals("PRIVMSG") && m.source().startsWith("alice!")) {
          assertThat(m.param(1)).startsWith(expected + " ");
          expected++;
          bobRead.incrementAndGet();
        }
        bob.received.clear();
      }
      return null;
    });
  }

  /** alice sends {@code count} lines in batches of 20, each batch read by bob before the next. */
  private long sendAndWatch(IrcTestClient alice, int from, int count, IrcConnection slow)
      throws Exception {
    long most = 0;
    for (int batch = from; batch < from + count; batch += 20) {
      int end = Math.min(batch + 20, from + count);
      StringBuilder lines = new StringBuilder();
      for (int i = batch; i < end; i++) {
        lines.append("PRIVMSG #lobby :").append(i).append(' ').append(TEXT).append("\r\n");
      }
      alice.raw(lines.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      await().atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(1)).until(() -> bobRead.get() >= end);
      if (slow != null) {
        long pending = slow.pendingBytes();
        most = Math.max(most, pending);
        assertThat(pending).isLessThanOrEqualTo(HARD_LIMIT);
      }
    }
    return most;
  }

  /** alice sends until slow has had lines dropped, then {@code more}; returns how many in all. */
  private int sendUntilBehind(IrcTestClient alice, IrcConnection slow, int more)
      throws Exception {
    int sent = 0;
    long most = 0;
    while (slow.droppedMessages() == 0 && sent < MOST) {
      most = Math.max(most, sendAndWatch(alice, sent, 200, slow));
      sent += 200;
    }
    assertThat(slow.droppedMessages()).as("dropped after " + sent).isPositive();
    most = Math.max(most, sendAndWatch(alice, sent, more, slow));
    // Past the mark lines are dropped, so what waits stays near it, far below the hard limit.
    assertThat(most).isLessThanOrEqualTo(HIGH_WATER + 16 * 1024);
    return sent + more;
  }

  @Test
  void aMemberThatStopsReadingCostsBoundedMemoryAndIsToldWhatItMissed() throws Exception {
    start(Duration.ofMinutes(5));
    IrcTestClient slow = slowMember();
    IrcTestClient alice = member("alice");
    IrcTestClient bob = member("bob");
    slow.received.clear();
    IrcConnection slowConnection = connectionOf("slow");
    Future<?> bobReads = readAll(bob);

    int total = sendUntilBehind(alice, slowConnection, 400); // slow reads nothing meanwhile
    assertThat(bobRead.get()).isEqualTo(total);

    // Now it reads: the lines it was sent and how many it missed; together, every line. It may
    // have fallen behind more than once, so every notice counts; the PONG shows that everything
    // sent before it has arrived (the last notice follows once the backlog has drained).
    slow.send("PING back");
    int received = 0;
    int dropped = 0;
    boolean pong = false;
    Pattern missedCount = Pattern.compile("^(\\d+) messages? w");
    long deadline = System.nanoTime() + 30_000_000_000L;
    while ((!pong || received + dropped < total) && System.nanoTime() < deadline) {
      IrcMessage m = slow.next();
      assertThat(m).as("the connection stays open").isNotNull();
      if (m.command().equals("PONG")) {
        pong = true;
      } else if (m.command().equals("PRIVMSG") && m.source().startsWith("alice!")) {
        received++;
      } else if (m.command().equals("NOTICE")) {
        Matcher missed = missedCount.matcher(m.param(1));
        if (missed.find()) {
          dropped += Integer.parseInt(missed.group(1));
        }
      }
      slow.received.clear();
    }
    assertThat(pong).isTrue();
    assertThat(dropped).isPositive();
    assertThat(received + dropped).isEqualTo(total);
    bobReads.cancel(true);
  }

  @Test
  void aMemberBehindForTooLongIsDisconnectedAndTheChannelGoesOn() throws Exception {
    start(Duration.ofMillis(500));
    slowMember();
    IrcTestClient alice = member("alice");
    IrcTestClient bob = member("bob");
    IrcConnection slowConnection = connectionOf("slow");
    Future<?> bobReads = readAll(bob);
    int sent = sendUntilBehind(alice, slowConnection, 0);
    // no more traffic needed: the door checks again when the member is overdue
    IrcMessage quit = alice.await(m -> m.command().equals("QUIT") && m.source().startsWith("slow!"));
    assertThat(quit.param(0)).isEqualTo("too slow: behind for 500 ms");
    await().atMost(Duration.ofSeconds(5)).until(() -> server.hub().sessionCount() == 2);
    sendAndWatch(alice, sent, 200, null);
    assertThat(bobRead.get()).isEqualTo(sent + 200);
    bobReads.cancel(true);
  }
}
