package chat.protocol;

/** Values of the {@code content-type} and {@code content-encoding} keys. */
public final class ContentTypes {
  private ContentTypes() {}

  public static final String TEXT_UTF8 = "text/plain; charset=utf-8";
  /** No transformation of the content bytes; the only encoding accepted so far. */
  public static final String IDENTITY = "identity";
}
