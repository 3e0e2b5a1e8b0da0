package chat.server;

import chat.core.Backlog;
import chat.core.Command;
import chat.core.CoreError;
import chat.core.Event;
import chat.core.EventSink;
import chat.core.Hub;
import chat.core.LogLimiter;
import chat.core.Reply;
import chat.core.Session;
import chat.protocol.ErrorCodes;
import chat.protocol.Frame;
import chat.protocol.FrameError;
import chat.protocol.Json;
import chat.protocol.Keys;
import chat.protocol.Types;
import chat.server.metrics.DoorMeter;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One native connection: turns decoded frames into core commands and core events into frames.
 * It never sees bytes (the codec does) and holds no rules (the hub does); it applies the hub's
 * verdicts to the connection: pause reading (flood pushback), a fatal error then close (a limit
 * broken), the hello deadline timer, and the outbox's slow-reader decisions.
 */
final class NativeSession extends ChannelInboundHandlerAdapter implements EventSink {

  private static final Logger log = LoggerFactory.getLogger(NativeSession.class);

  private final long coalesceNanos;
  private final Hub hub;
  private final ObjectNode limits;
  /** Signs the links a {@code link} request is answered with. */
  private final FileLinks links;
  /** The connection is a byte stream of frames (the native port), not one message per frame. */
  private final boolean byteStream;
  private Channel channel;
  private Outbox outbox;
  private Session session;
  private DoorChannel door;
  private long pings;
  private final LogLimiter malformedLog = new LogLimiter(Clock.systemUTC());

  /**
   * @param byteStream true where frames follow each other in one byte stream (the native port:
   *     the outbox may join several into one write); false where every written message must be
   *     one frame (a WebSocket binary message)
   */
  NativeSession(Hub hub, ObjectNode limits, boolean byteStream, FileLinks links) {
    this(hub, limits, byteStream, links, 0);
  }

  /** @param coalesceNanos under load, the least time between two writes ({@link WriteCoalescing}) */
  NativeSession(Hub hub, ObjectNode limits, boolean byteStream, FileLinks links,
      long coalesceNanos) {
    this.coalesceNanos = coalesceNanos;
    this.hub = hub;
    this.limits = limits;
    this.byteStream = byteStream;
    this.links = links;
  }

  /** A session whose file links end with this process (tests). */
  NativeSession(Hub hub, ObjectNode limits, boolean byteStream) {
    this(hub, limits, byteStream, FileLinks.ephemeral(Clock.systemUTC()));
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    channel = ctx.channel();
    outbox = new Outbox(channel, byteStream, hub.newBacklog(),
        ctx.pipeline().get(DoorMeter.class), this::tooSlow, coalesceNanos);
    door = new DoorChannel(hub, channel, null);
    session = door.open(this, () -> true); // the hub ignores the deadline once hello is said
    ctx.fireChannelActive();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    door.closed();
    hub.disconnect(session, door.closeReasonOr("connection closed"));
    ctx.fireChannelInactive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    door.heard();
    if (door.decided()) {
      io.netty.util.ReferenceCountUtil.release(msg);
      return;
    }
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
    NativeRequests.Parser parser = NativeRequests.parser(type);
    if (parser == null) {
      // Answered here, not by the hub, but charged like any request and in the session's order.
      switch (type) {
        case Types.PING -> hub.answerInOrder(session, id, () -> send(Frame.of(header(Types.PONG, id))));
        case Types.PONG -> hub.charge(session, id); // our keep-alive's answer: reading it reset the idle timer
        default -> hub.answerInOrder(session, id, () -> send(NativeFrames.unknownType(id, type)));
      }
      return;
    }
    Command command;
    try {
      command = parser.parse(frame);
    } catch (NativeRequests.BadRequest e) {
      hub.answerInOrder(session, id, () -> send(NativeFrames.error(id, e.code, e.getMessage(), false)));
      return;
    }
    hub.handle(session, id, command);
  }

