package chat.server;

import chat.core.Hub;
import io.netty.channel.ChannelHandler;
import tools.jackson.databind.node.ObjectNode;

/**
 * What other transports reuse of the native door: the session handler (the command table, the
 * event encoding, the outbox, pings), which expects decoded {@code Frame}s and
 * {@code FrameError}s and writes {@code Frame}s and {@code ByteBuf}s each holding exactly one
 * encoded native frame (events, encoded once for all members of a room). The WebSocket door puts
 * it behind its own framing, so both doors speak exactly the same protocol.
 */
public final class NativeDoor {
  private NativeDoor() {}

  /**
   * A new session handler for one connection whose transport carries one frame per message; it
   * opens the hub session on channelActive; {@code links} signs the links to files it hands out.
   */
  public static ChannelHandler session(Hub hub, ObjectNode limits, FileLinks links) {
    return new NativeSession(hub, limits, false, links);
  }

  /** The {@code limits} object of {@code welcome}. */
  public static ObjectNode limits(ServerConfig config) {
    return NativeFrames.limits(config);
  }
}
