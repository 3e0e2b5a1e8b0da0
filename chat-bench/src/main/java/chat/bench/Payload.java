package chat.bench;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * The text of a benchmark message: who sent it, the sender's message counter and when it was
 * sent, in fixed-width lower-case hex so that a receiver reads it without parsing or allocating,
 * then padding up to the requested size.
 *
 * <pre>
 * ssssssss cccccccccccccccc tttttttttttttttt xxxxxxxx...
 * sender   counter          System.nanoTime() at send
 * </pre>
 */
final class Payload {
  private Payload() {}

  static final int SENDER_AT = 0;
  static final int COUNTER_AT = 9;
  static final int SENT_AT = 26;
  /** The smallest message that holds the fields: 8 + 1 + 16 + 1 + 16 + 1. */
  static final int MIN_SIZE = 43;

  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  /** The message text; {@code size} ASCII characters, so also {@code size} UTF-8 bytes. */
  static String text(int sender, long counter, long sentNanos, int size) {
    byte[] b = new byte[size];
    hex(b, SENDER_AT, sender & 0xFFFFFFFFL, 8);
    b[8] = ' ';
    hex(b, COUNTER_AT, counter, 16);
    b[25] = ' ';
    hex(b, SENT_AT, sentNanos, 16);
    b[42] = ' ';
    for (int i = MIN_SIZE; i < size; i++) {
      b[i] = (byte) ('a' + i % 26);
    }
    return new String(b, StandardCharsets.ISO_8859_1);
  }

  private static void hex(byte[] b, int at, long value, int digits) {
    for (int i = digits - 1; i >= 0; i--) {
      b[at + i] = HEX[(int) (value & 0xF)];
      value >>>= 4;
    }
  }

  /** The sender field, or -1 when the text is not a benchmark message. */
  static int sender(ByteBuf buf, int offset, int length) {
    if (length < MIN_SIZE) {
      return -1;
    }
    long v = hex(buf, offset + SENDER_AT, 8);
    return v < 0 || v > Integer.MAX_VALUE ? -1 : (int) v;
  }

  /** The counter field; the caller has checked {@link #sender} first. */
  static long counter(ByteBuf buf, int offset) {
    return hex(buf, offset + COUNTER_AT, 16);
  }

  /** The send time field; the caller has checked {@link #sender} first. */
  static long sentNanos(ByteBuf buf, int offset) {
    return hex(buf, offset + SENT_AT, 16);
  }

  /**
   * Reads {@code digits} hex digits; -1 if one is not a hex digit. A 16-digit value with the top
   * bit set comes back negative too, which no counter reaches; nanoTime values may be negative
   * and are read by {@link #sentNanos} without the check.
   */
  private static long hex(ByteBuf buf, int at, int digits) {
    long v = 0;
    for (int i = 0; i < digits; i++) {
      int c = buf.getByte(at + i);
      int d;
      if (c >= '0' && c <= '9') {
        d = c - '0';
      } else if (c >= 'a' && c <= 'f') {
        d = c - 'a' + 10;
      } else {
        return -1;
      }
      v = (v << 4) | d;
    }
    return v;
  }
}
