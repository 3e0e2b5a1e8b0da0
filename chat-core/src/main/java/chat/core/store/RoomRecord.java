package chat.core.store;

import chat.core.Names;
import chat.core.RoomModes;
import chat.core.Topic;
import java.util.List;

/**
 * A room's durable state: what survives its last member leaving and a restart. Roles are kept by
 * account only (a guest's roles end with the guest); masks are {@code account:NAME} or
 * {@code nick:NICK} as {@code Mask.toString()} writes them.
 *
 * @param name the room's display name (the key is {@link Names#fold} of it)
 * @param owner the account the room is registered to, or null for an unregistered room
 * @param createdTs when the room was first stored, UTC milliseconds
 * @param changedTs when its state last changed (expiry of empty unregistered rooms counts from it)
 * @param topic the topic, or null
 * @param modes the flags, key and limit
 * @param bans the ban list, in the order added
 * @param mutes the mute list
 * @param invites the invitation list
 * @param ops accounts with operator status (besides the owner, who always has it)
 * @param voiced accounts with voice
 */
public record RoomRecord(String name, String owner, long createdTs, long changedTs, Topic topic,
    RoomModes modes, List<String> bans, List<String> mutes, List<String> invites,
    List<String> ops, List<String> voiced) {

  public RoomRecord {
    modes = modes == null ? RoomModes.DEFAULT : modes;
    bans = List.copyOf(bans);
    mutes = List.copyOf(mutes);
    invites = List.copyOf(invites);
    ops = List.copyOf(ops);
    voiced = List.copyOf(voiced);
  }

  /** The folded name the store keys the room by. */
  public String key() {
    return Names.fold(name);
  }

  public boolean registered() {
    return owner != null;
  }
}
