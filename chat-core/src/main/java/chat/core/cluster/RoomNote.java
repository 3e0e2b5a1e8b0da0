package chat.core.cluster;

/**
 * A change of a room's stored state that has no entry in the room's log, as it travels between
 * servers: registering, giving up or transferring a room, and the operator account a room's
 * creator or former owner gets with it. Every server that has the room in memory sets the owner
 * and grants the operator account; one without it reads the room's record from the store when
 * someone joins.
 *
 * @param origin the server it came from
 * @param room the room's name
 * @param owner the room's owner after the change, or null for an unregistered room
 * @param opGranted an account made operator by the change, or null
 * @param notice what the room's members are told, or null for nothing
 * @param ts when the change was made, UTC milliseconds
 * @param closed whether an admin closed the room: every server forgets its state (its members
 *     were kicked by the log's entries before)
 */
public record RoomNote(String origin, String room, String owner, String opGranted, String notice,
    long ts, boolean closed) {

  public RoomNote(String origin, String room, String owner, String opGranted, String notice,
      long ts) {
    this(origin, room, owner, opGranted, notice, ts, false);
  }

  public RoomNote {
    if (origin == null || room == null || room.isEmpty()) {
      throw new IllegalArgumentException("a room note needs its origin and room");
    }
  }
}
