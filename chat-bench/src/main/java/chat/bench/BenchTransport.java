package chat.bench;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * The generator's I/O: epoll where its native library loads, NIO elsewhere. On NIO the JDK's
 * selector (its locks, key sets and update queues) was most of the generator's CPU in load D, as
 * much per delivery as the server's whole work.
 */
final class BenchTransport {

  private BenchTransport() {}

  static IoHandlerFactory ioHandler() {
    return Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
  }

  static Class<? extends SocketChannel> socketChannel() {
    return Epoll.isAvailable() ? EpollSocketChannel.class : NioSocketChannel.class;
  }

  static String name() {
    return Epoll.isAvailable() ? "epoll" : "nio";
  }
}
