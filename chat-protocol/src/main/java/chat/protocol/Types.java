package chat.protocol;

/** Values of the header's {@code type} key. */
public final class Types {
  private Types() {}

  // Requests (client to server); each gets exactly one reply with the same "id".
  public static final String HELLO = "hello";
  public static final String NICK = "nick";
  public static final String JOIN = "join";
  public static final String LEAVE = "leave";
  public static final String ROOMS = "rooms";
  /** Room administration: register, unregister, info, list, close, transfer. */
  public static final String ROOM = "room";
  /** Read markers: move one (request), the list (request), one moved elsewhere (event). */
  public static final String MARK = "mark";
  public static final String UPLOAD = "upload";
  public static final String CHUNK = "chunk";
  public static final String DOWNLOAD = "download";
  public static final String FILES = "files";
  public static final String LINK = "link";
  public static final String MARKERS = "markers";
  public static final String MARKER = "marker";
  public static final String WHO = "who";
  public static final String MSG = "msg";
  /** Client-only tags for a room or a person (request and event): typing notices and the like. */
  public static final String TAGS = "tags";
  public static final String PRIVMSG = "privmsg";
  public static final String ACTION = "action";
  public static final String QUIT = "quit";
  public static final String PING = "ping";
  public static final String HISTORY = "history";
  public static final String REGISTER = "register";
  public static final String LOGIN = "login";
  public static final String PASSWD = "passwd";
  // Moderation requests; "topic" and "mode" are also the events announcing a change.
  public static final String TOPIC = "topic";
  public static final String KICK = "kick";
  public static final String BAN = "ban";
  public static final String UNBAN = "unban";
  public static final String MUTE = "mute";
  public static final String UNMUTE = "unmute";
  public static final String OP = "op";
  public static final String DEOP = "deop";
  public static final String INVITE = "invite";
  public static final String MODE = "mode";
  public static final String KILL = "kill";

  // Replies.
  public static final String WELCOME = "welcome";
  public static final String OK = "ok";
  public static final String PONG = "pong";
  public static final String ERROR = "error";

  // Events (server to client); "message" and "privmsg" also serve as the sender's reply.
  public static final String MESSAGE = "message";
  public static final String JOINED = "joined";
  public static final String LEFT = "left";
  /** A room went quiet (too many people to hear of each arrival) or speaks again. */
  public static final String PRESENCE = "presence";
  public static final String NICK_CHANGED = "nick";
  public static final String QUIT_EVENT = "quit";
  public static final String NOTICE = "notice";
  public static final String KICKED = "kicked";
  public static final String INVITED = "invited";
  public static final String KILLED = "killed";
}
