package chat.client;

import chat.protocol.FrameDecoder;
import chat.protocol.FrameEncoder;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.security.GeneralSecurityException;
import java.util.function.Supplier;
import javax.net.ssl.SSLSession;

/**
 * Opens a client's connection: TCP, then, when the options want it, TLS with the server's
 * certificate verified ({@link ClientTls}), and says in words why when either fails.
 */
final class Dialer {

  /** An open connection, and its TLS session or null for plaintext. */
  record Dialed(Channel channel, SSLSession tls) {}

  private Dialer() {}

  /**
   * Connects and waits for the TLS handshake; nothing is sent before it succeeds.
   *
   * @param frontHandler see {@link ChatClient#connect(ClientOptions, ClientListener,
   *     EventLoopGroup, InetAddress, Supplier)}
   * @param server the address to connect to, resolved; its host string (the name it was
   *     resolved from, or the literal) is the one TLS checks and trust on first use files under
   * @param last the handler behind the frame codec
   */
  static Dialed dial(ClientOptions options, InetSocketAddress server, EventLoopGroup group,
      InetAddress localAddress, Supplier<? extends ChannelHandler> frontHandler,
      ChannelHandler last) throws ChatClientException {
    String host = server.getHostString();
    String address = ServerAddresses.format(server);
    SslContext tls = null;
    if (options.tls().enabledFor(host)) {
      try {
        tls = options.tls().context();
      } catch (IOException | GeneralSecurityException | RuntimeException e) {
        throw new ChatClientException("cannot set up TLS"
            + (options.tls().caFile() == null ? "" : " with the CA file " + options.tls().caFile())
            + ": " + ChatClient.describe(e), e);
      }
      if (options.tls().insecure()) {
        options.tls().notices().accept("WARNING: not verifying the TLS certificate of "
            + address + " (insecure): anyone on the network path can pose as the "
            + "server and read or change everything sent");
      }
    }
    SslContext sslContext = tls;
    int timeoutMillis = (int) Math.min(Integer.MAX_VALUE, options.connectTimeout().toMillis());
    Bootstrap bootstrap = new Bootstrap()
        .group(group)
        .channel(socketChannel(group))
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, timeoutMillis)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            if (sslContext != null) {
              // First in the pipeline; the peer's host and port give SNI and the host name check.
              SslHandler ssl = sslContext.newHandler(ch.alloc(), host, server.getPort());
              ssl.setHandshakeTimeoutMillis(timeoutMillis);
              ch.pipeline().addLast("tls", ssl);
            }
            if (frontHandler != null) {
              // Behind TLS: it sees the plaintext stream of frames.
              ch.pipeline().addLast(frontHandler.get());
            }
            ch.pipeline().addLast(new FrameDecoder(options.limits()), FrameEncoder.INSTANCE,
                last);
          }
        });
    ChannelFuture connected;
    try {
      connected = (localAddress == null ? bootstrap.connect(server)
          : bootstrap.connect(server, new InetSocketAddress(localAddress, 0))).await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ChatClientException("interrupted while connecting to " + address);
    }
    if (!connected.isSuccess()) {
      throw new ChatClientException("could not connect to " + address + ": "
          + ChatClient.describe(connected.cause()), connected.cause());
    }
    Channel channel = connected.channel();
    if (sslContext == null) {
      return new Dialed(channel, null);
    }
    return new Dialed(channel, handshake(address, channel, timeoutMillis));

  }

  /** Waits for the TLS handshake; nothing is sent before it succeeds. */
  private static SSLSession handshake(String address, Channel channel, int timeoutMillis)
      throws ChatClientException {
    SslHandler ssl = channel.pipeline().get(SslHandler.class);
    Future<Channel> done = ssl.handshakeFuture();
    try {
      // The handler enforces the timeout; the extra second only guards against a lost wake-up.
      if (!done.await(timeoutMillis + 1000L)) {
        channel.close();
        throw new ChatClientException("TLS handshake with " + address
            + " did not finish within " + timeoutMillis + " ms");
      }
    } catch (InterruptedException e) {
      channel.close();
      Thread.currentThread().interrupt();
      throw new ChatClientException("interrupted while connecting to " + address);
    }
    if (!done.isSuccess()) {
      channel.close();
      throw handshakeFailure(address, done.cause());
    }
    return ssl.engine().getSession();
  }

  private static ChatClientException handshakeFailure(String address, Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof ServerTrust.Refused refused) {
        return new UntrustedServerException(refused.getMessage(), cause, refused.changed());
      }
    }
    if (cause instanceof SslHandshakeTimeoutException) {
      return new ChatClientException("TLS handshake with " + address + " timed out (does the "
          + "server speak TLS on this port? --no-tls connects in plaintext)", cause);
    }
    if (cause instanceof ClosedChannelException) {
      return new ChatClientException("TLS handshake with " + address
          + " failed: the server closed the connection", cause);
    }
    return new ChatClientException("TLS handshake with " + address + " failed: "
        + ChatClient.describe(cause), cause);
  }

  /** The socket channel for the group's transport: epoll's on an epoll group, else NIO's. */
  static Class<? extends SocketChannel> socketChannel(EventLoopGroup group) {
    return group instanceof io.netty.channel.IoEventLoopGroup io
        && io.isIoType(io.netty.channel.epoll.EpollIoHandler.class)
        ? io.netty.channel.epoll.EpollSocketChannel.class : NioSocketChannel.class;
  }
}
