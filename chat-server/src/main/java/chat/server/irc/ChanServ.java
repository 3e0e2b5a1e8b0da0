package chat.server.irc;

import chat.core.Command;
import chat.core.Reply;
import java.util.List;
import java.util.Locale;

/**
 * The IRC face of room administration, as IRC users know it from services:
 * {@code /msg ChanServ REGISTER #room} (or {@code CS REGISTER #room}), {@code UNREGISTER},
 * {@code INFO}, {@code TRANSFER #room account}, {@code CLOSE #room [reason]}, {@code LIST}. Only
 * syntax lives here: the rules are the core's room administration.
 */
final class ChanServ {
  private ChanServ() {}

  static final String NICK = "ChanServ";
  static final String USAGE = "usage: REGISTER #room | UNREGISTER #room | INFO #room"
      + " | TRANSFER #room account | CLOSE #room [reason] | LIST";

  /** The command the words ask for, or null when they do not make one. */
  static Command parse(List<String> words) {
    if (words.isEmpty()) {
      return null;
    }
    Command.RoomAction action;
    try {
      action = Command.RoomAction.valueOf(words.get(0).toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return null;
    }
    if (action == Command.RoomAction.LIST) {
      return new Command.RoomCommand(action, null, null, null);
    }
    if (words.size() < 2 || (action == Command.RoomAction.TRANSFER && words.size() < 3)) {
      return null;
    }
    String room = words.get(1);
    String account = action == Command.RoomAction.TRANSFER ? words.get(2) : null;
    String reason = action == Command.RoomAction.CLOSE && words.size() > 2
        ? String.join(" ", words.subList(2, words.size())) : null;
    return new Command.RoomCommand(action, room, account, reason);
  }

  /** The answer's lines, as ChanServ's notices. */
  static List<String> render(Reply reply) {
    return switch (reply) {
      case Reply.RoomState s -> List.of(state(s));
      case Reply.RoomStates list -> {
        List<String> lines = new java.util.ArrayList<>();
        for (Reply.RoomState s : list.rooms()) {
          lines.add(state(s));
        }
        lines.add("End of list (" + list.rooms().size() + " rooms)");
        yield lines;
      }
      case Reply.Failed f -> List.of(f.message());
      default -> List.of("done");
    };
  }

  private static String state(Reply.RoomState s) {
    return "#" + s.room() + ": " + (s.owner() == null ? "not registered" : "owner " + s.owner())
        + ", " + s.members() + " present, modes " + s.modes().flags()
        + (s.opAccounts().isEmpty() ? "" : ", operators " + String.join(" ", s.opAccounts()))
        + (s.topic() == null ? "" : ", topic: " + s.topic().text());
  }
}
