package chat.bench;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * The servers under load (one, or the nodes of a cluster) and what can be learnt about their
 * resource use. With several, client {@code i} of a run with {@code R} rooms connects to node
 * {@code (i / R) mod K} ({@link #node}): client {@code i} is in room {@code i mod R}, so each
 * room's members, and its senders (the first clients), go round the nodes in turn.
 */
record Target(List<InetSocketAddress> addresses, ServerProbe probe) {

  Target {
    if (addresses.isEmpty()) {
      throw new IllegalArgumentException("no server address");
    }
    addresses = List.copyOf(addresses);
  }

  Target(InetSocketAddress address, ServerProbe probe) {
    this(List.of(address), probe);
  }

  int nodes() {
    return addresses.size();
  }

  /** The node client {@code client} connects to, in a run with {@code rooms} rooms. */
  int node(int client, int rooms) {
    return (client / rooms) % addresses.size();
  }

  /** Where client {@code client} connects. */
  InetSocketAddress address(int client, int rooms) {
    return addresses.get(node(client, rooms));
  }

  /** The address of node {@code node} as reports show it, e.g. {@code 127.0.0.1:7001}. */
  String describe(int node) {
    InetSocketAddress a = addresses.get(node);
    String host = a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
  }

  /** Every node, as {@code 127.0.0.1:7001,127.0.0.1:7002}. */
  String describe() {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < addresses.size(); i++) {
      b.append(i == 0 ? "" : ",").append(describe(i));
    }
    return b.toString();
  }
}
