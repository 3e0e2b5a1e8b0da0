package chat.bench;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The idle run: open N connections (ramped), wait for the server to settle, and report what each
 * connection costs the server: RSS, heap after a full collection, and kernel TCP memory.
 */
final class IdleBench {

  /** RSS moving less than this between two samples a second apart counts as settled. */
  static final long SETTLED_BYTES = 256 * 1024;

  private final BenchConfig cfg;
  private final Target target;
  private final Consumer<String> progress;

  IdleBench(BenchConfig cfg, Target target, Consumer<String> progress) {
    this.cfg = cfg;
    this.target = target;
    this.progress = progress;
  }

  IdleResult run() throws Exception {
    int n = cfg.clients();
    ServerProbe probe = target.probe();
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(cfg.threads(),
        new DefaultThreadFactory("chat-bench-io", true), BenchTransport.ioHandler());
    List<BenchConnection> open = new ArrayList<>();
    try (BenchProtocol protocol = LoadBench.protocol(cfg, group)) {
      long heap0 = probe.heapUsedBytes(true);
      long rss0 = probe.rssBytes();
      long[] sock0 = Proc.tcpSocketMemory();
      long genRss0 = Proc.statusBytes("self", "VmRSS");
      InetAddress[] sources = LoadBench.sourceAddresses(cfg);
      progress.accept("opening " + n + " idle connections to " + target.describe()
          + (sources == null ? "" : " from " + sources.length + " source addresses"));
      DeliveryHandler ignore = (seq, buf, offset, length) -> { };
      Connector.Outcome<BenchConnection> outcome = Connector.openAll(n, cfg.ramp(),
          cfg.connectConcurrency(),
          i -> protocol.open(target.address(i, 1),
              sources == null ? null : sources[i % sources.length], ignore),
          progress);
      for (BenchConnection c : outcome.connections()) {
        if (c != null) {
          open.add(c);
        }
      }
      if (!outcome.complete()) {
        throw new BenchException(outcome.firstError() + " (after " + outcome.opened()
            + " connections)");
      }
      progress.accept("connected; waiting for the server to settle");
      double settled = settle(probe);
      long rss1 = probe.rssBytes();
      long heap1 = probe.heapUsedBytes(true);
      long[] sock1 = Proc.tcpSocketMemory();
      long genRss1 = Proc.statusBytes("self", "VmRSS");
      return new IdleResult(cfg, target.describe(), probe.describe(), Machine.current(),
          outcome.opened(), outcome.seconds(), outcome.connectMicros(), settled,
          sources == null ? 1 : sources.length, rss0, rss1, heap0, heap1, sock0[0], sock1[0],
          sock0[1], sock1[1], genRss0, genRss1, probe.sharesProcess());
    } finally {
      for (BenchConnection c : open) {
        c.close();
      }
      group.shutdownGracefully(0, 2, TimeUnit.SECONDS).await(30, TimeUnit.SECONDS);
    }
  }

  /**
   * Waits until the server's RSS stays within {@link #SETTLED_BYTES} over a second, at most
   * {@code --settle} seconds; returns the seconds waited.
   */
  private double settle(ServerProbe probe) throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + (long) (cfg.settleSeconds() * 1e9);
    long previous = probe.rssBytes();
    while (previous >= 0 && System.nanoTime() - deadline < 0) {
      TimeUnit.MILLISECONDS.sleep(1000);
      long rss = probe.rssBytes();
      if (Math.abs(rss - previous) < SETTLED_BYTES) {
        break;
      }
      previous = rss;
    }
    return (System.nanoTime() - start) / 1e9;
  }
}
