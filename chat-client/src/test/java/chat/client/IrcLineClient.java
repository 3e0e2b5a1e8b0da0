package chat.client;

import chat.server.irc.IrcMessage;
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

/** A plain blocking IRC client for end-to-end tests; every read is bounded by a timeout. */
final class IrcLineClient implements AutoCloseable {

  private final Socket socket;
  private final BufferedReader in;
  private final OutputStream out;
  final List<IrcMessage> received = new ArrayList<>();

  IrcLineClient(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(10_000);
    in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    out = socket.getOutputStream();
  }

  static IrcLineClient register(int port, String nick, String... caps) throws IOException {
    IrcLineClient client = new IrcLineClient(port);
    if (caps.length > 0) {
      client.send("CAP LS 302").send("CAP REQ :" + String.join(" ", caps));
    }
    client.send("NICK " + nick).send("USER " + nick + " 0 * :" + nick);
    if (caps.length > 0) {
      client.send("CAP END");
    }
    client.await(m -> m.command().equals("376") || m.command().equals("422"));
    return client;
  }

  IrcLineClient send(String line) throws IOException {
    out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
    return this;
  }

  IrcMessage await(Predicate<IrcMessage> match) throws IOException {
    List<String> seen = new ArrayList<>();
    try {
      while (true) {
        String line = in.readLine();
        if (line == null) {
          throw new AssertionError("connection closed; lines: " + seen);
        }
        IrcMessage m;
        try {
          m = IrcMessage.parse(line);
        } catch (IrcMessage.ParseException e) {
          throw new AssertionError("unparsable line from the server: " + line);
        }
        received.add(m);
        if (match.test(m)) {
          return m;
        }
        seen.add(line);
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("no matching line in time; lines: " + seen);
    }
  }

  IrcMessage await(String command) throws IOException {
    return await(m -> m.command().equals(command));
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
