package chat.client;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A client's servers written as people write them: {@code host1:port1,host2:port2}, an entry
 * without a port taking the default one ({@code chat.example.org}, {@code 10.0.0.5:7001}),
 * IPv6 in brackets when it has a port ({@code [::1]:7667}, a bare {@code ::1} uses the default).
 * Parsed entries are unresolved {@link InetSocketAddress}es: a name is looked up each time the
 * client connects ({@link #resolve}), so every address it has is tried and a change is seen.
 */
public final class ServerAddresses {

  private ServerAddresses() {}

  /**
   * The servers of {@code text}, in its order.
   *
   * @throws IllegalArgumentException with a message for people when an entry is empty or its
   *     port is not 1 to 65535
   */
  public static List<InetSocketAddress> parse(String text, int defaultPort) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("no server address given");
    }
    List<InetSocketAddress> servers = new ArrayList<>();
    for (String raw : text.split(",", -1)) {
      servers.add(parseOne(raw.strip(), defaultPort));
    }
    return List.copyOf(servers);
  }

  private static InetSocketAddress parseOne(String entry, int defaultPort) {
    if (entry.isEmpty()) {
      throw new IllegalArgumentException("empty server address in the list");
    }
    String host = entry;
    String port = null;
    if (entry.startsWith("[")) {
      int close = entry.indexOf(']');
      if (close < 0 || (close + 1 < entry.length() && entry.charAt(close + 1) != ':')) {
        throw new IllegalArgumentException("bad server address " + entry
            + ": write IPv6 as [ADDRESS]:PORT");
      }
      host = entry.substring(1, close);
      port = close + 1 < entry.length() ? entry.substring(close + 2) : null;
    } else if (entry.indexOf(':') >= 0 && entry.indexOf(':') == entry.lastIndexOf(':')) {
      int colon = entry.indexOf(':');
      host = entry.substring(0, colon);
      port = entry.substring(colon + 1);
    } // else a bare IPv6 address (several colons) or a name: the default port.
    if (host.isEmpty()) {
      throw new IllegalArgumentException("bad server address " + entry + ": no host");
    }
    int number = port == null ? defaultPort : parsePort(entry, port);
    if (number < 1 || number > 0xFFFF) {
      throw new IllegalArgumentException("bad server address " + entry
          + ": the port must be 1 to 65535");
    }
    return InetSocketAddress.createUnresolved(host, number);
  }

  private static int parsePort(String entry, String port) {
    try {
      return Integer.parseInt(port);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad server address " + entry + ": port " + port
          + " is not a number");
    }
  }

  /** {@code host:port}, IPv6 in brackets, the host as it was given (a name stays a name). */
  public static String format(InetSocketAddress server) {
    String host = server.getHostString();
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + server.getPort();
  }

  /** The servers as {@link #parse} reads them: {@code host1:port1,host2:port2}. */
  public static String format(List<InetSocketAddress> servers) {
    return String.join(",", servers.stream().map(ServerAddresses::format).toList());
  }

  /**
   * The addresses to connect to for {@code server}: itself when resolved, else every address of
   * its name ({@link InetAddress#getAllByName}), each keeping the name, which TLS checks the
   * certificate against and trust on first use files the fingerprint under.
   */
  public static List<InetSocketAddress> resolve(InetSocketAddress server)
      throws UnknownHostException {
    if (!server.isUnresolved()) {
      return List.of(server);
    }
    String host = server.getHostString();
    // getAllByName gives a name's addresses that name, and a literal's none.
    return Arrays.stream(InetAddress.getAllByName(host))
        .map(address -> new InetSocketAddress(address, server.getPort()))
        .toList();
  }
}
