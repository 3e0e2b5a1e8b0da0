package chat.server.web;

import chat.server.irc.IrcMessage;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.awaitility.Awaitility;

/**
 * An IRC client over the web door's WebSocket, through the JDK's WebSocket: one line per
 * message, text or binary as the server chose, and every message kept as it came.
 */
final class IrcWsClient implements AutoCloseable {

  static final Duration WAIT = Duration.ofSeconds(10);

  /** One message from the server: its kind and its text (binary ones decoded as UTF-8). */
  record Message(boolean binary, String text) {}

  private final WebSocket ws;
  final List<Message> messages = new CopyOnWriteArrayList<>();
  /** The close code and reason once the server has closed, else null. */
  volatile String closed;
  /** Send lines as binary messages (else text). */
  boolean binary;
  private int consumed;

  private IrcWsClient(HttpClient http, URI uri, String origin, String... subprotocols)
      throws Exception {
    WebSocket.Builder builder = http.newWebSocketBuilder()
        .connectTimeout(WAIT);
    if (origin != null) {
      builder.header("Origin", origin);
    }
    if (subprotocols.length > 0) {
      builder.subprotocols(subprotocols[0],
          java.util.Arrays.copyOfRange(subprotocols, 1, subprotocols.length));
    }
    ws = builder.buildAsync(uri, new Listener())
        .get(WAIT.toSeconds(), TimeUnit.SECONDS);
    binary = "binary.ircv3.net".equals(ws.getSubprotocol());
  }

  /** Connects to {@code path} with the page origin {@code origin} (null: none). */
  static IrcWsClient connect(int port, String path, String origin, String... subprotocols)
      throws Exception {
    return new IrcWsClient(HttpClient.newHttpClient(),
        URI.create("ws://127.0.0.1:" + port + path), origin, subprotocols);
  }

  /** Connects to {@code uri} (wss, say) through {@code http}. */
  static IrcWsClient connect(HttpClient http, URI uri, String origin, String... subprotocols)
      throws Exception {
    return new IrcWsClient(http, uri, origin, subprotocols);
  }

  /** Connects to /irc as a page of the server's own origin would, and registers as nick. */
  static IrcWsClient register(int port, String nick, String... subprotocols) throws Exception {
    IrcWsClient c = connect(port, WebConfig.IRC_PATH, "http://127.0.0.1:" + port, subprotocols);
    c.send("NICK " + nick).send("USER " + nick + " 0 * :" + nick + " on the web");
    c.await(m -> m.command().equals("001"));
    c.await(m -> m.command().equals("376") || m.command().equals("422"));
    return c;
  }

  /** The subprotocol the server chose ("" for none). */
  String subprotocol() {
    return ws.getSubprotocol();
  }

  /** One line as one message (text, or binary if {@link #binary}). */
  IrcWsClient send(String line) {
    if (binary) {
      return bytes(line.getBytes(StandardCharsets.UTF_8));
    }
    ws.sendText(line, true).join();
    return this;
  }

  /** One binary message with exactly these bytes. */
  IrcWsClient bytes(byte[] message) {
    ws.sendBinary(ByteBuffer.wrap(message), true).join();
    return this;
  }

  /** One binary message that the server may refuse before it has all of it. */
  IrcWsClient bytesMaybeCut(byte[] message) {
    ws.sendBinary(ByteBuffer.wrap(message), true).exceptionally(e -> null).join();
    return this;
  }

  /** One text message sent in fragments. */
  IrcWsClient fragments(String... parts) {
    for (int i = 0; i < parts.length; i++) {
      ws.sendText(parts[i], i == parts.length - 1).join();
    }
    return this;
  }

  /** The next line not yet consumed that matches, waiting for it; lines before it are consumed. */
  IrcMessage await(Predicate<IrcMessage> match) {
    return Awaitility.await().atMost(WAIT).until(() -> {
      while (consumed < messages.size()) {
        IrcMessage m = IrcMessage.parse(messages.get(consumed++).text());
        if (match.test(m)) {
          return m;
        }
      }
      return null;
    }, m -> m != null);
  }

  IrcMessage await(String command) {
    return await(m -> m.command().equals(command));
  }

  /** Waits for the server to close the WebSocket; returns "code reason". */
  String awaitClosed() {
    return Awaitility.await().atMost(WAIT).until(() -> closed, c -> c != null);
  }

  @Override
  public void close() {
    ws.abort();
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder text = new StringBuilder();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    @Override
    public java.util.concurrent.CompletionStage<?> onText(WebSocket webSocket,
        CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        messages.add(new Message(false, text.toString()));
        text.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public java.util.concurrent.CompletionStage<?> onBinary(WebSocket webSocket,
        ByteBuffer data, boolean last) {
      byte[] chunk = new byte[data.remaining()];
      data.get(chunk);
      bytes.writeBytes(chunk);
      if (last) {
        messages.add(new Message(true, bytes.toString(StandardCharsets.UTF_8)));
        bytes.reset();
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public java.util.concurrent.CompletionStage<?> onClose(WebSocket webSocket, int statusCode,
        String reason) {
      closed = statusCode + " " + reason;
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      closed = "error " + error;
    }
  }

  /** Every message's text so far (for failure messages). */
  List<String> texts() {
    List<String> all = new ArrayList<>();
    messages.forEach(m -> all.add(m.text()));
    return all;
  }
}
