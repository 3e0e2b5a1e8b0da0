package chat.server;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;

/**
 * The event loops' I/O (docs/BENCHMARKS.md, "io_uring and epoll"): {@code auto} is epoll where
 * its native library loads (Linux) and NIO elsewhere; io_uring is there to ask for.
 */
record Transport(String name, IoHandlerFactory ioHandlerFactory,
    Class<? extends ServerChannel> serverChannel) {

  static final java.util.List<String> NAMES = java.util.List.of("auto", "io_uring", "epoll", "nio");

  static Transport named(String name) {
    return switch (name) {
      case "auto" -> Epoll.isAvailable() ? epoll() : nio();
      case "io_uring" -> {
        if (!IoUring.isAvailable()) {
          throw new IllegalArgumentException("io_uring is not available here: "
              + IoUring.unavailabilityCause());
        }
        yield new Transport("io_uring", IoUringIoHandler.newFactory(),
            IoUringServerSocketChannel.class);
      }
      case "epoll" -> {
        if (!Epoll.isAvailable()) {
          throw new IllegalArgumentException("epoll is not available here: "
              + Epoll.unavailabilityCause());
        }
        yield epoll();
      }
      case "nio" -> nio();
      default -> throw new IllegalArgumentException("unknown transport " + name + ", one of "
          + NAMES);
    };
  }

  private static Transport epoll() {
    return new Transport("epoll", EpollIoHandler.newFactory(), EpollServerSocketChannel.class);
  }

  private static Transport nio() {
    return new Transport("nio", NioIoHandler.newFactory(), NioServerSocketChannel.class);
  }
}
