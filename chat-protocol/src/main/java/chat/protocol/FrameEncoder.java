package chat.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import tools.jackson.databind.node.ObjectNode;

/** Writes {@link Frame}s; {@link #encode(ByteBufAllocator, ObjectNode, byte[])} for pre-encoding. */
@Sharable
public final class FrameEncoder extends MessageToByteEncoder<Frame> {

  public static final FrameEncoder INSTANCE = new FrameEncoder();

  private FrameEncoder() {
    super(Frame.class);
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, Frame frame, ByteBuf out) {
    write(out, frame.header(), frame.content());
  }

  /**
   * Encodes one frame into a new I/O buffer (direct where the platform allows) from
   * {@code alloc}; sets the header's content-length.
   */
  public static ByteBuf encode(ByteBufAllocator alloc, ObjectNode header, byte[] content) {
    // Room for a typical event header (a room message's is about 200 bytes) without regrowing.
    ByteBuf out = alloc.ioBuffer(256 + content.length);
    try {
      write(out, header, content);
      return out;
    } catch (RuntimeException e) {
      out.release();
      throw e;
    }
  }

  /**
   * Appends one frame to {@code out}; sets the header's content-length when there is content.
   * If the frame cannot be written (a header over 65535 bytes), {@code out} is left as it was.
   */
  public static void write(ByteBuf out, ObjectNode header, byte[] content) {
    if (content.length > 0) {
      header.put(Keys.CONTENT_LENGTH, content.length);
    } else {
      header.remove(Keys.CONTENT_LENGTH);
    }
    int lengthIndex = out.writerIndex();
    try {
      out.writeShort(0);
      try (ByteBufOutputStream stream = new ByteBufOutputStream(out)) {
        Json.MAPPER.writeValue((java.io.OutputStream) stream, header);
      } catch (java.io.IOException e) {
        throw new IllegalStateException("writing to a buffer cannot fail", e);
      }
      int headerLength = out.writerIndex() - lengthIndex - 2;
      if (headerLength > 0xFFFF) {
        throw new IllegalArgumentException(
            "header of " + headerLength + " bytes does not fit a frame");
      }
      out.setShort(lengthIndex, headerLength);
      out.writeBytes(content);
    } catch (RuntimeException e) {
      // Drop the partial frame: frames already in the buffer must stay decodable.
      out.writerIndex(lengthIndex);
      throw e;
    }
  }
}
