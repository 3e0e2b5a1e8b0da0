package chat.server.irc;

import chat.core.Hub;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.util.ReferenceCountUtil;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * IRC over WebSocket (the IRCv3 {@code websocket} extension): the IRC door's connection behind
 * the web door's WebSocket, one IRC line per message. The web door does the HTTP side (path,
 * Origin check, TLS, the handshake); {@link #newFrames()} is the stage it puts behind Netty's
 * WebSocket handlers. Once the handshake is done that stage adds the IRC door's own line codec
 * and {@link IrcConnection} behind itself, exactly as on the IRC port, and converts between
 * messages and bytes: each message's bytes, with a line feed appended, go through
 * {@link IrcLineDecoder} (so the same 510-byte and 4094-byte limits hold, an overlong line is the
 * decoder's {@code TOO_LONG} marker and gets {@code 417}, invalid UTF-8 becomes U+FFFD), and each
 * line {@link IrcLineEncoder} writes becomes one message without its CR LF.
 *
 * <p>Subprotocols: {@value #BINARY} (binary messages) and {@value #TEXT} (text messages); the
 * client's first choice among them wins, and a client that asks for neither gets text messages.
 * Either kind of message is accepted from the client whatever was negotiated.
 */
public final class IrcWebSocket {

  private static final Logger log = LoggerFactory.getLogger(IrcWebSocket.class);

  public static final String TEXT = "text.ircv3.net";
  public static final String BINARY = "binary.ircv3.net";
  /** Both subprotocols, for the handshake. */
  public static final String SUBPROTOCOLS = BINARY + "," + TEXT;
  /**
   * The largest WebSocket message taken in: well above the longest legal line (4094 bytes of
   * tags, a space, 510 bytes), so a line over IRC's limits but under this gets {@code 417} and
   * the connection goes on. A single frame beyond it is a WebSocket error (close 1009); a
   * fragmented message beyond it gets {@code 417} and the rest of it is dropped.
   */
  public static final int MAX_MESSAGE_BYTES = 64 * 1024;

  private final Hub hub;
  private final IrcServerInfo info;
  private final ChannelGroup connections;

  IrcWebSocket(Hub hub, IrcServerInfo info, ChannelGroup connections) {
    this.hub = hub;
    this.info = info;
    this.connections = connections;
  }

  /** Whether a {@code Sec-WebSocket-Protocol} header (null: none) offers an IRC subprotocol. */
  public static boolean offered(String protocolHeader) {
    if (protocolHeader == null) {
      return false;
    }
    for (String p : protocolHeader.split(",")) {
      String name = p.strip().toLowerCase(Locale.ROOT);
      if (name.equals(TEXT) || name.equals(BINARY)) {
        return true;
      }
    }
    return false;
  }

  /** The stage that goes right behind the WebSocket handshake and aggregator, one per channel. */
  public ChannelHandler newFrames() {
    return new Frames();
  }

  /** Messages to line bytes and line bytes to messages; opens the IRC connection. */
  private final class Frames extends ChannelDuplexHandler {
    private boolean open;
    private boolean binary;

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete done && !open) {
        open = true;
        binary = BINARY.equals(done.selectedSubprotocol());
        connections.add(ctx.channel()); // counted, and closed at shutdown, with the IRC door's
        ChannelPipeline p = ctx.pipeline();
        p.addAfter(ctx.name(), "irc-decoder", new IrcLineDecoder());
        // As on the IRC port: flood pushback and command backpressure turn reading off, and
        // lines already decoded wait here instead of reaching the connection.
        p.addAfter("irc-decoder", "flow", new FlowControlHandler());
        p.addAfter("flow", "irc-encoder", IrcLineEncoder.INSTANCE);
        p.addAfter("irc-encoder", "session", new IrcConnection(hub, info, false));
        ctx.fireChannelActive(); // the connection opens its hub session and its hello timer
        return;
      }
      ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (!(msg instanceof WebSocketFrame frame)) {
        ctx.fireChannelRead(msg);
        return;
      }
      try {
        if (!open || !(frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame)) {
          return;
        }
        ByteBuf content = frame.content();
        int length = content.readableBytes();
        boolean ended = length > 0 && content.getByte(content.writerIndex() - 1) == '\n';
        ByteBuf line = ctx.alloc().buffer(length + 1);
        line.writeBytes(content, content.readerIndex(), length);
        if (!ended) {
          line.writeByte('\n'); // the message is the line: end it for the line decoder
        }
        ctx.fireChannelRead(line);
      } finally {
        ReferenceCountUtil.release(frame);
      }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
      if (!(msg instanceof ByteBuf bytes)) {
        ctx.write(msg, promise);
        return;
      }
      if (!bytes.isReadable()) {
        // The connection flushes an empty buffer right before it closes (after ERROR): on a
        // WebSocket that is the moment for the close message.
        bytes.release();
        ctx.write(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE), promise);
        return;
      }
      int end = bytes.writerIndex();
      if (bytes.readableBytes() >= 2 && bytes.getByte(end - 2) == '\r'
          && bytes.getByte(end - 1) == '\n') {
        bytes.writerIndex(end - 2); // one line per message, without its CR LF
      }
      ctx.write(binary ? new BinaryWebSocketFrame(bytes) : new TextWebSocketFrame(bytes),
          promise);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      if (cause instanceof TooLongFrameException) {
        // A fragmented message past MAX_MESSAGE_BYTES: the aggregator drops the rest of it.
        // Overlong as any line is, with the same answer.
        ctx.fireChannelRead(IrcLineDecoder.TOO_LONG);
        ctx.fireChannelReadComplete();
        return;
      }
      if (cause instanceof CorruptedFrameException) {
        // A broken or oversized frame: the WebSocket decoder has sent its close code and closes.
        log.debug("{}: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
        return;
      }
      ctx.fireExceptionCaught(cause);
    }
  }
}
