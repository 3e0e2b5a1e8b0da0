package chat.core;

/** Plain text, or an action ("/me waves"). */
public enum MessageKind {
  TEXT("text"),
  ACTION("action");

  private final String wire;

  MessageKind(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }
}
