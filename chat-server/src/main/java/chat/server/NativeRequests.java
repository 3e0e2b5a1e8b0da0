package chat.server;

import chat.core.Command;
import chat.core.Mask;
import chat.core.MessageKind;
import chat.core.ModeChange;
import chat.core.RoomMode;
import chat.protocol.ContentTypes;
import chat.protocol.ErrorCodes;
import chat.protocol.Frame;
import chat.protocol.Keys;
import chat.protocol.Types;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The native door's command table: request type to a parser that checks the type's keys and
 * builds the core {@link Command}. Syntax only; every rule lives in the core.
 */
final class NativeRequests {
  private NativeRequests() {}

  /** A request the door cannot turn into a command; answered with an error frame. */
  static final class BadRequest extends Exception {
    final String code;

    BadRequest(String code, String message) {
      super(message, null, false, false);
      this.code = code;
    }
  }

  @FunctionalInterface
  interface Parser {
    Command parse(Frame frame) throws BadRequest;
  }

  static final int PROTOCOL_VERSION = 1;

  private static final Map<String, Parser> TABLE = Map.ofEntries(
      Map.entry(Types.HELLO, NativeRequests::hello),
      Map.entry(Types.NICK, f -> new Command.SetNick(required(f, Keys.NICK))),
      Map.entry(Types.JOIN, f -> new Command.Join(required(f, Keys.ROOM), optional(f, Keys.KEY),
          f.header().hasNonNull(Keys.SINCE) ? integer(f, Keys.SINCE) : -1)),
      Map.entry(Types.LEAVE, f -> new Command.Leave(required(f, Keys.ROOM), optional(f, Keys.REASON))),
      Map.entry(Types.ROOMS, f -> new Command.ListRooms()),
      Map.entry(Types.WHO, f -> new Command.Who(required(f, Keys.ROOM))),
      Map.entry(Types.MSG, f -> new Command.SayToRoom(required(f, Keys.ROOM), MessageKind.TEXT, text(f))),
      Map.entry(Types.PRIVMSG, f -> new Command.SayToNick(required(f, Keys.TO), MessageKind.TEXT, text(f))),
      Map.entry(Types.ACTION, NativeRequests::action),
      Map.entry(Types.TAGS, NativeRequests::tags),
      Map.entry(Types.QUIT, f -> new Command.Quit(optional(f, Keys.REASON))),
      Map.entry(Types.HISTORY, NativeRequests::history),
      Map.entry(Types.REGISTER, f -> new Command.Register(password(f, Keys.PASSWORD))),
      Map.entry(Types.LOGIN, f -> new Command.Login(required(f, Keys.ACCOUNT),
          password(f, Keys.PASSWORD))),
      Map.entry(Types.PASSWD, f -> new Command.ChangePassword(password(f, Keys.OLD_PASSWORD),
          password(f, Keys.NEW_PASSWORD))),
      Map.entry(Types.TOPIC, f -> new Command.SetTopic(required(f, Keys.ROOM),
          optional(f, Keys.TOPIC))),
      Map.entry(Types.KICK, f -> new Command.Kick(required(f, Keys.ROOM), required(f, Keys.NICK),
          optional(f, Keys.REASON))),
      Map.entry(Types.BAN, f -> listChange(f, true, RoomMode.BAN)),
      Map.entry(Types.UNBAN, f -> listChange(f, false, RoomMode.BAN)),
      Map.entry(Types.MUTE, f -> listChange(f, true, RoomMode.MUTE)),
      Map.entry(Types.UNMUTE, f -> listChange(f, false, RoomMode.MUTE)),
      Map.entry(Types.INVITE, f -> listChange(f, true, RoomMode.INVITE)),
      Map.entry(Types.OP, f -> oneChange(f, new ModeChange(true, RoomMode.OP,
          required(f, Keys.NICK)))),
      Map.entry(Types.DEOP, f -> oneChange(f, new ModeChange(false, RoomMode.OP,
          required(f, Keys.NICK)))),
      Map.entry(Types.MODE, NativeRequests::mode),
      Map.entry(Types.ROOM, NativeRequests::room),
      Map.entry(Types.MARK, f -> new Command.SetMarker(optional(f, Keys.ROOM),
          optional(f, Keys.WITH), integer(f, Keys.SEQ), optional(f, Keys.MSGID))),
      Map.entry(Types.MARKERS, f -> new Command.Markers()),
      Map.entry(Types.UPLOAD, NativeFiles::upload),
      Map.entry(Types.CHUNK, NativeFiles::chunk),
      Map.entry(Types.DOWNLOAD, NativeFiles::download),
      Map.entry(Types.FILES, NativeFiles::list),
      Map.entry(Types.LINK, NativeFiles::link),
      Map.entry(Types.KILL, f -> new Command.Kill(required(f, Keys.NICK),
          optional(f, Keys.REASON))));

