package chat.cli.term;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Paths as people type them after /send and /get: words split at spaces, as a shell would, with
 * {@code '...'} and {@code "..."} quoting (also inside a word) and {@code \} escaping the next
 * character outside single quotes (as a terminal pastes a dropped file:
 * {@code my\ report.pdf}); a leading {@code ~} is the home directory.
 */
final class TypedPaths {
  private TypedPaths() {}

  /**
   * One word as typed.
   *
   * @param text the word without its quotes and escapes
   * @param quoted whether any of it was quoted or escaped
   * @param start where the word starts in the typed text
   */
  record Word(String text, boolean quoted, int start) {}

  /**
   * The words of {@code typed}.
   *
   * @throws IllegalArgumentException when a quote is not closed
   */
  static List<Word> words(String typed) {
    List<Word> words = new ArrayList<>();
    StringBuilder word = null;
    boolean quoted = false;
    int start = 0;
    for (int i = 0; i < typed.length(); i++) {
      char c = typed.charAt(i);
      if (Character.isWhitespace(c)) {
        if (word != null) {
          words.add(new Word(word.toString(), quoted, start));
          word = null;
        }
        continue;
      }
      if (word == null) {
        word = new StringBuilder();
        quoted = false;
        start = i;
      }
      if (c == '\\' && i + 1 < typed.length()) {
        word.append(typed.charAt(++i));
        quoted = true;
      } else if (c == '\'' || c == '"') {
        int end = typed.indexOf(c, i + 1);
        if (c == '"') {
          end = closingDoubleQuote(typed, i + 1);
        }
        if (end < 0) {
          throw new IllegalArgumentException("the " + (c == '"' ? "double" : "single")
              + " quote is not closed");
        }
        String inside = typed.substring(i + 1, end);
        word.append(c == '"' ? inside.replaceAll("\\\\([\"\\\\])", "$1") : inside);
        quoted = true;
        i = end;
      } else {
        word.append(c);
      }
    }
    if (word != null) {
      words.add(new Word(word.toString(), quoted, start));
    }
    return words;
  }

  private static int closingDoubleQuote(String typed, int from) {
    for (int i = from; i < typed.length(); i++) {
      char c = typed.charAt(i);
      if (c == '\\' && i + 1 < typed.length()) {
        i++;
      } else if (c == '"') {
        return i;
      }
    }
    return -1;
  }

  /** True when no word was quoted or escaped: then the typed text may stand as one path. */
  static boolean plain(List<Word> words) {
    return words.stream().noneMatch(Word::quoted);
  }

  /** {@code ~} and {@code ~/...} in {@code home}; anything else as it is, made absolute. */
  static Path expand(String typed, Path home) {
    if (typed.equals("~")) {
      return home;
    }
    if (typed.startsWith("~/")) {
      return home.resolve(typed.substring(2));
    }
    return Path.of(typed).toAbsolutePath();
  }

  static Path expand(String typed) {
    return expand(typed, Path.of(System.getProperty("user.home")));
  }
}
