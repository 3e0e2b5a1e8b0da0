package chat.cli.term;

/** One line the user typed, parsed by {@link CommandParser}. */
sealed interface Input {

  /** Nothing to do (a blank line). */
  record Empty() implements Input {}

  /** Text for the current room. */
  record Say(String text) implements Input {}

  record Nick(String nick) implements Input {}

  /** @param room without a leading {@code #} */
  record Join(String room) implements Input {}

  /** @param room without a leading {@code #}, or null for the current room; reason may be null */
  record Leave(String room, String reason) implements Input {}

  record Rooms() implements Input {}

  /** @param room without a leading {@code #}, or null for the current room */
  record Who(String room) implements Input {}

  record Msg(String nick, String text) implements Input {}

  /** An action in the current room ({@code /me waves}). */
  record Me(String text) implements Input {}

  /** @param reason may be null */
  record Quit(String reason) implements Input {}

  record Help() implements Input {}

  /** A line that cannot be sent; {@code message} says why, for the user. */
  record Invalid(String message) implements Input {}
}
