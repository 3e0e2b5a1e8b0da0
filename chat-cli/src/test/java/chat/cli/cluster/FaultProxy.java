package chat.cli.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy for making outages in tests without touching the shared services: listens on
 * 127.0.0.1 port 0 and forwards every connection to {@code 127.0.0.1:targetPort}.
 * {@link #cut()} drops every connection (a reset) and resets new ones at once until
 * {@link #restore()}; {@link #delay(long)} holds every chunk that long before passing it on (a
 * slow network or database); {@link #loseAnswerAfter(String)} passes to the server the
 * client's next chunk after one containing a marker (a message's text: its INSERT, then the
 * COMMIT, come on one connection), swallows the server's answer, and cuts
 * {@link #SWALLOW_MILLIS} later: the server did it, the client never hears.
 *
 * <p>Threads are bounded: one acceptor and two pumps (virtual threads) per connection, at most
 * {@link #MAX_CONNECTIONS} connections (more are reset). {@link #close()} ends them all.
 */
final class FaultProxy implements AutoCloseable {

  static final int MAX_CONNECTIONS = 128;
  static final long SWALLOW_MILLIS = 300;

  private final int targetPort;
  private final ServerSocket listener;
  private final Thread acceptor;
  private final Set<Pair> pairs = ConcurrentHashMap.newKeySet();
  private final AtomicInteger accepted = new AtomicInteger();
  private final AtomicLong delayMillis = new AtomicLong();
  private volatile boolean cut;
  private volatile boolean closed;
  private volatile byte[] cutMarker;
  private volatile boolean swallowing;

  private record Pair(Socket client, Socket server) {
    void close() {
      reset(client);
      reset(server);
    }
  }

  FaultProxy(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.listener = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
    this.acceptor = Thread.ofPlatform().name("fault-proxy-" + port()).daemon().start(this::accept);
  }

  int port() {
    return listener.getLocalPort();
  }

  /** Connections accepted so far (refused ones included). */
  int accepted() {
    return accepted.get();
  }

  /** Connections forwarded now. */
  int open() {
    return pairs.size();
  }

  /** Drops every connection and resets new ones until {@link #restore()}. */
  void cut() {
    cut = true;
    for (Pair p : pairs) {
      p.close();
    }
    pairs.clear();
  }

  /** Accepts and forwards again, without delay. */
  void restore() {
    cutMarker = null;
    swallowing = false;
    delayMillis.set(0);
    cut = false;
  }

  /** Every chunk, either way, waits {@code millis} before it is passed on (0: none). */
  void delay(long millis) {
    delayMillis.set(millis);
  }

  /**
   * After a client's chunk containing {@code marker} (ASCII), the next chunk from that client
   * is passed on, nothing more comes back from the server, and {@link #SWALLOW_MILLIS} later
   * (time for the server to act on it) every connection is cut as by {@link #cut()}.
   */
  void loseAnswerAfter(String marker) {
    cutMarker = marker.getBytes(StandardCharsets.US_ASCII);
  }

  /** Whether the proxy is cut (by {@link #cut()} or after a {@link #loseAnswerAfter}). */
  boolean isCut() {
    return cut;
  }

  private void accept() {
    while (!closed) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        return; // closed
      }
      accepted.incrementAndGet();
      if (cut || pairs.size() >= MAX_CONNECTIONS) {
        reset(client);
        continue;
      }
      Socket server = new Socket();
      try {
        server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 2000);
        client.setTcpNoDelay(true);
        server.setTcpNoDelay(true);
      } catch (IOException e) {
        reset(client);
        reset(server);
        continue;
      }
      Pair pair = new Pair(client, server);
      pairs.add(pair);
      Thread.ofVirtual().start(() -> pump(pair, client, server, true));
      Thread.ofVirtual().start(() -> pump(pair, server, client, false));
    }
  }

  private void pump(Pair pair, Socket from, Socket to, boolean fromClient) {
    byte[] buffer = new byte[16 * 1024];
    boolean armed = false;
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      for (int n; (n = in.read(buffer)) >= 0; ) {
        long delay = delayMillis.get();
        if (delay > 0) {
          Thread.sleep(delay);
        }
        if (cut) {
          break;
        }
        if (!fromClient && swallowing) {
          continue; // the answer is lost
        }
        out.write(buffer, 0, n);
        out.flush();
        byte[] marker = cutMarker;
        if (fromClient && !armed && marker != null && contains(buffer, n, marker)) {
          cutMarker = null;
          armed = true;
        } else if (armed) {
          armed = false;
          swallowing = true;
          Thread.ofVirtual().start(() -> {
            try {
              Thread.sleep(SWALLOW_MILLIS); // the server's time to act, not a synchronisation
            } catch (InterruptedException e) {
              return;
            }
            cut();
          });
        }
      }
    } catch (IOException | InterruptedException e) {
      // the other side went, or the pair was cut
    } finally {
      pairs.remove(pair);
      pair.close();
    }
  }

  private static boolean contains(byte[] buffer, int n, byte[] marker) {
    outer:
    for (int i = 0; i + marker.length <= n; i++) {
      for (int j = 0; j < marker.length; j++) {
        if (buffer[i + j] != marker[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  /** Closes with a reset (SO_LINGER 0), as a dead peer or a refused port looks. */
  private static void reset(Socket s) {
    try {
      if (!s.isClosed() && s.isConnected()) {
        s.setSoLinger(true, 0);
      }
    } catch (SocketException ignored) {
      // closing anyway
    }
    try {
      s.close();
    } catch (IOException ignored) {
      // nothing to do
    }
  }

  @Override
  public void close() throws IOException {
    closed = true;
    listener.close();
    cut();
    try {
      acceptor.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
