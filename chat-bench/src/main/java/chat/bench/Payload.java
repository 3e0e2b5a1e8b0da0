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

  private static final byte[] NIBBLE = new byte[256];

  static {
    java.util.Arrays.fill(NIBBLE, (byte) -1);
    for (int i = 0; i < 16; i++) {
      NIBBLE[HEX[i]] = (byte) i;
    }
  }

  /**
   * Reads the fields of a received message. One per receiving connection, used on its event
   * loop only: the fields are copied out of the buffer once and parsed from an array.
   */
  static final class Reader {
    private final byte[] b = new byte[MIN_SIZE];
    int sender;
    long counter;
    long sentNanos;

    /** False when the text is not a benchmark message. */
    boolean read(ByteBuf buf, int offset, int length) {
      if (length < MIN_SIZE) {
        return false;
      }
      buf.getBytes(offset, b, 0, MIN_SIZE);
      long s = hex(b, SENDER_AT, 8);
      long c = hex(b, COUNTER_AT, 16);
      long t = hex(b, SENT_AT, 16);
      if (s < 0 || s > Integer.MAX_VALUE || c < 0 || t == -1) {
        return false;
      }
      sender = (int) s;
      counter = c;
      sentNanos = t;
      return true;
    }

    /**
     * {@code digits} hex digits; -1 when one is not a hex digit. (A 16-digit value of all f's
     * also reads as -1; no counter or nanoTime used here comes near it.)
     */
    private static long hex(byte[] b, int at, int digits) {
      long v = 0;
      int bad = 0;
      for (int i = 0; i < digits; i++) {
        int d = NIBBLE[b[at + i] & 0xFF];
        bad |= d;
        v = (v << 4) | (d & 0xF);
      }
      return bad < 0 ? -1 : v;
    }
  }
}
