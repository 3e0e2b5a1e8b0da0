package chat.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;

/**
 * Frames carried one per message by a transport that keeps message boundaries (the WebSocket
 * door): the same decoder and the same limits as on a byte stream, applied to one whole
 * message at a time. Because the message's end is known, a frame that is cut short or followed
 * by more bytes is an error the connection survives ({@link #BAD_FRAME}), and bytes after a
 * malformed header are simply dropped with the message.
 */
public final class WholeFrames {
  private WholeFrames() {}

  /** A message that does not hold exactly one whole frame. */
  public static final String BAD_FRAME = "bad-frame";

  /**
   * Decodes {@code message}, which must hold exactly one frame: returns the {@link Frame}, or a
   * {@link FrameError} saying what is wrong. Reads {@code message} but does not release it.
   */
  public static Object decode(ByteBuf message, FrameLimits limits) {
    int size = message.readableBytes();
    int headerLength = size >= 2 ? message.getUnsignedShort(message.readerIndex()) : -1;
    List<Object> out = new ArrayList<>(2);
    new FrameDecoder(limits).decode(null, message, out);
    if (out.isEmpty()) {
      return new FrameError(BAD_FRAME, "the message ends inside a frame: a message must hold "
          + "exactly one whole frame (2-byte header length, header, content)", null, false);
    }
    Object first = out.getFirst();
    for (int i = 1; i < out.size(); i++) {
      ReferenceCountUtil.release(out.get(i));
    }
    if (first instanceof Frame frame
        && (out.size() > 1 || size != 2 + headerLength + frame.content().length)) {
      return new FrameError(BAD_FRAME, "the message holds more than one frame's bytes: a "
          + "message must hold exactly one whole frame", frame.id(), false);
    }
    return first;
  }
}
