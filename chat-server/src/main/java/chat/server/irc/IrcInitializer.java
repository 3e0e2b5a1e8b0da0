package chat.server.irc;

import chat.core.Hub;
import chat.server.ServerConfig;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/** Assembles the IRC door's pipeline: optional TLS, idle detection, lines, the connection. */
public final class IrcInitializer extends ChannelInitializer<SocketChannel> {

  private final Hub hub;
  private final ServerConfig server;
  private final IrcConfig config;
  private final ChannelGroup connections;
  private final IrcServerInfo info;

  public IrcInitializer(Hub hub, ServerConfig server, IrcConfig config, ChannelGroup connections) {
    this(hub, server, config, connections, IrcFiles.NONE);
  }

  /** With {@code files} writing shared files as lines with a link. */
  public IrcInitializer(Hub hub, ServerConfig server, IrcConfig config, ChannelGroup connections,
      IrcFiles files) {
    this.hub = hub;
    this.server = server;
    this.config = config;
    this.connections = connections;
    this.info = new IrcServerInfo(config, hub, files);
  }

  /**
   * The same door for IRC clients on the web door's WebSocket: one record of users (WHOWAS,
   * LUSERS) and one connection group (metrics, shutdown) for both.
   */
  public IrcWebSocket webSocket() {
    return new IrcWebSocket(hub, info, connections);
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    connections.add(ch);
    if (server.tls() != null) {
      ch.pipeline().addLast("tls", IrcTls.handler(server.tls().context(),
          server.allowRemotePlaintext()));
    }
    ch.pipeline()
        .addLast("idle", new IdleStateHandler(
            server.pingInterval().toMillis(), 0, 0, TimeUnit.MILLISECONDS))
        .addLast("decoder", new IrcLineDecoder())
        // Flood pushback and command backpressure turn reading off; lines already decoded
        // from the last read wait here instead of reaching the connection.
        .addLast("flow", new FlowControlHandler())
        .addLast("encoder", IrcLineEncoder.INSTANCE)
        .addLast("session", new IrcConnection(hub, info, true,
            server.writeCoalesce().toNanos()));
  }
}
