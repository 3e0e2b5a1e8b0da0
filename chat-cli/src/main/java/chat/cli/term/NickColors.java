package chat.cli.term;

import java.util.List;
import java.util.Locale;
import org.jline.utils.AttributedStyle;

/** A stable colour per nick: the same nick (ignoring case) always gets the same colour. */
final class NickColors {
  private NickColors() {}

  /** ANSI colours readable on dark and light backgrounds; no black, white or grey. */
  static final List<Integer> PALETTE = List.of(
      AttributedStyle.RED, AttributedStyle.GREEN, AttributedStyle.YELLOW, AttributedStyle.BLUE,
      AttributedStyle.MAGENTA, AttributedStyle.CYAN,
      AttributedStyle.BRIGHT | AttributedStyle.RED, AttributedStyle.BRIGHT | AttributedStyle.GREEN,
      AttributedStyle.BRIGHT | AttributedStyle.YELLOW, AttributedStyle.BRIGHT | AttributedStyle.BLUE,
      AttributedStyle.BRIGHT | AttributedStyle.MAGENTA, AttributedStyle.BRIGHT | AttributedStyle.CYAN);

  /** The palette index of a nick: FNV-1a over its lower-case form, so stable across runs. */
  static int index(String nick) {
    String key = nick.toLowerCase(Locale.ROOT);
    int hash = 0x811c9dc5;
    for (int i = 0; i < key.length(); i++) {
      hash ^= key.charAt(i);
      hash *= 0x01000193;
    }
    return Math.floorMod(hash, PALETTE.size());
  }

  static AttributedStyle style(String nick) {
    return AttributedStyle.DEFAULT.foreground(PALETTE.get(index(nick)));
  }
}
