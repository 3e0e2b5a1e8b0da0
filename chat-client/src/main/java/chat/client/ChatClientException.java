package chat.client;

/**
 * The client could not connect, the server refused {@code hello}, or the connection was lost
 * while a request was pending. The message is meant to be shown to a person as it is.
 */
public class ChatClientException extends Exception {

  private final String code;

  public ChatClientException(String message, Throwable cause) {
    super(message, cause);
    this.code = cause instanceof ChatErrorException error ? error.code() : null;
  }

  public ChatClientException(String message) {
    this(message, null);
  }

  /** The server's error code when the server refused the connection (e.g. nick-in-use), or null. */
  public String code() {
    return code;
  }
}
