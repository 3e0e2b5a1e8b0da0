package chat.bench;

import chat.client.ChatClient;
import chat.client.ClientListener;
import chat.client.ClientOptions;
import chat.protocol.Frame;
import chat.protocol.FrameLimits;
import chat.protocol.Keys;
import chat.protocol.Types;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The native protocol through the client library: {@link ChatClient} connects, says hello,
 * correlates requests with replies and answers pings; the generator only adds, when
 * {@code lean} is set, a {@link LeanMessageReader} that reads room messages before the
 * library's tree-building decoder sees them.
 */
final class NativeProtocol implements BenchProtocol {

  static final String CLIENT_NAME = "chat-bench/0.1";

  /**
   * What the generator accepts from the server: the client library's defaults, any header the
   * 16-bit prefix allows and up to 4 MiB of content. The {@code ok} reply to {@code join} lists
   * every member in its content (a room of 1000 is a few tens of KiB); headers stay small.
   */
  static final FrameLimits LIMITS = ClientOptions.DEFAULT_LIMITS;

  private final EventLoopGroup group;
  private final boolean lean;
  private final Duration timeout;
  private final boolean stay;

  /**
   * @param group a NIO event loop group shared by every connection
   * @param lean read room messages with {@link LeanMessageReader} instead of through
   *     {@link ChatClient}'s listener
   */
  NativeProtocol(EventLoopGroup group, boolean lean, Duration timeout) {
    this(group, lean, timeout, false);
  }

  /** @param stay keep each connection in the default room instead of leaving it */
  NativeProtocol(EventLoopGroup group, boolean lean, Duration timeout, boolean stay) {
    this.group = group;
    this.lean = lean;
    this.timeout = timeout;
    this.stay = stay;
  }

  @Override
  public String name() {
    return "native";
  }

  @Override
  public BenchConnection open(InetSocketAddress server, InetAddress localAddress,
      DeliveryHandler deliveries) throws Exception {
    Listener listener = new Listener(deliveries);
    ClientOptions options = new ClientOptions(server.getAddress().getHostAddress(),
        server.getPort(), null, CLIENT_NAME, timeout, LIMITS);
    LeanMessageReader reader = lean ? new LeanMessageReader(deliveries) : null;
    ChannelCapture capture = lean ? null : new ChannelCapture();
    Supplier<ChannelHandler> front = lean ? () -> reader : () -> capture;
    ChatClient client = ChatClient.connect(options, listener, group, localAddress, front);
    try {
      // The server puts every new connection in its default room; leave it so that connections
      // do not all hear of each other.
      String room = listener.firstRoom.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!stay) {
        client.leave(room, null).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (Exception e) {
      client.close();
      throw e;
    }
    return new Connection(client, lean ? reader.channel() : capture.channel);
  }

  private static final class Connection implements BenchConnection {
    private final ChatClient client;
    private final Channel channel;

    Connection(ChatClient client, Channel channel) {
      this.client = client;
      this.channel = channel;
    }

    @Override
    public CompletableFuture<?> join(String room) {
      return client.join(room);
    }

    @Override
    public CompletableFuture<?> send(String room, String text) {
      return client.say(room, text);
    }

    @Override
    public ScheduledExecutorService executor() {
      return channel.eventLoop();
    }

    @Override
    public void close() {
      channel.close();
    }
  }

  /** Room messages that reach the client library (all of them, or replies only when lean). */
  private static final class Listener implements ClientListener {
    private final DeliveryHandler deliveries;
    final CompletableFuture<String> firstRoom = new CompletableFuture<>();

    Listener(DeliveryHandler deliveries) {
      this.deliveries = deliveries;
    }

    @Override
    public void onEvent(Frame event) {
      String type = event.type();
      if (Types.MESSAGE.equals(type) && !event.header().path(Keys.HISTORY).asBoolean(false)) {
        // Replayed history (the room's latest stored messages on join) is not a delivery.
        ByteBuf content = Unpooled.wrappedBuffer(event.content());
        deliveries.onDelivery(event.number(Keys.SEQ, -1), content, 0, content.readableBytes());
      } else if (Types.JOINED.equals(type) && !firstRoom.isDone()) {
        // The first join a new connection hears of is its own, into the default room.
        firstRoom.complete(event.string(Keys.ROOM));
      }
    }
  }

  /** Remembers the channel, whose event loop is the connection's executor (tree mode). */
  private static final class ChannelCapture extends ChannelInboundHandlerAdapter {
    volatile Channel channel;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      channel = ctx.channel();
    }
  }
}
