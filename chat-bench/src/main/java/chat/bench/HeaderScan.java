package chat.bench;

/**
 * Reads the few header keys the generator needs ({@code type}, {@code id}, {@code seq},
 * {@code content-length}) from a frame header's JSON bytes in one pass, without building a tree
 * or allocating. Top-level keys only; nested values are skipped. It is lenient (duplicate keys,
 * odd numbers) because the frame decoder behind it stays the judge of anything unusual: when
 * {@link #scan} returns false the caller hands the stream to that decoder.
 */
final class HeaderScan {

  private static final byte[] MESSAGE = {'m', 'e', 's', 's', 'a', 'g', 'e'};
  private static final int MAX_DIGITS = 18;

  /** {@code type} is {@code "message"}. */
  boolean message;
  /** The header has an {@code id} (a reply, which the client library must see). */
  boolean hasId;
  /** {@code seq}, or -1. */
  long seq;
  /** {@code content-length}, 0 when absent. */
  long contentLength;

  /** Scans {@code b[0, n)}; false when it is not a JSON object this scanner can read. */
  boolean scan(byte[] b, int n) {
    message = false;
    hasId = false;
    seq = -1;
    contentLength = 0;
    int i = skipWs(b, 0, n);
    if (i >= n || b[i] != '{') {
      return false;
    }
    i = skipWs(b, i + 1, n);
    if (i < n && b[i] == '}') {
      return true;
    }
    while (true) {
      if (i >= n || b[i] != '"') {
        return false;
      }
      int keyStart = i + 1;
      int keyEnd = keyStart;
      while (keyEnd < n && b[keyEnd] != '"') {
        if (b[keyEnd] == '\\') {
          return false; // no key of ours is escaped; let the real decoder judge
        }
        keyEnd++;
      }
      if (keyEnd >= n) {
        return false;
      }
      i = skipWs(b, keyEnd + 1, n);
      if (i >= n || b[i] != ':') {
        return false;
      }
      i = skipWs(b, i + 1, n);
      if (i >= n) {
        return false;
      }
      Key key = key(b, keyStart, keyEnd - keyStart);
      byte c = b[i];
      if (c == '"') {
        int start = i + 1;
        int end = skipString(b, i, n);
        if (end < 0) {
          return false;
        }
        if (key == Key.TYPE) {
          message = equals(b, start, end - 1 - start, MESSAGE);
        } else if (key == Key.ID) {
          hasId = true;
        } else if (key == Key.CONTENT_LENGTH) {
          return false;
        }
        i = end;
      } else if (c == '-' || (c >= '0' && c <= '9')) {
        int start = i;
        long value = 0;
        boolean integral = c != '-';
        if (c == '-') {
          i++;
        }
        int digits = 0;
        while (i < n && b[i] >= '0' && b[i] <= '9') {
          value = value * 10 + (b[i] - '0');
          i++;
          digits++;
        }
        while (i < n && (b[i] == '.' || b[i] == 'e' || b[i] == 'E' || b[i] == '+' || b[i] == '-'
            || (b[i] >= '0' && b[i] <= '9'))) {
          integral = false;
          i++;
        }
        if (i == start || digits > MAX_DIGITS) {
          integral = false;
        }
        if (key == Key.SEQ) {
          seq = integral ? value : -1;
        } else if (key == Key.CONTENT_LENGTH) {
          if (!integral) {
            return false;
          }
          contentLength = value;
        } else if (key == Key.ID) {
          hasId = true;
        }
      } else if (c == '{' || c == '[') {
        i = skipNested(b, i, n);
        if (i < 0 || key == Key.CONTENT_LENGTH) {
          return false;
        }
        if (key == Key.ID) {
          hasId = true;
        }
      } else {
        int start = i;
        while (i < n && b[i] >= 'a' && b[i] <= 'z') {
          i++;
        }
        if (i == start || key == Key.CONTENT_LENGTH) {
          return false;
        }
        if (key == Key.ID && !(i - start == 4 && b[start] == 'n')) {
          hasId = true; // any id but null
        }
      }
      i = skipWs(b, i, n);
      if (i >= n) {
        return false;
      }
      if (b[i] == ',') {
        i = skipWs(b, i + 1, n);
        continue;
      }
      return b[i] == '}';
    }
  }

  private enum Key { TYPE, ID, SEQ, CONTENT_LENGTH, OTHER }

  private static Key key(byte[] b, int at, int length) {
    switch (length) {
      case 2:
        return b[at] == 'i' && b[at + 1] == 'd' ? Key.ID : Key.OTHER;
      case 3:
        return b[at] == 's' && b[at + 1] == 'e' && b[at + 2] == 'q' ? Key.SEQ : Key.OTHER;
      case 4:
        return b[at] == 't' && b[at + 1] == 'y' && b[at + 2] == 'p' && b[at + 3] == 'e'
            ? Key.TYPE : Key.OTHER;
      case 14:
        return equals(b, at, length, CONTENT_LENGTH) ? Key.CONTENT_LENGTH : Key.OTHER;
      default:
        return Key.OTHER;
    }
  }

  private static final byte[] CONTENT_LENGTH =
      "content-length".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private static boolean equals(byte[] b, int at, int length, byte[] expected) {
    if (length != expected.length) {
      return false;
    }
    for (int k = 0; k < length; k++) {
      if (b[at + k] != expected[k]) {
        return false;
      }
    }
    return true;
  }

  /** {@code b[at]} is the opening quote; returns the index after the closing one, or -1. */
  private static int skipString(byte[] b, int at, int n) {
    int i = at + 1;
    while (i < n) {
      byte c = b[i];
      if (c == '"') {
        return i + 1;
      }
      i += c == '\\' ? 2 : 1;
    }
    return -1;
  }

  /** {@code b[at]} opens an object or array; returns the index after its end, or -1. */
  private static int skipNested(byte[] b, int at, int n) {
    int depth = 0;
    int i = at;
    while (i < n) {
      byte c = b[i];
      if (c == '"') {
        i = skipString(b, i, n);
        if (i < 0) {
          return -1;
        }
        continue;
      }
      if (c == '{' || c == '[') {
        depth++;
      } else if (c == '}' || c == ']') {
        depth--;
        if (depth == 0) {
          return i + 1;
        }
      }
      i++;
    }
    return -1;
  }

  private static int skipWs(byte[] b, int i, int n) {
    while (i < n && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r')) {
      i++;
    }
    return i;
  }
}
