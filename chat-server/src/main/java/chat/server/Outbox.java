package chat.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

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
 */
final class Outbox implements Runnable {

  /** Largest buffer a drain builds from queued buffers. */
  static final int MAX_BATCH = 64 * 1024;
  private static final int INITIAL_BATCH = 4096;

  /** Marks "close after everything before me is written". */
  private static final Object CLOSE = new Object();

  private static final AtomicReferenceFieldUpdater<Outbox, Node> TAIL =
      AtomicReferenceFieldUpdater.newUpdater(Outbox.class, Node.class, "tail");
  private static final AtomicIntegerFieldUpdater<Outbox> SCHEDULED =
      AtomicIntegerFieldUpdater.newUpdater(Outbox.class, "scheduled");

  private static final class Node {
    Object value;
    volatile Node next;

    Node(Object value) {
      this.value = value;
    }
  }

  private final Channel channel;
  /** The last node taken (a stub when empty); touched by the event loop only. */
  private Node head;
  private volatile Node tail;
  private volatile int scheduled;

  Outbox(Channel channel) {
    this.channel = channel;
    Node stub = new Node(null);
    head = stub;
    tail = stub;
  }

  void offer(Object message) {
    Node node = new Node(message);
    TAIL.getAndSet(this, node).next = node;
    // Linked before this check: a drain that is pending, or that starts after it, sees the node.
    if (scheduled == 0 && SCHEDULED.compareAndSet(this, 0, 1)) {
      try {
        channel.eventLoop().execute(this);
      } catch (RejectedExecutionException e) {
        // The event loop has stopped (server shutdown): nothing will be written any more.
        // The flag, still set, keeps other producers out until the queue is released.
        discard();
        scheduled = 0;
      }
    }
  }

  /** Closes the channel once everything offered before has been flushed. */
  void closeAfterFlush() {
    offer(CLOSE);
  }

  /** The next message, or null when none is (fully) linked yet; event loop only. */
  private Object poll() {
    Node next = head.next;
    if (next == null) {
      return null;
    }
    Object value = next.value;
    next.value = null;
    head = next;
    return value;
  }

  private void discard() {
    Object message;
    while ((message = poll()) != null) {
      ReferenceCountUtil.release(message);
    }
  }

  /**
   * The drain: writes everything waiting, then flushes once. Runs of encoded buffers are copied
   * into one buffer (up to {@link #MAX_BATCH} bytes) and written as one message: a room message
   * is a few hundred bytes, and copying it costs less than Netty's per-message outbound work
   * (pipeline pass, outbound entry, reference counting, one iovec per message).
   */
  @Override
  public void run() {
    scheduled = 0;
    boolean wrote = false;
    ByteBuf single = null; // a run of one buffer is written as it is, without a copy
    ByteBuf batch = null;
    Object message;
    while ((message = poll()) != null) {
      if (!channel.isActive() && message != CLOSE) {
        ReferenceCountUtil.release(message);
        continue;
      }
      if (message instanceof ByteBuf buf) {
        if (single == null && batch == null) {
          single = buf;
          continue;
        }
        if (batch == null) {
          batch = channel.alloc().ioBuffer(Math.min(MAX_BATCH,
              Math.max(single.readableBytes() + buf.readableBytes(), INITIAL_BATCH)));
          append(batch, single);
          single = null;
        } else if (batch.readableBytes() + buf.readableBytes() > MAX_BATCH) {
          channel.write(batch, channel.voidPromise());
          batch = channel.alloc().ioBuffer(Math.max(buf.readableBytes(), INITIAL_BATCH));
        }
        append(batch, buf);
        continue;
      }
      // A frame or CLOSE: what came before it goes first.
      if (single != null) {
        channel.write(single, channel.voidPromise());
        single = null;
      }
      if (batch != null) {
        channel.write(batch, channel.voidPromise());
        batch = null;
      }
      if (message == CLOSE) {
        channel.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER)
            .addListener(ChannelFutureListener.CLOSE);
        wrote = false;
        continue;
      }
      channel.write(message, channel.voidPromise());
      wrote = true;
    }
    if (single != null) {
      channel.write(single, channel.voidPromise());
      wrote = true;
    }
    if (batch != null) {
      channel.write(batch, channel.voidPromise());
      wrote = true;
    }
    if (wrote) {
      channel.flush();
    }
  }

  private static void append(ByteBuf batch, ByteBuf buf) {
    batch.writeBytes(buf, buf.readerIndex(), buf.readableBytes());
    buf.release();
  }
}
