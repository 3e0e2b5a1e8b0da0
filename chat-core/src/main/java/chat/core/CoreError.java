package chat.core;

/** Why the core refused a command; {@link #code()} is the stable wire code. */
public enum CoreError {
  NOT_READY("not-ready"),
  ALREADY_READY("already-ready"),
  INVALID_NICK("invalid-nick"),
  NICK_IN_USE("nick-in-use"),
  INVALID_ROOM("invalid-room"),
  NOT_IN_ROOM("not-in-room"),
  NO_SUCH_ROOM("no-such-room"),
  NO_SUCH_NICK("no-such-nick"),
  /** The nick is online but not in the room the request is about. */
  NOT_A_MEMBER("not-a-member"),
  MESSAGE_TOO_LONG("message-too-long"),
  EMPTY_MESSAGE("empty-message"),
  // Limits: flood control, connections, resources (docs/PROTOCOL.md, "Limits").
  RATE_LIMITED("rate-limited"),
  FLOODING("flooding"),
  TOO_MANY_ROOMS("too-many-rooms"),
  TOO_MANY_CONNECTIONS("too-many-connections"),
  CONNECTING_TOO_FAST("connecting-too-fast"),
  HELLO_TIMEOUT("hello-timeout"),
  TOO_SLOW("too-slow"),
  SHUTTING_DOWN("shutting-down"),
  STORE_FAILED("store-failed"),
  // The store is unreachable or broke mid-commit (docs/ARCHITECTURE.md, "When NATS or PostgreSQL fails").
  STORE_UNKNOWN("store-unknown"),
  STORE_UNAVAILABLE("store-unavailable"),
  NICK_REGISTERED("nick-registered"),
  LOGIN_FAILED("login-failed"),
  LOGIN_THROTTLED("login-throttled"),
  ALREADY_REGISTERED("already-registered"),
  NOT_REGISTERED("not-registered"),
  INVALID_MARKER("invalid-marker"),
  // Files (docs/PROTOCOL.md, "Files").
  INVALID_FILE("invalid-file"),
  FILE_TOO_LARGE("file-too-large"),
  QUOTA_EXCEEDED("quota-exceeded"),
  DISK_FULL("disk-full"),
  TOO_MANY_FILES("too-many-files"),
  BAD_CHUNK("bad-chunk"),
  UPLOAD_MISMATCH("upload-mismatch"),
  NO_SUCH_FILE("no-such-file"),
  FILE_EXPIRED("file-expired"),
  INVALID_HISTORY("invalid-history"),
  NOT_LOGGED_IN("not-logged-in"),
  WEAK_PASSWORD("weak-password"),
  ACCOUNTS_DISABLED("accounts-disabled"),
  SERVER_BUSY("server-busy"),
  NOT_OPERATOR("not-operator"),
  NOT_ADMIN("not-admin"),
  BANNED("banned"),
  INVITE_ONLY("invite-only"),
  BAD_KEY("bad-key"),
  ROOM_FULL("room-full"),
  MUTED("muted"),
  MODERATED("moderated"),
  INVALID_MODE("invalid-mode"),
  INVALID_TOPIC("invalid-topic"),
  INVALID_TAGS("invalid-tags");

  private final String code;

  CoreError(String code) {
    this.code = code;
  }

  public String code() {
    return code;
  }
}
