package chat.protocol;

/**
 * Stable error codes carried in the {@code code} key of an {@code error} frame. Clients may
 * switch on these; the accompanying {@code message} is for humans and may change.
 */
public final class ErrorCodes {
  private ErrorCodes() {}

  // Framing: produced by the decoder.
  public static final String HEADER_TOO_LARGE = "header-too-large";
  public static final String CONTENT_TOO_LARGE = "content-too-large";
  public static final String BAD_JSON = "bad-json";
  public static final String BAD_UTF8 = "bad-utf8";
  public static final String BAD_HEADER = "bad-header";
  public static final String TOO_MANY_ERRORS = "too-many-errors";

  // Requests: produced by the server door or the core.
  public static final String UNKNOWN_TYPE = "unknown-type";
  public static final String MISSING_KEY = "missing-key";
  public static final String BAD_CONTENT = "bad-content";
  public static final String NOT_READY = "not-ready";
  public static final String ALREADY_READY = "already-ready";
  public static final String UNSUPPORTED_VERSION = "unsupported-version";
  public static final String PING_TIMEOUT = "ping-timeout";
  /** A mode change that is not {@code +} or {@code -} and a known letter, or a bad argument. */
  public static final String INVALID_MODE = "invalid-mode";
}
