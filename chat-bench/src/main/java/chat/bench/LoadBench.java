package chat.bench;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/**
 * The load run: N clients over R rooms, S of them sending at a fixed rate or as fast as a window
 * of unconfirmed messages allows; every delivery is checked for loss and order and its latency
 * recorded.
 *
 * <p>Threads: connections live on a shared event loop group. Each connection's receiver state
 * ({@link Member}) and each sender's state ({@link Sender}) is touched only by that connection's
 * event loop; figures are gathered per loop ({@link LoopStats}) and read by the main thread after
 * a barrier task has run on every loop.
 */
final class LoadBench {

  static final Duration TIMEOUT = Duration.ofSeconds(30);
  /** Latencies above this are recorded as this (one minute, in microseconds). */
  static final long MAX_LATENCY_MICROS = 60_000_000L;

  private final BenchConfig cfg;
  private final Target target;
  private final Consumer<String> progress;

  LoadBench(BenchConfig cfg, Target target, Consumer<String> progress) {
    this.cfg = cfg;
    this.target = target;
    this.progress = progress;
  }

  /** The measured interval; read by every delivery, so plain volatile fields. */
  static final class Phase {
    volatile long measureStart;
    volatile long measureEnd;
    volatile boolean ended;
    volatile boolean stop;

    boolean inWindow(long now) {
      return now - measureStart >= 0 && (!ended || now - measureEnd < 0);
    }

    boolean measured(long sentAt) {
      return sentAt - measureStart >= 0;
    }
  }

  /** Figures of one event loop: written by it only. */
  static final class LoopStats {
    final Phase phase;
    final Histogram latency = new Histogram(MAX_LATENCY_MICROS, 3);
    /** Of the latencies, those where sender and receiver were on one node, and on two. */
    final Histogram sameNode = new Histogram(MAX_LATENCY_MICROS, 3);
    final Histogram otherNode = new Histogram(MAX_LATENCY_MICROS, 3);
    final AtomicLong received = new AtomicLong();
    long measured;

    LoopStats(Phase phase) {
      this.phase = phase;
    }

    void delivery(long now, long sentAt, boolean acrossNodes) {
      received.lazySet(received.get() + 1);
      if (phase.inWindow(now)) {
        measured++;
      }
      if (phase.measured(sentAt)) {
        long micros = Math.min(Math.max(0, (now - sentAt) / 1000), MAX_LATENCY_MICROS);
        latency.recordValue(micros);
        (acrossNodes ? otherNode : sameNode).recordValue(micros);
      }
    }
  }

  /** One connection as a receiver: checks the room order and each sender's counter. */
  static final class Member implements DeliveryHandler {
    final int room;
    final int node;
    final int[] senderRoom;
    final int[] senderSlot;
    final int[] senderNode;
    final long[] next;
    final Payload.Reader payload = new Payload.Reader();
    volatile LoopStats stats;
    long lastSeq;
    long seqGaps;
    long counterGaps;
    long outOfOrder;
    long foreign;
    long received;

    Member(int room, int node, int sendersInRoom, int[] senderRoom, int[] senderSlot,
        int[] senderNode) {
      this.room = room;
      this.node = node;
      this.senderRoom = senderRoom;
      this.senderSlot = senderSlot;
      this.senderNode = senderNode;
      this.next = new long[sendersInRoom];
    }

    @Override
    public void onDelivery(long seq, io.netty.buffer.ByteBuf buf, int offset, int length) {
      long now = System.nanoTime();
      Payload.Reader p = payload;
      if (!p.read(buf, offset, length) || p.sender >= senderRoom.length
          || senderRoom[p.sender] != room) {
        foreign++;
        return;
      }
      int sender = p.sender;
      long counter = p.counter;
      long sentAt = p.sentNanos;
      if (seq >= 0) {
        if (seq == lastSeq + 1) {
          lastSeq = seq;
        } else if (seq > lastSeq) {
          seqGaps += seq - lastSeq - 1;
          lastSeq = seq;
        } else {
          outOfOrder++;
        }
      }
      int slot = senderSlot[sender];
      long expected = next[slot];
      if (counter == expected) {
        next[slot] = counter + 1;
      } else if (counter > expected) {
        counterGaps += counter - expected;
        next[slot] = counter + 1;
      } else {
        outOfOrder++;
      }
      received++;
      LoopStats s = stats;
      if (s != null) {
        s.delivery(now, sentAt, senderNode[sender] != node);
      }
    }
  }

