package chat.server.irc;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;

/**
 * Joins lines formatted already into one buffer per drain of a connection's inbox, so that a
 * member with many room messages waiting costs one write, one outbound-buffer entry and one
 * iovec instead of one of each per line. Lines are copied in: the shared arrays they come from
 * ({@link SharedLines}) need no reference counting. A batch never passes {@link #MAX} bytes
 * (one longer line goes alone). Event loop only; the connection writes the batch out before any
 * other write, so the order of lines is kept.
 */
final class LineBatch {

  /** Largest batch; a full one is written out and the next begins. */
  static final int MAX = 64 * 1024;
  private static final int INITIAL = 4096;

  private ByteBuf batch;

  /** Adds {@code line} (CR LF included), writing out the batch first when it would pass MAX. */
  void add(ChannelHandlerContext ctx, byte[] line) {
    if (batch != null && batch.readableBytes() + line.length > MAX) {
      writeTo(ctx);
    }
    if (batch == null) {
      batch = ctx.alloc().ioBuffer(Math.max(INITIAL, line.length));
    }
    batch.writeBytes(line);
  }

  /** Writes what is batched (not flushed); false when nothing was. */
  boolean writeTo(ChannelHandlerContext ctx) {
    if (batch == null) {
      return false;
    }
    ByteBuf out = batch;
    batch = null;
    ctx.write(out, ctx.voidPromise());
    return true;
  }

  /** Gives up what is batched (the connection is gone). */
  void discard() {
    if (batch != null) {
      batch.release();
      batch = null;
    }
  }
}
