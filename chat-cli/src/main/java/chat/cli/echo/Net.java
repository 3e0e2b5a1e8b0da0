package chat.cli.echo;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;

/** Small helpers shared by the echo commands: address text and one-line failure reasons. */
final class Net {

  private Net() {}

  /** {@code host:port}, with brackets around an IPv6 literal. */
  static String hostPort(String host, int port) {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  /** Numeric address and port of a bound or resolved address, e.g. {@code 127.0.0.1:7007}. */
  static String format(InetSocketAddress address) {
    InetAddress ip = address.getAddress();
    String host = ip != null ? ip.getHostAddress() : address.getHostString();
    return hostPort(host, address.getPort());
  }

  /**
   * A short human reason for a socket failure, without the stack trace and without the address
   * suffix Netty appends to connect failures (the caller prints the address itself).
   */
  static String reason(Throwable failure, SocketAddress address) {
    if (failure instanceof UnknownHostException) {
      return "unknown host";
    }
    String message = failure.getMessage();
    if (message == null || message.isBlank()) {
      return failure.getClass().getSimpleName();
    }
    if (address != null) {
      String suffix = ": " + address;
      if (message.endsWith(suffix)) {
        message = message.substring(0, message.length() - suffix.length());
      }
    }
    return message;
  }
}
