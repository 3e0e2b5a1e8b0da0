package chat.core;

/**
 * What a room's operators can change, one letter each, the same letters as IRC channel modes so
 * that an IRC door maps them one to one. Flags: {@code i k l m n s t}; member status: {@code o v};
 * lists of {@link Mask}s: {@code b} (bans), {@code q} (mutes, IRC's "quiet") and {@code I}
 * (invitations).
 */
public enum RoomMode {
  /** Only the invited (and admins) may join. */
  INVITE_ONLY('i'),
  /** Joining needs the key; argument when set: the key. */
  KEY('k'),
  /** At most this many members; argument when set: the number. */
  LIMIT('l'),
  /** Only operators and voiced members may send. */
  MODERATED('m'),
  /** No messages from outside: only members may send; on by default. */
  NO_EXTERNAL('n'),
  /** Secret: hidden from the room list and from lists of others' rooms, except to members. */
  SECRET('s'),
  /** Only operators may set the topic; on by default. */
  TOPIC_LOCK('t'),
  /** Operator status; argument: a member's nick. */
  OP('o'),
  /** Voice: may speak in a moderated room; argument: a member's nick. */
  VOICE('v'),
  /** The ban list; argument: a nick or mask. */
  BAN('b'),
  /** The mute list: may read, may not send; argument: a nick or mask. */
  MUTE('q'),
  /** The invitation list; argument: a nick or mask. */
  INVITE('I');

  private final char letter;

  RoomMode(char letter) {
    this.letter = letter;
  }

  public char letter() {
    return letter;
  }

  /** The mode with this letter (case matters: {@code i} and {@code I} differ), or null. */
  public static RoomMode of(char letter) {
    for (RoomMode mode : values()) {
      if (mode.letter == letter) {
        return mode;
      }
    }
    return null;
  }

  /** Whether a change of this mode carries an argument ({@code -k} and {@code -l} do not). */
  public boolean takesArgument(boolean add) {
    return switch (this) {
      case KEY, LIMIT -> add;
      case OP, VOICE, BAN, MUTE, INVITE -> true;
      case INVITE_ONLY, MODERATED, NO_EXTERNAL, SECRET, TOPIC_LOCK -> false;
    };
  }

  /** Whether the mode is an on/off flag ({@code i m n s t}). */
  public boolean isFlag() {
    return !takesArgument(true);
  }

  /** Whether the mode is a list of masks. */
  public boolean isList() {
    return this == BAN || this == MUTE || this == INVITE;
  }
}
