package chat.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import chat.core.ConnectionLimits;
import chat.core.CoreLimits;
import chat.core.FloodLimits;
import chat.core.SlowReaderLimits;
import chat.protocol.Frame;
import chat.protocol.Json;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A member that stops reading sits in a busy room: the server's memory for it stays bounded, the
 * others receive everything, and the laggard is told what it missed or cut off.
 */
class SlowReaderTest {

  private static final long HIGH_WATER = 128 * 1024;
  private static final long HARD_LIMIT = 512 * 1024;
  private static final String TEXT = "x".repeat(4000);
  /** Enough to fill any kernel buffers between the server and a reader that stopped. */
  private static final int MOST = 5000;

  private ChatServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool();

  private void start(Duration maxBehind) throws InterruptedException {
    server = new ChatServer(ServerConfig.defaults().withAddress("127.0.0.1", 0)
        .withCoreLimits(CoreLimits.DEFAULT.withFlood(FloodLimits.OFF)
            .withConnections(ConnectionLimits.DEFAULT.withHelloTimeout(Duration.ofSeconds(5)))
            .withSlowReaders(new SlowReaderLimits(HIGH_WATER, HARD_LIMIT, maxBehind))))
        .start();
  }

  @AfterEach
  void stop() {
    threads.shutdownNow();
    if (server != null) {
      server.close();
    }
  }

  private NativeSession sessionOf(String nick) {
    return server.nativeSessions().stream()
        .filter(s -> nick.equals(s.session().nick())).findFirst().orElseThrow();
  }

  /** Room messages bob has read so far. */
  private final AtomicInteger bobRead = new AtomicInteger();

  /** Reads until {@code count} room messages arrived; checks they come in seq order. */
  private Future<Integer> readMessages(WireClient client, int count) {
    return threads.submit(() -> {
      long expected = -1;
      int got = 0;
      while (got < count) {
        Frame f = client.awaitType("message");
        long seq = f.number("seq", -1);
        if (expected >= 0) {
          assertThat(seq).isEqualTo(expected);
        }
        expected = seq + 1;
        got++;
        bobRead.incrementAndGet();
        client.received.clear();
      }
      return got;
    });
  }

  /**
   * alice sends {@code count} messages, 20 at a time, reading her confirmations (she is no slow
   * reader); returns the largest backlog of {@code slow} seen (when given).
   */
  private long sendAndWatch(WireClient alice, int count, int from, NativeSession slow)
      throws IOException {
    long most = 0;
    for (int batch = from; batch < from + count; batch += 10) {
      int end = Math.min(batch + 10, from + count);
      for (int i = batch; i < end; i++) {
        alice.send(Json.header("msg").put("id", "m" + i).put("room", "lobby"), TEXT);
      }
      for (int i = batch; i < end; i++) {
        alice.awaitReply("m" + i);
      }
      alice.received.clear();
      // bob keeps up (he is the reader who must get everything), the slow one does not
      await().atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(1)).until(() -> bobRead.get() >= end);
      if (slow != null) {
        long pending = slow.pendingOutboundBytes();
        most = Math.max(most, pending);
        assertThat(pending).isLessThanOrEqualTo(HARD_LIMIT);
      }
    }
    return most;
  }

  /** alice sends until the slow one has had messages dropped, then {@code more}; returns how many. */
  private int sendUntilBehind(WireClient alice, NativeSession slow, int more) throws IOException {
    int sent = 0;
    long most = 0;
    while (slow.droppedMessages() == 0 && sent < MOST) {
      most = Math.max(most, sendAndWatch(alice, 100, sent, slow));
      sent += 100;
    }
    assertThat(slow.droppedMessages()).as("dropped after " + sent).isPositive();
    most = Math.max(most, sendAndWatch(alice, more, sent, slow));
    // Past the mark messages are dropped, so what waits stays near it, far below the hard limit.
    assertThat(most).isLessThanOrEqualTo(HIGH_WATER + 16 * 1024);
    return sent + more;
  }

  @Test
  void aMemberThatStopsReadingCostsBoundedMemoryAndIsToldWhatItMissed() throws Exception {
    start(Duration.ofMinutes(5));
    try (WireClient slow = WireClient.hello(new WireClient(port(), 4096), "slow");
         WireClient alice = WireClient.hello(port(), "alice");
         WireClient bob = WireClient.hello(port(), "bob")) {
      slow.await(f -> "joined".equals(f.type()) && "bob".equals(f.string("nick")));
      alice.await(f -> "joined".equals(f.type()) && "bob".equals(f.string("nick")));
      NativeSession slowSession = sessionOf("slow");
      Future<Integer> bobGot = readMessages(bob, Integer.MAX_VALUE);

      int total = sendUntilBehind(alice, slowSession, 200); // slow reads nothing meanwhile
      assertThat(bobRead.get()).isEqualTo(total);
      assertThat(slowSession.pendingOutboundBytes()).isLessThanOrEqualTo(HIGH_WATER + 16 * 1024);

      // Now it reads: what it was sent and how many it missed; together, every message. It may
      // have fallen behind more than once (the kernel's buffers grow while it does not read), so
      // every "missed" notice counts; the pong shows everything sent before it has arrived.
      slow.send(Json.header("ping").put("id", "back"));
      int received = 0;
      int dropped = 0;
      boolean pong = false;
      Pattern missedCount = Pattern.compile("^(\\d+) messages? w");
      long deadline = System.nanoTime() + 20_000_000_000L;
      while ((!pong || received + dropped < total) && System.nanoTime() < deadline) {
        Frame f = slow.read();
        assertThat(f).as("the connection stays open").isNotNull();
        if ("message".equals(f.type())) {
          received++;
        } else if ("notice".equals(f.type())) {
          Matcher missed = missedCount.matcher(f.contentAsText());
          if (missed.find()) {
            dropped += Integer.parseInt(missed.group(1));
          }
        } else if ("pong".equals(f.type()) && "back".equals(f.id())) {
          pong = true;
        }
        slow.received.clear();
      }
      assertThat(pong).isTrue();
      assertThat(dropped).isPositive();
      assertThat(received + dropped).isEqualTo(total);
      bobGot.cancel(true);
    }
  }

  @Test
  void aMemberBehindForTooLongIsDisconnectedWithAReason() throws Exception {
    start(Duration.ofMillis(500));
    try (WireClient slow = WireClient.hello(new WireClient(port(), 4096), "slow");
         WireClient alice = WireClient.hello(port(), "alice");
         WireClient bob = WireClient.hello(port(), "bob")) {
      NativeSession slowSession = sessionOf("slow");
      Future<Integer> bobGot = readMessages(bob, Integer.MAX_VALUE);
      int sent = sendUntilBehind(alice, slowSession, 0);
      // no more traffic needed: the outbox checks again when the member is overdue
      Frame quit = alice.await(f -> "quit".equals(f.type()) && "slow".equals(f.string("nick")));
      assertThat(quit.string("reason")).isEqualTo("too slow: behind for 500 ms");
      await().atMost(Duration.ofSeconds(5)).until(() -> server.hub().sessionCount() == 2);
      // the rest of the room goes on, and got everything
      sendAndWatch(alice, 100, sent, null);
      assertThat(bobRead.get()).isEqualTo(sent + 100);
      bobGot.cancel(true);
      try {
        slow.readUntilClosed();
      } catch (IOException reset) {
        // cut off before it read everything: fine, the reason went to the room
      }
    }
  }

  private int port() {
    return server.port();
  }
}
