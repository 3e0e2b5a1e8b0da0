package chat.cli.term;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * What Tab offers: command names for the first word when it starts with {@code /}; room names
 * after {@code /join}, {@code /leave} and {@code /who}; nicks everywhere else (after
 * {@code /msg} as well as inside text).
 */
final class Completions {
  private Completions() {}

  /**
   * @param words the words of the line so far
   * @param wordIndex the index of the word being completed
   * @param nicks known nicks
   * @param rooms the rooms the user is in, without {@code #}
   * @return the candidates starting with the word being completed, ignoring case
   */
  static List<String> candidates(List<String> words, int wordIndex, Collection<String> nicks,
      Collection<String> rooms) {
    String word = wordIndex < words.size() ? words.get(wordIndex) : "";
    Collection<String> pool;
    if (wordIndex == 0 && word.startsWith("/")) {
      pool = CommandParser.COMMANDS;
    } else if (wordIndex == 1 && isRoomCommand(words.getFirst())) {
      pool = word.startsWith("#") ? rooms.stream().map(LineFormatter::room).toList() : rooms;
    } else {
      pool = nicks;
    }
    String prefix = word.toLowerCase(Locale.ROOT);
    List<String> out = new ArrayList<>();
    for (String candidate : pool) {
      if (candidate.toLowerCase(Locale.ROOT).startsWith(prefix)) {
        out.add(candidate);
      }
    }
    return out;
  }

  private static boolean isRoomCommand(String command) {
    return switch (command.toLowerCase(Locale.ROOT)) {
      case "/join", "/leave", "/who" -> true;
      default -> false;
    };
  }
}
