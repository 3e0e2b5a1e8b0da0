package chat.client;

import chat.protocol.Frame;
import chat.protocol.Keys;

/** The server answered a request with an {@code error} frame. */
public class ChatErrorException extends Exception {

  private final transient Frame frame;
  private final String code;
  private final boolean fatal;

  public ChatErrorException(Frame errorFrame) {
    super(describe(errorFrame), null, false, false);
    this.frame = errorFrame;
    this.code = errorFrame.string(Keys.CODE);
    this.fatal = errorFrame.header().path(Keys.FATAL).asBoolean(false);
  }

  /** The stable error code, e.g. {@code nick-in-use}; see docs/PROTOCOL.md. */
  public String code() {
    return code;
  }

  /** The server's message for people. */
  public String serverMessage() {
    String message = frame.string(Keys.MESSAGE);
    return message == null ? "" : message;
  }

  /** True when the server closes the connection after this error. */
  public boolean fatal() {
    return fatal;
  }

  public Frame frame() {
    return frame;
  }

  private static String describe(Frame frame) {
    String code = frame.string(Keys.CODE);
    String message = frame.string(Keys.MESSAGE);
    return (code == null ? "error" : code) + (message == null ? "" : ": " + message);
  }
}
