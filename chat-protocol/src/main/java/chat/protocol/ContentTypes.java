package chat.protocol;

/** Values of the {@code content-type} and {@code content-encoding} keys. */
public final class ContentTypes {
  private ContentTypes() {}

  public static final String TEXT_UTF8 = "text/plain; charset=utf-8";
  /** Structured content: lists too long to belong in a header (room members, room lists). */
  public static final String JSON = "application/json";
  public static final String OCTETS = "application/octet-stream";
  /** No transformation of the content bytes; the only encoding accepted so far. */
  public static final String IDENTITY = "identity";
}
