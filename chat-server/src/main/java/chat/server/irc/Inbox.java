package chat.server.irc;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * What the core hands an IRC connection, from any thread, for its event loop to take in order:
 * a multi-producer, single-consumer FIFO linked through its items (D. Vyukov's intrusive queue).
 * An empty inbox is one stub item; an item costs nothing beyond itself. (Netty's JCTools queue,
 * used before, allocated a padded queue object and a 1,024-slot array per connection, half of
 * an idle connection's memory.) {@link #offer} from any thread; {@link #poll} from one.
 */
final class Inbox {

  /** One delivery: what it carries, the request it answers (or null), its live bytes. */
  static final class Item {
    private Object what;
    private final String id;
    private final long bytes;
    private volatile Item next;

    Item(Object what, String id, long bytes) {
      this.what = what;
      this.id = id;
      this.bytes = bytes;
    }

    Item(Object what, String id) {
      this(what, id, 0);
    }

    Object what() {
      return what;
    }

    /** Done with it: it is the inbox's stub now, and keeps nothing alive. */
    void clear() {
      what = null;
    }

    String id() {
      return id;
    }

    /** A live message the slow-reader rule let through already: its estimated bytes; else 0. */
    long bytes() {
      return bytes;
    }

    @Override
    public String toString() {
      return "Item[" + what + ", " + id + ", " + bytes + "]";
    }
  }

  private static final VarHandle TAIL;
  private static final VarHandle NEXT;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      TAIL = lookup.findVarHandle(Inbox.class, "tail", Item.class);
      NEXT = lookup.findVarHandle(Item.class, "next", Item.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** The last item taken (or the first stub): the consumer's end. */
  private Item head;
  @SuppressWarnings("unused") // through TAIL
  private volatile Item tail;

  Inbox() {
    Item stub = new Item(null, null);
    head = stub;
    tail = stub;
  }

  /** Adds {@code item} at the end. Any thread. */
  void offer(Item item) {
    Item previous = (Item) TAIL.getAndSet(this, item);
    NEXT.setRelease(previous, item);
  }

  /**
   * The first item, or null when there is none yet (an item being added by another thread at
   * this moment may show up only at the next call). The item stays as the inbox's stub: call
   * {@link Item#clear} once done with it, so that the stub holds nothing. The consumer only.
   */
  Item poll() {
    Item old = head;
    Item next = (Item) NEXT.getAcquire(old);
    if (next == null) {
      return null;
    }
    head = next;
    // Unlinked, so that a taken item that reached the old generation cannot keep the items after
    // it alive through young collections (GC "nepotism": every item of a busy inbox would be
    // promoted). No producer writes it again: producers link only the tail, which it is not.
    NEXT.setOpaque(old, null);
    return next;
  }
}
