package chat.cli.echo;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An echo server: over TCP every byte received on a connection is written back on it, over UDP
 * every datagram is sent back to its sender. {@link #start()} binds and returns the bound address
 * (useful with port 0), {@link #close()} unbinds and stops the event loop.
 */
public final class EchoServer implements AutoCloseable {

  /** Largest UDP payload; a datagram is read whole into one buffer of this size. */
  static final int MAX_DATAGRAM = 65_536;

  private static final Logger log = LoggerFactory.getLogger(EchoServer.class);

  private final Transport transport;
  private final String host;
  private final int port;

  private EventLoopGroup group;
  private Channel channel;
  private InetSocketAddress boundAddress;
  private boolean closed;

  public EchoServer(Transport transport, String host, int port) {
    this.transport = Objects.requireNonNull(transport, "transport");
    this.host = Objects.requireNonNull(host, "host");
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be between 0 and 65535, got " + port);
    }
    this.port = port;
  }

  public Transport transport() {
    return transport;
  }

  /**
   * Binds the server and returns the address it listens on.
   *
   * @throws IOException with a short reason as message when the host is unknown or binding fails
   */
  public synchronized InetSocketAddress start() throws IOException {
    if (closed || group != null) {
      throw new IllegalStateException("an echo server can be started once");
    }
    InetSocketAddress local = new InetSocketAddress(host, port);
    if (local.isUnresolved()) {
      closed = true;
      throw new IOException("unknown host");
    }
    group =
        new MultiThreadIoEventLoopGroup(
            transport == Transport.UDP ? 1 : 0,
            new DefaultThreadFactory("echo-server-" + transport),
            NioIoHandler.newFactory());
    ChannelFuture bind =
        switch (transport) {
          case TCP ->
              new ServerBootstrap()
                  .group(group)
                  .channel(NioServerSocketChannel.class)
                  .childOption(ChannelOption.TCP_NODELAY, true)
                  .childHandler(new TcpEcho())
                  .bind(local);
          case UDP ->
              new Bootstrap()
                  .group(group)
                  .channel(NioDatagramChannel.class)
                  .option(
                      ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM))
                  .handler(new UdpEcho())
                  .bind(local);
        };
    bind.awaitUninterruptibly();
    if (!bind.isSuccess()) {
      close();
      throw new IOException(Net.reason(bind.cause(), local), bind.cause());
    }
    channel = bind.channel();
    boundAddress = (InetSocketAddress) channel.localAddress();
    log.debug("echo server listening on {} {}", transport, Net.format(boundAddress));
    return boundAddress;
  }

  /** The bound address, or {@code null} before {@link #start()}. */
  public synchronized InetSocketAddress address() {
    return boundAddress;
  }

  /** Unbinds, closes open connections and stops the event loop; safe to call more than once. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (channel != null) {
      channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    }
    if (group != null) {
      // No quiet period: an echo server has nothing to drain once its sockets are closed.
      group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
    log.debug("echo server on {} stopped", transport);
  }

  /** Writes every received buffer back; stops reading while the peer is not keeping up. */
  @Sharable
  private static final class TcpEcho extends ChannelInboundHandlerAdapter {

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      log.debug("echo connection from {}", ctx.channel().remoteAddress());
      ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ctx.write(msg);
      if (!ctx.channel().isWritable()) {
        ctx.channel().config().setAutoRead(false);
      }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      ctx.flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      if (ctx.channel().isWritable()) {
        ctx.channel().config().setAutoRead(true);
      }
      ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      log.debug("echo connection from {} closed", ctx.channel().remoteAddress());
      ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      log.debug("echo connection from {} failed: {}", ctx.channel().remoteAddress(),
          cause.toString());
      ctx.close();
    }
  }

  /** Sends each datagram back to where it came from. */
  @Sharable
  private static final class UdpEcho extends SimpleChannelInboundHandler<DatagramPacket> {

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
      ctx.write(new DatagramPacket(packet.content().retain(), packet.sender()));
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      ctx.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      // A datagram socket stays usable after a failed send (e.g. an unreachable sender).
      log.debug("echo datagram failed: {}", cause.toString());
    }
  }
}