  /** One sending connection; runs on its connection's executor only. */
  final class Sender implements BiConsumer<Object, Throwable> {
    final int index;
    final BenchConnection conn;
    final String room;
    final Phase phase;
    final CountDownLatch done;
    final AtomicLong sent = new AtomicLong();
    final AtomicLong confirmed = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    volatile String firstError;
    private boolean finished;
    private long rateStart;
    private ScheduledFuture<?> tick;

    Sender(int index, BenchConnection conn, String room, Phase phase, CountDownLatch done) {
      this.index = index;
      this.conn = conn;
      this.room = room;
      this.phase = phase;
      this.done = done;
    }

    /** Starts sending; {@code offsetNanos} spreads the rate ticks of different senders. */
    void start(long offsetNanos) {
      if (cfg.rate() <= 0) {
        for (int i = 0; i < cfg.window(); i++) {
          if (!sendOne()) {
            break;
          }
        }
        return;
      }
      long period = Math.max(TimeUnit.MILLISECONDS.toNanos(1), (long) (1e9 / cfg.rate()));
      rateStart = System.nanoTime() + offsetNanos;
      ScheduledExecutorService executor = conn.executor();
      tick = executor.scheduleAtFixedRate(this::tick, offsetNanos, period, TimeUnit.NANOSECONDS);
    }

    private void tick() {
      if (phase.stop || finished) {
        tick.cancel(false);
        return;
      }
      long due = (long) ((System.nanoTime() - rateStart) * cfg.rate() / 1e9) + 1;
      while (sent.get() < due && sendOne()) {
        // one message per due slot; a late tick catches up
      }
    }

    /** Sends the next message; false when the sender is done. */
    private boolean sendOne() {
      if (phase.stop || finished) {
        return false;
      }
      long n = sent.get();
      String text = Payload.text(index, n, System.nanoTime(), cfg.size());
      sent.lazySet(n + 1);
      if (cfg.messages() > 0 && n + 1 >= cfg.messages()) {
        finished = true;
      }
      conn.send(room, text).whenComplete(this);
      return true;
    }

    /** A confirmation (or failure) of one message; at full speed it sends the next. */
    @Override
    public void accept(Object reply, Throwable error) {
      if (error != null) {
        failed.lazySet(failed.get() + 1);
        if (firstError == null) {
          Throwable cause = error.getCause() != null ? error.getCause() : error;
          firstError = cause.getMessage() == null ? cause.toString() : cause.getMessage();
        }
      } else {
        confirmed.lazySet(confirmed.get() + 1);
      }
      if (finished && confirmed.get() + failed.get() == cfg.messages()) {
        done.countDown(); // every message of this sender is settled
      }
      if (cfg.rate() <= 0) {
        sendOne();
      }
    }
  }

