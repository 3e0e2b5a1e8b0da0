package chat.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.List;

/**
 * The generator's receive path for the native protocol, placed in front of the client library's
 * frame decoder. It splits the stream into frames; room messages that are not replies (no
 * {@code id}) and not replayed history it reads on the spot, {@code seq} from the header and the payload from the
 * content, without a JSON tree, a {@code Frame} or a copy; every other frame (replies, the
 * sender's own copy, joins, pings) it passes on whole to the frame decoder and the client.
 *
 * <p>When a header is not something it can read, it steps out of the pipeline and the frame
 * decoder gets the rest of the stream from that frame on, so the client library remains the
 * judge of malformed input.
 */
final class LeanMessageReader extends ByteToMessageDecoder {

  private static final int MAX_HEADER = NativeProtocol.LIMITS.maxHeaderBytes();
  private static final int MAX_CONTENT = NativeProtocol.LIMITS.maxContentBytes();

  /** One scratch buffer per event loop thread: a header is copied out of the ByteBuf once. */
  private static final FastThreadLocal<byte[]> SCRATCH = new FastThreadLocal<>() {
    @Override
    protected byte[] initialValue() {
      return new byte[MAX_HEADER];
    }
  };

  private final DeliveryHandler deliveries;
  private final HeaderScan scan = new HeaderScan();
  private long read;
  private long passed;
  private volatile Channel channel;

  LeanMessageReader(DeliveryHandler deliveries) {
    this.deliveries = deliveries;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
    channel = ctx.channel();
    super.handlerAdded(ctx);
  }

  /** The channel this reader was added to. */
  Channel channel() {
    return channel;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    byte[] scratch = SCRATCH.get();
    while (in.readableBytes() >= 2) {
      int start = in.readerIndex();
      int headerLength = in.getUnsignedShort(start);
      if (headerLength > MAX_HEADER) {
        stepOut(ctx);
        return;
      }
      if (in.readableBytes() < 2 + headerLength) {
        return;
      }
      in.getBytes(start + 2, scratch, 0, headerLength);
      if (!scan.scan(scratch, headerLength) || scan.contentLength > MAX_CONTENT) {
        stepOut(ctx);
        return;
      }
      int total = 2 + headerLength + (int) scan.contentLength;
      if (in.readableBytes() < total) {
        return;
      }
      if (scan.message && !scan.hasId && !scan.history) {
        deliveries.onDelivery(scan.seq, in, start + 2 + headerLength, (int) scan.contentLength);
        in.skipBytes(total);
        read++;
      } else {
        out.add(in.readRetainedSlice(total));
        passed++;
        // Return so that the frame is passed on before the next one is read here: the
        // deliveries of one connection must reach the handler in the order they arrived.
        return;
      }
    }
  }

  private void stepOut(ChannelHandlerContext ctx) {
    // ByteToMessageDecoder hands what it holds, from this frame on, to the next handler.
    ctx.pipeline().remove(this);
  }

  /** Room messages read here (for tests and diagnostics). */
  long read() {
    return read;
  }

  /** Frames passed on to the frame decoder. */
  long passed() {
    return passed;
  }
}
