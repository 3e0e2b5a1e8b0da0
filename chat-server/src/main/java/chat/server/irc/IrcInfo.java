package chat.server.irc;

import static chat.server.irc.Numeric.*;

import chat.core.Hub;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The commands about the server itself, answered by the door alone: TIME, VERSION, MOTD,
 * LUSERS, INFO, HELP, and the ISUPPORT, LUSERS and MOTD lines of the welcome. Event loop only,
 * like its connection.
 */
final class IrcInfo {

  private final IrcContext ctx;
  private final IrcServerInfo info;

  IrcInfo(IrcContext ctx) {
    this.ctx = ctx;
    this.info = ctx.info();
  }

  /** The answer to one of the commands above. */
  List<IrcMessage> command(IrcMessage m) {
    return switch (m.command()) {
      case "TIME" -> List.of(ctx.numeric(RPL_TIME, ctx.server(),
          ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.RFC_1123_DATE_TIME)));
      case "VERSION" -> {
        List<IrcMessage> lines = new ArrayList<>();
        lines.add(ctx.numeric(RPL_VERSION, IrcServerInfo.VERSION, ctx.server(),
            "the chat server's IRC door"));
        lines.addAll(isupport());
        yield lines;
      }
      case "MOTD" -> motd();
      case "LUSERS" -> lusers();
      case "INFO" -> List.of(
          ctx.numeric(RPL_INFO, "chat " + IrcServerInfo.VERSION + ": one chat server, three "
              + "doors (native, IRC, web); rooms are one room whichever door"),
          ctx.numeric(RPL_INFO, "This server was created " + info.created),
          ctx.numeric(RPL_ENDOFINFO, "End of /INFO list"));
      default -> help(m);
    };
  }

  List<IrcMessage> isupport() {
    List<IrcMessage> lines = new ArrayList<>();
    List<String> tokens = info.isupport;
    for (int from = 0; from < tokens.size(); from += 12) {
      List<String> params = new ArrayList<>(tokens.subList(from,
          Math.min(tokens.size(), from + 12)));
      params.add("are supported by this server");
      lines.add(ctx.numeric(RPL_ISUPPORT, params.toArray(String[]::new)));
    }
    return lines;
  }

  /**
   * 251-255 and 265/266. One server, so local and global counts are the same: the sessions
   * past their hello, whichever door; the ones still registering are "unknown connections".
   */
  List<IrcMessage> lusers() {
    Hub hub = info.hub;
    int users = hub.readyCount();
    int unknown = Math.max(0, hub.sessionCount() - users);
    int max = info.users.maxUsers(users);
    List<IrcMessage> lines = new ArrayList<>();
    lines.add(ctx.numeric(RPL_LUSERCLIENT,
        "There are " + users + " users and 0 invisible on 1 servers"));
    if (unknown > 0) {
      lines.add(ctx.numeric(RPL_LUSERUNKNOWN, Integer.toString(unknown),
          "unknown connection(s)"));
    }
    lines.add(ctx.numeric(RPL_LUSERCHANNELS, Integer.toString(hub.roomCount()),
        "channels formed"));
    lines.add(ctx.numeric(RPL_LUSERME, "I have " + users + " clients and 0 servers"));
    lines.add(ctx.numeric(RPL_LOCALUSERS, Integer.toString(users), Integer.toString(max),
        "Current local users " + users + ", max " + max));
    lines.add(ctx.numeric(RPL_GLOBALUSERS, Integer.toString(users), Integer.toString(max),
        "Current global users " + users + ", max " + max));
    return lines;
  }

  List<IrcMessage> motd() {
    if (info.config.motd().isEmpty()) {
      return List.of(ctx.numeric(ERR_NOMOTD, "MOTD File is missing"));
    }
    List<IrcMessage> lines = new ArrayList<>();
    lines.add(ctx.numeric(RPL_MOTDSTART, "- " + ctx.server() + " Message of the day - "));
    for (String line : info.config.motd()) {
      lines.add(ctx.numeric(RPL_MOTD, "- " + line));
    }
    lines.add(ctx.numeric(RPL_ENDOFMOTD, "End of /MOTD command."));
    return lines;
  }

  private List<IrcMessage> help(IrcMessage m) {
    List<IrcMessage> lines = new ArrayList<>();
    String subject = m.params().isEmpty() ? "*" : m.param(0).toUpperCase(Locale.ROOT);
    IrcCommands.Spec spec = IrcCommands.of(subject);
    if (!subject.equals("*") && spec == null) {
      lines.add(ctx.numeric(ERR_HELPNOTFOUND, subject, "No help available on this topic"));
      return lines;
    }
    if (subject.equals("*")) {
      lines.add(ctx.numeric(RPL_HELPSTART, "*", "Commands: " + String.join(" ",
          IrcCommands.all().stream().map(IrcCommands.Spec::name).toList())));
      lines.add(ctx.numeric(RPL_HELPTXT, "*", "HELP <command> for more"));
    } else {
      lines.add(ctx.numeric(RPL_HELPSTART, subject, spec.help()));
    }
    lines.add(ctx.numeric(RPL_ENDOFHELP, subject, "End of /HELP"));
    return lines;
  }

  /** {@code LINKS}: this server alone. */
  void links(Pending p) {
    p.lines.add(ctx.numeric(RPL_LINKS, ctx.server(), ctx.server(), "0 " + info.config.serverInfo()));
    p.lines.add(ctx.numeric(RPL_ENDOFLINKS, "*", "End of /LINKS list"));
  }
}
