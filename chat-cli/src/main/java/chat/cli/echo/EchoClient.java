package chat.cli.echo;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.FixedLengthFrameDecoder;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The probing side of the echo diagnostic. Each probe is {@code size} bytes: a sequence number
 * (4 bytes), a per-run tag (4 bytes) and filler. Over TCP the echo stream is cut back into frames
 * of exactly {@code size} bytes, whatever way TCP split or merged it; over UDP each datagram is one
 * echo. Echoes carrying an older sequence number (late replies to probes that already timed out)
 * or another run's tag are ignored.
 *
 * <p>Round-trip times are taken on the event loop, right before the probe is written and right
 * after its echo is complete, so the hand-off between threads does not inflate them.
 */
final class EchoClient implements AutoCloseable {

  /** Bytes of header in every probe: sequence number and run tag. */
  static final int HEADER = 8;

  /** Sequence number of the unreported warm-up probe; reported probes count from 1. */
  static final int WARM_UP_SEQ = 0;

  /** What {@link #awaitEcho} saw for one probe. */
  sealed interface Outcome {
    record Echoed(long rttNanos) implements Outcome {}

    record TimedOut() implements Outcome {}

    record SendFailed(String reason) implements Outcome {}

    record Closed(String reason) implements Outcome {}
  }

  /** Events from the event loop to the probing thread. */
  private sealed interface Event {
    record Echo(int seq, long rttNanos) implements Event {}

    record Failed(int seq, Throwable cause) implements Event {}

    record Closed(Throwable cause) implements Event {}
  }

  private final Transport transport;
  private final InetSocketAddress remote;
  private final int size;
  private final int tag = ThreadLocalRandom.current().nextInt();
  private final byte[] template;
  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final EventLoopGroup group;
  private Channel channel;
  private Outcome.Closed closed;

  // Written and read on the event loop only.
  private int inFlightSeq;
  private long inFlightSentAt;

  private EchoClient(Transport transport, InetSocketAddress remote, int size) {
    this.transport = transport;
    this.remote = remote;
    this.size = size;
    this.template = new byte[size];
    for (int i = HEADER; i < size; i++) {
      template[i] = (byte) ('a' + (i - HEADER) % 26);
    }
    this.group =
        new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("echo-client", true), NioIoHandler.newFactory());
  }

  /**
   * Connects (TCP) or binds a local socket (UDP) for probing {@code remote}.
   *
   * @throws IOException with a one-line reason as message when that fails
   */
  static EchoClient open(Transport transport, InetSocketAddress remote, int size, int timeoutMillis)
      throws IOException {
    if (size < HEADER) {
      throw new IllegalArgumentException("probe size must be at least " + HEADER);
    }
    EchoClient client = new EchoClient(transport, remote, size);
    try {
      client.channel = client.connect(timeoutMillis);
      return client;
    } catch (IOException | RuntimeException e) {
      client.close();
      throw e;
    }
  }

  private Channel connect(int timeoutMillis) throws IOException {
    if (remote.isUnresolved()) {
      throw new IOException("unknown host");
    }
    ChannelFuture future =
        switch (transport) {
          case TCP ->
              new Bootstrap()
                  .group(group)
                  .channel(NioSocketChannel.class)
                  .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, timeoutMillis)
                  .option(ChannelOption.TCP_NODELAY, true)
                  .handler(
                      new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                          ch.pipeline()
                              .addLast(new FixedLengthFrameDecoder(size), new TcpEchoReader());
                        }
                      })
                  .connect(remote);
          case UDP ->
              new Bootstrap()
                  .group(group)
                  .channel(NioDatagramChannel.class)
                  .option(
                      ChannelOption.RECVBUF_ALLOCATOR,
                      new FixedRecvByteBufAllocator(EchoServer.MAX_DATAGRAM))
                  .handler(new UdpEchoReader())
                  .bind(0);
        };
    // A TCP connect gives up by itself after CONNECT_TIMEOUT_MILLIS; the bound is a safety net.
    if (!future.awaitUninterruptibly(timeoutMillis + 5_000L)) {
      future.cancel(false);
      throw new IOException("timed out after " + timeoutMillis + " ms");
    }
    if (!future.isSuccess()) {
      throw new IOException(Net.reason(future.cause(), remote), future.cause());
    }
    return future.channel();
  }

  /** Sends probe {@code seq}; the send time is taken on the event loop. */
  void send(int seq) {
    ByteBuf probe = channel.alloc().buffer(size);
    probe.writeBytes(template).setInt(0, seq).setInt(4, tag);
    Object message = transport == Transport.UDP ? new DatagramPacket(probe, remote) : probe;
    channel
        .eventLoop()
        .execute(
            () -> {
              inFlightSeq = seq;
              inFlightSentAt = System.nanoTime();
              channel
                  .writeAndFlush(message)
                  .addListener(
                      (ChannelFutureListener)
                          f -> {
                            if (!f.isSuccess()) {
                              events.add(new Event.Failed(seq, f.cause()));
                            }
                          });
            });
  }

  /**
   * Exchanges one unreported probe (sequence number 0) and waits for its echo until {@code
   * deadlineNanos}. The first exchange in a fresh JVM pays for class loading and lazy set-up on
   * the way out and back; that is not network latency, so it is kept out of the first reported
   * round trip. A lost warm-up echo is of no consequence.
   */
  void warmUp(long deadlineNanos) throws InterruptedException {
    send(WARM_UP_SEQ);
    awaitEcho(WARM_UP_SEQ, deadlineNanos);
  }

  /**
   * Waits until the echo of probe {@code seq} arrives, its send fails, the connection closes or
   * {@code deadlineNanos} (a {@link System#nanoTime()} value) passes.
   */
  Outcome awaitEcho(int seq, long deadlineNanos) throws InterruptedException {
    while (closed == null) {
      Event event = events.poll(deadlineNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
      switch (event) {
        case null -> {
          return new Outcome.TimedOut();
        }
        case Event.Echo echo when echo.seq() == seq -> {
          return new Outcome.Echoed(echo.rttNanos());
        }
        case Event.Echo stale -> {
          // The echo of an earlier probe that was already counted as lost.
        }
        case Event.Failed failed when failed.seq() == seq -> {
          return new Outcome.SendFailed(Net.reason(failed.cause(), remote));
        }
        case Event.Failed stale -> {}
        case Event.Closed c -> {
          String reason =
              c.cause() == null ? "connection closed by peer" : Net.reason(c.cause(), remote);
          closed = new Outcome.Closed(reason);
        }
      }
    }
    return closed;
  }

  @Override
  public void close() {
    if (channel != null) {
      channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    }
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }

  private void received(ByteBuf echo) {
    long now = System.nanoTime();
    int index = echo.readerIndex();
    if (echo.readableBytes() != size || echo.getInt(index + 4) != tag) {
      return; // not one of this run's probes
    }
    int seq = echo.getInt(index);
    events.add(new Event.Echo(seq, seq == inFlightSeq ? now - inFlightSentAt : -1));
  }

  /** Receives fixed-length echo frames on the TCP connection. */
  private final class TcpEchoReader extends SimpleChannelInboundHandler<ByteBuf> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
      received(frame);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      events.add(new Event.Closed(null));
      ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      events.add(new Event.Closed(cause));
      ctx.close();
    }
  }

  /** Receives echo datagrams on the UDP socket. */
  private final class UdpEchoReader extends SimpleChannelInboundHandler<DatagramPacket> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
      received(packet.content());
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      // E.g. an ICMP "port unreachable" on some platforms: the probe simply goes unanswered.
    }
  }
}
