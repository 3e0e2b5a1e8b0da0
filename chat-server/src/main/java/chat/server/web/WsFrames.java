package chat.server.web;

import chat.core.Hub;
import chat.protocol.Frame;
import chat.protocol.FrameEncoder;
import chat.protocol.FrameError;
import chat.protocol.FrameLimits;
import chat.protocol.WholeFrames;
import chat.server.FileLinks;
import chat.server.NativeDoor;
import chat.server.metrics.DoorMeter;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The WebSocket door's only own stage: one binary message is one native frame, both ways. It
 * turns messages into {@link Frame}s (or {@link FrameError}s, with the native decoder and
 * limits) for the native door's session handler, and the session's frames (or encoded
 * frames) into binary messages; the session itself (command table, events, outbox, pings) is the native door's.
 * Once the upgrade is done it adds the meter and the session behind itself and opens the
 * session.
 */
final class WsFrames extends ChannelDuplexHandler {

  private static final Logger log = LoggerFactory.getLogger(WsFrames.class);

  private final Hub hub;
  private final ObjectNode limits;
  private final FrameLimits frameLimits;
  private final DoorMeter meter;
  private final ChannelGroup sessions;
  private final FileLinks links;
  private boolean open;

  WsFrames(Hub hub, ObjectNode limits, FrameLimits frameLimits, DoorMeter meter,
      ChannelGroup sessions, FileLinks links) {
    this.links = links;
    this.hub = hub;
    this.limits = limits;
    this.frameLimits = frameLimits;
    this.meter = meter;
    this.sessions = sessions;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete && !open) {
      open = true;
      sessions.add(ctx.channel());
      meter.opened();
      // As on the native port: flood pushback turns reading off, and frames already decoded
      // from the last read wait in the flow handler instead of reaching the session.
      ctx.pipeline().addAfter(ctx.name(), "flow", new FlowControlHandler());
      ctx.pipeline().addAfter("flow", "meter", meter);
      ctx.pipeline().addAfter("meter", "session", NativeDoor.session(hub, limits, links));
      ctx.fireChannelActive(); // the session opens its hub session, as on a new TCP connection
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
      if (!open) {
        return;
      }
      if (frame instanceof BinaryWebSocketFrame) {
        ctx.fireChannelRead(WholeFrames.decode(frame.content(), frameLimits));
      } else if (frame instanceof TextWebSocketFrame) {
        ctx.fireChannelRead(new FrameError(WholeFrames.BAD_FRAME, "text messages are not "
            + "frames: send each frame as one binary message", null, false));
      }
    } finally {
      ReferenceCountUtil.release(frame);
    }
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof Frame frame) {
      ByteBuf bytes;
      try {
        bytes = FrameEncoder.encode(ctx.alloc(), frame.header(), frame.content());
      } catch (RuntimeException e) {
        promise.setFailure(e);
        throw e;
      }
      ctx.write(new BinaryWebSocketFrame(bytes), promise);
      return;
    }
    if (msg instanceof ByteBuf bytes) {
      if (!bytes.isReadable()) {
        // The outbox flushes with an empty buffer right before it closes the connection (or
        // shuts its output down): on a WebSocket that is the moment for the close frame.
        bytes.release();
        ctx.write(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE), promise);
        return;
      }
      // One encoded native frame (an event, maybe a duplicate of an encoding shared with the
      // room's other members): the session's outbox never joins frames on this door.
      ctx.write(new BinaryWebSocketFrame(bytes), promise);
      return;
    }
    ctx.write(msg, promise);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof TooLongFrameException || cause instanceof CorruptedFrameException) {
      // An oversized or broken WebSocket message: the WebSocket layer's own error, said with
      // its own close code; the session hears of it as a closed connection.
      log.debug("{}: {}", ctx.channel().remoteAddress(), cause.toString());
      WebSocketCloseStatus status = cause instanceof TooLongFrameException
          ? WebSocketCloseStatus.MESSAGE_TOO_BIG : WebSocketCloseStatus.PROTOCOL_ERROR;
      ctx.writeAndFlush(new CloseWebSocketFrame(status))
          .addListener(ChannelFutureListener.CLOSE);
      return;
    }
    ctx.fireExceptionCaught(cause);
  }
}
