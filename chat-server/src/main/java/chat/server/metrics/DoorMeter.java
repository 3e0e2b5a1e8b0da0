package chat.server.metrics;

import chat.protocol.Frame;
import chat.protocol.FrameError;
import chat.protocol.Keys;
import chat.protocol.Types;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * Counts one door's traffic where frames pass between its framing and its session: frames in,
 * malformed frames, frames out, and deliveries (live room and private messages written to a
 * client, history replays not counted). One instance per door, shared by its connections.
 */
@Sharable
public final class DoorMeter extends ChannelDuplexHandler {

  private final Counter framesIn;
  private final Counter framesOut;
  private final Counter malformed;
  private final Counter deliveries;
  private final Counter opened;
  private final java.util.Map<String, Counter> limitHits = new java.util.HashMap<>();

  /**
   * Error codes that mean a limit stopped someone: flood refusals and disconnects, connection
   * limits, the hello deadline, too many rooms, slow readers cut off, login throttling, a full
   * password pool (docs/PROTOCOL.md, "Error codes").
   */
  public static final java.util.List<String> LIMIT_CODES = java.util.List.of("rate-limited",
      "flooding", "too-many-connections", "connecting-too-fast", "hello-timeout",
      "too-many-rooms", "too-slow", "login-throttled", "server-busy");

  DoorMeter(MeterRegistry registry, String door) {
    for (String code : LIMIT_CODES) {
      limitHits.put(code, Counter.builder("chat.limit.hits")
          .description("Requests refused and connections closed by a limit, by error code")
          .tag("door", door).tag("code", code).register(registry));
    }
    framesIn = Counter.builder("chat.frames.in").description("Frames received")
        .tag("door", door).register(registry);
    framesOut = Counter.builder("chat.frames.out").description("Frames sent")
        .tag("door", door).register(registry);
    malformed = Counter.builder("chat.frames.malformed")
        .description("Frames received that could not be read").tag("door", door).register(registry);
    deliveries = Counter.builder("chat.deliveries")
        .description("Live room and private messages written to clients (one per recipient)")
        .tag("door", door).register(registry);
    opened = Counter.builder("chat.connections.opened").description("Connections accepted")
        .tag("door", door).register(registry);
  }

  /** A connection of this door was accepted. */
  public void opened() {
    opened.increment();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof Frame) {
      framesIn.increment();
    } else if (msg instanceof FrameError) {
      framesIn.increment();
      malformed.increment();
    }
    ctx.fireChannelRead(msg);
  }

  /**
   * An event written as an already encoded frame (the native session encodes events once for
   * all members and writes bytes, which {@link #write} cannot read): counted here instead.
   *
   * @param delivery a live room or private message
   */
  public void encodedFrameWritten(boolean delivery) {
    framesOut.increment();
    if (delivery) {
      deliveries.increment();
    }
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof Frame frame) {
      framesOut.increment();
      String type = frame.type();
      if ((Types.MESSAGE.equals(type) || Types.PRIVMSG.equals(type))
          && !frame.header().has(Keys.HISTORY)) {
        deliveries.increment();
      } else if (Types.ERROR.equals(type)) {
        Counter hit = limitHits.get(frame.string(Keys.CODE));
        if (hit != null) {
          hit.increment();
        }
      }
    }
    ctx.write(msg, promise);
  }
}
