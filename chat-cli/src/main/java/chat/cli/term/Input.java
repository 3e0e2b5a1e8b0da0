package chat.cli.term;

/** One line the user typed, parsed by {@link CommandParser}. */
sealed interface Input {

  /** Nothing to do (a blank line). */
  record Empty() implements Input {}

  /** Text for the current room. */
  record Say(String text) implements Input {}

  record Nick(String nick) implements Input {}

  /**
   * @param room without a leading {@code #}
   * @param key the room's key, or null
   */
  record Join(String room, String key) implements Input {
    Join(String room) {
      this(room, null);
    }
  }

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

  // Moderation: room null means the current room; it is given without a leading '#'.

  /** Shows ({@code text} null), sets, or clears ({@code text} empty) a room's topic. */
  record Topic(String room, String text) implements Input {}

  /** @param reason may be null */
  record Kick(String room, String nick, String reason) implements Input {}

  /**
   * {@code /ban}, {@code /unban}, {@code /mute}, {@code /unmute}, {@code /op}, {@code /deop},
   * {@code /invite}: {@code what} is the request type of that name.
   *
   * @param target a nick, or {@code account:NAME} / {@code nick:NICK} for the lists
   * @param reason may be null
   */
  record Moderate(String what, String room, String target, String reason) implements Input {}

  /** Shows a room's modes ({@code changes} empty) or changes them. */
  record Mode(String room, java.util.List<chat.protocol.ModeChanges.Change> changes)
      implements Input {}

  /** @param reason may be null */
  record Kill(String nick, String reason) implements Input {}

  /**
   * {@code /room ACTION [#ROOM] [ARG]}: register, unregister, info, list, close [REASON],
   * transfer ACCOUNT. {@code room} null means the current room.
   *
   * @param arg the account for transfer, the reason for close, else null
   */
  record RoomAdmin(String action, String room, String arg) implements Input {}

  /** {@code /send}, {@code /get} and {@code /files}: {@link FileCommands} carries them out. */
  sealed interface FileCommand extends Input {}

  /**
   * Shares a file with the current room ({@code nick} null) or with one person.
   *
   * @param path as typed, quotes taken away; {@code ~} is expanded when it is used
   * @param whole the whole argument as one path, when it could be read that way too (unquoted
   *     words, the first of which could be a nick: {@code /send my report.pdf}); else null
   */
  record Send(String nick, String path, String whole) implements FileCommand {}

  /**
   * Downloads a file.
   *
   * @param id the file's id or a prefix of it
   * @param path where to: a directory, or a file name to save under; null for the downloads
   *     folder
   */
  record Get(String id, String path) implements FileCommand {}

  /** Lists a room's recent files; {@code room} null means the current room. */
  record Files(String room) implements FileCommand {}

  /** A line that cannot be sent; {@code message} says why, for the user. */
  record Invalid(String message) implements Input {}
}
