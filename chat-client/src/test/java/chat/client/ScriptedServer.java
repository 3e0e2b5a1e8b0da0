package chat.client;

import chat.protocol.Frame;
import chat.protocol.FrameDecoder;
import chat.protocol.FrameEncoder;
import chat.protocol.Json;
import chat.protocol.Keys;
import chat.protocol.Types;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.node.ObjectNode;

/**
 * A tiny server for tests that speaks the frame codec and answers as a script says. By default
 * it answers {@code hello} with {@code welcome} (the requested nick, or Guest_1) and everything
 * else not at all.
 */
final class ScriptedServer implements AutoCloseable {

  /** What the server does with each frame it receives. */
  interface Script {
    void onFrame(Channel ch, Frame frame);
  }

  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Channel server;
  final List<Frame> received = new CopyOnWriteArrayList<>();
  final List<Channel> connections = new CopyOnWriteArrayList<>();

  ScriptedServer(Script script) throws InterruptedException {
    server = new ServerBootstrap()
        .group(group)
        .channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            connections.add(ch);
            ch.pipeline().addLast(new FrameDecoder(), FrameEncoder.INSTANCE,
                new SimpleChannelInboundHandler<Frame>() {
                  @Override
                  protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
                    received.add(frame);
                    script.onFrame(ctx.channel(), frame);
                  }
                });
          }
        })
        .bind("127.0.0.1", 0).sync().channel();
  }

  int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  /** A script that welcomes hello and hands every other frame to {@code rest}. */
  static Script welcoming(Script rest) {
    return (ch, frame) -> {
      if (Types.HELLO.equals(frame.type())) {
        ch.writeAndFlush(welcome(frame));
      } else {
        rest.onFrame(ch, frame);
      }
    };
  }

  static Frame welcome(Frame hello) {
    String nick = hello.string(Keys.NICK);
    ObjectNode header = reply(Types.WELCOME, hello);
    header.put(Keys.VERSION, 1);
    header.put(Keys.NICK, nick == null ? "Guest_1" : nick);
    header.put(Keys.SERVER, "scripted/0");
    return Frame.of(header);
  }

  /** A header of the given type that answers {@code request} (same id). */
  static ObjectNode reply(String type, Frame request) {
    ObjectNode header = Json.header(type);
    header.put(Keys.ID, request.id());
    return header;
  }

  static Frame error(Frame request, String code, String message) {
    ObjectNode header = request == null ? Json.header(Types.ERROR) : reply(Types.ERROR, request);
    header.put(Keys.CODE, code);
    header.put(Keys.MESSAGE, message);
    header.put(Keys.FATAL, false);
    return Frame.of(header);
  }

  static Frame event(String type, String... keyValues) {
    ObjectNode header = Json.header(type);
    for (int i = 0; i < keyValues.length; i += 2) {
      header.put(keyValues[i], keyValues[i + 1]);
    }
    header.put(Keys.TS, System.currentTimeMillis());
    return Frame.of(header);
  }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
