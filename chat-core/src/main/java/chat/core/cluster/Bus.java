package chat.core.cluster;

import java.util.function.Consumer;

/**
 * How servers that share rooms pass each other the entries of those rooms' logs: a port beside
 * the store, as the store is. The store decides a room's order (it numbers the entries, see
 * {@code MessageStore.appendNumbered}); the bus only carries what was committed, fast and at most
 * once, and a server that misses an entry finds it in the store by its seq. An entry that came
 * over the bus is delivered to the local members only, never sent on (no loops).
 *
 * <p>{@link #LOCAL} is the single-server default: nothing to send, nothing comes.
 */
public interface Bus extends AutoCloseable {

  /** Sends a committed entry of a room to the other servers. Never blocks for long. */
  void publish(RoomEntry entry);

  /** Where entries from other servers go, on a bus thread; set once, before the first comes. */
  void onRemote(Consumer<RoomEntry> handler);

  /** Sends a note about this server's users to the other servers ({@link Note}). */
  default void publish(Note note) {}

  /** Where notes from other servers go, on a bus thread, in each sender's order; set once. */
  default void onNote(Consumer<Note> handler) {}

  /**
   * Sends a change of a room's state that has no log entry ({@link RoomNote}) to the other
   * servers, in order with the entries this server publishes for the room. A bus that cannot
   * carry notes leaves them out: other servers then learn the state from the store on a join.
   */
  default void publishNote(RoomNote note) {}

  /** Where notes from other servers go, on a bus thread; set once, before {@link #onRemote}. */
  default void onRemoteNote(Consumer<RoomNote> handler) {}

  /**
   * Where the bus says that entries may have been lost (it reconnected, or it dropped entries
   * for a slow consumer): the server then compares its rooms with the store and reads what it
   * missed. On a bus thread, possibly often; every handler added is called. A bus that never loses anything never
   * calls it.
   */
  default void onLoss(Runnable handler) {}

  /** Whether the bus is connected now (for health checks); a local bus always is. */
  default boolean connected() {
    return true;
  }

  /** This server's id on the bus (what it ignores coming back). */
  String nodeId();

  @Override
  void close();

  Bus LOCAL = new Bus() {
    @Override
    public void publish(RoomEntry entry) {}

    @Override
    public void onRemote(Consumer<RoomEntry> handler) {}

    @Override
    public String nodeId() {
      return "local";
    }

    @Override
    public void close() {}
  };
}
