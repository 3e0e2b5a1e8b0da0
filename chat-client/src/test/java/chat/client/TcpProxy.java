package chat.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntSupplier;

/**
 * A TCP proxy on 127.0.0.1 for tests that take the network away from under a client: the client
 * connects to {@link #port()}, the proxy to the target. {@link #cut()} resets every connection
 * both ways (both ends notice at once); {@link #strand()} resets only the clients' side and goes
 * on reading what the server sends into nothing, as after a network drop the server has not
 * noticed: it keeps the session and delivers to it until a ping times out or a login takes it
 * over.
 */
public final class TcpProxy implements AutoCloseable {

  private final ServerSocket listener;
  private final IntSupplier targetPort;
  private final List<Link> links = new CopyOnWriteArrayList<>();

  /** @param targetPort asked for each new connection (the target may start after the proxy) */
  public TcpProxy(IntSupplier targetPort) throws IOException {
    this.targetPort = targetPort;
    listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofPlatform().daemon().name("tcp-proxy-accept").start(this::accept);
  }

  public int port() {
    return listener.getLocalPort();
  }

  /** Connections open now. */
  public int connections() {
    return links.size();
  }

  /** Resets every connection at once, on both sides. */
  public void cut() {
    for (Link link : links) {
      reset(link.client);
      reset(link.server);
    }
  }

  /**
   * Resets every connection on the clients' side only; the server's side stays open, and what
   * the server sends on it is read and dropped until the server closes it.
   */
  public void strand() {
    for (Link link : links) {
      link.stranded = true;
      reset(link.client);
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
    cut();
  }

  private void accept() {
    while (!listener.isClosed()) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        return; // closed
      }
      try {
        Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort.getAsInt());
        client.setTcpNoDelay(true);
        server.setTcpNoDelay(true);
        Link link = new Link(client, server);
        links.add(link);
        Thread.ofPlatform().daemon().name("tcp-proxy-up").start(() -> pump(link, true));
        Thread.ofPlatform().daemon().name("tcp-proxy-down").start(() -> pump(link, false));
      } catch (IOException e) {
        reset(client);
      }
    }
  }

  /** Copies one direction until either side ends; then ends the link (unless stranded). */
  private void pump(Link link, boolean up) {
    byte[] buffer = new byte[16 * 1024];
    try {
      InputStream in = (up ? link.client : link.server).getInputStream();
      OutputStream out = (up ? link.server : link.client).getOutputStream();
      for (int n; (n = in.read(buffer)) >= 0; ) {
        if (!link.stranded) {
          out.write(buffer, 0, n);
        } else if (up) {
          return; // the client is gone; the server must not hear of it
        }
      }
    } catch (IOException e) {
      // reset or closed: end below
    }
    if (up && link.stranded) {
      return;
    }
    reset(link.client);
    reset(link.server);
    links.remove(link);
  }

  private static void reset(Socket socket) {
    try {
      socket.setSoLinger(true, 0); // RST, not FIN: the peer sees the connection broken
    } catch (SocketException e) {
      // closed already
    }
    try {
      socket.close();
    } catch (IOException e) {
      // nothing left to do
    }
  }

  private static final class Link {
    final Socket client;
    final Socket server;
    volatile boolean stranded;

    Link(Socket client, Socket server) {
      this.client = client;
      this.server = server;
    }
  }

  @Override
  public String toString() {
    return "TcpProxy[" + port() + ", " + links.size() + " connections]";
  }
}
