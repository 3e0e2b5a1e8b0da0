package chat.core;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds a nick in message text as a whole word, ignoring ASCII case: {@code alice:},
 * {@code @alice} and {@code hi alice!} mention alice; {@code alice_} and {@code malice} do not.
 */
public final class Mentions {
  private Mentions() {}

  public static boolean mentions(String text, String nick) {
    return text != null && next(text, nick, 0) >= 0;
  }

  /** Start offsets of every mention of {@code nick} in {@code text}. */
  public static List<Integer> find(String text, String nick) {
    List<Integer> starts = new ArrayList<>();
    for (int at = next(text, nick, 0); at >= 0; at = next(text, nick, at + nick.length())) {
      starts.add(at);
    }
    return starts;
  }

  private static int next(String text, String nick, int from) {
    if (nick == null || nick.isEmpty()) {
      return -1;
    }
    for (int i = from; i + nick.length() <= text.length(); i++) {
      if (text.regionMatches(true, i, nick, 0, nick.length())
          && (i == 0 || !isNickChar(text.charAt(i - 1)))
          && (i + nick.length() == text.length() || !isNickChar(text.charAt(i + nick.length())))) {
        return i;
      }
    }
    return -1;
  }

  /** Characters a nick may contain (docs/PROTOCOL.md): ASCII letters, digits, {@code _-[]{}\|^}. */
  public static boolean isNickChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || "_-[]{}\\|^".indexOf(c) >= 0;
  }
}
