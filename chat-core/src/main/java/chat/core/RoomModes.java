package chat.core;

/**
 * A room's settings, one field per IRC channel mode flag (see {@link RoomMode}); {@code n} is
 * always on and has no field. Member status and the lists live in the room itself.
 *
 * @param inviteOnly {@code i}
 * @param moderated {@code m}
 * @param topicLocked {@code t}
 * @param key {@code k}: the key joining needs, or null
 * @param limit {@code l}: the most members, or 0 for no limit
 */
public record RoomModes(boolean inviteOnly, boolean moderated, boolean topicLocked, String key,
    int limit) {

  /** A new room's: {@code +nt}. */
  public static final RoomModes DEFAULT = new RoomModes(false, false, true, null, 0);

  /** The flags in IRC's order, without arguments: {@code +iklmnt}. */
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
    b.append('n');
    if (topicLocked) {
      b.append('t');
    }
    return b.toString();
  }

  RoomModes withInviteOnly(boolean on) {
    return new RoomModes(on, moderated, topicLocked, key, limit);
  }

  RoomModes withModerated(boolean on) {
    return new RoomModes(inviteOnly, on, topicLocked, key, limit);
  }

  RoomModes withTopicLocked(boolean on) {
    return new RoomModes(inviteOnly, moderated, on, key, limit);
  }

  RoomModes withKey(String newKey) {
    return new RoomModes(inviteOnly, moderated, topicLocked, newKey, limit);
  }

  RoomModes withLimit(int newLimit) {
    return new RoomModes(inviteOnly, moderated, topicLocked, key, newLimit);
  }
}
