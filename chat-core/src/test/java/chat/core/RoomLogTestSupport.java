package chat.core;

/** The seq of a room's log entry, whatever kind of entry it is. */
final class RoomLogTestSupport {
  private RoomLogTestSupport() {}

  static long seq(Event event) {
    return switch (event) {
      case Event.RoomMessage m -> m.seq();
      case Event.TopicChanged t -> t.seq();
      case Event.ModeChanged m -> m.seq();
      case Event.Kicked k -> k.seq();
      default -> -1;
    };
  }
}
