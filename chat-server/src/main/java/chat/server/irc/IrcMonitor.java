package chat.server.irc;

import static chat.server.irc.Numeric.*;

import chat.core.Command;
import chat.core.Event;
import chat.core.Hub;
import chat.core.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code MONITOR} (IRCv3): the nicks whose coming and going this client hears of, on the core's
 * watch list ({@link Command.Watch}), so it works across doors and servers. With
 * {@code extended-monitor} the core also sends the watched users' away, account and real name
 * changes. Event loop only, like its connection.
 */
final class IrcMonitor {

  /** Most nicks per 730/731/732 line: lines stay well under 512 bytes. */
  private static final int PER_LINE = 10;

  private final IrcContext ctx;
  /** The watch list as the core last said it is. */
  private List<String> watched = List.of();

  IrcMonitor(IrcContext ctx) {
    this.ctx = ctx;
  }

  void command(Pending p, IrcMessage m) {
    String sub = m.param(0).toUpperCase(Locale.ROOT);
    List<String> targets = IrcRender.list(m.param(1));
    boolean extended = ctx.has(Cap.EXTENDED_MONITOR);
    switch (sub) {
      case "+" -> {
        if (targets.isEmpty()) {
          p.lines.add(ctx.numeric(ERR_NEEDMOREPARAMS, "MONITOR", "Not enough parameters"));
          return;
        }
        ctx.request(p, new Answer(true), new Command.Watch(targets, List.of(), false, extended));
      }
      case "-" -> {
        if (targets.isEmpty()) {
          p.lines.add(ctx.numeric(ERR_NEEDMOREPARAMS, "MONITOR", "Not enough parameters"));
          return;
        }
        ctx.request(p, new Answer(false), new Command.Watch(List.of(), targets, false, extended));
      }
      case "C" -> ctx.request(p, new Answer(false),
          new Command.Watch(List.of(), List.of(), true, extended));
      case "L" -> {
        for (List<String> chunk : chunks(watched)) {
          p.lines.add(ctx.numeric(RPL_MONLIST, String.join(",", chunk)));
        }
        p.lines.add(ctx.numeric(RPL_ENDOFMONLIST, "End of MONITOR list"));
      }
      case "S" -> {
        if (!watched.isEmpty()) {
          ctx.request(p, new Answer(true), new Command.Watch(watched, List.of(), false,
              extended));
        }
      }
      default -> p.lines.add(ctx.numeric(ERR_UNKNOWNCOMMAND, "MONITOR",
          "Unknown MONITOR subcommand " + sub));
    }
  }

  /** A watched nick came or went. */
  List<IrcMessage> render(Event.Watched w) {
    return List.of(w.online()
        ? ctx.numeric(RPL_MONONLINE, IrcServerInfo.source(w.nick()))
        : ctx.numeric(RPL_MONOFFLINE, w.nick()));
  }

  private final class Answer extends Sub {
    final boolean status;

    Answer(boolean status) {
      this.status = status;
    }

    @Override
    void reply(Reply r) {
      if (!(r instanceof Reply.Watching w)) {
        if (r instanceof Reply.Failed f) {
          out(ctx.numeric(ERR_UNKNOWNCOMMAND, "MONITOR", f.message()));
        }
        return;
      }
      watched = w.watched();
      if (status) {
        for (List<String> chunk : chunks(w.online())) {
          out(ctx.numeric(RPL_MONONLINE, String.join(",",
              chunk.stream().map(IrcServerInfo::source).toList())));
        }
        for (List<String> chunk : chunks(w.offline())) {
          out(ctx.numeric(RPL_MONOFFLINE, String.join(",", chunk)));
        }
      }
      if (!w.refused().isEmpty()) {
        out(ctx.numeric(ERR_MONLISTFULL, Integer.toString(Hub.MAX_WATCHED),
            String.join(",", w.refused()), "Monitor list is full."));
      }
    }
  }

  private static List<List<String>> chunks(List<String> nicks) {
    List<List<String>> chunks = new ArrayList<>();
    for (int from = 0; from < nicks.size(); from += PER_LINE) {
      chunks.add(nicks.subList(from, Math.min(nicks.size(), from + PER_LINE)));
    }
    return chunks;
  }
}
