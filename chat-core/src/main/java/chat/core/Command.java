package chat.core;

/** What a session asks of the hub. Doors translate their syntax into these. */
public sealed interface Command {

  /**
   * Opens the session; {@code nick} null or empty asks for a guest nick. With a
   * {@code password}, logs in to the account {@code nick} at the same time. With
   * {@code joinDefaultRoom} (the native door) the session joins the default room at once; a door
   * whose users expect to choose their rooms (IRC) says false. {@code resume}: null for a
   * client that cannot resume; empty for one that can (a guest is given a resume token, and
   * waits for it for the guest grace period when its connection drops); a token from an earlier
   * welcome to take that guest's nick and rooms back. {@code realname}: the real name (IRC's
   * {@code USER}), or null for none.
   */
  record Hello(String nick, char[] password, boolean joinDefaultRoom, String resume,
      String realname) implements Command {
    public Hello(String nick, char[] password, boolean joinDefaultRoom, String resume) {
      this(nick, password, joinDefaultRoom, resume, null);
    }

    public Hello(String nick, char[] password, boolean joinDefaultRoom) {
      this(nick, password, joinDefaultRoom, null, null);
    }

    public Hello(String nick, char[] password) {
      this(nick, password, true);
    }

    public Hello(String nick) {
      this(nick, null, true);
    }
  }

  /** Sets ({@code message} non-empty) or clears (null or empty) the session's away message. */
  record SetAway(String message) implements Command {}

  /** Sets ({@code realname} non-empty) or clears the session's real name. */
  record SetRealname(String realname) implements Command {}

  /** What is known about the online users among {@code nicks} (at most {@link SizeLimits#maxLookup}). */
  record Lookup(java.util.List<String> nicks) implements Command {}

  /** Registers the session's current nick as an account with this password. */
  record Register(char[] password) implements Command {}

  /**
   * Logs in to {@code account}; the session takes the account's nick, unless {@code keepNick}
   * (IRC's SASL after registration) and no other connection of the account is online (whose
   * nick it then shares).
   */
  record Login(String account, char[] password, boolean keepNick) implements Command {
    public Login(String account, char[] password) {
      this(account, password, false);
    }
  }

  record ChangePassword(char[] oldPassword, char[] newPassword) implements Command {}

  /** A page of private history with another account ({@code beforeMsgId} null: newest). */
  record PrivateHistory(String with, String beforeMsgId, int limit) implements Command {}

  /**
   * The private messages of the session's account (every conversation) after the message
   * {@code afterMsgId} (null or empty: the newest), oldest first: what a device missed.
   */
  record PrivateSince(String afterMsgId) implements Command {}

  /**
   * Moves the account's read marker forward: in {@code room} to {@code seq}, or in the
   * conversation {@code with} another account to the message {@code msgId}; or, with {@code ts}
   * above 0 instead, to that time (UTC milliseconds, at most now), which reads up to the newest
   * entry stamped at or before it: IRC's read markers are times. Exactly one of {@code room}
   * and {@code with}.
   */
  record SetMarker(String room, String with, long seq, String msgId, long ts)
      implements Command {
    public SetMarker(String room, String with, long seq, String msgId) {
      this(room, with, seq, msgId, 0);
    }
  }

  /** The account's read markers. */
  record Markers() implements Command {}

  record SetNick(String nick) implements Command {}

  /**
   * Joins a room; {@code key} (null for none) is needed when the room has one ({@code +k}).
   * {@code since} >= 0 resumes after that seq of the room's log (-1: the latest messages).
   */
  record Join(String room, String key, long since) implements Command {
    public Join(String room) {
      this(room, null, -1);
    }

    public Join(String room, String key) {
      this(room, key, -1);
    }
  }

  record Leave(String room, String reason) implements Command {}

  record ListRooms() implements Command {}

  record Who(String room) implements Command {}

  record SayToRoom(String room, MessageKind kind, String text) implements Command {}

  record SayToNick(String nick, MessageKind kind, String text) implements Command {}

  /**
   * Client-only tags for a room ({@code room} set) or a person ({@code nick} set): IRCv3's
   * {@code TAGMSG} (typing notices, reactions and replies in the drafts' form). Relayed to whoever
   * may read the target, never stored. Names are the tags' without the leading {@code +}.
   */
  record SendTags(String room, String nick, java.util.Map<String, String> tags)
      implements Command {}

  record Quit(String reason) implements Command {}

  /**
   * A page of a room's history: up to {@code limit} messages with {@code seq < beforeSeq}
   * ({@code beforeSeq} 0 or less means the newest).
   */
  record RoomHistory(String room, long beforeSeq, int limit) implements Command {}