  private void onFrameError(FrameError error) {
    Frame frame = NativeFrames.error(error.id(), error.code(), error.message(), error.fatal());
    if (error.fatal()) {
      log.info("closing {}: {}", channel.remoteAddress(), error.message());
      end("protocol error: " + error.code(), frame);
    } else {
      long held = malformedLog.permit();
      if (held >= 0) {
        log.debug("{} sent a malformed frame: {} ({} similar lines held back)",
            channel.remoteAddress(), error.message(), held);
      }
      hub.answerInOrder(session, error.id(), () -> send(frame));
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof SslHandshakeCompletionEvent done && done.isSuccess()) {
      door.decided();
    }
    if (evt instanceof IdleStateEvent) {
      switch (door.idle()) {
        case TIMEOUT -> end("ping timeout", NativeFrames.error(null, ErrorCodes.PING_TIMEOUT,
            "no answer to ping, closing", true));
        case PING -> send(Frame.of(header(Types.PING, "keepalive-" + (++pings))));
        case IGNORE -> { }
      }
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    door.failed(cause);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    outbox.recheck();
    ctx.fireChannelWritabilityChanged();
  }

  // EventSink: called from any thread. The outbox keeps the order of calls, and the hub makes
  // the calls for one room under that room's monitor, so every member gets the room's order.

  @Override
  public void event(Event event, String replyId) {
    if (!NativeFrames.carries(event)) {
      return;
    }
    // Encoded here, on the fan-out thread: once for every member of a room (EncodedEvents); a
    // member that is behind drops its duplicate, and only that.
    outbox.offerEncoded(EncodedEvents.encode(channel.alloc(), event, replyId),
        Backlog.droppable(event, replyId),
        event instanceof Event.RoomMessage || event instanceof Event.PrivateMessage);
  }

  @Override
  public void reply(String replyId, Reply reply) {
    if (reply instanceof Reply.Welcome && channel.eventLoop().inEventLoop()) {
      door.helloDone();
    }
    Frame frame = NativeFrames.reply(replyId, reply, limits);
    if (reply instanceof Reply.FileVisible visible) {
      NativeFiles.link(frame.header(), visible.file(), links);
    }
    send(frame);
  }

  @Override
  public void close(String reason) {
    door.closeReason(reason);
    outbox.closeAfterFlush();
  }

  @Override
  public void pause(long millis) {
    door.pause(millis);
  }

  @Override
  public void fatal(CoreError error, String message) {
    Frame frame = NativeFrames.error(null, error.code(), message, true);
    door.closeReason(message);
    door.sendOrHold(() -> {
      outbox.offer(frame);
      outbox.closeAfterFlush();
    });
  }

  /**
   * Ends the connection for a reason the door found: the hub lets everyone know now (the close
   * itself may wait for the flush), the peer gets {@code last}.
   */
  private void end(String reason, Frame last) {
    door.closeReason(reason);
    hub.disconnect(session, reason);
    outbox.offer(last);
    outbox.closeAfterFlush();
  }

  /** The outbox's verdict (on the event loop): the peer reads too slowly to keep. */
  private void tooSlow(String reason) {
    log.info("closing {}: {}", channel.remoteAddress(), reason);
    end(reason, NativeFrames.error(null, CoreError.TOO_SLOW.code(), reason, true));
    // Nothing more goes out but the error; whatever else waits is abandoned with the connection.
    channel.eventLoop().schedule(() -> {
      channel.close();
    }, Outbox.CLOSE_GRACE_MS, TimeUnit.MILLISECONDS);
  }

  private void send(Frame frame) {
    outbox.offer(frame);
  }

  /** The core's session (tests, diagnostics). */
  Session session() {
    return session;
  }

  /** Messages dropped since the peer fell behind (tests, diagnostics). */
  long droppedMessages() {
    return outbox.dropped();
  }

  /** Bytes waiting to be written to the peer (tests, diagnostics). */
  long pendingOutboundBytes() {
    return outbox.pendingBytes();
  }


  private static ObjectNode header(String type, String id) {
    ObjectNode h = Json.header(type);
    if (id != null) {
      h.put(Keys.ID, id);
    }
    return h;
  }
}
