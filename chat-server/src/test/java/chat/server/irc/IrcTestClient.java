package chat.server.irc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A plain blocking IRC client for tests: it writes raw lines or bytes and reads lines, so tests
 * can send exactly what a broken or hostile client would. Every read is bounded by a timeout.
 */
public final class IrcTestClient implements AutoCloseable {

  static final int TIMEOUT_MS = 5000;

  final Socket socket;
  private final BufferedReader in;
  private final OutputStream out;
  /** Every line read so far, in order. */
  public final List<IrcMessage> received = new ArrayList<>();
  private int consumed;

  public IrcTestClient(int port) throws IOException {
    this(new Socket("127.0.0.1", port));
  }

  public IrcTestClient(Socket socket) throws IOException {
    this.socket = socket;
    socket.setSoTimeout(TIMEOUT_MS);
    socket.setTcpNoDelay(true);
    in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    out = socket.getOutputStream();
  }

  /** Connects and registers with NICK and USER; returns once the MOTD (or 422) is in. */
  public static IrcTestClient register(int port, String nick, String... caps) throws IOException {
    IrcTestClient client = new IrcTestClient(port);
    if (caps.length > 0) {
      client.send("CAP LS 302");
      client.send("CAP REQ :" + String.join(" ", caps));
      client.await(m -> m.command().equals("CAP") && "ACK".equals(m.param(1)));
    }
    client.send("NICK " + nick);
    client.send("USER " + nick + " 0 * :" + nick + " Tester");
    if (caps.length > 0) {
      client.send("CAP END");
    }
    client.await(m -> m.command().equals("001"));
    client.await(m -> m.command().equals("376") || m.command().equals("422"));
    return client;
  }

  public IrcTestClient send(String line) throws IOException {
    return raw((line + "\r\n").getBytes(StandardCharsets.UTF_8));
  }

  public IrcTestClient raw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
    return this;
  }

  /** The next line not yet consumed, read from the socket if needed; null at end of stream. */
  public IrcMessage next() throws IOException {
    if (consumed < received.size()) {
      return received.get(consumed++);
    }
    String line = in.readLine();
    if (line == null) {
      return null;
    }
    try {
      IrcMessage message = IrcMessage.parse(line);
      received.add(message);
      consumed++;
      return message;
    } catch (IrcMessage.ParseException e) {
      throw new AssertionError("server sent an unparsable line: " + line, e);
    }
  }

  /** Reads until a line matches; fails after the timeout or at end of stream. */
  public IrcMessage await(Predicate<IrcMessage> match) throws IOException {
    List<String> seen = new ArrayList<>();
    try {
      while (true) {
        IrcMessage m = next();
        if (m == null) {
          throw new AssertionError("connection closed; lines since the last match: " + seen);
        }
        if (match.test(m)) {
          return m;
        }
        seen.add(m.format());
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("no matching line within " + TIMEOUT_MS + " ms; lines: " + seen);
    }
  }

  public IrcMessage await(String command) throws IOException {
    return await(m -> m.command().equals(command));
  }

  /** The lines read up to and including the first that matches. */
  public List<IrcMessage> until(Predicate<IrcMessage> match) throws IOException {
    int from = consumed;
    await(match);
    return List.copyOf(received.subList(from, consumed));
  }

  /** Reads until the server closes the connection; the lines that came. */
  public List<IrcMessage> untilClosed() throws IOException {
    int from = consumed;
    try {
      while (next() != null) {
        // keep reading
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("still open after " + TIMEOUT_MS + " ms");
    } catch (java.net.SocketException e) {
      // reset: closed as well
    }
    return List.copyOf(received.subList(from, consumed));
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
