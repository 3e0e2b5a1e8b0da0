package chat.bench;

import java.util.List;

/**
 * Several server processes (the nodes of a cluster, one {@code --server-pid} each) as one: CPU,
 * CPU wait, RSS and heap are their sums, unknown (-1) when any node's is.
 */
final class NodeProbes implements ServerProbe {

  private final List<ServerProbe> probes;

  NodeProbes(List<ServerProbe> probes) {
    this.probes = List.copyOf(probes);
  }

  @Override
  public String describe() {
    return probes.size() + " processes (" + String.join(", ",
        probes.stream().map(ServerProbe::describe).toList()) + "), summed";
  }

  @Override
  public long cpuNanos() {
    return sum(ServerProbe::cpuNanos);
  }

  @Override
  public long runQueueWaitNanos() {
    return sum(ServerProbe::runQueueWaitNanos);
  }

  @Override
  public long rssBytes() {
    return sum(ServerProbe::rssBytes);
  }

  @Override
  public long heapUsedBytes(boolean collectFirst) {
    return sum(p -> p.heapUsedBytes(collectFirst));
  }

  @Override
  public boolean sharesProcess() {
    return false;
  }

  private long sum(java.util.function.ToLongFunction<ServerProbe> figure) {
    long total = 0;
    for (ServerProbe probe : probes) {
      long value = figure.applyAsLong(probe);
      if (value < 0) {
        return -1;
      }
      total += value;
    }
    return total;
  }
}
