package chat.core;

import java.time.Duration;

/** Durations as people read them in messages: "15 s", "250 ms". */
final class Durations {
  private Durations() {}

  static String text(Duration duration) {
    long millis = duration.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
  }
}
