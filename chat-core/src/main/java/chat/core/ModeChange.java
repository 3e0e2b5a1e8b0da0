package chat.core;

/**
 * One change of a room's modes: {@code +b account:bob}, {@code -k}, {@code +o alice}.
 *
 * <p>In a command the argument is as typed: a nick for {@code o v}; for {@code b q I} a nick
 * (resolved to the account if its user is logged in, else kept as a nick), or an explicit
 * {@code account:NAME} or {@code nick:NICK}; a key for {@code +k}; a number for {@code +l}. In an
 * event it is the resolved form: the member's nick, the {@link Mask}, the key, the number.
 *
 * @param arg the argument, or null for modes without one
 */
public record ModeChange(boolean add, RoomMode mode, String arg) {

  public static ModeChange set(RoomMode mode) {
    return new ModeChange(true, mode, null);
  }

  public static ModeChange set(RoomMode mode, String arg) {
    return new ModeChange(true, mode, arg);
  }

  public static ModeChange unset(RoomMode mode) {
    return new ModeChange(false, mode, null);
  }

  public static ModeChange unset(RoomMode mode, String arg) {
    return new ModeChange(false, mode, arg);
  }

  /** {@code +b} or {@code -k}. */
  public String sign() {
    return (add ? "+" : "-") + mode.letter();
  }

  @Override
  public String toString() {
    return arg == null ? sign() : sign() + " " + arg;
  }
}
