package chat.server;

import chat.core.Command;
import chat.core.Event;
import chat.core.EventSink;
import chat.core.Hub;
import chat.core.Reply;
import chat.core.Session;
import chat.protocol.ErrorCodes;
import chat.protocol.Frame;
import chat.protocol.FrameError;
import chat.protocol.Json;
import chat.protocol.Keys;
import chat.protocol.Types;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.IOException;
import java.net.SocketException;
import tools.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One native connection: turns decoded frames into core commands and core events into frames.
 * It never sees bytes (the codec does) and holds no rules (the hub does).
 */
final class NativeSession extends ChannelInboundHandlerAdapter implements EventSink {

  private static final Logger log = LoggerFactory.getLogger(NativeSession.class);

  private final Hub hub;
  private final ObjectNode limits;
  private Channel channel;
  private Outbox outbox;
  private Session session;
  /** Why the connection ended, when we know better than "connection closed". */
  private volatile String closeReason;
  private boolean pingOutstanding;
  private long pings;

  NativeSession(Hub hub, ObjectNode limits) {
    this.hub = hub;
    this.limits = limits;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    channel = ctx.channel();
    outbox = new Outbox(channel);
    session = hub.open(this, String.valueOf(channel.remoteAddress()));
    ctx.fireChannelActive();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    String reason = closeReason != null ? closeReason : "connection closed";
    hub.disconnect(session, reason);
    ctx.fireChannelInactive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    pingOutstanding = false;
    if (msg instanceof Frame frame) {
      onFrame(frame);
    } else if (msg instanceof FrameError error) {
      onFrameError(error);
    } else {
      io.netty.util.ReferenceCountUtil.release(msg);
    }
  }

  private void onFrame(Frame frame) {
    String type = frame.type();
    String id = frame.id();
    switch (type) {
      case Types.PING -> {
        send(Frame.of(header(Types.PONG, id)));
        return;
      }
      case Types.PONG -> {
        return; // answer to our keep-alive ping; reading it already reset the idle timer
      }
      default -> { }
    }
    NativeRequests.Parser parser = NativeRequests.parser(type);
    if (parser == null) {
      send(NativeFrames.unknownType(id, type));
      return;
    }
    Command command;
    try {
      command = parser.parse(frame);
    } catch (NativeRequests.BadRequest e) {
      send(NativeFrames.error(id, e.code, e.getMessage(), false));
      return;
    }
    hub.handle(session, id, command);
  }

  private void onFrameError(FrameError error) {
    Frame frame = NativeFrames.error(error.id(), error.code(), error.message(), error.fatal());
    if (error.fatal()) {
      log.info("closing {}: {}", channel.remoteAddress(), error.message());
      closeReason = "protocol error: " + error.code();
      outbox.offer(frame);
      outbox.closeAfterFlush();
    } else {
      log.debug("{} sent a malformed frame: {}", channel.remoteAddress(), error.message());
      send(frame);
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent) {
      if (pingOutstanding) {
        closeReason = "ping timeout";
        outbox.offer(NativeFrames.error(null, ErrorCodes.PING_TIMEOUT,
            "no answer to ping, closing", true));
        outbox.closeAfterFlush();
        return;
      }
      pingOutstanding = true;
      send(Frame.of(header(Types.PING, "keepalive-" + (++pings))));
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof SocketException || cause instanceof IOException) {
      closeReason = "connection reset";
      log.debug("{}: {}", ctx.channel().remoteAddress(), cause.toString());
    } else {
      closeReason = "server error";
      log.warn("closing {} after an unexpected error", ctx.channel().remoteAddress(), cause);
    }
    ctx.close();
  }

  // EventSink: called from any thread. The outbox keeps the order of calls, and the hub makes
  // the calls for one room under that room's monitor, so every member gets the room's order.

  @Override
  public void event(Event event, String replyId) {
    // Encoded here, on the fan-out thread: once for every member of a room (EncodedEvents).
    outbox.offer(EncodedEvents.encode(channel.alloc(), event, replyId));
  }

  @Override
  public void reply(String replyId, Reply reply) {
    send(NativeFrames.reply(replyId, reply, limits));
  }

  @Override
  public void close(String reason) {
    closeReason = reason;
    outbox.closeAfterFlush();
  }

  private void send(Frame frame) {
    outbox.offer(frame);
  }

  private static ObjectNode header(String type, String id) {
    ObjectNode h = Json.header(type);
    if (id != null) {
      h.put(Keys.ID, id);
    }
    return h;
  }
}
