package chat.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * IRC (RFC 1459/2812 with IRCv3 capability negotiation) over plain TCP, so that the generator
 * measures our IRC door and other IRC servers with the same runs. Rooms are channels
 * {@code #room}; a message is {@code PRIVMSG #room :<payload>}.
 *
 * <p>IRC has no room sequence numbers and no confirmation of a message. When the server offers
 * the IRCv3 {@code echo-message} capability it is requested: the sender's own copy then comes
 * back like everyone else's, and it is both the confirmation and the sender's delivery (as in the
 * native protocol). Without it (ngIRCd, for one) a message counts as settled once it has been
 * written to the socket, the sender hears nothing of its own messages
 * ({@link BenchConnection#hearsOwnMessages()} is false), and only fixed-rate runs are honest:
 * {@link LoadBench} refuses window mode.
 */
final class IrcProtocol implements BenchProtocol {

  /** Longest line accepted from the server: 512 bytes of message plus 8191 of tags, rounded. */
  static final int MAX_LINE = 8704;
  /**
   * Largest payload: a line is at most 512 bytes with CR LF, and the server prefixes what it
   * relays with the sender ({@code :nick!user@host}) and the channel.
   */
  static final int MAX_SIZE = 400;

  private static final AtomicInteger NEXT = new AtomicInteger();

  private final EventLoopGroup group;
  private final Duration timeout;
  /** Distinguishes the nicks of runs that overlap on one server. */
  private final String tag;

  IrcProtocol(EventLoopGroup group, Duration timeout) {
    this.group = group;
    this.timeout = timeout;
    this.tag = Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36, 36 * 36 * 36), 36);
  }

  @Override
  public String name() {
    return "irc";
  }

  @Override
  public BenchConnection open(InetSocketAddress server, InetAddress localAddress,
      DeliveryHandler deliveries) throws Exception {
    // Nicks stay within 9 characters (RFC 2812, ngIRCd's default): b + 3 + up to 5.
    String nick = "b" + tag + Integer.toString(NEXT.getAndIncrement() % (36 * 36 * 36 * 36 * 36), 36);
    Connection conn = new Connection(nick, deliveries);
    Bootstrap b = new Bootstrap()
        .group(group)
        .channel(BenchTransport.socketChannel())
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) timeout.toMillis())
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(new LineBasedFrameDecoder(MAX_LINE, true, false), conn);
          }
        });
    Channel ch = (localAddress == null ? b.connect(server)
        : b.connect(server, new InetSocketAddress(localAddress, 0))).sync().channel();
    try {
      conn.registered.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      ch.close();
      throw e;
    }
    return conn;
  }

  /** One connection: the handler of its channel; all state is touched on its event loop. */
  static final class Connection extends SimpleChannelInboundHandler<ByteBuf>
      implements BenchConnection {
    private final DeliveryHandler deliveries;
    private final byte[] nickBytes;
    private String nick;
    final CompletableFuture<Void> registered = new CompletableFuture<>();
    private final Map<String, CompletableFuture<Void>> joins = new HashMap<>();
    /** Messages sent and not yet echoed (echo-message only), oldest first. */
    private final ArrayDeque<CompletableFuture<Void>> pending = new ArrayDeque<>();
    private final StringBuilder capsOffered = new StringBuilder();
    private volatile boolean echo;
    private volatile Channel channel;

    Connection(String nick, DeliveryHandler deliveries) {
      this.nick = nick;
      this.nickBytes = nick.getBytes(StandardCharsets.US_ASCII);
      this.deliveries = deliveries;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      channel = ctx.channel();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      // CAP LS first holds registration until CAP END; a server without CAP ignores or refuses it
      // (421) and registers on NICK and USER.
      line("CAP LS 302");
      line("NICK " + nick);
      line("USER " + nick + " 0 * :chat-bench");
      ctx.flush();
      ctx.fireChannelActive();
    }

    private void line(String s) {
      channel.write(ByteBufUtil.writeUtf8(channel.alloc(), s + "\r\n"));
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf buf) {
      int start = buf.readerIndex();
      int end = buf.writerIndex();
      // The common case first: ":prefix PRIVMSG #room :text", read without allocating.
      int p = start;
      if (p < end && buf.getByte(p) == '@') {
        p = buf.indexOf(p, end, (byte) ' ');
        if (p < 0) {
          return;
        }
        p++;
      }
      int prefixAt = -1;
      int prefixEnd = -1;
      if (p < end && buf.getByte(p) == ':') {
        prefixAt = p + 1;
        prefixEnd = buf.indexOf(p, end, (byte) ' ');
        if (prefixEnd < 0) {
          return;
        }
        p = prefixEnd + 1;
      }
      if (isPrivmsg(buf, p, end)) {
        int target = p + 8;
        int colon = buf.indexOf(target, end, (byte) ' ');
        if (colon < 0 || colon + 1 >= end || buf.getByte(colon + 1) != ':'
            || buf.getByte(target) != '#') {
          return;
        }
        int text = colon + 2;
        int length = end - text;
        if (length > 0 && buf.getByte(end - 1) == '\r') {
          length--;
        }
        boolean own = prefixAt >= 0 && isOwn(buf, prefixAt, prefixEnd);
        deliveries.onDelivery(-1, buf, text, length);
        if (own) {
          CompletableFuture<Void> f = pending.poll();
          if (f != null) {
            f.complete(null);
          }
        }
        return;
      }
      other(buf.toString(p, end - p, StandardCharsets.UTF_8).stripTrailing(), prefixAt >= 0
          && isOwn(buf, prefixAt, prefixEnd));
    }

    private static boolean isPrivmsg(ByteBuf buf, int p, int end) {
      return end - p > 8 && buf.getByte(p) == 'P' && buf.getByte(p + 1) == 'R'
          && buf.getByte(p + 2) == 'I' && buf.getByte(p + 3) == 'V' && buf.getByte(p + 4) == 'M'
          && buf.getByte(p + 5) == 'S' && buf.getByte(p + 6) == 'G' && buf.getByte(p + 7) == ' ';
    }

    /** Whether the prefix names this connection's nick ({@code nick} or {@code nick!...}). */
    private boolean isOwn(ByteBuf buf, int at, int end) {
      byte[] n = nickBytes;
      if (end - at < n.length) {
        return false;
      }
      for (int i = 0; i < n.length; i++) {
        if (Character.toLowerCase(buf.getByte(at + i)) != Character.toLowerCase(n[i])) {
          return false;
        }
      }
      return end - at == n.length || buf.getByte(at + n.length) == '!'
          || buf.getByte(at + n.length) == '@';
    }

    /** Every line but a channel PRIVMSG: registration, capabilities, joins, errors. */
    private void other(String line, boolean own) {
      String[] words = line.split(" ", 4);
      String command = words[0].toUpperCase(Locale.ROOT);
      switch (command) {
        case "PING" -> {
          line("PONG " + (words.length > 1 ? line.substring(5) : ""));
          channel.flush();
        }
        case "CAP" -> cap(line);
        case "001" -> registered.complete(null);
        case "433" -> {
          if (!registered.isDone()) {
            // Nick in use: registration can go on with another.
            nick = nick.substring(0, Math.min(nick.length(), 7))
                + Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36), 36);
            line("NICK " + nick);
            channel.flush();
          }
        }
        case "JOIN" -> {
          // Our own JOIN; the join completes at the end of the names list (366).
        }
        case "366" -> {
          // 366 <nick> <channel> :End of /NAMES list
          if (words.length > 2) {
            String room = words[2];
            CompletableFuture<Void> f = joins.remove(room.toLowerCase(Locale.ROOT));
            if (f != null) {
              f.complete(null);
            }
          }
        }
        case "ERROR" -> fail(new IOException("server closed the connection: " + line));
        default -> {
          if (command.length() == 3 && Character.isDigit(command.charAt(0))
              && (command.charAt(0) == '4' || command.charAt(0) == '5')) {
            error(command, line);
          }
        }
      }
    }

    private void cap(String line) {
      // CAP <nick> LS [*] :caps | CAP <nick> ACK :caps | CAP <nick> NAK :caps
      String[] words = line.split(" ", 4);
      if (words.length < 4) {
        return;
      }
      String sub = words[2].toUpperCase(Locale.ROOT);
      String rest = words[3];
      boolean more = rest.startsWith("* ");
      String caps = (more ? rest.substring(2) : rest);
      caps = caps.startsWith(":") ? caps.substring(1) : caps;
      switch (sub) {
        case "LS" -> {
          capsOffered.append(' ').append(caps);
          if (!more) {
            boolean offered = false;
            for (String c : capsOffered.toString().trim().split(" +")) {
              if (c.equals("echo-message") || c.startsWith("echo-message=")) {
                offered = true;
              }
            }
            line(offered ? "CAP REQ :echo-message" : "CAP END");
            channel.flush();
          }
        }
        case "ACK" -> {
          if ((" " + caps + " ").contains(" echo-message ")) {
            echo = true;
          }
          line("CAP END");
          channel.flush();
        }
        case "NAK" -> {
          line("CAP END");
          channel.flush();
        }
        default -> { }
      }
    }

    /** An error numeric: fails what it answers. */
    private void error(String numeric, String line) {
      IOException e = new IOException(line);
      if (!registered.isDone()) {
        if (!numeric.equals("421") && !numeric.equals("451")) {
          // 421 is a server without CAP; 451 "not registered" answers an early command.
          registered.completeExceptionally(e);
        }
        return;
      }
      switch (numeric) {
        case "403", "405", "471", "473", "474", "475", "476", "477" -> {
          // Join refused: fail every join in progress (the generator joins one room per
          // connection).
          for (CompletableFuture<Void> f : joins.values()) {
            f.completeExceptionally(e);
          }
          joins.clear();
        }
        case "401", "404", "407", "417", "442" -> {
          CompletableFuture<Void> f = pending.poll();
          if (f != null) {
            f.completeExceptionally(e);
          }
        }
        default -> { }
      }
    }

    private void fail(Throwable e) {
      registered.completeExceptionally(e);
      for (CompletableFuture<Void> f : joins.values()) {
        f.completeExceptionally(e);
      }
      joins.clear();
      CompletableFuture<Void> f;
      while ((f = pending.poll()) != null) {
        f.completeExceptionally(e);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      fail(new IOException("connection closed"));
      ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      fail(cause);
      ctx.close();
    }

    @Override
    public CompletableFuture<?> join(String room) {
      CompletableFuture<Void> f = new CompletableFuture<>();
      channel.eventLoop().execute(() -> {
        if (!channel.isActive()) {
          f.completeExceptionally(new IOException("connection closed"));
          return;
        }
        joins.put(("#" + room).toLowerCase(Locale.ROOT), f);
        line("JOIN #" + room);
        channel.flush();
      });
      return f;
    }

    @Override
    public CompletableFuture<?> send(String room, String text) {
      CompletableFuture<Void> f = new CompletableFuture<>();
      if (!channel.eventLoop().inEventLoop()) {
        channel.eventLoop().execute(() -> send(room, text).whenComplete((r, e) -> {
          if (e != null) {
            f.completeExceptionally(e);
          } else {
            f.complete(null);
          }
        }));
        return f;
      }
      if (!channel.isActive()) {
        f.completeExceptionally(new IOException("connection closed"));
        return f;
      }
      ByteBuf out = channel.alloc().buffer(12 + room.length() + text.length());
      out.writeCharSequence("PRIVMSG #", StandardCharsets.US_ASCII);
      out.writeCharSequence(room, StandardCharsets.UTF_8);
      out.writeCharSequence(" :", StandardCharsets.US_ASCII);
      out.writeCharSequence(text, StandardCharsets.UTF_8);
      out.writeByte('\r').writeByte('\n');
      if (echo) {
        pending.add(f);
        channel.writeAndFlush(out, channel.voidPromise());
      } else {
        // No echo-message: written to the socket is all the generator can know.
        channel.writeAndFlush(out).addListener(w -> {
          if (w.isSuccess()) {
            f.complete(null);
          } else {
            f.completeExceptionally(w.cause());
          }
        });
      }
      return f;
    }

    @Override
    public boolean hearsOwnMessages() {
      return echo;
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
}
