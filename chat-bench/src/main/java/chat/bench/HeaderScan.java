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
  /**
   * {@code history} is true: a stored message replayed on join or asked for, not live traffic
   * (the generator must not count it as a delivery).
   */
  boolean history;
  /** {@code seq}, or -1. */
  long seq;
  /** {@code content-length}, 0 when absent. */
  long contentLength;

  /** {@code {"type":"message",}: how the server begins every room message header. */
  private static final byte[] MESSAGE_PREFIX =
      "{\"type\":\"message\",".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final byte[] ID_KEY = "\"id\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final byte[] SEQ_KEY =
      ",\"seq\":".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final byte[] CONTENT_LENGTH_KEY =
      ",\"content-length\":".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  /** How a replayed message's header ends before its content-length. */
  private static final byte[] HISTORY_TRUE =
      ",\"history\":true".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  /** Scans {@code b[0, n)}; false when it is not a JSON object this scanner can read. */
  boolean scan(byte[] b, int n) {
    return fast(b, n) || full(b, n);
  }

  /**
   * The shape the server writes a room message header in (Jackson, insertion order, no spaces):
   * {@code {"type":"message",} then, unless a reply, no {@code "id"}; {@code ,"seq":N} somewhere
   * after; {@code ,"content-length":N}} last. Room names, nicks and message ids cannot hold a
   * quote, so the literal {@code ,"seq":} cannot occur inside a value. Anything else: false, and
   * {@link #full} reads it.
   */
  private boolean fast(byte[] b, int n) {
    int p = MESSAGE_PREFIX.length;
    if (n < p + 24 || !equals(b, 0, p, MESSAGE_PREFIX) || equals(b, p, ID_KEY.length, ID_KEY)
        || b[n - 1] != '}') {
      return false;
    }
    // content-length, backwards from the closing brace
    int end = n - 1;
    int i = end - 1;
    long length = 0;
    long scale = 1;
    while (i > p && b[i] >= '0' && b[i] <= '9' && end - i <= MAX_DIGITS) {
      length += (b[i] - '0') * scale;
      scale *= 10;
      i--;
    }
    int keyAt = i + 1 - CONTENT_LENGTH_KEY.length;
    if (i == end - 1 || keyAt < p || !equals(b, keyAt, CONTENT_LENGTH_KEY.length,
        CONTENT_LENGTH_KEY)) {
      return false;
    }
    // seq, forwards
    int at = indexOf(b, p - 1, keyAt, SEQ_KEY);
    if (at < 0) {
      return false;
    }
    int j = at + SEQ_KEY.length;
    long value = 0;
    int digits = 0;
    while (j < keyAt && b[j] >= '0' && b[j] <= '9' && digits < MAX_DIGITS) {
      value = value * 10 + (b[j] - '0');
      j++;
      digits++;
    }
    if (digits == 0 || (b[j] != ',' && b[j] != '}')) {
      return false;
    }
    message = true;
    hasId = false;
    history = keyAt - HISTORY_TRUE.length >= p
        && equals(b, keyAt - HISTORY_TRUE.length, HISTORY_TRUE.length, HISTORY_TRUE);
    seq = value;
    contentLength = length;
    return true;
  }

  private static int indexOf(byte[] b, int from, int to, byte[] key) {
    byte first = key[0];
    int last = to - key.length;
    for (int i = from; i <= last; i++) {
      if (b[i] == first && equals(b, i, key.length, key)) {
        return i;
      }
    }
    return -1;
  }

  private boolean full(byte[] b, int n) {
    message = false;
    hasId = false;
    history = false;
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
        if (key == Key.HISTORY) {
          history = i - start == 4 && b[start] == 't';
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

  private enum Key { TYPE, ID, SEQ, CONTENT_LENGTH, HISTORY, OTHER }

  private static Key key(byte[] b, int at, int length) {
    switch (length) {
      case 2:
        return b[at] == 'i' && b[at + 1] == 'd' ? Key.ID : Key.OTHER;
      case 3:
        return b[at] == 's' && b[at + 1] == 'e' && b[at + 2] == 'q' ? Key.SEQ : Key.OTHER;
      case 4:
        return b[at] == 't' && b[at + 1] == 'y' && b[at + 2] == 'p' && b[at + 3] == 'e'
            ? Key.TYPE : Key.OTHER;
      case 7:
        return equals(b, at, length, HISTORY) ? Key.HISTORY : Key.OTHER;
      case 14:
        return equals(b, at, length, CONTENT_LENGTH) ? Key.CONTENT_LENGTH : Key.OTHER;
      default:
        return Key.OTHER;
    }
  }

  private static final byte[] CONTENT_LENGTH =
      "content-length".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final byte[] HISTORY =
      "history".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

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
