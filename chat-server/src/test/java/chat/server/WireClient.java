package chat.server;

import chat.protocol.Frame;
import chat.protocol.FrameEncoder;
import chat.protocol.Json;
import chat.protocol.Keys;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import tools.jackson.databind.node.ObjectNode;

/**
 * A deliberately plain blocking client for door tests: it writes raw bytes or frames and reads
 * frames, so tests can send exactly what a broken or hostile client would. Public for the other
 * doors' tests that need a native client beside theirs.
 */
public final class WireClient implements AutoCloseable {

  static final int TIMEOUT_MS = 5000;

  final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  /** Every frame read so far, in order. */
  final List<Frame> received = new ArrayList<>();

  public WireClient(int port) throws IOException {
    this(port, 0);
  }

  /** With {@code receiveBuffer} > 0, a small receive window: a reader that falls behind fast. */
  WireClient(int port, int receiveBuffer) throws IOException {
    socket = new Socket();
    if (receiveBuffer > 0) {
      socket.setReceiveBufferSize(receiveBuffer);
    }
    socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), TIMEOUT_MS);
    socket.setSoTimeout(TIMEOUT_MS);
    socket.setTcpNoDelay(true);
    in = new DataInputStream(socket.getInputStream());
    out = socket.getOutputStream();
  }

  static WireClient hello(int port, String nick) throws IOException {
    return hello(new WireClient(port), nick);
  }

  static WireClient hello(WireClient client, String nick) throws IOException {
    ObjectNode hello = Json.header("hello").put("id", "hello").put("version", 1);
    if (nick != null) {
      hello.put("nick", nick);
    }
    client.send(hello);
    client.await(f -> "welcome".equals(f.type()));
    client.await(f -> "joined".equals(f.type()) && (nick == null || nick.equals(f.string("nick"))));
    return client;
  }

  static byte[] bytes(ObjectNode header, byte[] content) {
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

  public void send(ObjectNode header) throws IOException {
    send(header, new byte[0]);
  }

  void send(ObjectNode header, String text) throws IOException {
    header.put(Keys.CONTENT_TYPE, "text/plain; charset=utf-8");
    send(header, text.getBytes(StandardCharsets.UTF_8));
  }

  void send(ObjectNode header, byte[] content) throws IOException {
    raw(bytes(header, content));
  }

  void raw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** Reads one frame, or null at end of stream; throws on timeout. */
  Frame read() throws IOException {
    int headerLength;
    try {
      headerLength = in.readUnsignedShort();
    } catch (EOFException e) {
      return null;
    }
    byte[] header = new byte[headerLength];
    in.readFully(header);
    ObjectNode node = (ObjectNode) Json.MAPPER.readTree(header);
    byte[] content = new byte[node.has(Keys.CONTENT_LENGTH) ? node.get(Keys.CONTENT_LENGTH).asInt() : 0];
    in.readFully(content);
    Frame frame = new Frame(node, content);
    received.add(frame);
    return frame;
  }

  /** Reads until a frame matches; fails if the stream ends or nothing matches in time. */
  public Frame await(Predicate<Frame> match) throws IOException {
    long deadline = System.currentTimeMillis() + TIMEOUT_MS;
    while (System.currentTimeMillis() < deadline) {
      Frame frame = read();
      if (frame == null) {
        throw new EOFException("connection closed while waiting; got " + received);
      }
      if (match.test(frame)) {
        return frame;
      }
    }
    throw new SocketTimeoutException("no matching frame; got " + received);
  }

  Frame awaitType(String type) throws IOException {
    return await(f -> type.equals(f.type()));
  }

  public Frame awaitReply(String id) throws IOException {
    return await(f -> id.equals(f.id()));
  }

  /** Reads frames until the server closes the connection; returns them. */
  List<Frame> readUntilClosed() throws IOException {
    List<Frame> frames = new ArrayList<>();
    long deadline = System.currentTimeMillis() + TIMEOUT_MS;
    while (System.currentTimeMillis() < deadline) {
      Frame frame;
      try {
        frame = read();
      } catch (java.net.SocketException e) {
        return frames; // reset counts as closed
      }
      if (frame == null) {
        return frames;
      }
      frames.add(frame);
    }
    throw new SocketTimeoutException("server did not close; got " + frames);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
