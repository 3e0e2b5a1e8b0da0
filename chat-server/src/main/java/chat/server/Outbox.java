package chat.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.util.internal.PlatformDependent;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The outbound queue of one connection. Any thread may {@link #offer}; the channel's event loop
 * drains the queue, writes everything waiting and flushes once.
 *
 * <p>Why not {@code channel.write} directly: Netty runs a write at once when the caller is the
 * channel's own event loop, and queues it as a task otherwise. Two rooms' worth of writers on
 * different loops would then overtake each other, breaking the room order the hub establishes
 * under its monitor. Enqueuing into one MPSC queue keeps exactly the order of {@code offer}
 * calls, and the drain gives one flush per batch instead of one per message.
 */
final class Outbox {

  /** Marks "close after everything before me is written". */
  private static final Object CLOSE = new Object();

  private final Channel channel;
  private final Queue<Object> queue = PlatformDependent.newMpscQueue();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final Runnable drain = this::drain;

  Outbox(Channel channel) {
    this.channel = channel;
  }

  void offer(Object message) {
    queue.offer(message);
    if (scheduled.compareAndSet(false, true)) {
      channel.eventLoop().execute(drain);
    }
  }

  /** Closes the channel once everything offered before has been flushed. */
  void closeAfterFlush() {
    offer(CLOSE);
  }

  private void drain() {
    scheduled.set(false);
    boolean wrote = false;
    Object message;
    while ((message = queue.poll()) != null) {
      if (message == CLOSE) {
        channel.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER)
            .addListener(ChannelFutureListener.CLOSE);
        wrote = false;
        continue;
      }
      if (!channel.isActive()) {
        io.netty.util.ReferenceCountUtil.release(message);
        continue;
      }
      channel.write(message, channel.voidPromise());
      wrote = true;
    }
    if (wrote) {
      channel.flush();
    }
  }
}
