package chat.core;

import java.time.Clock;

/**
 * The slow-reader rule ({@link SlowReaderLimits}) for one connection. The door measures the
 * bytes waiting to be written to the connection and asks before it queues each event; the rule
 * answers deliver, drop (the member is behind and this is room traffic) or disconnect. Any
 * thread may ask: events for one member come from many rooms at once.
 */
public final class Backlog {

  public enum Kind { DELIVER, DROP, DISCONNECT, CAUGHT_UP }

  /**
   * @param kind what to do with the event (CAUGHT_UP: send {@code notice} first, then deliver)
   * @param notice for CAUGHT_UP: tells the member how many messages it missed
   * @param reason for DISCONNECT: why
   */
  public record Decision(Kind kind, Event.Notice notice, String reason) {}

  private static final Decision DELIVER = new Decision(Kind.DELIVER, null, null);
  private static final Decision DROP = new Decision(Kind.DROP, null, null);

  private final SlowReaderLimits limits;
  private final Clock clock;
  /** When the member fell behind, or -1 while it keeps up. */
  private volatile long behindSince = -1;
  private long dropped;
  private boolean disconnected;
  /** Drops of every connection of the server, for its metrics; null: not counted. */
  private final java.util.concurrent.atomic.LongAdder droppedTotal;

  public Backlog(SlowReaderLimits limits, Clock clock) {
    this(limits, clock, null);
  }

  public Backlog(SlowReaderLimits limits, Clock clock,
      java.util.concurrent.atomic.LongAdder droppedTotal) {
    this.limits = limits;
    this.clock = clock;
    this.droppedTotal = droppedTotal;
  }

  /**
   * Events a member may miss when it falls behind: room traffic and private messages as they
   * happen. Replies, the member's own confirmations ({@code replyId} set), history it asked for,
   * notices from the server and moderation events (topic, modes, kicks, invitations, kills: rare,
   * and they change what the member may do) are never dropped.
   */
  public static boolean droppable(Event event, String replyId) {
    return replyId == null && switch (event) {
      case Event.RoomMessage e -> true;
      case Event.PrivateMessage e -> true;
      case Event.Joined e -> true;
      case Event.Left e -> true;
      case Event.NickChanged e -> true;
      case Event.Quit e -> true;
      case Event.TagMessage e -> true;
      default -> false;
    };
  }

  /** May an event be queued when {@code pendingBytes} would then be waiting? */
  public Decision offer(long pendingBytes, boolean droppable) {
    if (behindSince < 0 && pendingBytes < limits.highWaterBytes()) {
      return DELIVER; // the common case, without a lock
    }
    synchronized (this) {
      Decision checked = check(pendingBytes, clock.millis());
      if (checked != null) {
        return checked;
      }
      if (droppable) {
        dropped++;
        if (droppedTotal != null) {
          droppedTotal.increment();
        }
        return DROP;
      }
      return DELIVER;
    }
  }

  /**
   * A look without an event: after a write, when the connection's writability changed, or when
   * the member has been behind for {@code maxBehind}. DELIVER means nothing to do.
   */
  public synchronized Decision check(long pendingBytes) {
    Decision checked = check(pendingBytes, clock.millis());
    return checked != null ? checked : DELIVER;
  }

  /** The decision when it does not depend on the event, else null (behind: drop or deliver). */
  private Decision check(long pendingBytes, long now) {
    if (disconnected) {
      return new Decision(Kind.DISCONNECT, null, "too slow");
    }
    if (pendingBytes > limits.hardLimitBytes()) {
      return disconnect("too slow: more than " + limits.hardLimitBytes()
          + " bytes waiting to be read");
    }
    if (behindSince < 0) {
      if (pendingBytes < limits.highWaterBytes()) {
        return DELIVER;
      }
      behindSince = now;
      return null;
    }
    if (pendingBytes <= limits.lowWaterBytes()) {
      behindSince = -1;
      long missed = dropped;
      dropped = 0;
      if (missed == 0) {
        return DELIVER;
      }
      return new Decision(Kind.CAUGHT_UP, new Event.Notice(null, missed + " message"
          + (missed == 1 ? " was" : "s were") + " not sent to you because your connection fell"
          + " behind (more than " + limits.highWaterBytes() + " bytes waiting); ask for a room's"
          + " history to catch up", now), null);
    }
    if (now - behindSince >= limits.maxBehind().toMillis()) {
      return disconnect("too slow: behind for " + Durations.text(limits.maxBehind()));
    }
    return null;
  }

  private Decision disconnect(String reason) {
    disconnected = true;
    return new Decision(Kind.DISCONNECT, null, reason);
  }

  /** Milliseconds until a member that is behind now is behind for too long; -1 if it is not. */
  public long millisUntilOverdue() {
    long since = behindSince;
    return since < 0 ? -1 : Math.max(0, since + limits.maxBehind().toMillis() - clock.millis());
  }

  /** Messages dropped since the member fell behind. */
  public synchronized long dropped() {
    return dropped;
  }
}
