package chat.server;

import chat.core.Backlog;
import chat.protocol.Frame;
import chat.server.metrics.DoorMeter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.function.Consumer;

/**
 * The outbound queue of one connection. Any thread may {@link #offer} a frame or an encoded
 * buffer (whose reference it takes over); the channel's event loop drains the queue, writes
 * everything waiting and flushes once.
 *
 * <p>Why not {@code channel.write} directly: Netty runs a write at once when the caller is the
 * channel's own event loop, and queues it as a task otherwise. Two rooms' worth of writers on
 * different loops would then overtake each other, breaking the room order the hub establishes
 * under its monitor. Enqueuing into one MPSC queue keeps exactly the order of {@code offer}
 * calls, and the drain gives one flush per batch instead of one per message.
 *
 * <p>The queue is a linked multi-producer single-consumer queue (Vyukov's): an empty outbox is a
 * few dozen bytes, where an array-backed queue preallocates kilobytes per connection, which
 * dominated the memory of an idle connection. It costs one small node per message.
 *
 * <p>Slow readers: the bytes waiting for the peer (queued here: exact for an encoded buffer,
 * estimated for a frame; exact once in the channel's outbound buffer) are measured on every
 * offer, and the core's {@link Backlog} rule decides: deliver, drop (the member is behind and
 * this is room traffic; counted, and told once it has caught up) or disconnect. Dropping skips
 * an offer and releases it (for a shared encoding, this member's duplicate only), so the order
 * of what is sent stays the order of offers. A shared encoding counts in full for every member
 * it is queued for: each peer has all of it still to read.
 */
final class Outbox implements Runnable {

  /** Largest buffer a drain builds from queued buffers. */
  static final int MAX_BATCH = 64 * 1024;
  private static final int INITIAL_BATCH = 4096;

  /** Marks "close after everything before me is written". */
  private static final Object CLOSE = new Object();
  /** A close waits this long for the flush; a peer that does not read is cut off after it. */
  static final long CLOSE_GRACE_MS = 2000;
  /** Per-frame overhead beyond the content assumed while a frame is queued (length + header). */
  private static final int HEADER_ESTIMATE = 160;

  private static final AtomicReferenceFieldUpdater<Outbox, Node> TAIL =
      AtomicReferenceFieldUpdater.newUpdater(Outbox.class, Node.class, "tail");
  private static final AtomicIntegerFieldUpdater<Outbox> SCHEDULED =
      AtomicIntegerFieldUpdater.newUpdater(Outbox.class, "scheduled");

  /** What a node holds, for the door's meter. */
  private static final byte PLAIN = 0;
  private static final byte ENCODED_EVENT = 1;
  private static final byte ENCODED_DELIVERY = 2;

  private static final java.lang.invoke.VarHandle NEXT;

