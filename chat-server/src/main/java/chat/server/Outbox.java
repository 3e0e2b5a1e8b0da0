package chat.server;

import chat.core.Backlog;
import chat.protocol.Frame;
import io.netty.channel.Channel;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.internal.PlatformDependent;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The outbound queue of one connection. Any thread may {@link #offer}; the channel's event loop
 * drains the queue, writes everything waiting and flushes once.
 *
 * <p>Why not {@code channel.write} directly: Netty runs a write at once when the caller is the
 * channel's own event loop, and queues it as a task otherwise. Two rooms' worth of writers on
 * different loops would then overtake each other, breaking the room order the hub establishes
 * under its monitor. Enqueuing into one MPSC queue keeps exactly the order of {@code offer}
 * calls, and the drain gives one flush per batch instead of one per message.
 *
 * <p>Slow readers: the bytes waiting for the peer (estimated while queued here, exact once in
 * the channel's outbound buffer) are measured on every offer, and the core's {@link Backlog}
 * rule decides: deliver, drop (the member is behind and this is room traffic; counted, and told
 * once it has caught up) or disconnect. Dropping skips an offer, so the order of what is sent
 * stays the order of offers.
 */
final class Outbox {

  /** Marks "close after everything before me is written". */
  private static final Object CLOSE = new Object();
  /** A close waits this long for the flush; a peer that does not read is cut off after it. */
  static final long CLOSE_GRACE_MS = 2000;
  /** Per-frame overhead beyond the content assumed while a frame is queued (length + header). */
  private static final int HEADER_ESTIMATE = 160;

  private record Queued(Object message, long bytes) {}

  private final Channel channel;
  private final Backlog backlog;
  /** Told (on the event loop) why the peer is cut off as too slow. */
  private final Consumer<String> tooSlow;
  private final Queue<Queued> queue = PlatformDependent.newMpscQueue();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final AtomicBoolean cutOff = new AtomicBoolean();
  private final AtomicLong queuedBytes = new AtomicLong();
  private final Runnable drain = this::drain;
  private final AtomicBoolean overdueCheckScheduled = new AtomicBoolean();

  Outbox(Channel channel, Backlog backlog, Consumer<String> tooSlow) {
    this.channel = channel;
    this.backlog = backlog;
    this.tooSlow = tooSlow;
  }

  /** Queues a message that must not be dropped (replies, errors, pongs). */
  void offer(Object message) {
    offer(message, false);
  }

  /** Queues a message; {@code droppable} ones are skipped while the peer is behind. */
  void offer(Object message, boolean droppable) {
    long bytes = estimate(message);
    Backlog.Decision decision = backlog.offer(pendingBytes() + bytes, droppable);
    switch (decision.kind()) {
      case DELIVER -> { }
      case DROP -> {
        ReferenceCountUtil.release(message);
        scheduleOverdueCheck();
        return;
      }
      case CAUGHT_UP -> enqueue(NativeFrames.event(decision.notice(), null), 0);
      case DISCONNECT -> {
        ReferenceCountUtil.release(message);
        cutOff(decision.reason());
        return;
      }
    }
    enqueue(message, bytes);
  }

  private void enqueue(Object message, long bytes) {
    queuedBytes.addAndGet(bytes);
    queue.offer(new Queued(message, bytes));
    if (scheduled.compareAndSet(false, true)) {
      channel.eventLoop().execute(drain);
    }
  }

  /** Closes the channel once everything offered before has been flushed (or after a grace). */
  void closeAfterFlush() {
    enqueue(CLOSE, 0);
  }

  /** Bytes waiting for the peer: queued here plus in the channel's outbound buffer. */
  long pendingBytes() {
    ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
    return queuedBytes.get() + (buffer == null ? 0 : buffer.totalPendingWriteBytes());
  }

  /** Messages dropped since the peer fell behind (0 while it keeps up). */
  long dropped() {
    return backlog.dropped();
  }

  /** On the event loop, when the channel's writability changed or time has passed. */
  void recheck() {
    Backlog.Decision decision = backlog.check(pendingBytes());
    switch (decision.kind()) {
      case CAUGHT_UP -> enqueue(NativeFrames.event(decision.notice(), null), 0);
      case DISCONNECT -> cutOff(decision.reason());
      default -> scheduleOverdueCheck();
    }
  }

  /** While the peer is behind, a check when it will have been behind for too long. */
  private void scheduleOverdueCheck() {
    long wait = backlog.millisUntilOverdue();
    if (wait < 0 || !overdueCheckScheduled.compareAndSet(false, true)) {
      return;
    }
    channel.eventLoop().schedule(() -> {
      overdueCheckScheduled.set(false);
      if (channel.isActive()) {
        recheck();
      }
    }, wait + 1, TimeUnit.MILLISECONDS);
  }

  private void cutOff(String reason) {
    if (cutOff.compareAndSet(false, true)) {
      channel.eventLoop().execute(() -> tooSlow.accept(reason));
    }
  }

  private void drain() {
    scheduled.set(false);
    boolean wrote = false;
    Queued queued;
    while ((queued = queue.poll()) != null) {
      queuedBytes.addAndGet(-queued.bytes());
      Object message = queued.message();
      if (message == CLOSE) {
        closeAfterFlushNow();
        wrote = false;
        continue;
      }
      if (!channel.isActive()) {
        ReferenceCountUtil.release(message);
        continue;
      }
      channel.write(message, channel.voidPromise());
      wrote = true;
    }
    if (wrote) {
      channel.flush();
    }
  }

  /**
   * Flushes, then closes. Over plain TCP the output is shut down first and the channel closed
   * when the peer closes (or after the grace): a peer that sent more meanwhile would otherwise
   * get a reset that can destroy the last frames before it reads them.
   */
  private void closeAfterFlushNow() {
    boolean halfClose = channel instanceof DuplexChannel
        && channel.pipeline().get(SslHandler.class) == null;
    channel.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(done -> {
      if (halfClose && done.isSuccess() && channel.isActive()) {
        ((DuplexChannel) channel).shutdownOutput();
      } else {
        channel.close();
      }
    });
    channel.eventLoop().schedule(() -> {
      channel.close();
    }, CLOSE_GRACE_MS, TimeUnit.MILLISECONDS);
  }

  private static long estimate(Object message) {
    if (message instanceof Frame frame) {
      return HEADER_ESTIMATE + frame.content().length;
    }
    return HEADER_ESTIMATE;
  }
}
