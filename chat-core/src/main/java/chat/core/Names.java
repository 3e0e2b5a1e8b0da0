package chat.core;

import java.util.Locale;

/** Syntax and case folding of nicks and room names. */
public final class Names {
  private Names() {}

  private static final String NICK_SPECIALS = "_-[]{}\\|^";

  /** Case folding for uniqueness: ASCII only, so that every door agrees on it. */
  public static String fold(String name) {
    return name.toLowerCase(Locale.ROOT);
  }

  /** Why {@code nick} is not acceptable, or null if it is. */
  public static String nickProblem(String nick, int maxLength) {
    if (nick == null || nick.isEmpty()) {
      return "nick must not be empty";
    }
    if (nick.length() > maxLength) {
      return "nick is longer than " + maxLength + " characters";
    }
    char first = nick.charAt(0);
    if ((first >= '0' && first <= '9') || first == '-') {
      return "nick must not start with a digit or '-'";
    }
    for (int i = 0; i < nick.length(); i++) {
      char c = nick.charAt(i);
      if (!isAsciiLetterOrDigit(c) && NICK_SPECIALS.indexOf(c) < 0) {
        return "nick may contain only ASCII letters, digits and " + NICK_SPECIALS;
      }
    }
    return null;
  }

  /** A room name as typed, without a leading '#'. */
  public static String roomName(String typed) {
    return typed != null && typed.startsWith("#") ? typed.substring(1) : typed;
  }

  /** Why {@code room} (already without '#') is not acceptable, or null if it is. */
  public static String roomProblem(String room, int maxLength) {
    if (room == null || room.isEmpty()) {
      return "room name must not be empty";
    }
    if (room.length() > maxLength) {
      return "room name is longer than " + maxLength + " characters";
    }
    for (int i = 0; i < room.length(); i++) {
      char c = room.charAt(i);
      if (!isAsciiLetterOrDigit(c) && c != '-' && c != '_' && c != '.') {
        return "room name may contain only ASCII letters, digits and -_.";
      }
    }
    return null;
  }

  private static boolean isAsciiLetterOrDigit(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }

  /** Length of {@code text} in UTF-8 without encoding it. */
  public static int utf8Length(String text) {
    int bytes = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }

  /** Whether {@code text} matches {@code pattern}: {@code *} any run, {@code ?} one character. */
  public static boolean globMatches(String pattern, String text) {
    int p = 0;
    int t = 0;
    int star = -1;
    int mark = 0;
    while (t < text.length()) {
      if (p < pattern.length()
          && (pattern.charAt(p) == '?' || pattern.charAt(p) == text.charAt(t))) {
        p++;
        t++;
      } else if (p < pattern.length() && pattern.charAt(p) == '*') {
        star = p++;
        mark = t;
      } else if (star >= 0) {
        p = star + 1;
        t = ++mark;
      } else {
        return false;
      }
    }
    while (p < pattern.length() && pattern.charAt(p) == '*') {
      p++;
    }
    return p == pattern.length();
  }
}
