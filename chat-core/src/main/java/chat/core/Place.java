package chat.core;

import java.util.Objects;

/**
 * A place where a history read starts or stops: either end of the log, a room entry's
 * {@code seq}, a private message's id, or a time (UTC milliseconds). Seqs are places in rooms,
 * message ids in conversations, times and the ends in both.
 */
public record Place(Kind kind, long value, String msgId) {

  public enum Kind { START, SEQ, MESSAGE, TIME, END }

  /** Before the first entry. */
  public static final Place START = new Place(Kind.START, 0, null);
  /** After the newest entry. */
  public static final Place END = new Place(Kind.END, 0, null);

  public Place {
    Objects.requireNonNull(kind, "kind");
    if ((kind == Kind.MESSAGE) != (msgId != null)) {
      throw new IllegalArgumentException("a message place, and only one, names a message");
    }
  }

  public static Place seq(long seq) {
    return new Place(Kind.SEQ, seq, null);
  }

  public static Place message(String msgId) {
    return new Place(Kind.MESSAGE, 0, Objects.requireNonNull(msgId, "msgId"));
  }

  public static Place time(long ts) {
    return new Place(Kind.TIME, ts, null);
  }
}
