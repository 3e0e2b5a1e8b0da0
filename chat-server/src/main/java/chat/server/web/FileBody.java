package chat.server.web;

import chat.core.Hub;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.handler.stream.ChunkedInput;
import io.netty.handler.stream.ChunkedWriteHandler;
import java.io.IOException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The bytes of a shared file from {@code start} for {@code length}, for the
 * {@link ChunkedWriteHandler}: read a chunk at a time with {@link Hub#readFile} on a blocking
 * executor, at most {@link #AHEAD} chunks ahead of what was written, so reading the file and
 * writing to the socket overlap. The handler asks on the event loop; when the next chunk is not
 * in yet, this answers null and the arriving chunk resumes the transfer. The handler asks only
 * while the connection is writable, so a slow reader holds at most the socket's buffer, the
 * channel's high-water mark and {@code AHEAD} chunks. Every method runs on the connection's
 * event loop, so no state is shared.
 */
final class FileBody implements ChunkedInput<ByteBuf> {

  static final int CHUNK_BYTES = 64 * 1024;
  /** Chunks read ahead (or being read) at most. */
  static final int AHEAD = 4;

  private final Hub hub;
  private final String id;
  private final long start;
  private final long length;
  private final Executor blocking;
  private final EventLoop loop;
  private final ChunkedWriteHandler writer;
  /** Bytes handed to the handler. */
  private long sent;
  /** Bytes asked of the store (read or being read). */
  private long requested;
  private final java.util.ArrayDeque<ByteBuf> ready = new java.util.ArrayDeque<>(AHEAD);
  private boolean reading;
  private IOException failure;
  private boolean closed;

  FileBody(Hub hub, String id, long start, long length, Executor blocking, EventLoop loop,
      ChunkedWriteHandler writer) {
    this.hub = hub;
    this.id = id;
    this.start = start;
    this.length = length;
    this.blocking = blocking;
    this.loop = loop;
    this.writer = writer;
  }

  @Override
  public boolean isEndOfInput() {
    return sent >= length;
  }

  @Override
  public void close() {
    closed = true;
    for (ByteBuf b; (b = ready.poll()) != null; ) {
      b.release();
    }
  }

  @Deprecated
  @Override
  public ByteBuf readChunk(io.netty.channel.ChannelHandlerContext ctx) throws Exception {
    return readChunk(ctx.alloc());
  }

  @Override
  public ByteBuf readChunk(ByteBufAllocator allocator) throws Exception {
    if (failure != null) {
      throw failure;
    }
    ByteBuf chunk = ready.poll();
    if (chunk != null) {
      sent += chunk.readableBytes();
    }
    fetch(); // the next ones, while this one is written
    return chunk;
  }

  /** Asks the store for the next chunk, unless one is being read, enough are ahead, or all are. */
  private void fetch() {
    if (reading || ready.size() >= AHEAD - 1 || closed || requested >= length) {
      return;
    }
    long offset = start + requested;
    int size = (int) Math.min(CHUNK_BYTES, length - requested);
    requested += size;
    reading = true;
    try {
      blocking.execute(() -> {
        byte[] bytes = null;
        IOException error = null;
        try {
          bytes = hub.readFile(id, offset, size);
          if (bytes == null || bytes.length != size) {
            error = new IOException("file " + id + " ended early at " + offset);
          }
        } catch (IOException | RuntimeException e) {
          error = e instanceof IOException io ? io : new IOException(e);
        }
        byte[] read = bytes;
        IOException failed = error;
        loop.execute(() -> arrived(read, failed));
      });
    } catch (RejectedExecutionException e) {
      reading = false;
      failure = new IOException("the server is stopping", e);
      writer.resumeTransfer();
    }
  }

  private void arrived(byte[] bytes, IOException error) {
    reading = false;
    if (closed) {
      return;
    }
    if (error != null) {
      failure = error;
    } else {
      ready.add(Unpooled.wrappedBuffer(bytes));
      fetch();
    }
    writer.resumeTransfer();
  }

  @Override
  public long length() {
    return length;
  }

  @Override
  public long progress() {
    return sent;
  }
}
