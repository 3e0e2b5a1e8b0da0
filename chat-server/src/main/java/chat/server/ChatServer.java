package chat.server;

import chat.core.Hub;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bootstrap and lifecycle of the server: start binds the listener, close tells every client,
 * drains and stops. A failed start releases what it had started.
 */
public final class ChatServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ChatServer.class);
  public static final String SHUTDOWN_NOTICE = "server is shutting down";
  /**
   * Every thread the server starts has a name beginning with this, so that a tool sharing the
   * process (the load generator's in-process mode) can tell the server's CPU time from its own.
   */
  public static final String THREAD_NAME_PREFIX = "chat-server-";
  private static final String BOSS_THREADS = THREAD_NAME_PREFIX + "accept";
  private static final String IO_THREADS = THREAD_NAME_PREFIX + "io";

  private final ServerConfig config;
  private final Hub hub;
  private final Transport transport = Transport.best();
  private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private EventLoopGroup bossGroup;
  private EventLoopGroup workerGroup;
  private Channel listener;
  private boolean closed;

  public ChatServer(ServerConfig config) {
    this(config, Clock.systemUTC());
  }

  public ChatServer(ServerConfig config, Clock clock) {
    this.config = config;
    this.hub = new Hub(config.coreLimits(), clock);
  }

  /** Binds the listener; returns once it accepts connections. */
  public synchronized ChatServer start() throws InterruptedException {
    if (listener != null || closed) {
      throw new IllegalStateException("a server starts once");
    }
    bossGroup = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory(BOSS_THREADS),
        transport.ioHandlerFactory());
    workerGroup = new MultiThreadIoEventLoopGroup(config.ioThreads(),
        new DefaultThreadFactory(IO_THREADS), transport.ioHandlerFactory());
    try {
      listener = new ServerBootstrap()
          .group(bossGroup, workerGroup)
          .channel(transport.serverChannel())
          .option(ChannelOption.SO_BACKLOG, 1024)
          .childOption(ChannelOption.TCP_NODELAY, true)
          .childOption(ChannelOption.SO_KEEPALIVE, true)
          .childHandler(new NativeInitializer(hub, config, connections))
          .bind(config.host(), config.port())
          .sync()
          .channel();
    } catch (InterruptedException | RuntimeException e) {
      shutdownGroups();
      throw e;
    }
    log.info("listening on {} ({}) for native clients", address(), transport.name());
    return this;
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) listener.localAddress();
  }

  public int port() {
    return address().getPort();
  }

  public Hub hub() {
    return hub;
  }

  /** Stops accepting, sends every client the shutdown notice, waits for them to go, stops. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (listener != null) {
      listener.close().awaitUninterruptibly(config.shutdownGrace().toMillis());
    }
    hub.shutdown(SHUTDOWN_NOTICE);
    connections.newCloseFuture().awaitUninterruptibly(config.shutdownGrace().toMillis());
    connections.close().awaitUninterruptibly(config.shutdownGrace().toMillis());
    shutdownGroups();
    log.info("stopped");
  }

  private void shutdownGroups() {
    for (EventLoopGroup group : new EventLoopGroup[] {workerGroup, bossGroup}) {
      if (group != null) {
        group.shutdownGracefully(0, config.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS)
            .awaitUninterruptibly(config.shutdownGrace().toMillis() + 1000);
      }
    }
  }
}
