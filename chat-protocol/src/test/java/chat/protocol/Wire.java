package chat.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Builds frames byte by byte, independently of {@link FrameEncoder}, for feeding the decoder. */
final class Wire {
  private Wire() {}

  static final byte[] NO_CONTENT = new byte[0];

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] bytes(int... values) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (byte) values[i];
    }
    return out;
  }

  /** A frame whose header is the given JSON text, written as UTF-8, and no content. */
  static byte[] frame(String headerJson) {
    return rawFrame(utf8(headerJson), NO_CONTENT);
  }

  static byte[] frame(String headerJson, String content) {
    return rawFrame(utf8(headerJson), utf8(content));
  }

  static byte[] frame(String headerJson, byte[] content) {
    return rawFrame(utf8(headerJson), content);
  }

  /** The 2-byte big-endian length, then exactly these header bytes, then the content bytes. */
  static byte[] rawFrame(byte[] header, byte[] content) {
    if (header.length > 0xFFFF) {
      throw new IllegalArgumentException("header too long for a test frame: " + header.length);
    }
    return concat(lengthPrefix(header.length), header, content);
  }

  static byte[] lengthPrefix(int headerLength) {
    return bytes(headerLength >>> 8, headerLength & 0xFF);
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  static byte[] range(byte[] bytes, int from, int to) {
    return Arrays.copyOfRange(bytes, from, to);
  }

  /** {@code count} copies of {@code c}. */
  static String repeat(char c, int count) {
    return String.valueOf(c).repeat(count);
  }

  /** A header JSON text of exactly {@code length} UTF-8 bytes with the given type. */
  static String headerOfLength(String type, int length) {
    String empty = "{\"type\":\"" + type + "\",\"pad\":\"\"}";
    int pad = length - utf8(empty).length;
    if (pad < 0) {
      throw new IllegalArgumentException("length too small: " + length);
    }
    String json = "{\"type\":\"" + type + "\",\"pad\":\"" + repeat('x', pad) + "\"}";
    if (utf8(json).length != length) {
      throw new AssertionError("test helper miscounted");
    }
    return json;
  }
}
