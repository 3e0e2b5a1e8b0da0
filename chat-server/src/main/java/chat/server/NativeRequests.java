package chat.server;

import chat.core.Command;
import chat.core.MessageKind;
import chat.protocol.ContentTypes;
import chat.protocol.ErrorCodes;
import chat.protocol.Frame;
import chat.protocol.Keys;
import chat.protocol.Types;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
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
      Map.entry(Types.JOIN, f -> new Command.Join(required(f, Keys.ROOM))),
      Map.entry(Types.LEAVE, f -> new Command.Leave(required(f, Keys.ROOM), optional(f, Keys.REASON))),
      Map.entry(Types.ROOMS, f -> new Command.ListRooms()),
      Map.entry(Types.WHO, f -> new Command.Who(required(f, Keys.ROOM))),
      Map.entry(Types.MSG, f -> new Command.SayToRoom(required(f, Keys.ROOM), MessageKind.TEXT, text(f))),
      Map.entry(Types.PRIVMSG, f -> new Command.SayToNick(required(f, Keys.TO), MessageKind.TEXT, text(f))),
      Map.entry(Types.ACTION, NativeRequests::action),
      Map.entry(Types.QUIT, f -> new Command.Quit(optional(f, Keys.REASON))),
      Map.entry(Types.HISTORY, NativeRequests::history),
      Map.entry(Types.REGISTER, f -> new Command.Register(password(f, Keys.PASSWORD))),
      Map.entry(Types.LOGIN, f -> new Command.Login(required(f, Keys.ACCOUNT),
          password(f, Keys.PASSWORD))),
      Map.entry(Types.PASSWD, f -> new Command.ChangePassword(password(f, Keys.OLD_PASSWORD),
          password(f, Keys.NEW_PASSWORD))));

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
        password == null ? null : password.toCharArray());
  }

  private static Command history(Frame frame) throws BadRequest {
    int limit = (int) Math.min(Integer.MAX_VALUE, integer(frame, Keys.LIMIT));
    String with = optional(frame, Keys.WITH);
    if (with != null) {
      return new Command.PrivateHistory(with, optional(frame, Keys.BEFORE_MSGID), limit);
    }
    return new Command.RoomHistory(required(frame, Keys.ROOM), integer(frame, Keys.BEFORE), limit);
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
    String encoding = frame.string(Keys.CONTENT_ENCODING);
    if (encoding != null && !encoding.equalsIgnoreCase(ContentTypes.IDENTITY)) {
      throw new BadRequest(ErrorCodes.BAD_CONTENT,
          "content-encoding " + encoding + " is not supported (only identity)");
    }
    String type = frame.string(Keys.CONTENT_TYPE);
    if (type != null && !type.toLowerCase(java.util.Locale.ROOT).startsWith("text/plain")) {
      throw new BadRequest(ErrorCodes.BAD_CONTENT,
          "content-type must be " + ContentTypes.TEXT_UTF8 + ", got " + type);
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
