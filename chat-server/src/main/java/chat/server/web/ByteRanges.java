package chat.server.web;

/** The {@code Range} header of a download (RFC 9110, 14.2), one range of bytes. */
final class ByteRanges {
  private ByteRanges() {}

  /** Returned when no byte of the range is in the file (416). */
  static final long[] UNSATISFIABLE = new long[0];

  /**
   * The first and last byte (inclusive) that {@code header} asks of a file of {@code size}
   * bytes; null when the whole file is to be sent (no usable range: malformed, not bytes, or
   * several ranges, which a server may answer with the whole file); {@link #UNSATISFIABLE}
   * when it starts past the end.
   */
  static long[] parse(String header, long size) {
    String h = header.strip();
    if (!h.regionMatches(true, 0, "bytes=", 0, 6)) {
      return null;
    }
    String spec = h.substring(6).strip();
    if (spec.indexOf(',') >= 0) {
      return null;
    }
    int dash = spec.indexOf('-');
    if (dash < 0) {
      return null;
    }
    String first = spec.substring(0, dash).strip();
    String last = spec.substring(dash + 1).strip();
    try {
      if (first.isEmpty()) {
        // the last n bytes
        long n = digits(last);
        if (n == 0) {
          return UNSATISFIABLE;
        }
        return new long[] {Math.max(0, size - n), size - 1};
      }
      long from = digits(first);
      long to = last.isEmpty() ? Long.MAX_VALUE : digits(last);
      if (to < from) {
        return null; // not a range at all
      }
      if (from >= size) {
        return UNSATISFIABLE;
      }
      return new long[] {from, Math.min(to, size - 1)};
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static long digits(String s) {
    if (s.isEmpty() || s.length() > 18 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new NumberFormatException(s);
    }
    return Long.parseLong(s);
  }
}
