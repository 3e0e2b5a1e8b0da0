package chat.bench;

import java.io.PrintWriter;
import org.HdrHistogram.Histogram;
import tools.jackson.databind.node.ObjectNode;

/**
 * What an idle run measured: the server's memory before and after opening the connections, and
 * the difference per connection. Unknown figures are negative. Kernel TCP memory covers the whole
 * network namespace, both ends of every loopback connection included.
 */
record IdleResult(
    BenchConfig config, String target, String serverSource, Machine machine,
    int connections, double connectSeconds, Histogram connectMicros, double settleSeconds,
    int sourceAddresses, long rssBefore, long rssAfter, long heapBefore, long heapAfter,
    long tcpMemBefore, long tcpMemAfter, long tcpSocketsBefore, long tcpSocketsAfter,
    long generatorRssBefore, long generatorRssAfter, boolean sharedProcess) {

  private double per(long before, long after) {
    return before >= 0 && after >= 0 && connections > 0
        ? (after - before) / (double) connections : Double.NaN;
  }

  double rssPerConnection() {
    return per(rssBefore, rssAfter);
  }

  double heapPerConnection() {
    return per(heapBefore, heapAfter);
  }

  double tcpMemPerConnection() {
    return per(tcpMemBefore, tcpMemAfter);
  }

  ObjectNode toJson() {
    ObjectNode o = JsonOut.object();
    o.put("mode", "idle");
    o.put("protocol", config.irc() ? "irc" : "native");
    o.put("stay", config.stay());
    o.put("target", target);
    o.set("machine", machine.toJson());
    ObjectNode connect = o.putObject("connect");
    connect.put("connections", connections);
    connect.put("source_addresses", sourceAddresses);
    connect.put("ramp_per_second", config.ramp());
    JsonOut.putKnown(connect, "seconds", connectSeconds);
    connect.set("time_us", JsonOut.histogram(connectMicros));
    JsonOut.putKnown(o, "settle_seconds", settleSeconds);
    ObjectNode server = o.putObject("server");
    server.put("source", serverSource);
    server.put("rss_includes_generator", sharedProcess);
    JsonOut.putKnown(server, "rss_before_bytes", rssBefore);
    JsonOut.putKnown(server, "rss_after_bytes", rssAfter);
    putSigned(server, "rss_per_connection_bytes", rssPerConnection());
    JsonOut.putKnown(server, "heap_before_bytes", heapBefore);
    JsonOut.putKnown(server, "heap_after_bytes", heapAfter);
    putSigned(server, "heap_per_connection_bytes", heapPerConnection());
    ObjectNode kernel = o.putObject("kernel_tcp");
    JsonOut.putKnown(kernel, "mem_before_bytes", tcpMemBefore);
    JsonOut.putKnown(kernel, "mem_after_bytes", tcpMemAfter);
    putSigned(kernel, "mem_per_connection_bytes", tcpMemPerConnection());
    JsonOut.putKnown(kernel, "sockets_allocated_before", tcpSocketsBefore);
    JsonOut.putKnown(kernel, "sockets_allocated_after", tcpSocketsAfter);
    ObjectNode gen = o.putObject("generator");
    JsonOut.putKnown(gen, "rss_before_bytes", generatorRssBefore);
    JsonOut.putKnown(gen, "rss_after_bytes", generatorRssAfter);
    putSigned(gen, "rss_per_connection_bytes", per(generatorRssBefore, generatorRssAfter));
    o.put("ok", connections == config.clients());
    return o;
  }

  private static void putSigned(ObjectNode o, String key, double value) {
    if (Double.isNaN(value)) {
      o.putNull(key);
    } else {
      o.put(key, Math.round(value * 10) / 10.0);
    }
  }

  void print(PrintWriter out) {
    out.printf("chat bench --idle: %s protocol%s, %s, %d connections from %d source address%s%n",
        config.irc() ? "IRC" : "native", config.stay() ? " (staying in the default room)" : "",
        target, connections, sourceAddresses, sourceAddresses == 1 ? "" : "es");
    out.printf("machine     %s%n", machine);
    out.printf("connect     %d connections in %s; %s%n", connections, Text.seconds(connectSeconds),
        Text.histogram(connectMicros));
    out.printf("settled     after %s%n", Text.seconds(settleSeconds));
    out.printf("server      %s%s%n", serverSource,
        sharedProcess ? " [process shared with the generator: figures include both ends]" : "");
    out.printf("  RSS       %s -> %s: %s per connection%n", Text.bytes(rssBefore),
        Text.bytes(rssAfter), perText(rssPerConnection()));
    out.printf("  heap      %s -> %s (after a full GC): %s per connection%n",
        Text.bytes(heapBefore), Text.bytes(heapAfter), perText(heapPerConnection()));
    out.printf("kernel TCP  %s -> %s, sockets allocated %d -> %d: %s per connection (both ends,"
            + " whole namespace)%n", Text.bytes(tcpMemBefore), Text.bytes(tcpMemAfter),
        tcpSocketsBefore, tcpSocketsAfter, perText(tcpMemPerConnection()));
    out.printf("generator   RSS %s -> %s%n", Text.bytes(generatorRssBefore),
        Text.bytes(generatorRssAfter));
    out.flush();
  }

  private static String perText(double v) {
    return Double.isNaN(v) ? "unknown" : Text.signedBytes(v);
  }
}
