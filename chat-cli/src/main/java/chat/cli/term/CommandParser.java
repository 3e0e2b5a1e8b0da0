package chat.cli.term;

import chat.core.Names;
import chat.protocol.ModeChanges;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Turns a typed line into an {@link Input}. Lines starting with {@code /} are commands; a line
 * starting with {@code //} is text that starts with one {@code /}; anything else is text for
 * the current room.
 */
final class CommandParser {
  private CommandParser() {}

  /** The commands, as completed and listed by /help. */
  static final List<String> COMMANDS = List.of("/ban", "/deop", "/files", "/get", "/help",
      "/history", "/invite", "/join", "/kick", "/kill", "/leave", "/login", "/me", "/mode", "/msg",
      "/mute", "/nick", "/op", "/passwd", "/quit", "/register", "/room", "/rooms", "/send",
      "/topic", "/unban", "/unmute", "/who");

  /** Most messages one /history asks for. */
  static final int MAX_HISTORY = 200;

  /**
   * What /help shows, a line per command, as one constant so that {@code chat connect --help}
   * can show it too (annotations take constants only); lines end with {@code %n}.
   */
  static final String HELP_TEXT = ""
      + "/join ROOM [KEY]      join a room (with its KEY if it has one), make it current%n"
      + "/leave [ROOM [REASON]] leave a room (default: the current one)%n"
      + "/who [ROOM]           list the members of a room (default: the current one)%n"
      + "/rooms                list the server's rooms%n"
      + "/msg NICK TEXT        send a private message%n"
      + "/me TEXT              act in the current room, e.g. /me waves%n"
      + "/nick NEWNICK         change your nick%n"
      + "/history [N]          N older messages of the current room (repeat for more)%n"
      + "/history NICK [N]     N older private messages with NICK (repeat for more)%n"
      + "/register             register your nick as an account; asks for a password%n"
      + "/login [ACCOUNT]      log in to ACCOUNT, default your nick; asks the password%n"
      + "/passwd               change your password (old once, new twice)%n"
      + "/send PATH            share a file with the current room; quote a path with%n"
      + "                      spaces (/send \"my report.pdf\"); ~ is your home folder%n"
      + "/send NICK PATH       share a file with one person%n"
      + "/get ID [PATH]        download a shared file (ID: its start /get shows) to the%n"
      + "                      downloads folder, or to PATH (a folder or a file name)%n"
      + "/files [ROOM]         the recent files of a room (default: the current one)%n"
      + "/topic [TEXT | -]     show the current room's topic, set it, or clear it with -%n"
      + "/kick NICK [REASON]   remove someone from the current room%n"
      + "/ban NICK [REASON]    ban from the current room (NICK's account if logged in)%n"
      + "/unban NICK           lift a ban (NICK or account:NAME; /ban takes both too)%n"
      + "/mute NICK [REASON]   let someone read but not speak in the current room%n"
      + "/unmute NICK          lift a mute%n"
      + "/op NICK              make a member an operator of the current room%n"
      + "/deop NICK            take operator status away%n"
      + "/invite NICK          invite someone to the current room (passes +i, +k and +l)%n"
      + "/mode [+-MODES ARGS]  show or change modes: +i, +k KEY, -k, +l N, +m, +t,%n"
      + "                      +v NICK, +b/+q/+I NICK%n"
      + "/kill NICK [REASON]   disconnect someone from the server (server admins)%n"
      + "/room register        register the current room to your account (operators):%n"
      + "                      you stay its operator and it stays while empty%n"
      + "/room info|unregister show the room's owner and state, or give it up (owner)%n"
      + "/room transfer ACCOUNT give the room to another account (owner, admins)%n"
      + "/room list            every room on the server (admins)%n"
      + "/room close [REASON]  remove everyone and forget the room (admins)%n"
      + "/quit [REASON]        leave the chat (also Ctrl-D)%n"
      + "/help                 this list%n"
      + "/topic to /mode act on the current room; put #ROOM first for another room%n"
      + "text without a leading / goes to the current room; //text sends /text%n"
      + "passwords are never shown; piped input gives each on its own line%n";

  static final List<String> HELP = List.of(HELP_TEXT.split("%n"));

  static Input parse(String line) {
    String text = stripLineEnd(line);
    if (text.isBlank()) {
      return new Input.Empty();
    }
    if (!text.startsWith("/")) {
      return new Input.Say(text);
    }
    if (text.startsWith("//")) {
      return new Input.Say(text.substring(1));
    }
    String body = text.substring(1).strip();
    int space = indexOfSpace(body);
    String name = (space < 0 ? body : body.substring(0, space)).toLowerCase(Locale.ROOT);
    String args = space < 0 ? "" : body.substring(space + 1).strip();
    return switch (name) {
      case "help", "?" -> new Input.Help();
      case "nick" -> oneWord(args) ? new Input.Nick(args) : usage("/nick NEWNICK");
      case "join", "j" -> join(args);
      case "leave", "part" -> leave(args);
      case "rooms", "list" -> args.isEmpty() ? new Input.Rooms() : usage("/rooms");
      case "who", "names" -> args.isEmpty() ? new Input.Who(null)
          : oneWord(args) ? new Input.Who(room(args)) : usage("/who [ROOM]");
      case "msg", "query" -> msg(args);
      case "me" -> args.isEmpty() ? usage("/me TEXT") : new Input.Me(args);
      case "quit", "exit" -> new Input.Quit(args.isEmpty() ? null : args);
      case "register" -> args.isEmpty() ? new Input.Register()
          : usage("/register (the password is asked for, never typed on the command line)");
      case "login" -> args.isEmpty() ? new Input.Login(null)
          : oneWord(args) ? new Input.Login(args)
          : usage("/login [ACCOUNT] (the password is asked for)");
      case "passwd" -> args.isEmpty() ? new Input.Passwd()
          : usage("/passwd (the passwords are asked for)");
      case "history" -> history(args);
      case "topic" -> topic(args);
      case "kick" -> targeted(args, "/kick [#ROOM] NICK [REASON]", true,
          (room, nick, reason) -> new Input.Kick(room, nick, reason));
      case "ban", "unban", "mute", "unmute" -> {
        boolean undo = name.startsWith("un");
        yield targeted(args, "/" + name + " [#ROOM] NICK" + (undo ? "" : " [REASON]"), !undo,
            (room, target, reason) -> new Input.Moderate(name, room, target, reason));
      }
      case "op", "deop", "invite" -> targeted(args, "/" + name + " [#ROOM] NICK", false,
          (room, target, reason) -> new Input.Moderate(name, room, target, null));
      case "mode" -> mode(args);
      case "kill" -> kill(args);
      case "room" -> roomAdmin(args);
      case "send" -> send(args);
      case "get" -> get(args);
      case "files" -> args.isEmpty() ? new Input.Files(null)
          : oneWord(args) ? new Input.Files(room(args)) : usage("/files [ROOM]");
      case "" -> new Input.Invalid("a command name must follow the / (/help lists the commands)");
      default -> new Input.Invalid(
          "unknown command /" + name + " (/help lists the commands, //text sends /text)");
    };
  }

  private static final String SEND_USAGE =
      "/send [NICK] PATH (quote a path with spaces: /send \"my report.pdf\")";

  /**
   * {@code /send PATH} or {@code /send NICK PATH}. One word is a path. With more, a first word
   * that could be a nick (unquoted, only nick characters: a file name with a dot or a path with a
   * slash cannot be one) names the person and the rest is the path; otherwise the whole argument
   * is one path, spaces and all, unless parts of it are quoted. When a nick and a path could also
   * be one path ({@code /send my report.pdf}), both readings are kept for the file system to
   * decide ({@link Input.Send#whole}).
   */
  private static Input send(String args) {
    List<TypedPaths.Word> words;
    try {
      words = TypedPaths.words(args);
    } catch (IllegalArgumentException e) {
      return new Input.Invalid(e.getMessage() + "; usage: " + SEND_USAGE);
    }
    if (words.isEmpty()) {
      return usage(SEND_USAGE);
    }
    if (words.size() == 1) {
      return new Input.Send(null, words.getFirst().text(), null);
    }
    TypedPaths.Word first = words.getFirst();
    boolean plain = TypedPaths.plain(words);
    if (!first.quoted() && Names.nickProblem(first.text(), Integer.MAX_VALUE) == null) {
      String path = rest(args, words.subList(1, words.size()));
      return path == null ? usage(SEND_USAGE)
          : new Input.Send(first.text(), path, plain ? args : null);
    }
    return plain ? new Input.Send(null, args, null) : usage(SEND_USAGE);
  }

  /**
   * The words from the second on as one path: a single word as it reads, several unquoted ones
   * as typed (spaces kept); null for several with quotes, which would be several paths.
   */
  private static String rest(String args, List<TypedPaths.Word> words) {
    if (words.size() == 1) {
      return words.getFirst().text();
    }
    return TypedPaths.plain(words) ? args.substring(words.getFirst().start()).strip() : null;
  }

  /** {@code /get ID [PATH]}: an id has no spaces, so the rest is the path. */
  private static Input get(String args) {
    String usage = "/get ID [PATH] (ID as /get shows it after a shared file, or from /files)";
    List<TypedPaths.Word> words;
    try {
      words = TypedPaths.words(args);
    } catch (IllegalArgumentException e) {
      return new Input.Invalid(e.getMessage() + "; usage: " + usage);
    }
    if (words.isEmpty() || words.getFirst().quoted()
        || !words.getFirst().text().matches("[A-Za-z0-9_-]+")) {
      return usage(usage);
    }
    String id = words.getFirst().text();
    if (words.size() == 1) {
      return new Input.Get(id, null);
    }
    String path = rest(args, words.subList(1, words.size()));
    return path == null ? usage(usage) : new Input.Get(id, path);
  }

  private static final List<String> ROOM_ACTIONS =
      List.of("register", "unregister", "info", "list", "close", "transfer");

  /** {@code /room ACTION [#ROOM] [ARG]}. */
  private static Input roomAdmin(String args) {
    String usage = "/room register|unregister|info|list|close [REASON]|transfer ACCOUNT"
        + " (put #ROOM after the action for another room)";
    String[] words = args.isEmpty() ? new String[0] : args.split("\\s+", 3);
    if (words.length == 0 || !ROOM_ACTIONS.contains(words[0].toLowerCase(java.util.Locale.ROOT))) {
      return usage(usage);
    }
    String action = words[0].toLowerCase(java.util.Locale.ROOT);
    String room = null;
    String rest = words.length > 1 ? args.substring(args.indexOf(words[1])) : "";
    if (words.length > 1 && words[1].startsWith("#")) {
      room = room(words[1]);
      rest = words.length > 2 ? words[2] : "";
    }
    rest = rest.strip();
    if (action.equals("transfer") && rest.isEmpty()) {
      return usage("/room transfer [#ROOM] ACCOUNT");
    }
    boolean takesArg = action.equals("transfer") || action.equals("close");
    if (!takesArg && !rest.isEmpty()) {
      return usage(usage);
    }
    return new Input.RoomAdmin(action, room, rest.isEmpty() ? null : rest);
  }

  private static Input leave(String args) {
    if (args.isEmpty()) {
      return new Input.Leave(null, null);
    }
    int space = indexOfSpace(args);
    if (space < 0) {
      return new Input.Leave(room(args), null);
    }
    return new Input.Leave(room(args.substring(0, space)), args.substring(space + 1).strip());
  }

  /** {@code /history [N]} or {@code /history NICK [N]}; nicks never start with a digit. */
  private static Input history(String args) {
    String[] words = args.isEmpty() ? new String[0] : args.split("\\s+");
    if (words.length > 2) {
      return usage("/history [NICK] [N]");
    }
    String nick = null;
    int limit = 0;
    for (int i = 0; i < words.length; i++) {
      String word = words[i];
      if (!word.isEmpty() && Character.isDigit(word.charAt(0))) {
        if (i != words.length - 1 || !word.matches("\\d{1,9}") || Integer.parseInt(word) < 1
            || Integer.parseInt(word) > MAX_HISTORY) {
          return usage("/history [NICK] [N], N from 1 to " + MAX_HISTORY);
        }
        limit = Integer.parseInt(word);
      } else if (i == 0) {
        nick = word;
      } else {
        return usage("/history [NICK] [N]");
      }
    }
    return new Input.History(nick, limit);
  }

  private static Input join(String args) {
    String[] words = words(args);
    if (words.length == 0 || words.length > 2 || words[0].equals("#")) {
      return usage("/join ROOM [KEY]");
    }
    return new Input.Join(room(words[0]), words.length == 2 ? words[1] : null);
  }

  /** What a moderation command becomes once its room, target and reason are split off. */
  @FunctionalInterface
  private interface Targeted {
    Input make(String room, String target, String reason);
  }

  /** {@code [#ROOM] TARGET [REASON]}; with {@code reasoned} false nothing may follow the target. */
  private static Input targeted(String args, String usage, boolean reasoned, Targeted make) {
    RoomAndRest split = roomFirst(args);
    String rest = split.rest();
    if (rest.isEmpty()) {
      return usage(usage);
    }
    int space = indexOfSpace(rest);
    String target = space < 0 ? rest : rest.substring(0, space);
    String reason = space < 0 ? null : rest.substring(space + 1).strip();
    if (reason != null && !reasoned) {
      return usage(usage);
    }
    return make.make(split.room(), target, reason);
  }

  private static Input topic(String args) {
    RoomAndRest split = roomFirst(args);
    String text = split.rest();
    if (text.isEmpty()) {
      return new Input.Topic(split.room(), null);
    }
    return new Input.Topic(split.room(), text.equals("-") ? "" : text);
  }

  private static Input mode(String args) {
    RoomAndRest split = roomFirst(args);
    String[] words = words(split.rest());
    if (words.length == 0) {
      return new Input.Mode(split.room(), List.of());
    }
    try {
      List<ModeChanges.Change> changes = ModeChanges.parse(words[0],
          Arrays.asList(words).subList(1, words.length));
      return new Input.Mode(split.room(), changes);
    } catch (IllegalArgumentException e) {
      return new Input.Invalid(e.getMessage() + "; usage: /mode [#ROOM] [+-MODES [ARGS]]");
    }
  }

  private static Input kill(String args) {
    if (args.isEmpty()) {
      return usage("/kill NICK [REASON]");
    }
    int space = indexOfSpace(args);
    return space < 0 ? new Input.Kill(args, null)
        : new Input.Kill(args.substring(0, space), args.substring(space + 1).strip());
  }

  /** An optional leading {@code #ROOM} (nicks never start with '#'), and the rest. */
  private record RoomAndRest(String room, String rest) {}

  private static RoomAndRest roomFirst(String args) {
    if (!args.startsWith("#") || args.equals("#")) {
      return new RoomAndRest(null, args);
    }
    int space = indexOfSpace(args);
    return space < 0 ? new RoomAndRest(room(args), "")
        : new RoomAndRest(room(args.substring(0, space)), args.substring(space + 1).strip());
  }

  private static String[] words(String args) {
    List<String> words = new ArrayList<>();
    for (String word : args.strip().split("\\s+")) {
      if (!word.isEmpty()) {
        words.add(word);
      }
    }
    return words.toArray(new String[0]);
  }

  private static Input msg(String args) {
    int space = indexOfSpace(args);
    if (space < 0) {
      return usage("/msg NICK TEXT");
    }
    String text = args.substring(space + 1).strip();
    return text.isEmpty() ? usage("/msg NICK TEXT")
        : new Input.Msg(args.substring(0, space), text);
  }

  private static Input usage(String usage) {
    return new Input.Invalid("usage: " + usage);
  }

  /** A room name as the user may type it, without the optional leading {@code #}. */
  static String room(String typed) {
    return typed.startsWith("#") ? typed.substring(1) : typed;
  }

  private static boolean oneWord(String args) {
    return !args.isEmpty() && indexOfSpace(args) < 0 && !args.equals("#");
  }

  private static int indexOfSpace(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isWhitespace(s.charAt(i))) {
        return i;
      }
    }
    return -1;
  }

  private static String stripLineEnd(String line) {
    int end = line.length();
    while (end > 0 && (line.charAt(end - 1) == '\n' || line.charAt(end - 1) == '\r')) {
      end--;
    }
    return line.substring(0, end);
  }
}
