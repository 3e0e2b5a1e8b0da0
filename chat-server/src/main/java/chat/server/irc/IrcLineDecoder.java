package chat.server.irc;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.ByteProcessor;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Bytes to lines, with IRC's limits enforced while reading: a line ends with LF (a CR before it
 * is dropped), its body (everything after the tags) has at most 510 bytes and its tag section at
 * most 4094 bytes including the '@' and the space after it (IRCv3's limit for a client's tags;
 * servers may add up to 8191 in all). A line beyond either limit becomes
 * one {@link #TOO_LONG} marker and its bytes are skipped up to its LF, without being buffered; a
 * peer that never sends LF costs at most one limit's worth of memory and one scan per byte.
 *
 * <p>Lines are decoded as UTF-8; invalid sequences become U+FFFD (the server announces
 * {@code UTF8ONLY}). Empty lines are ignored.
 */
public final class IrcLineDecoder extends ByteToMessageDecoder {

  /** Marks a line that was too long and was skipped. */
  public static final Object TOO_LONG = new Object() {
    @Override
    public String toString() {
      return "TOO_LONG";
    }
  };

  public static final int MAX_BODY_BYTES = 510;
  /** A client's tag section, '@' and the space after it included (IRCv3 message-tags). */
  public static final int MAX_TAG_BYTES = 4094;

  private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
      .onMalformedInput(CodingErrorAction.REPLACE)
      .onUnmappableCharacter(CodingErrorAction.REPLACE);
  /** Skipping the rest of an overlong line. */
  private boolean discarding;
  /** How far the current line was already searched for LF, from the reader index. */
  private int scanned;

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    while (in.isReadable()) {
      int start = in.readerIndex();
      int lf = in.forEachByte(start + scanned, in.writerIndex() - start - scanned,
          ByteProcessor.FIND_LF);
      if (discarding) {
        if (lf < 0) {
          in.skipBytes(in.readableBytes());
          scanned = 0;
          return;
        }
        in.readerIndex(lf + 1);
        discarding = false;
        scanned = 0;
        continue;
      }
      if (lf < 0) {
        scanned = in.readableBytes();
        if (exceedsLimits(in, start, in.writerIndex())) {
          out.add(TOO_LONG);
          discarding = true;
          in.skipBytes(in.readableBytes());
          scanned = 0;
        }
        return;
      }
      scanned = 0;
      int end = lf;
      if (end > start && in.getByte(end - 1) == '\r') {
        end--;
      }
      if (exceedsLimits(in, start, end)) {
        out.add(TOO_LONG);
      } else if (end > start) {
        out.add(decodeUtf8(in, start, end - start));
      }
      in.readerIndex(lf + 1);
    }
  }

  /** Whether the bytes [start, end) of one line (possibly unfinished) are beyond a limit. */
  private static boolean exceedsLimits(ByteBuf in, int start, int end) {
    int length = end - start;
    // An unfinished line may still get its CR: allow one byte for it.
    if (in.getByte(start) != '@') {
      return length > MAX_BODY_BYTES + (end == in.writerIndex() ? 1 : 0);
    }
    int space = in.indexOf(start, Math.min(end, start + MAX_TAG_BYTES), (byte) ' ');
    if (space < 0) {
      return length >= MAX_TAG_BYTES;
    }
    int body = end - (space + 1);
    return body > MAX_BODY_BYTES + (end == in.writerIndex() ? 1 : 0);
  }

  /** Bytes held back waiting for the end of a line (for tests: never beyond one limit). */
  int buffered() {
    return internalBuffer().readableBytes();
  }

  private String decodeUtf8(ByteBuf in, int index, int length) {
    ByteBuffer bytes = in.nioBufferCount() == 1 ? in.nioBuffer(index, length)
        : ByteBuffer.wrap(io.netty.buffer.ByteBufUtil.getBytes(in, index, length));
    try {
      utf8.reset();
      CharBuffer chars = utf8.decode(bytes);
      return chars.toString();
    } catch (CharacterCodingException e) {
      throw new IllegalStateException("REPLACE never throws", e);
    }
  }
}
