package chat.protocol;

/** Header keys used by the protocol. See docs/PROTOCOL.md for which type carries which. */
public final class Keys {
  private Keys() {}

  public static final String TYPE = "type";
  public static final String ID = "id";
  public static final String CONTENT_TYPE = "content-type";
  public static final String CONTENT_ENCODING = "content-encoding";
  public static final String CONTENT_LENGTH = "content-length";

  public static final String VERSION = "version";
  public static final String CLIENT = "client";
  public static final String SERVER = "server";
  public static final String LIMITS = "limits";
  public static final String NICK = "nick";
  public static final String OLD = "old";
  public static final String ROOM = "room";
  public static final String ROOMS = "rooms";
  public static final String MEMBERS = "members";
  public static final String MEMBER_COUNT = "member-count";
  /** A room that is quiet: no arrivals or departures told, members fetched with {@code who}. */
  public static final String QUIET = "quiet";
  public static final String TO = "to";
  public static final String FROM = "from";
  public static final String KIND = "kind";
  public static final String MSGID = "msgid";
  public static final String SEQ = "seq";
  public static final String TS = "ts";
  public static final String REASON = "reason";
  public static final String CODE = "code";
  public static final String MESSAGE = "message";
  /** In an error: which part of the request was refused (a mode change, {@code +k}). */
  public static final String ABOUT = "about";
  /** In a {@code who} answer: the room is secret ({@code +s}). */
  public static final String SECRET = "secret";
  /** In a {@code tags} request and event: the client-only tags, an object of strings. */
  public static final String TAGS = "tags";
  public static final String FATAL = "fatal";
  public static final String TOPIC = "topic";
  public static final String HISTORY = "history";
  public static final String PASSWORD = "password";
  public static final String OLD_PASSWORD = "old-password";
  public static final String NEW_PASSWORD = "new-password";
  public static final String ACCOUNT = "account";
  public static final String WITH = "with";
  public static final String FIRST_MSGID = "first-msgid";
  public static final String BEFORE_MSGID = "before-msgid";
  public static final String BEFORE = "before";
  public static final String SINCE = "since";
  /** hello: "" (the client can resume) or a resume token; welcome: the token, and resumed. */
  public static final String RESUME = "resume";
  public static final String RESUME_TOKEN = "resume-token";
  public static final String RESUMED = "resumed";
  public static final String AFTER_MSGID = "after-msgid";
  public static final String LAST_SEQ = "last-seq";
  public static final String SKIPPED = "skipped";
  public static final String OWNER = "owner";
  /** What a {@code room} request does. */
  public static final String ACTION = "action";
  public static final String OP_ACCOUNTS = "op-accounts";
  public static final String MARKERS = "markers";
  public static final String LIMIT = "limit";
  public static final String COUNT = "count";
  public static final String FIRST_SEQ = "first-seq";
  public static final String MORE = "more";
  public static final String UNREAD = "unread";
  public static final String FILE = "file";
  public static final String FILES = "files";
  public static final String NAME = "name";
  public static final String SIZE = "size";
  public static final String MEDIA_TYPE = "media-type";
  public static final String SHA256 = "sha256";
  public static final String OFFSET = "offset";
  public static final String LENGTH = "length";
  public static final String CHUNK_BYTES = "chunk-bytes";
  public static final String WINDOW = "window";
  public static final String URL = "url";
  public static final String EXPIRES = "expires";
  public static final String MENTIONS = "mentions";
  public static final String BY = "by";
  public static final String TOPIC_BY = "topic-by";
  public static final String TOPIC_TS = "topic-ts";
  public static final String KEY = "key";
  public static final String MODES = "modes";
  public static final String MODE = "mode";
  public static final String ARG = "arg";
  public static final String CHANGES = "changes";
  public static final String OPS = "ops";
  public static final String VOICED = "voiced";
  public static final String BANS = "bans";
  public static final String MUTES = "mutes";
  public static final String INVITES = "invites";
}
