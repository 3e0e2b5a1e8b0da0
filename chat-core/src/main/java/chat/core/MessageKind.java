package chat.core;

/**
 * Plain text, an action ("/me waves"), or a notice (IRC's NOTICE: shown like text, but never to
 * be answered automatically); and the room changes that share a room's log with its messages
 * (topic, mode and kick entries: never sent by a user, only stored and replayed).
 */
public enum MessageKind {
  TEXT("text"),
  ACTION("action"),
  NOTICE("notice"),
  /** Log entry: the topic changed; {@code text} is the new topic ("" cleared), {@code from} who. */
  TOPIC("topic"),
  /** Log entry: modes changed; {@code text} holds the changes, {@code from} who (null: server). */
  MODE("mode"),
  /** Log entry: {@code to} was removed by {@code from}; {@code text} is the reason. */
  KICK("kick"),
  /** A shared file: the text is a {@link FileRef}. */
  FILE("file");

  private final String wire;

  MessageKind(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  /** Whether this kind is a room change in the log rather than something a user said. */
  public boolean isRoomChange() {
    return this == TOPIC || this == MODE || this == KICK;
  }

  /** The kind written {@code wire}, or null. */
  public static MessageKind ofWire(String wire) {
    for (MessageKind k : values()) {
      if (k.wire.equals(wire)) {
        return k;
      }
    }
    return null;
  }
}
