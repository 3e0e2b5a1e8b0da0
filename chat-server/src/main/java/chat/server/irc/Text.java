package chat.server.irc;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/** Text helpers of the IRC door: UTF-8 lengths and cuts, splitting long text, CTCP, times. */
final class Text {
  private Text() {}

  static final char CTCP = '\u0001';
  private static final DateTimeFormatter SERVER_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  static int utf8Length(CharSequence s) {
    int bytes = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }

  /** The longest prefix of {@code s} of at most {@code maxBytes} UTF-8 bytes, never splitting a character. */
  static String cutUtf8(String s, int maxBytes) {
    int bytes = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      int width;
      int chars = 1;
      if (c < 0x80) {
        width = 1;
      } else if (c < 0x800) {
        width = 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        width = 4;
        chars = 2;
      } else {
        width = 3;
      }
      if (bytes + width > maxBytes) {
        return s.substring(0, i);
      }
      bytes += width;
      i += chars - 1;
    }
    return s;
  }

  /**
   * Splits message text into pieces of at most {@code maxBytes} UTF-8 bytes each: at line breaks
   * (CR LF, LF or CR; empty lines dropped), then at the last space that leaves a piece at least
   * half full, else at a character boundary. NUL characters are dropped.
   */
  static List<String> split(String text, int maxBytes) {
    List<String> pieces = new ArrayList<>();
    maxBytes = Math.max(maxBytes, 16);
    for (String line : text.replace("\0", "").split("\r\n|\n|\r")) {
      String rest = line;
      while (!rest.isEmpty()) {
        if (utf8Length(rest) <= maxBytes) {
          pieces.add(rest);
          break;
        }
        String head = cutUtf8(rest, maxBytes);
        int space = head.lastIndexOf(' ');
        if (space > 0 && utf8Length(head.substring(0, space)) >= maxBytes / 2) {
          head = head.substring(0, space);
          rest = rest.substring(space + 1);
        } else {
          rest = rest.substring(head.length());
        }
        pieces.add(head);
      }
    }
    return pieces;
  }

  /** {@code \u0001ACTION waves\u0001} gives {@code waves}; anything else null. */
  static String ctcpAction(String text) {
    if (text.length() < 8 || text.charAt(0) != CTCP || !text.regionMatches(true, 1, "ACTION", 0, 6)) {
      return null;
    }
    if (text.length() > 7 && text.charAt(7) != ' ' && text.charAt(7) != CTCP) {
      return null;
    }
    int end = text.charAt(text.length() - 1) == CTCP ? text.length() - 1 : text.length();
    return end <= 8 ? "" : text.substring(8, end);
  }

  static boolean isCtcp(String text) {
    return !text.isEmpty() && text.charAt(0) == CTCP;
  }

  static String action(String text) {
    return CTCP + "ACTION " + text + CTCP;
  }

  /** IRCv3 server-time: {@code 2025-11-21T10:30:45.000Z}. */
  static String serverTime(long millis) {
    return SERVER_TIME.format(Instant.ofEpochMilli(millis));
  }

  /** A time given as IRCv3 server-time, or -1. */
  static long parseServerTime(String text) {
    try {
      return Instant.parse(text).toEpochMilli();
    } catch (RuntimeException e) {
      return -1;
    }
  }
}
