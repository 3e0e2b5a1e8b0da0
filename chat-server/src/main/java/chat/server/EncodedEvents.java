package chat.server;

import chat.core.Event;
import chat.protocol.Frame;
import chat.protocol.FrameEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.FastThreadLocalThread;

/**
 * Encodes an event once for all the native members it goes to.
 *
 * <p>The hub hands one {@link Event} instance to every member's sink, one sink after the other,
 * on the thread doing the fan-out. Each thread remembers the last event it encoded and its bytes:
 * the first member's sink encodes, every following member gets a retained duplicate of the same
 * buffer (its own indexes, the same memory), which its channel releases once written. The cache
 * holds one reference of its own, given up when the thread encodes the next event or ends.
 *
 * <p>Only events without a request id are shared; the requester's own copy carries the id and is
 * encoded on its own. Threads other than Netty's (the shutdown notice, tests) encode every time.
 */
final class EncodedEvents {

  private static final FastThreadLocal<EncodedEvents> CACHE = new FastThreadLocal<>() {
    @Override
    protected EncodedEvents initialValue() {
      return new EncodedEvents();
    }

    @Override
    protected void onRemoval(EncodedEvents cache) {
      cache.clear();
    }
  };

  private Event event;
  private ByteBuf encoded;

  private EncodedEvents() {}

  /** A cache of its own, for a benchmark driving one thread that is not Netty's. */
  static EncodedEvents newCache() {
    return new EncodedEvents();
  }

  /**
   * The event as a native frame in a buffer the caller owns (one reference): shared with the
   * other members of the same fan-out when {@code replyId} is null.
   */
  static ByteBuf encode(ByteBufAllocator alloc, Event event, String replyId) {
    if (replyId != null || !(Thread.currentThread() instanceof FastThreadLocalThread)) {
      return encodeOnce(alloc, event, replyId);
    }
    return CACHE.get().shared(alloc, event);
  }

  /** This cache's duplicate of {@code e} encoded without request id; the caller owns it. */
  ByteBuf shared(ByteBufAllocator alloc, Event e) {
    if (e != event) {
      ByteBuf fresh = encodeOnce(alloc, e, null);
      clear();
      event = e;
      encoded = fresh;
    }
    return encoded.retainedDuplicate();
  }

  private void clear() {
    if (encoded != null) {
      encoded.release();
    }
    encoded = null;
    event = null;
  }

  private static ByteBuf encodeOnce(ByteBufAllocator alloc, Event event, String replyId) {
    Frame frame = NativeFrames.event(event, replyId);
    return FrameEncoder.encode(alloc, frame.header(), frame.content());
  }
}
