package chat.server.irc;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One IRC message: {@code [@tags] [:source] COMMAND [params] [:trailing]}. Parsing follows the
 * Modern IRC client protocol and IRCv3 message-tags; formatting escapes tag values and keeps the
 * message body (everything after the tags) within {@link #MAX_BODY_BYTES}.
 *
 * @param tags tag keys to values ("" for a tag without a value), in order
 * @param source the prefix without ':', or null
 * @param command upper-cased command or three-digit numeric
 * @param params the parameters, the trailing one last and without its ':'
 */
public record IrcMessage(Map<String, String> tags, String source, String command,
    List<String> params) {

  /** Longest message body (source, command and parameters) in bytes, without CR LF. */
  public static final int MAX_BODY_BYTES = 510;

  public IrcMessage {
    tags = tags == null || tags.isEmpty() ? Map.of() : Collections.unmodifiableMap(
        new LinkedHashMap<>(tags));
    params = List.copyOf(params);
  }

  public static IrcMessage of(String source, String command, String... params) {
    return new IrcMessage(Map.of(), source, command, List.of(params));
  }

  public static IrcMessage of(String source, String command, List<String> params) {
    return new IrcMessage(Map.of(), source, command, params);
  }

  public String param(int index) {
    return index < params.size() ? params.get(index) : null;
  }

  /** A copy with {@code key=value} added (replacing the same key). */
  /**
   * An IRCv3 standard reply: {@code FAIL <command> <code> <context...> :<description>} from
   * {@code source}.
   */
  public static IrcMessage fail(String source, String command, String code, List<String> context,
      String description) {
    List<String> params = new java.util.ArrayList<>(context.size() + 3);
    params.add(command);
    params.add(code);
    params.addAll(context);
    params.add(description);
    return of(source, "FAIL", params);
  }

  public IrcMessage withTag(String key, String value) {
    Map<String, String> copy = new LinkedHashMap<>(tags);
    copy.put(key, value == null ? "" : value);
    return new IrcMessage(copy, source, command, params);
  }

  public IrcMessage withTags(Map<String, String> more) {
    if (more.isEmpty()) {
      return this;
    }
    Map<String, String> copy = new LinkedHashMap<>(tags);
    copy.putAll(more);
    return new IrcMessage(copy, source, command, params);
  }

  // ---------------------------------------------------------------- parsing

  /** Why a line is not a message. */
  public static final class ParseException extends Exception {
    private final transient IrcMessage unknown;

    public ParseException(String message) {
      this(message, null);
    }

    ParseException(String message, IrcMessage unknown) {
      super(message, null, false, false);
      this.unknown = unknown;
    }

    /**
     * The line as far as it parsed when its command is a word that no command can be (such as
     * {@code NO_SUCH}): tags and command, no parameters, so that it can be answered with a
     * labeled {@code 421}; null when the line has no command at all.
     */
    public IrcMessage unknown() {
      return unknown;
    }
  }

  /**
   * Parses one line (without CR LF). Spaces between parts may repeat; a command is letters or
   * three digits.
   */
  public static IrcMessage parse(String line) throws ParseException {
    int i = 0;
    int n = line.length();
    Map<String, String> tags = Map.of();
    if (i < n && line.charAt(i) == '@') {
      int end = line.indexOf(' ', i);
      if (end < 0) {
        throw new ParseException("tags without a command");
      }
      tags = parseTags(line.substring(i + 1, end));
      i = end;
    }
    i = skipSpaces(line, i);
    String source = null;
    if (i < n && line.charAt(i) == ':') {
      int end = line.indexOf(' ', i);
      if (end < 0) {
        throw new ParseException("source without a command");
      }
      source = line.substring(i + 1, end);
      i = end;
    }
    i = skipSpaces(line, i);
    int end = line.indexOf(' ', i);
    if (end < 0) {
      end = n;
    }
    String command = line.substring(i, end);
    if (!validCommand(command)) {
      if (command.isEmpty()) {
        throw new ParseException("no command");
      }
      throw new ParseException("not a command: " + command,
          new IrcMessage(tags, source, command, List.of()));
    }
    i = end;
    List<String> params = new ArrayList<>();
    while (true) {
      i = skipSpaces(line, i);
      if (i >= n) {
        break;
      }
      if (line.charAt(i) == ':') {
        params.add(line.substring(i + 1));
        break;
      }
      end = line.indexOf(' ', i);
      if (end < 0) {
        end = n;
      }
      params.add(line.substring(i, end));
      i = end;
    }
    return new IrcMessage(tags, source, command.toUpperCase(Locale.ROOT), params);
  }

  private static int skipSpaces(String line, int i) {
    while (i < line.length() && line.charAt(i) == ' ') {
      i++;
    }
    return i;
  }

  private static boolean validCommand(String command) {
    if (command.isEmpty()) {
      return false;
    }
    boolean digits = command.length() == 3;
    boolean letters = true;
    for (int i = 0; i < command.length(); i++) {
      char c = command.charAt(i);
      digits &= c >= '0' && c <= '9';
      letters &= (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
    return digits || letters;
  }

  /** {@code a=1;+b;c=x\sy} into an ordered map; a later duplicate key wins. */
  static Map<String, String> parseTags(String raw) {
    Map<String, String> tags = new LinkedHashMap<>();
    for (String item : raw.split(";")) {
      if (item.isEmpty()) {
        continue;
      }
      int eq = item.indexOf('=');
      String key = eq < 0 ? item : item.substring(0, eq);
      String value = eq < 0 ? "" : unescape(item.substring(eq + 1));
      if (validKey(key)) {
        tags.put(key, value);
      }
    }
    return tags;
  }

  /** A tag key: an optional '+', an optional vendor and '/', then letters, digits and '-'. */
  static boolean validKey(String key) {
    if (key.isEmpty() || key.equals("+")) {
      return false;
    }
    for (int i = key.charAt(0) == '+' ? 1 : 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '.' || c == '/')) {
        return false;
      }
    }
    return true;
  }

  /**
   * IRCv3 tag value escaping: {@code ; space \ CR LF} as {@code \: \s \\ \r \n}; NUL, which
   * no line may hold, is dropped.
   */
  public static String escape(String value) {
    StringBuilder b = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case ';' -> b.append("\\:");
        case ' ' -> b.append("\\s");
        case '\\' -> b.append("\\\\");
        case '\r' -> b.append("\\r");
        case '\n' -> b.append("\\n");
        case '\0' -> { }
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  /** The inverse of {@link #escape}; an unknown escape is the character itself, a lone trailing backslash is dropped. */
  public static String unescape(String value) {
    if (value.indexOf('\\') < 0) {
      return value;
    }
    StringBuilder b = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c != '\\') {
        b.append(c);
        continue;
      }
      if (++i >= value.length()) {
        break;
      }
      char e = value.charAt(i);
      switch (e) {
        case ':' -> b.append(';');
        case 's' -> b.append(' ');
        case 'r' -> b.append('\r');
        case 'n' -> b.append('\n');
        default -> b.append(e);
      }
    }
    return b.toString();
  }

  // ---------------------------------------------------------------- formatting

  /**
   * The line without CR LF. Parameters lose CR, LF and NUL (they would end or corrupt the line);
   * a middle parameter that is empty, holds a space or starts with ':' is impossible to send and
   * becomes {@code *}; the last parameter is sent as trailing whenever needed, and always for
   * numerics and text-carrying commands. A body longer than {@link #MAX_BODY_BYTES} loses the end
   * of its last parameter.
   */
  public String format() {
    StringBuilder b = new StringBuilder(64);
    for (Map.Entry<String, String> tag : tags.entrySet()) {
      if (!validKey(tag.getKey())) {
        continue;
      }
      b.append(b.isEmpty() ? '@' : ';').append(tag.getKey());
      if (!tag.getValue().isEmpty()) {
        b.append('=').append(escape(tag.getValue()));
      }
    }
    if (!b.isEmpty()) {
      b.append(' ');
    }
    int bodyStart = b.length();
    if (source != null) {
      b.append(':').append(source).append(' ');
    }
    b.append(command);
    for (int i = 0; i < params.size(); i++) {
      String p = clean(params.get(i));
      boolean last = i == params.size() - 1;
      b.append(' ');
      if (last && (p.isEmpty() || p.indexOf(' ') >= 0 || p.charAt(0) == ':'
          || forcesTrailing(command))) {
        b.append(':');
        int room = MAX_BODY_BYTES - utf8Length(b, bodyStart);
        b.append(Text.cutUtf8(p, Math.max(0, room)));
      } else if (!last && (p.isEmpty() || p.indexOf(' ') >= 0 || p.charAt(0) == ':')) {
        b.append('*');
      } else {
        int room = MAX_BODY_BYTES - utf8Length(b, bodyStart);
        b.append(Text.cutUtf8(p, Math.max(0, room)));
      }
    }
    return b.toString();
  }

  private static boolean forcesTrailing(String command) {
    return switch (command) {
      case "PRIVMSG", "NOTICE", "PART", "QUIT", "KICK", "TOPIC", "ERROR", "AWAY", "SETNAME",
          "KILL", "FAIL", "WARN", "NOTE" -> true;
      default -> command.length() == 3 && Character.isDigit(command.charAt(0));
    };
  }

  private static String clean(String p) {
    if (p == null) {
      return "";
    }
    if (p.indexOf('\r') < 0 && p.indexOf('\n') < 0 && p.indexOf('\0') < 0) {
      return p;
    }
    return p.replace('\r', ' ').replace('\n', ' ').replace("\0", "");
  }

  private static int utf8Length(CharSequence s, int from) {
    return Text.utf8Length(s.subSequence(from, s.length()));
  }

  /** The line as UTF-8 bytes, without CR LF. */
  public byte[] bytes() {
    return format().getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return format();
  }
}
