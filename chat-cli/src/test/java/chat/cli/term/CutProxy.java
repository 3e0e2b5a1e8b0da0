package chat.cli.term;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on 127.0.0.1 for taking a connection away from under the terminal client (a
 * smaller cousin of chat-client's test TcpProxy): {@link #cut()} resets every connection on both
 * sides, so client and server notice at once, as after a network drop both ends see.
 */
final class CutProxy implements AutoCloseable {

  private final ServerSocket listener;
  private final int targetPort;
  private final List<Socket[]> links = new CopyOnWriteArrayList<>();

  CutProxy(int targetPort) throws IOException {
    this.targetPort = targetPort;
    listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofPlatform().daemon().name("cut-proxy-accept").start(this::accept);
  }

  int port() {
    return listener.getLocalPort();
  }

  /** Resets every connection open now, both ways. */
  void cut() {
    for (Socket[] link : links) {
      reset(link[0]);
      reset(link[1]);
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
        Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        Socket[] link = {client, server};
        links.add(link);
        Thread.ofPlatform().daemon().start(() -> pump(link, client, server));
        Thread.ofPlatform().daemon().start(() -> pump(link, server, client));
      } catch (IOException e) {
        reset(client);
      }
    }
  }

  private void pump(Socket[] link, Socket from, Socket to) {
    byte[] buffer = new byte[16 * 1024];
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      for (int n; (n = in.read(buffer)) >= 0; ) {
        out.write(buffer, 0, n);
      }
    } catch (IOException e) {
      // reset or closed: end below
    }
    reset(link[0]);
    reset(link[1]);
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
}