  static {
    try {
      NEXT = java.lang.invoke.MethodHandles.lookup().findVarHandle(Node.class, "next", Node.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private static final class Node {
    Object value;
    /** What the message counts in {@link #queuedBytes} while it waits here. */
    final long bytes;
    final byte kind;
    volatile Node next;

    Node(Object value, long bytes, byte kind) {
      this.value = value;
      this.bytes = bytes;
      this.kind = kind;
    }
  }

  private final Channel channel;
  /**
   * Whether runs of encoded buffers may be joined into one write: true where the transport is a
   * byte stream (the native port); false where each written message is one frame of its own
   * (a WebSocket binary message).
   */
  private final boolean batching;
  private final Backlog backlog;
  /** Counts encoded events as they are written (it sees only {@link Frame}s itself); or null. */
  private final DoorMeter meter;
  /** Told (on the event loop) why the peer is cut off as too slow. */
  private final Consumer<String> tooSlow;
  /** The last node taken (a stub when empty); touched by the event loop only. */
  private Node head;
  private volatile Node tail;
  private volatile int scheduled;
  /** Under load, the least time between two drains ({@link WriteCoalescing}); 0: none. */
  private final long coalesceNanos;
  /** When the last drain began (System.nanoTime), written by the event loop. */
  private volatile long lastDrain;
  private final AtomicBoolean cutOff = new AtomicBoolean();
  private final AtomicLong queuedBytes = new AtomicLong();
  private final AtomicBoolean overdueCheckScheduled = new AtomicBoolean();

  Outbox(Channel channel, boolean batching, Backlog backlog, DoorMeter meter,
      Consumer<String> tooSlow) {
    this(channel, batching, backlog, meter, tooSlow, 0);
  }

  Outbox(Channel channel, boolean batching, Backlog backlog, DoorMeter meter,
      Consumer<String> tooSlow, long coalesceNanos) {
    this.channel = channel;
    this.coalesceNanos = coalesceNanos;
    this.lastDrain = WriteCoalescing.never(coalesceNanos);
    this.batching = batching;
    this.backlog = backlog;
    this.meter = meter;
    this.tooSlow = tooSlow;
    Node stub = new Node(null, 0, PLAIN);
    head = stub;
    tail = stub;
  }

  /** Queues a message that must not be dropped (replies, errors, pongs). */
  void offer(Object message) {
    offer(message, false);
  }

  /**
   * Queues a message (a {@link Frame} or an encoded {@link ByteBuf}, whose reference the outbox
   * takes over); {@code droppable} ones are skipped, and released, while the peer is behind.
   */
  void offer(Object message, boolean droppable) {
    offer(message, droppable, PLAIN);
  }

  /**
   * Queues an event encoded as one native frame, whose reference the outbox takes over.
   *
   * @param delivery a live room or private message (for the door's meter)
   */
  void offerEncoded(ByteBuf event, boolean droppable, boolean delivery) {
    offer(event, droppable, delivery ? ENCODED_DELIVERY : ENCODED_EVENT);
  }

  private void offer(Object message, boolean droppable, byte kind) {
    long bytes = size(message);
    Backlog.Decision decision = backlog.offer(pendingBytes() + bytes, droppable);
    switch (decision.kind()) {
      case DELIVER -> { }
      case DROP -> {
        ReferenceCountUtil.release(message);
        scheduleOverdueCheck();
        return;
      }
      case CAUGHT_UP -> enqueue(NativeFrames.event(decision.notice(), null), 0, PLAIN);
      case DISCONNECT -> {
        ReferenceCountUtil.release(message);
        cutOff(decision.reason());
        return;
      }
    }
    enqueue(message, bytes, kind);
  }

  private void enqueue(Object message, long bytes, byte kind) {
    queuedBytes.addAndGet(bytes);
    Node node = new Node(message, bytes, kind);
    TAIL.getAndSet(this, node).next = node;
    // Linked before this check: a drain that is pending, or that starts after it, sees the node.
    if (scheduled == 0 && SCHEDULED.compareAndSet(this, 0, 1)) {
      try {
        WriteCoalescing.schedule(channel.eventLoop(), this, lastDrain, coalesceNanos);
      } catch (RejectedExecutionException e) {
        // The event loop has stopped (server shutdown): nothing will be written any more.
        // The flag, still set, keeps other producers out until the queue is released.
        discard();
        scheduled = 0;
      }
    }
  }

  /** Closes the channel once everything offered before has been flushed (or after a grace). */
  void closeAfterFlush() {
    enqueue(CLOSE, 0, PLAIN);
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
      case CAUGHT_UP -> enqueue(NativeFrames.event(decision.notice(), null), 0, PLAIN);
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
    try {
      channel.eventLoop().schedule(() -> {
        overdueCheckScheduled.set(false);
        if (channel.isActive()) {
          recheck();
        }
      }, wait + 1, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // shutting down: nothing left to check
    }
  }

  private void cutOff(String reason) {
    if (cutOff.compareAndSet(false, true)) {
      try {
        channel.eventLoop().execute(() -> tooSlow.accept(reason));
      } catch (RejectedExecutionException e) {
        // shutting down: the connection ends anyway
      }
    }
  }

  /** The next node, or null when none is (fully) linked yet; event loop only. */
  private Node poll() {
    Node old = head;
    Node next = old.next;
    if (next == null) {
      return null;
    }
    head = next;
    // Unlinked, so that a taken node that reached the old generation cannot keep the nodes after
    // it alive through young collections: without this every node of a busy queue was promoted
    // (GC "nepotism"), and the old generation filled with dead nodes at the rate of messages.
    // No producer writes it again: producers link only the tail, and this node is not the tail.
    NEXT.setOpaque(old, null);
    return next;
  }

  private void discard() {
    Node node;
    while ((node = poll()) != null) {
      Object message = node.value;
      node.value = null;
      queuedBytes.addAndGet(-node.bytes);
      ReferenceCountUtil.release(message);
    }
  }

  /**
   * The drain: writes everything waiting, then flushes once. On a byte stream, runs of encoded
   * buffers are copied into one buffer (up to {@link #MAX_BATCH} bytes) and written as one
   * message: a room message is a few hundred bytes, and copying it costs less than Netty's
   * per-message outbound work (pipeline pass, outbound entry, reference counting, one iovec per
   * message). Each copied buffer (a member's duplicate of a shared encoding) is released at once.
   * A message leaves {@link #queuedBytes} when it is written (then the channel's outbound buffer
   * counts it) or released, never in between, so the water marks see it all along.
   */
  @Override
  public void run() {
    scheduled = 0;
    if (coalesceNanos > 0) {
      lastDrain = System.nanoTime();
    }
    boolean wrote = false;
    ByteBuf single = null; // a run of one buffer is written as it is, without a copy
    ByteBuf batch = null;
    long held = 0; // the queued bytes of single or batch
    Node node;
    while ((node = poll()) != null) {
      Object message = node.value;
      node.value = null;
      if (message == CLOSE) {
        // What came before it goes first.
        writePending(single, batch, held);
        single = null;
        batch = null;
        held = 0;
        closeAfterFlushNow();
        wrote = false;
        continue;
      }
      if (!channel.isActive()) {
        queuedBytes.addAndGet(-node.bytes);
        ReferenceCountUtil.release(message);
        continue;
      }
      if (node.kind != PLAIN && meter != null) {
        meter.encodedFrameWritten(node.kind == ENCODED_DELIVERY);
      }
      if (batching && message instanceof ByteBuf buf) {
        if (single == null && batch == null) {
          single = buf;
          held = node.bytes;
          continue;
        }
        if (batch == null) {
          batch = channel.alloc().ioBuffer(Math.min(MAX_BATCH,
              Math.max(single.readableBytes() + buf.readableBytes(), INITIAL_BATCH)));
          append(batch, single);
          single = null;
        } else if (batch.readableBytes() + buf.readableBytes() > MAX_BATCH) {
          writePending(null, batch, held);
          held = 0;
          batch = channel.alloc().ioBuffer(Math.max(buf.readableBytes(), INITIAL_BATCH));
        }
        append(batch, buf);
        held += node.bytes;
        continue;
      }
      // A frame (or, without batching, a buffer): what came before it goes first.
      writePending(single, batch, held);
      single = null;
      batch = null;
      held = 0;
      write(message, node.bytes);
      wrote = true;
    }
    if (writePending(single, batch, held)) {
      wrote = true;
    }
    if (wrote) {
      channel.flush();
    }
  }

  /** Writes the run of buffers held back (one of the two, if any), which counts {@code held}. */
  private boolean writePending(ByteBuf single, ByteBuf batch, long held) {
    ByteBuf pending = single != null ? single : batch;
    if (pending == null) {
      return false;
    }
    write(pending, held);
    return true;
  }

  /** Hands a message to the channel, whose outbound buffer counts it from now on. */
  private void write(Object message, long queued) {
    try {
      channel.write(message, channel.voidPromise());
    } finally {
      queuedBytes.addAndGet(-queued);
    }
  }

  private static void append(ByteBuf batch, ByteBuf buf) {
    try {
      batch.writeBytes(buf, buf.readerIndex(), buf.readableBytes());
    } finally {
      buf.release();
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
    channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(done -> {
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

  /** The bytes a message counts while it waits here. */
  private static long size(Object message) {
    if (message instanceof ByteBuf buf) {
      return buf.readableBytes();
    }
    if (message instanceof Frame frame) {
      return HEADER_ESTIMATE + frame.content().length;
    }
    return HEADER_ESTIMATE;
  }
}
