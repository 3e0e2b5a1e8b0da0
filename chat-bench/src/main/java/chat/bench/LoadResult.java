package chat.bench;

import java.io.PrintWriter;
import java.util.List;
import org.HdrHistogram.Histogram;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a load run measured. Deliveries are room messages received, the sender's own copy
 * included; {@code measuredDeliveries} are those received inside the measured interval, which
 * the rates and per-delivery costs divide by. Latency covers every message sent inside the
 * interval. Unknown figures are negative. The wait figures are the time threads were runnable
 * but not running (another process had the CPU); they tell contention apart from slowness.
 * With several nodes, {@code nodes} says what each had, and the latency is also split by whether
 * sender and receiver were on one node or on two ({@code sameNodeLatency} and
 * {@code otherNodeLatency}, null with one node).
 */
record LoadResult(
    BenchConfig config, String target, String serverSource, Machine machine,
    int connections, double connectSeconds, Histogram connectMicros,
    double measuredSeconds, long sent, long sendErrors, String firstSendError,
    long deliveries, long expectedDeliveries, long measuredDeliveries,
    long lost, long outOfOrder, long seqGaps, long foreign, boolean drained,
    Histogram latencyMicros, long serverCpuNanos, long generatorCpuNanos,
    long serverWaitNanos, long generatorWaitNanos,
    long serverRssStart, long serverRssEnd, long serverRssPeak, long heapUsed,
    boolean sharedProcess, List<Node> nodes, Histogram sameNodeLatency,
    Histogram otherNodeLatency) {

  /** One node of the run: its address, its clients and senders, the deliveries its clients got. */
  record Node(String address, int clients, int senders, long deliveries) {}

  /** Every message delivered to every member, once, in order, with no send refused. */
  boolean ok() {
    return lost == 0 && outOfOrder == 0 && seqGaps == 0 && sendErrors == 0 && drained
        && deliveries == expectedDeliveries;
  }

  double deliveriesPerSecond() {
    return measuredSeconds > 0 ? measuredDeliveries / measuredSeconds : -1;
  }

  double serverCores() {
    return serverCpuNanos >= 0 && measuredSeconds > 0 ? serverCpuNanos / 1e9 / measuredSeconds : -1;
  }

  double serverMicrosPerDelivery() {
    return serverCpuNanos >= 0 && measuredDeliveries > 0
        ? serverCpuNanos / 1e3 / measuredDeliveries : -1;
  }

  double generatorCores() {
    return generatorCpuNanos >= 0 && measuredSeconds > 0
        ? generatorCpuNanos / 1e9 / measuredSeconds : -1;
  }

  double generatorMicrosPerDelivery() {
    return generatorCpuNanos >= 0 && measuredDeliveries > 0
        ? generatorCpuNanos / 1e3 / measuredDeliveries : -1;
  }

  ObjectNode toJson() {
    BenchConfig c = config;
    ObjectNode o = JsonOut.object();
    o.put("mode", "load");
    o.put("protocol", "native");
    o.put("target", target);
    o.set("machine", machine.toJson());
    ObjectNode cfg = o.putObject("config");
    cfg.put("clients", c.clients());
    cfg.put("rooms", c.rooms());
    cfg.put("senders", c.senders());
    cfg.put("rate_per_sender", c.rate());
    cfg.put("window", c.window());
    cfg.put("size_bytes", c.size());
    cfg.put("messages_per_sender", c.messages());
    cfg.put("warmup_seconds", c.warmupSeconds());
    cfg.put("duration_seconds", c.durationSeconds());
    cfg.put("ramp_per_second", c.ramp());
    cfg.put("generator_threads", c.threads());
    cfg.put("protocol", c.irc() ? "irc" : "native");
    cfg.put("decoder", c.irc() ? "irc" : c.lean() ? "lean" : "tree");
    ObjectNode connect = o.putObject("connect");
    connect.put("connections", connections);
    JsonOut.putKnown(connect, "seconds", connectSeconds);
    connect.set("time_us", JsonOut.histogram(connectMicros));
    JsonOut.putKnown(o, "measured_seconds", measuredSeconds);
    o.put("sent", sent);
    o.put("send_errors", sendErrors);
    if (firstSendError != null) {
      o.put("first_send_error", firstSendError);
    }
    ObjectNode d = o.putObject("deliveries");
    d.put("total", deliveries);
    d.put("expected", expectedDeliveries);
    d.put("measured", measuredDeliveries);
    JsonOut.putKnown(d, "per_second", deliveriesPerSecond());
    o.put("lost", lost);
    o.put("out_of_order", outOfOrder);
    o.put("seq_gaps", seqGaps);
    o.put("foreign", foreign);
    o.put("drained", drained);
    o.set("latency_us", JsonOut.histogram(latencyMicros));
    if (otherNodeLatency != null) {
      o.set("latency_same_node_us", JsonOut.histogram(sameNodeLatency));
      o.set("latency_other_node_us", JsonOut.histogram(otherNodeLatency));
    }
    tools.jackson.databind.node.ArrayNode list = o.putArray("nodes");
    for (Node node : nodes) {
      ObjectNode n = list.addObject();
      n.put("address", node.address());
      n.put("clients", node.clients());
      n.put("senders", node.senders());
      n.put("deliveries", node.deliveries());
    }
    ObjectNode server = o.putObject("server");
    server.put("source", serverSource);
    JsonOut.putKnown(server, "cpu_seconds", serverCpuNanos < 0 ? -1 : serverCpuNanos / 1e9);
    JsonOut.putKnown(server, "cores", serverCores());
    JsonOut.putKnown(server, "cpu_us_per_delivery", serverMicrosPerDelivery());
    JsonOut.putKnown(server, "cpu_wait_seconds", serverWaitNanos < 0 ? -1 : serverWaitNanos / 1e9);
    JsonOut.putKnown(server, "rss_start_bytes", serverRssStart);
    JsonOut.putKnown(server, "rss_end_bytes", serverRssEnd);
    JsonOut.putKnown(server, "rss_peak_bytes", serverRssPeak);
    JsonOut.putKnown(server, "heap_used_bytes", heapUsed);
    server.put("rss_includes_generator", sharedProcess);
    ObjectNode gen = o.putObject("generator");
    JsonOut.putKnown(gen, "cpu_seconds", generatorCpuNanos < 0 ? -1 : generatorCpuNanos / 1e9);
    JsonOut.putKnown(gen, "cores", generatorCores());
    JsonOut.putKnown(gen, "cpu_us_per_delivery", generatorMicrosPerDelivery());
    JsonOut.putKnown(gen, "cpu_wait_seconds",
        generatorWaitNanos < 0 ? -1 : generatorWaitNanos / 1e9);
    o.put("ok", ok());
    return o;
  }

  void print(PrintWriter out) {
    BenchConfig c = config;
    out.printf("chat bench: %s protocol, %s, %d clients in %d room%s, %d sender%s, %s, %d-byte"
            + " messages, %s decoder%n",
        c.irc() ? "irc" : "native", target, c.clients(), c.rooms(), c.rooms() == 1 ? "" : "s", c.senders(),
        c.senders() == 1 ? "" : "s",
        c.rate() > 0 ? Text.fixed(c.rate(), c.rate() % 1 == 0 ? 0 : 1) + " msg/s each"
            : "max speed (window " + c.window() + ")",
        c.size(), c.irc() ? "irc line" : c.lean() ? "lean" : "tree");
    out.printf("machine     %s%n", machine);
    out.printf("connect     %d connections in %s; %s%n", connections, Text.seconds(connectSeconds),
        Text.histogram(connectMicros));
    out.printf("measured    %s after %s of warm-up%n", Text.seconds(measuredSeconds),
        Text.seconds(c.warmupSeconds()));
    out.printf("sent        %s messages, %s send error%s%s%n", Text.count(sent),
        Text.count(sendErrors), sendErrors == 1 ? "" : "s",
        firstSendError == null ? "" : " (first: " + firstSendError + ")");
    out.printf("deliveries  %s of %s expected; %s in the measured interval = %s/s%n",
        Text.count(deliveries), Text.count(expectedDeliveries), Text.count(measuredDeliveries),
        Text.rate(deliveriesPerSecond()));
    out.printf("checks      lost %s, out of order %s, seq gaps %s, foreign %s%s%n",
        Text.count(lost), Text.count(outOfOrder), Text.count(seqGaps), Text.count(foreign),
        drained ? "" : " (NOT DRAINED: deliveries still missing at the end of the drain wait)");
    out.printf("latency     %s%n", Text.histogram(latencyMicros));
    if (otherNodeLatency != null) {
      out.printf("  one node  %s%n", Text.histogram(sameNodeLatency));
      out.printf("  two nodes %s%n", Text.histogram(otherNodeLatency));
    }
    if (nodes.size() > 1) {
      for (Node node : nodes) {
        out.printf("node        %s: %d clients, %d senders, %s deliveries%n", node.address(),
            node.clients(), node.senders(), Text.count(node.deliveries()));
      }
    }
    if (serverCpuNanos >= 0) {
      out.printf("server      %s: %s CPU s = %s of a core, %s µs CPU per delivery; RSS %s -> %s"
              + " (peak %s)%s%s%n",
          serverSource, Text.fixed(serverCpuNanos / 1e9, 2), Text.percent(serverCores()),
          Text.fixed(serverMicrosPerDelivery(), 3), Text.bytes(serverRssStart),
          Text.bytes(serverRssEnd), Text.bytes(serverRssPeak),
          sharedProcess ? " [process shared with the generator]" : "",
          heapUsed >= 0 ? "; heap used " + Text.bytes(heapUsed) : "");
    } else {
      out.printf("server      %s%n", serverSource);
    }
    if (serverWaitNanos >= 0) {
      out.printf("            server threads waited %s s for a CPU (runnable, not running)%n",
          Text.fixed(serverWaitNanos / 1e9, 2));
    }
    if (generatorCpuNanos >= 0) {
      out.printf("generator   %s CPU s = %s of a core, %s µs CPU per delivery%s%n",
          Text.fixed(generatorCpuNanos / 1e9, 2), Text.percent(generatorCores()),
          Text.fixed(generatorMicrosPerDelivery(), 3), generatorWaitNanos < 0 ? ""
              : "; its threads waited " + Text.fixed(generatorWaitNanos / 1e9, 2)
                  + " s for a CPU");
    }
    out.printf("result      %s%n", ok() ? "OK" : "FAILED (see the checks above)");
    out.flush();
  }
}
