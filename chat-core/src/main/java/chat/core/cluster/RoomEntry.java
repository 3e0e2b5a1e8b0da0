package chat.core.cluster;

import chat.core.store.StoredMessage;

/**
 * One committed entry of a room's log, as it travels between servers: the stored entry itself
 * (its seq decided by the store) and the server it came from.
 */
public record RoomEntry(String origin, StoredMessage entry) {

  public RoomEntry {
    if (origin == null || entry == null || entry.room() == null || entry.seq() < 1) {
      throw new IllegalArgumentException("a room entry needs its origin, room and seq");
    }
  }
}
