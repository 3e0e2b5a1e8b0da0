package chat.core;

/**
 * Plain text, an action ("/me waves"), or a notice (IRC's NOTICE: shown like text, but never to
 * be answered automatically).
 */
public enum MessageKind {
  TEXT("text"),
  ACTION("action"),
  NOTICE("notice");

  private final String wire;

  MessageKind(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }
}
