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

  /** Register the current nick as an account; the password is asked for twice. */
  record Register() implements Input {}

  /** @param account the account to log in to, or null for the current nick */
  record Login(String account) implements Input {}

  /** Change the account's password: the old one, then the new one twice. */
  record Passwd() implements Input {}

  /**
   * Older messages: of the current room when {@code nick} is null, else the private ones with
   * that nick's account.
   *
   * @param limit how many, or 0 for the server's default
   */
  record History(String nick, int limit) implements Input {}

  record Help() implements Input {}

  /** A line that cannot be sent; {@code message} says why, for the user. */
  record Invalid(String message) implements Input {}
}