  LoadResult run() throws Exception {
    int n = cfg.clients();
    int r = cfg.rooms();
    int s = cfg.senders();
    String tag = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
    String[] roomNames = new String[r];
    for (int i = 0; i < r; i++) {
      roomNames[i] = "bench-" + tag + "-" + i;
    }
    int[] senderRoom = new int[s];
    int[] senderSlot = new int[s];
    int[] senderNode = new int[s];
    for (int i = 0; i < s; i++) {
      senderRoom[i] = i % r;
      senderSlot[i] = i / r;
      senderNode[i] = target.node(i, r);
    }
    Member[] members = new Member[n];
    for (int i = 0; i < n; i++) {
      members[i] = new Member(i % r, target.node(i, r), cfg.sendersIn(i % r), senderRoom,
          senderSlot, senderNode);
    }

    EventLoopGroup group = new MultiThreadIoEventLoopGroup(cfg.threads(),
        new DefaultThreadFactory("chat-bench-io", true), BenchTransport.ioHandler());
    List<BenchConnection> open = new ArrayList<>();
    try (BenchProtocol protocol = protocol(cfg, group)) {
      InetAddress[] sources = sourceAddresses(cfg);
      progress.accept("connecting " + n + " clients to " + target.describe());
      Connector.Outcome<BenchConnection> outcome = Connector.openAll(n, cfg.ramp(),
          cfg.connectConcurrency(),
          i -> protocol.open(target.address(i, r),
              sources == null ? null : sources[i % sources.length], members[i]),
          progress);
      for (BenchConnection c : outcome.connections()) {
        if (c != null) {
          open.add(c);
        }
      }
      if (!outcome.complete()) {
        throw new BenchException(outcome.firstError());
      }
      List<BenchConnection> conns = outcome.connections();
      selfHeard = conns.get(0).hearsOwnMessages();
      if (!selfHeard && cfg.rate() <= 0) {
        throw new BenchException("the server does not offer IRCv3 echo-message, so a sender"
            + " learns nothing of its messages and window mode (--window, --rate 0) cannot run;"
            + " give a --rate (a message then counts as settled once written to the socket)");
      }

      Phase phase = new Phase();
      Map<ScheduledExecutorService, LoopStats> loops = new IdentityHashMap<>();
      for (int i = 0; i < n; i++) {
        members[i].stats = loops.computeIfAbsent(conns.get(i).executor(), e -> new LoopStats(phase));
      }
      List<CompletableFuture<?>> joins = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        joins.add(conns.get(i).join(roomNames[i % r]));
      }
      CompletableFuture.allOf(joins.toArray(CompletableFuture[]::new))
          .get(TIMEOUT.toSeconds() + n / 100, TimeUnit.SECONDS);
      progress.accept("joined " + r + (r == 1 ? " room" : " rooms") + "; sending");

      CountDownLatch done = new CountDownLatch(cfg.messages() > 0 ? s : Integer.MAX_VALUE);
      Sender[] senders = new Sender[s];
      for (int i = 0; i < s; i++) {
        senders[i] = new Sender(i, conns.get(i), roomNames[senderRoom[i]], phase, done);
      }
      long start = System.nanoTime();
      phase.measureStart = start + (long) (cfg.warmupSeconds() * 1e9);
      long period = cfg.rate() > 0 ? (long) (1e9 / cfg.rate()) : 0;
      for (int i = 0; i < s; i++) {
        Sender sender = senders[i];
        long offset = period * i / s;
        sender.conn.executor().execute(() -> sender.start(offset));
      }

      ServerProbe probe = target.probe();
      long warm = phase.measureStart - System.nanoTime();
      if (warm > 0) {
        done.await(warm, TimeUnit.NANOSECONDS);
      }
      long cpu0 = probe.cpuNanos();
      long gen0 = processCpuNanos();
      long wait0 = probe.runQueueWaitNanos();
      long genWait0 = Proc.runQueueWaitNanos("self");
      long rss0 = probe.rssBytes();
      long rssPeak = rss0;
      // The measured interval starts at the warm-up's planned end; the snapshots above are
      // taken at most a scheduling delay later.
      long measureStart = phase.measureStart;
      long deadline = measureStart + (long) (cfg.durationSeconds() * 1e9);
      while (true) {
        long left = deadline - System.nanoTime();
        if (left <= 0 || done.await(Math.min(left, 500_000_000L), TimeUnit.NANOSECONDS)) {
          break;
        }
        rssPeak = Math.max(rssPeak, probe.rssBytes());
      }
      long cpu1 = probe.cpuNanos();
      long gen1 = processCpuNanos();
      long wait1 = probe.runQueueWaitNanos();
      long genWait1 = Proc.runQueueWaitNanos("self");
      long measureEnd = System.nanoTime();
      phase.measureEnd = measureEnd;
      phase.ended = true;
      phase.stop = true;
      long rss1 = probe.rssBytes();
      rssPeak = Math.max(rssPeak, rss1);
      long heap = probe.sharesProcess() ? probe.heapUsedBytes(false) : -1;
      progress.accept("sending stopped; waiting for the last deliveries");

      // Drain: every message sent is confirmed (or failed) and every delivery has arrived.
      long drainDeadline = System.nanoTime() + (long) (cfg.drainSeconds() * 1e9);
      boolean drained = false;
      while (System.nanoTime() - drainDeadline < 0) {
        long expected = 0;
        long settled = 0;
        long sentTotal = 0;
        for (Sender sender : senders) {
          long sent = sender.sent.get();
          sentTotal += sent;
          settled += sender.confirmed.get() + sender.failed.get();
          expected += sent * receivers(senderRoom[sender.index]);
        }
        long received = 0;
        for (LoopStats stats : loops.values()) {
          received += stats.received.get();
        }
        if (settled >= sentTotal && received >= expected) {
          drained = true;
          break;
        }
        Thread.sleep(20);
      }
      // Barrier: everything each loop did so far is visible to this thread afterwards.
      for (ScheduledExecutorService loop : loops.keySet()) {
        loop.submit(() -> { }).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      }
      return collect(senders, members, loops, senderRoom, outcome, drained,
          measureEnd - measureStart, cpu0, cpu1, gen0, gen1, rss0, rss1, rssPeak, heap,
          wait0 >= 0 && wait1 >= 0 ? wait1 - wait0 : -1,
          genWait0 >= 0 && genWait1 >= 0 ? genWait1 - genWait0 : -1);
    } finally {
      for (BenchConnection c : open) {
        c.close();
      }
      group.shutdownGracefully(0, 2, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
    }
  }

