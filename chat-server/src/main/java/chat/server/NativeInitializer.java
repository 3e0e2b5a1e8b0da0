package chat.server;

import chat.core.Hub;
import chat.protocol.FrameDecoder;
import chat.protocol.FrameEncoder;
import chat.server.metrics.DoorMeter;
import chat.server.tls.PlaintextOrTls;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.node.ObjectNode;

/** Assembles the native door's pipeline; nothing else. */
final class NativeInitializer extends ChannelInitializer<SocketChannel> {

  private final Hub hub;
  private final ServerConfig config;
  private final ObjectNode limits;
  private final ChannelGroup connections;
  private final DoorMeter meter;
  private final FileLinks links;

  NativeInitializer(Hub hub, ServerConfig config, ChannelGroup connections, DoorMeter meter,
      FileLinks links) {
    this.hub = hub;
    this.links = links;
    this.config = config;
    this.connections = connections;
    this.meter = meter;
    this.limits = NativeFrames.limits(config);
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    connections.add(ch);
    meter.opened();
    if (config.tls() != null) {
      ch.pipeline().addLast("tls", new PlaintextOrTls(config.tls().context(),
          config.allowRemotePlaintext()));
    }
    ch.pipeline()
        .addLast("idle", new IdleStateHandler(
            config.pingInterval().toMillis(), 0, 0, TimeUnit.MILLISECONDS))
        .addLast("decoder", new FrameDecoder(config.frameLimits()))
        // Flood pushback turns reading off; frames already decoded from the last read wait
        // here (one read's worth at most) instead of reaching the session.
        .addLast("flow", new FlowControlHandler())
        .addLast("encoder", FrameEncoder.INSTANCE)
        .addLast("meter", meter)
        .addLast("session", new NativeSession(hub, limits, true, links,
            config.writeCoalesce().toNanos()));
  }
}
