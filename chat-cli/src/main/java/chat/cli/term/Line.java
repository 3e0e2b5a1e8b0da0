package chat.cli.term;

import org.jline.utils.AttributedString;

/**
 * One rendered line for the screen.
 *
 * @param text the line with its styles; {@code text.toString()} is the plain form
 * @param bell true when the terminal should ring (a message from someone else mentions the user)
 */
record Line(AttributedString text, boolean bell) {

  String plain() {
    return text.toString();
  }
}
