package chat.server.web;

import chat.protocol.Frame;
import chat.protocol.FrameEncoder;
import chat.protocol.FrameError;
import chat.protocol.FrameLimits;
import chat.protocol.Json;
import chat.protocol.Keys;
import chat.protocol.WholeFrames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import tools.jackson.databind.node.ObjectNode;

/** A WebSocket client of the web door through the JDK's WebSocket: frames as binary messages. */
public final class WsClient implements AutoCloseable {

  public static final Duration WAIT = Duration.ofSeconds(10);

  private final WebSocket ws;
  /** Every frame received, in order. */
  public final List<Frame> received = new CopyOnWriteArrayList<>();
  /** The close code and reason once the server has closed, else null. */
  public volatile String closed;
  private final CompletableFuture<Void> done = new CompletableFuture<>();

  private WsClient(int port, String origin) throws Exception {
    WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder()
        .connectTimeout(WAIT);
    if (origin != null) {
      builder.header("Origin", origin);
    }
    ws = builder.buildAsync(URI.create("ws://127.0.0.1:" + port + WebConfig.WS_PATH),
        new Listener()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  /** Connects without an Origin header (as non-browser clients do). */
  public static WsClient connect(int port) throws Exception {
    return new WsClient(port, null);
  }

  public static WsClient connect(int port, String origin) throws Exception {
    return new WsClient(port, origin);
  }

  /** Connects and says hello as {@code nick}; returns once joined to lobby. */
  public static WsClient hello(int port, String nick) throws Exception {
    WsClient c = connect(port, "http://127.0.0.1:" + port);
    c.send(Json.header("hello").put("id", "hello").put("version", 1).put("nick", nick));
    c.await(f -> "welcome".equals(f.type()));
    c.await(f -> "joined".equals(f.type()) && nick.equals(f.string("nick")));
    return c;
  }

  public static byte[] bytes(ObjectNode header, byte[] content) {
    ByteBuf buf = Unpooled.buffer();
    try {
      FrameEncoder.write(buf, header, content);
      byte[] bytes = new byte[buf.readableBytes()];
      buf.readBytes(bytes);
      return bytes;
    } finally {
      buf.release();
    }
  }

  public void send(ObjectNode header) {
    raw(bytes(header, new byte[0]));
  }

  public void send(ObjectNode header, String text) {
    header.put(Keys.CONTENT_TYPE, "text/plain; charset=utf-8");
    raw(bytes(header, text.getBytes(StandardCharsets.UTF_8)));
  }

  /** One binary message with exactly these bytes. */
  public void raw(byte[] message) {
    ws.sendBinary(ByteBuffer.wrap(message), true).join();
  }

  public void text(String message) {
    ws.sendText(message, true).join();
  }

  public Frame await(Predicate<Frame> match) {
    return Awaitility.await().atMost(WAIT).until(
        () -> received.stream().filter(match).findFirst().orElse(null), f -> f != null);
  }

  public Frame awaitReply(String id) {
    return await(f -> id.equals(f.id()));
  }

  public List<Frame> matching(Predicate<Frame> match) {
    return received.stream().filter(match).toList();
  }

  /** Waits for the server to close the WebSocket; returns "code reason". */
  public String awaitClosed() {
    return Awaitility.await().atMost(WAIT).until(() -> closed, c -> c != null);
  }

  @Override
  public void close() {
    ws.abort();
  }

  private final class Listener implements WebSocket.Listener {
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private final List<String> texts = new ArrayList<>();

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
      byte[] chunk = new byte[data.remaining()];
      data.get(chunk);
      partial.writeBytes(chunk);
      if (last) {
        ByteBuf message = Unpooled.wrappedBuffer(partial.toByteArray());
        partial.reset();
        Object decoded = WholeFrames.decode(message, new FrameLimits(65535, 1 << 20, 10));
        if (decoded instanceof Frame frame) {
          received.add(frame);
        } else {
          received.add(Frame.of(Json.header("client-decode-error")
              .put("message", ((FrameError) decoded).message())));
        }
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      texts.add(data.toString());
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closed = statusCode + " " + reason;
      done.complete(null);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      closed = "error " + error;
      done.complete(null);
    }
  }
}