  /**
   * History read from one place towards another, of a room ({@code room}) or of the
   * conversation with another account ({@code with}), exactly one of them: of the entries
   * strictly between {@code from} and {@code to}, the {@code limit} nearest {@code from} (capped
   * at the page size), sent oldest first. From {@link Place#END} to {@link Place#START} is the
   * newest page; from a place to {@code START}, what came before it; to {@code END}, what came
   * after. {@code messagesOnly} leaves room changes (topic, mode, kick) out. Rooms take seqs and
   * times, conversations message ids and times.
   */
  record ReadHistory(String room, String with, Place from, Place to, int limit,
      boolean messagesOnly) implements Command {}

  /**
   * History around a place, oldest first: up to {@code limit} entries (capped at the page size),
   * about half of them before {@code at}, the rest from {@code at} on (the entry at it first).
   */
  record HistoryAround(String room, String with, Place at, int limit, boolean messagesOnly)
      implements Command {}

  /**
   * Where the session has history: its rooms, and its account's conversations, whose newest
   * message is stamped strictly between the two times (in either order), least recent first, at
   * most {@code limit} (capped at the page size).
   */
  record HistoryTargets(long from, long to, int limit) implements Command {}

  /** Sets a room's topic ({@code topic} empty clears it) or, with {@code topic} null, asks for it. */
  record SetTopic(String room, String topic) implements Command {}

  /** Removes a member from a room; operators and admins only. */
  record Kick(String room, String nick, String reason) implements Command {}

  /**
   * Changes a room's modes, all or nothing; operators and admins only. No changes asks for the
   * room's modes and lists. {@code reason} (null for none) is announced with the changes and is
   * the reason given to members a ban removes.
   */
  record Mode(String room, java.util.List<ModeChange> changes, String reason) implements Command {}

  /** What {@link RoomCommand} does. */
  enum RoomAction { REGISTER, UNREGISTER, INFO, LIST, CLOSE, TRANSFER }

  /**
   * Room administration: register the room to one's account (operators), give it up or
   * transfer it to {@code account} (the owner or admins), its stored state ({@code INFO}), every
   * room ({@code LIST}, admins), close it with {@code reason} (admins).
   */
  record RoomCommand(RoomAction action, String room, String account, String reason)
      implements Command {}

  /** Disconnects a user from the server; admins only. */
  record Kill(String nick, String reason) implements Command {}

  /**
   * Server operator status for this session, by the credentials of an administrator's account,
   * without logging in to it: the nick and account stay (IRC's {@code OPER}).
   */
  record Oper(String account, char[] password) implements Command {}

  /** A line from an administrator to everyone on every server who wants such lines. */
  record Wallops(String text) implements Command {}

  /**
   * Changes the nicks whose coming online and going offline this session is told of (IRC's
   * {@code MONITOR}): {@code clear} first, then {@code remove}, then {@code add}, up to
   * {@link Hub#MAX_WATCHED}. With {@code extended}, the session also hears watched users'
   * away, real name and account changes, as a roommate would.
   */
  record Watch(java.util.List<String> add, java.util.List<String> remove, boolean clear,
      boolean extended) implements Command {}

  /**
   * The online users whose nick matches {@code mask} ({@code *} any characters, {@code ?} one;
   * case-folded), at most {@code limit} (capped at {@link Hub#MAX_FOUND}).
   */
  record FindUsers(String mask, int limit) implements Command {}

  /**
   * A message for a room's operators only ({@code voicedToo}: and its voiced members), as IRC's
   * {@code PRIVMSG @#room}. It is not part of the room's log: not stored, no seq.
   */
  record SayToOps(String room, boolean voicedToo, MessageKind kind, String text)
      implements Command {}

  // ---------------------------------------------------------------- files

  /**
   * Announces an upload to a room or a person, or ({@code resume} = a file id) asks where an
   * interrupted one goes on from.
   */
  record Upload(String room, String to, String name, long size, String contentType,
      String sha256, String resume) implements Command {}

  /** Bytes of an upload at {@code offset}; the last one completes it. */
  record Chunk(String file, long offset, byte[] bytes) implements Command {}

  /** Up to {@code length} bytes of a file from {@code offset}. */
  record Download(String file, long offset, int length) implements Command {}

  /** Whether the session may see a file: the door then makes it a link. */
  record FileAccess(String file) implements Command {}

  /** The newest files shared to a room. */
  record ListFiles(String room, int limit) implements Command {}
}
