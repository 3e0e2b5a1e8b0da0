package chat.core;

/**
 * A room's settings, one field per IRC channel mode flag (see {@link RoomMode}). Member status
 * and the lists live in the room itself.
 *
 * @param inviteOnly {@code i}
 * @param moderated {@code m}
 * @param topicLocked {@code t}
 * @param key {@code k}: the key joining needs, or null
 * @param limit {@code l}: the most members, or 0 for no limit
 * @param noExternal {@code n}: only members may send (on by default); off, anyone not banned
 * @param secret {@code s}: the room is hidden from the room list, from member lists and from
 *     the rooms shown for a user, except to its members and server administrators
 */
public record RoomModes(boolean inviteOnly, boolean moderated, boolean topicLocked, String key,
    int limit, boolean noExternal, boolean secret) {

  /** A new room's: {@code +nt}. */
  public static final RoomModes DEFAULT = new RoomModes(false, false, true, null, 0, true, false);

  /** The flags in IRC's order, without arguments: {@code +iklmnst}. */
  public String flags() {
    StringBuilder b = new StringBuilder("+");
    if (inviteOnly) {
      b.append('i');
    }
    if (key != null) {
      b.append('k');
    }
    if (limit > 0) {
      b.append('l');
    }
    if (moderated) {
      b.append('m');
    }
    if (noExternal) {
      b.append('n');
    }
    if (secret) {
      b.append('s');
    }
    if (topicLocked) {
      b.append('t');
    }
    return b.toString();
  }

  /** Whether the flag {@code mode} is on (false for modes that are not flags). */
  public boolean has(RoomMode mode) {
    return switch (mode) {
      case INVITE_ONLY -> inviteOnly;
      case MODERATED -> moderated;
      case TOPIC_LOCK -> topicLocked;
      case NO_EXTERNAL -> noExternal;
      case SECRET -> secret;
      case KEY -> key != null;
      case LIMIT -> limit > 0;
      default -> false;
    };
  }

  /** These settings with the flag {@code mode} ({@code i m n s t}) turned on or off. */
  RoomModes withFlag(RoomMode mode, boolean on) {
    return switch (mode) {
      case INVITE_ONLY -> new RoomModes(on, moderated, topicLocked, key, limit, noExternal, secret);
      case MODERATED -> new RoomModes(inviteOnly, on, topicLocked, key, limit, noExternal, secret);
      case TOPIC_LOCK -> new RoomModes(inviteOnly, moderated, on, key, limit, noExternal, secret);
      case NO_EXTERNAL -> new RoomModes(inviteOnly, moderated, topicLocked, key, limit, on, secret);
      case SECRET -> new RoomModes(inviteOnly, moderated, topicLocked, key, limit, noExternal, on);
      default -> throw new IllegalArgumentException("not a flag: " + mode);
    };
  }

  RoomModes withKey(String newKey) {
    return new RoomModes(inviteOnly, moderated, topicLocked, newKey, limit, noExternal, secret);
  }

  RoomModes withLimit(int newLimit) {
    return new RoomModes(inviteOnly, moderated, topicLocked, key, newLimit, noExternal, secret);
  }
}