  /** The parser for {@code type}, or null when the type is not a request. */
  static Parser parser(String type) {
    return TABLE.get(type);
  }

  private static Command hello(Frame frame) throws BadRequest {
    JsonNode version = frame.header().get(Keys.VERSION);
    if (version == null || !version.isIntegralNumber()) {
      throw new BadRequest(ErrorCodes.MISSING_KEY, "hello needs an integer \"version\"");
    }
    if (!version.canConvertToInt() || version.asInt() != PROTOCOL_VERSION) {
      throw new BadRequest(ErrorCodes.UNSUPPORTED_VERSION, "protocol version " + version
          + " is not supported; this server speaks version " + PROTOCOL_VERSION);
    }
    String password = optional(frame, Keys.PASSWORD);
    return new Command.Hello(optional(frame, Keys.NICK),
        password == null ? null : password.toCharArray(), true, optional(frame, Keys.RESUME));
  }

  /** {@code tags}: to {@code room} or {@code to}, an object of string values. */
  private static Command tags(Frame frame) throws BadRequest {
    JsonNode tags = frame.header().get(Keys.TAGS);
    if (tags == null || !tags.isObject()) {
      throw new BadRequest(ErrorCodes.MISSING_KEY, "tags needs an object \"tags\"");
    }
    Map<String, String> map = new java.util.LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> tag : tags.properties()) {
      if (!tag.getValue().isString()) {
        throw new BadRequest(ErrorCodes.MISSING_KEY, "every tag's value is a string");
      }
      map.put(tag.getKey(), tag.getValue().asString());
    }
    String room = optional(frame, Keys.ROOM);
    return room != null ? new Command.SendTags(room, null, map)
        : new Command.SendTags(null, required(frame, Keys.TO), map);
  }

  private static Command history(Frame frame) throws BadRequest {
    int limit = (int) Math.min(Integer.MAX_VALUE, integer(frame, Keys.LIMIT));
    String with = optional(frame, Keys.WITH);
    if (with == null && frame.header().has(Keys.AFTER_MSGID)) {
      return new Command.PrivateSince(optional(frame, Keys.AFTER_MSGID));
    }
    if (with != null) {
      return new Command.PrivateHistory(with, optional(frame, Keys.BEFORE_MSGID), limit);
    }
    return new Command.RoomHistory(required(frame, Keys.ROOM), integer(frame, Keys.BEFORE), limit);
  }

  /** Room administration; {@code room} is needed by every action but {@code list}. */
  private static Command room(Frame frame) throws BadRequest {
    String action = required(frame, Keys.ACTION);
    Command.RoomAction what;
    try {
      what = Command.RoomAction.valueOf(action.toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new BadRequest(ErrorCodes.MISSING_KEY, "\"action\" must be one of register,"
          + " unregister, info, list, close, transfer");
    }
    String room = what == Command.RoomAction.LIST ? optional(frame, Keys.ROOM)
        : required(frame, Keys.ROOM);
    String account = what == Command.RoomAction.TRANSFER ? required(frame, Keys.ACCOUNT) : null;
    return new Command.RoomCommand(what, room, account, optional(frame, Keys.REASON));
  }

  /** {@code ban}, {@code mute}, {@code invite} and their undoing: one change of a list. */
  private static Command listChange(Frame frame, boolean add, RoomMode mode) throws BadRequest {
    String nick = optional(frame, Keys.NICK);
    String account = optional(frame, Keys.ACCOUNT);
    if ((nick == null) == (account == null)) {
      throw new BadRequest(ErrorCodes.MISSING_KEY,
          frame.type() + " needs exactly one of \"nick\" or \"account\"");
    }
    String target = nick != null ? nick : Mask.ACCOUNT_PREFIX + account;
    return oneChange(frame, new ModeChange(add, mode, target));
  }

  private static Command oneChange(Frame frame, ModeChange change) throws BadRequest {
    return new Command.Mode(required(frame, Keys.ROOM), List.of(change),
        optional(frame, Keys.REASON));
  }

  /** {@code "changes":[{"mode":"+k","arg":"secret"},{"mode":"-m"}]}; none asks for the modes. */
  private static Command mode(Frame frame) throws BadRequest {
    String room = required(frame, Keys.ROOM);
    JsonNode changes = frame.header().get(Keys.CHANGES);
    List<ModeChange> list = new ArrayList<>();
    if (changes != null && !changes.isNull()) {
      if (!changes.isArray()) {
        throw new BadRequest(ErrorCodes.MISSING_KEY,
            "\"changes\" must be an array of {\"mode\":\"+i\",\"arg\":...}");
      }
      for (JsonNode change : changes) {
        JsonNode sign = change.isObject() ? change.get(Keys.MODE) : null;
        if (sign == null || !sign.isString()) {
          throw new BadRequest(ErrorCodes.MISSING_KEY,
              "each change needs a string \"mode\" such as \"+i\"");
        }
        String text = sign.asString();
        RoomMode mode = text.length() == 2 ? RoomMode.of(text.charAt(1)) : null;
        if (mode == null || (text.charAt(0) != '+' && text.charAt(0) != '-')) {
          throw new BadRequest(ErrorCodes.INVALID_MODE, "unknown mode \"" + text
              + "\"; modes are + or - and one of i k l m n t o v b q I");
        }
        list.add(new ModeChange(text.charAt(0) == '+', mode, argument(change.get(Keys.ARG))));
      }
    }
    return new Command.Mode(room, list, optional(frame, Keys.REASON));
  }

  private static String argument(JsonNode arg) throws BadRequest {
    if (arg == null || arg.isNull()) {
      return null;
    }
    if (arg.isString()) {
      return arg.asString();
    }
    if (arg.isIntegralNumber() && arg.canConvertToLong()) {
      return Long.toString(arg.asLong());
    }
    throw new BadRequest(ErrorCodes.MISSING_KEY, "\"arg\" must be a string or an integer");
  }

  private static char[] password(Frame frame, String key) throws BadRequest {
    return required(frame, key).toCharArray();
  }

  private static Command action(Frame frame) throws BadRequest {
    String room = optional(frame, Keys.ROOM);
    String to = optional(frame, Keys.TO);
    if ((room == null) == (to == null)) {
      throw new BadRequest(ErrorCodes.MISSING_KEY, "action needs exactly one of \"room\" or \"to\"");
    }
    String text = text(frame);
    return room != null
        ? new Command.SayToRoom(room, MessageKind.ACTION, text)
        : new Command.SayToNick(to, MessageKind.ACTION, text);
  }

  static String required(Frame frame, String key) throws BadRequest {
    JsonNode node = frame.header().get(key);
    if (node == null || !node.isString()) {
      throw new BadRequest(ErrorCodes.MISSING_KEY,
          frame.type() + " needs a string \"" + key + "\"");
    }
    return node.asString();
  }

  static String optional(Frame frame, String key) throws BadRequest {
    JsonNode node = frame.header().get(key);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isString()) {
      throw new BadRequest(ErrorCodes.MISSING_KEY, "\"" + key + "\" must be a string");
    }
    return node.asString();
  }

  /** A non-negative integer key, 0 when absent. */
  static long integer(Frame frame, String key) throws BadRequest {
    JsonNode node = frame.header().get(key);
    if (node == null || node.isNull()) {
      return 0;
    }
    if (!node.isIntegralNumber() || !node.canConvertToLong() || node.asLong() < 0) {
      throw new BadRequest(ErrorCodes.MISSING_KEY, "\"" + key + "\" must be a non-negative integer");
    }
    return node.asLong();
  }

  /** The content as strict UTF-8 text. */
  static String text(Frame frame) throws BadRequest {
    // The original design names the text's character set in content-encoding ("utf-8").
    String encoding = frame.string(Keys.CONTENT_ENCODING);
    if (encoding != null && !encoding.equalsIgnoreCase(ContentTypes.IDENTITY)
        && !encoding.equalsIgnoreCase("utf-8") && !encoding.equalsIgnoreCase("utf8")) {
      throw new BadRequest(ErrorCodes.BAD_CONTENT, "content-encoding " + encoding
          + " is not supported (identity, or utf-8 for text)");
    }
    String type = frame.string(Keys.CONTENT_TYPE);
    String lower = type == null ? null : type.toLowerCase(java.util.Locale.ROOT);
    if (lower != null && !lower.startsWith("text/")) {
      throw new BadRequest(ErrorCodes.BAD_CONTENT,
          "content-type must be text, such as " + ContentTypes.TEXT_UTF8 + "; got " + type);
    }
    if (lower != null && lower.contains("charset=") && !lower.contains("charset=utf-8")
        && !lower.contains("charset=\"utf-8\"")) {
      throw new BadRequest(ErrorCodes.BAD_CONTENT, "text must be UTF-8; got " + type);
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(frame.content()))
          .toString();
    } catch (CharacterCodingException e) {
      throw new BadRequest(ErrorCodes.BAD_CONTENT, "content is not valid UTF-8");
    }
  }
}