  private LoadResult collect(Sender[] senders, Member[] members,
      Map<ScheduledExecutorService, LoopStats> loops, int[] senderRoom,
      Connector.Outcome<BenchConnection> outcome, boolean drained, long measuredNanos,
      long cpu0, long cpu1, long gen0, long gen1, long rss0, long rss1, long rssPeak, long heap,
      long serverWait, long generatorWait) {
    long sent = 0;
    long sendErrors = 0;
    String firstError = null;
    long expected = 0;
    long[] sentBySender = new long[senders.length];
    for (Sender sender : senders) {
      sentBySender[sender.index] = sender.sent.get();
      sent += sender.sent.get();
      sendErrors += sender.failed.get();
      if (firstError == null) {
        firstError = sender.firstError;
      }
      expected += sender.sent.get() * receivers(senderRoom[sender.index]);
    }
    long received = 0;
    long lost = 0;
    long outOfOrder = 0;
    long seqGaps = 0;
    long foreign = 0;
    for (int k = 0; k < members.length; k++) {
      Member m = members[k];
      received += m.received;
      outOfOrder += m.outOfOrder;
      seqGaps += m.seqGaps;
      foreign += m.foreign;
      lost += m.counterGaps;
      for (int i = 0; i < senders.length; i++) {
        if (senderRoom[i] == m.room && (selfHeard || i != k)) {
          lost += Math.max(0, sentBySender[i] - m.next[senderSlot(i)]);
        }
      }
    }
    Histogram latency = new Histogram(MAX_LATENCY_MICROS, 3);
    Histogram sameNode = new Histogram(MAX_LATENCY_MICROS, 3);
    Histogram otherNode = new Histogram(MAX_LATENCY_MICROS, 3);
    long measured = 0;
    for (LoopStats stats : loops.values()) {
      latency.add(stats.latency);
      sameNode.add(stats.sameNode);
      otherNode.add(stats.otherNode);
      measured += stats.measured;
    }
    double seconds = measuredNanos / 1e9;
    long serverCpu = cpu0 >= 0 && cpu1 >= 0 ? cpu1 - cpu0 : -1;
    long generatorCpu = gen0 >= 0 && gen1 >= 0 ? gen1 - gen0 : -1;
    if (generatorCpu >= 0 && serverCpu >= 0 && target.probe().sharesProcess()) {
      generatorCpu -= serverCpu;
    }
    return new LoadResult(cfg, target.describe(), target.probe().describe(),
        Machine.current(), outcome.opened(), outcome.seconds(), outcome.connectMicros(), seconds, sent, sendErrors,
        firstError, received, expected, measured, lost, outOfOrder, seqGaps, foreign, drained,
        latency, serverCpu, generatorCpu, serverWait, generatorWait, rss0, rss1, rssPeak, heap,
        target.probe().sharesProcess(), nodes(members, senders.length),
        target.nodes() > 1 ? sameNode : null, target.nodes() > 1 ? otherNode : null);
  }

  /** Each node's clients, senders and deliveries received. */
  private List<LoadResult.Node> nodes(Member[] members, int senders) {
    int k = target.nodes();
    int[] clients = new int[k];
    int[] sending = new int[k];
    long[] received = new long[k];
    for (int i = 0; i < members.length; i++) {
      Member m = members[i];
      clients[m.node]++;
      sending[m.node] += i < senders ? 1 : 0;
      received[m.node] += m.received;
    }
    List<LoadResult.Node> nodes = new ArrayList<>();
    for (int node = 0; node < k; node++) {
      nodes.add(new LoadResult.Node(target.describe(node), clients[node], sending[node],
          received[node]));
    }
    return nodes;
  }

  /** Whether senders receive their own messages (false: IRC without echo-message). */
  private boolean selfHeard = true;

  /** Deliveries of one message sent to room {@code r}. */
  private long receivers(int r) {
    return cfg.roomSize(r) - (selfHeard ? 0 : 1);
  }

  /** The protocol of the run, on {@code group}. */
  static BenchProtocol protocol(BenchConfig cfg, EventLoopGroup group) {
    return cfg.irc() ? new IrcProtocol(group, TIMEOUT) : new NativeProtocol(group, cfg.lean(), TIMEOUT, cfg.stay());
  }

  private int senderSlot(int sender) {
    return sender / cfg.rooms();
  }

  /** The local addresses to spread connections over, or null to let the system choose. */
  static InetAddress[] sourceAddresses(BenchConfig cfg) throws UnknownHostException {
    int k = cfg.effectiveSourceAddresses();
    if (k <= 1) {
      return null;
    }
    InetAddress[] addresses = new InetAddress[k];
    for (int i = 0; i < k; i++) {
      addresses[i] = InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) (1 + i)});
    }
    return addresses;
  }

  /** CPU time of this whole process, or -1. */
  static long processCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return -1;
  }
}
