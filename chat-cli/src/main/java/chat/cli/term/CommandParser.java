package chat.cli.term;

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
  static final List<String> COMMANDS = List.of("/ban", "/deop", "/help", "/invite", "/join",
      "/kick", "/kill", "/leave", "/me", "/mode", "/msg", "/mute", "/nick", "/op", "/quit",
      "/rooms", "/topic", "/unban", "/unmute", "/who");

  static final List<String> HELP = List.of(
      "/join ROOM [KEY]      join a room (KEY for a room with one) and make it the current one",
      "/leave [ROOM [REASON]] leave a room (default: the current one)",
      "/who [ROOM]           list the members of a room (default: the current one)",
      "/rooms                list the server's rooms",
      "/msg NICK TEXT        send a private message",
      "/me TEXT              act in the current room, e.g. /me waves",
      "/nick NEWNICK         change your nick",
      "/quit [REASON]        leave the chat (also Ctrl-D)",
      "/topic [TEXT | -]     show the current room's topic, set it, or clear it with -",
      "/kick NICK [REASON]   remove someone from the current room",
      "/ban NICK [REASON]    ban from the current room (a logged-in user's account; or account:NAME)",
      "/unban NICK           lift a ban (NICK or account:NAME)",
      "/mute NICK [REASON]   let someone read but not speak in the current room",
      "/unmute NICK          lift a mute",
      "/op NICK              make a member an operator of the current room",
      "/deop NICK            take operator status away",
      "/invite NICK          invite someone to the current room (passes +i, +k and +l)",
      "/mode [+-MODES ARGS]  show or change modes: +i, +k KEY, -k, +l N, +m, +t, +v NICK, +b/+q/+I NICK",
      "/kill NICK [REASON]   disconnect someone from the server (server admins)",
      "/help                 this list",
      "room commands from /topic to /mode act on the current room; put #ROOM first for another",
      "text without a leading / goes to the current room; //text sends /text");

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
      case "" -> new Input.Invalid("a command name must follow the / (/help lists the commands)");
      default -> new Input.Invalid(
          "unknown command /" + name + " (/help lists the commands, //text sends /text)");
    };
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
