package chat.server.irc;

import static chat.server.irc.Numeric.*;

import chat.core.Event;
import chat.core.ModeChange;
import chat.core.Names;
import chat.core.Reply;
import chat.core.RoomMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Core events and refusals to the lines this connection's client reads, as its capabilities
 * and user modes ask. It changes nothing: which channels the client is in is the connection's
 * (it tracks membership before rendering). Event loop only, like the connection.
 */
final class IrcRender {

  /** The reason of the +I change an INVITE makes: it marks the change as an invitation. */
  static final String INVITATION = "invite";

  private final IrcContext ctx;
  private final UserModes modes;
  private final IrcMarkers markers;
  private final IrcMonitor monitor;

  IrcRender(IrcContext ctx, UserModes modes, IrcMarkers markers, IrcMonitor monitor) {
    this.ctx = ctx;
    this.modes = modes;
    this.markers = markers;
    this.monitor = monitor;
  }

  static String channelName(String room) {
    return "#" + room;
  }

  /** The core's room for an IRC channel name, or null when it does not start with '#'. */
  static String roomOf(String target) {
    return target != null && target.length() > 1 && target.charAt(0) == '#'
        ? target.substring(1) : null;
  }

  /** The items of a comma-separated parameter, empty ones left out (null: none). */
  static List<String> list(String commaSeparated) {
    List<String> items = new ArrayList<>();
    if (commaSeparated != null) {
      for (String item : commaSeparated.split(",")) {
        if (!item.isEmpty()) {
          items.add(item);
        }
      }
    }
    return items;
  }

  IrcMessage serverNotice(String text) {
    return IrcMessage.of(ctx.server(), "NOTICE", ctx.nick(), text);
  }

  IrcMessage joinLine(String who, String whoAccount, String whoRealname, String room) {
    String source = IrcServerInfo.source(who);
    if (ctx.has(Cap.EXTENDED_JOIN)) {
      return IrcMessage.of(source, "JOIN", channelName(room),
          whoAccount == null ? "*" : whoAccount, whoRealname == null ? who : whoRealname);
    }
    return IrcMessage.of(source, "JOIN", channelName(room));
  }

  static IrcMessage withReason(String source, String command, String reason,
      String... params) {
    List<String> all = new ArrayList<>(Arrays.asList(params));
    if (reason != null && !reason.isEmpty()) {
      all.add(reason);
    }
    return IrcMessage.of(source, command, all);
  }

  static IrcMessage partLine(Event.Left l) {
    return withReason(IrcServerInfo.source(l.nick()), "PART", l.reason(),
        channelName(l.room()));
  }

  static IrcMessage topicLine(Event.TopicChanged t) {
    return IrcMessage.of(IrcServerInfo.source(t.by()), "TOPIC", channelName(t.room()),
        t.topic());
  }

  /** The lines of an event no command of this client caused (or one it claims). */
  List<IrcMessage> render(Event e) {
    String nick = ctx.nick();
    return switch (e) {
      case Event.RoomMessage m -> ctx.messageLines().render(m, Map.of());
      case Event.PrivateMessage m -> ctx.messageLines().render(m, Map.of());
      case Event.Joined j -> j.away() == null || !ctx.has(Cap.AWAY_NOTIFY)
          ? List.of(joinLine(j.nick(), j.account(), j.realname(), j.room()))
          : List.of(joinLine(j.nick(), j.account(), j.realname(), j.room()),
              IrcMessage.of(IrcServerInfo.source(j.nick()), "AWAY", j.away()));
      case Event.Left l -> List.of(partLine(l));
      case Event.RoomPresence p -> {
        if (p.quiet()) {
          yield List.of(presenceNotice(p.room(), p.count(), true, p.ts()));
        }
        List<IrcMessage> lines = new ArrayList<>();
        lines.add(presenceNotice(p.room(), p.count(), false, p.ts()));
        lines.addAll(namesLines(p.room(), p.members(), p.ops(), p.voiced(), false));
        yield lines;
      }
      case Event.NickChanged n -> List.of(IrcMessage.of(IrcServerInfo.source(n.oldNick()),
          "NICK", n.nick()));
      case Event.Quit q -> List.of(IrcMessage.of(IrcServerInfo.source(q.nick()), "QUIT",
          q.reason()));
      case Event.History h -> List.of();
      case Event.Notice n -> {
        List<IrcMessage> lines = new ArrayList<>();
        String target = n.room() == null ? nick : channelName(n.room());
        for (String piece : Text.split(n.text(), 400)) {
          lines.add(new IrcMessage(ctx.messageLines().tags(n.ts(), null, null), ctx.server(),
              "NOTICE", List.of(target, piece)));
        }
        yield lines;
      }
      case Event.TopicChanged t -> List.of(topicLine(t));
      case Event.Kicked k -> List.of(kickLine(k));
      case Event.ModeChanged m -> isInvitation(m) ? List.of() : modeLines(m);
      // Only an INVITE is told; being put on the +I list by MODE is not (as on other servers).
      case Event.Invited i -> !INVITATION.equals(i.reason()) ? List.of()
          : List.of(new IrcMessage(ctx.messageLines().tags(i.ts(), null, i.byAccount()),
              IrcServerInfo.source(i.by()), "INVITE", List.of(nick, channelName(i.room()))));
      case Event.Killed k -> List.of(IrcMessage.of(IrcServerInfo.source(k.by()), "KILL", nick,
          k.reason().isEmpty() ? "Killed by " + k.by() : k.reason()));
      case Event.AwayChanged a -> !ctx.has(Cap.AWAY_NOTIFY) ? List.of()
          : List.of(a.message() == null ? IrcMessage.of(IrcServerInfo.source(a.nick()), "AWAY")
              : IrcMessage.of(IrcServerInfo.source(a.nick()), "AWAY", a.message()));
      case Event.RealnameChanged r -> !ctx.has(Cap.SETNAME) ? List.of()
          : List.of(IrcMessage.of(IrcServerInfo.source(r.nick()), "SETNAME",
              r.realname() == null ? r.nick() : r.realname()));
      case Event.MarkerMoved m -> markers.moved(m);
      case Event.Watched w -> monitor.render(w);
      case Event.Wallops w -> !modes.wallops ? List.of()
          : List.of(IrcMessage.of(IrcServerInfo.source(w.from()), "WALLOPS", w.text()));
      case Event.StatusMessage m -> ctx.messageLines().render(m);
      case Event.TagMessage t -> ctx.messageLines().render(t);
      case Event.AccountChanged a -> !ctx.has(Cap.ACCOUNT_NOTIFY) ? List.of()
          : List.of(IrcMessage.of(IrcServerInfo.source(a.nick()), "ACCOUNT",
              a.account() == null ? "*" : a.account()));
    };
  }

  /** 353 lines (as many as needed to fit; {@code @} for a secret channel, else {@code =}) and 366. */
  List<IrcMessage> namesLines(String room, List<String> members, List<String> ops,
      List<String> voiced, boolean secret) {
    String symbol = secret ? "@" : "=";
    Set<String> opSet = IrcWho.folded(ops);
    Set<String> voiceSet = IrcWho.folded(voiced);
    boolean multi = ctx.has(Cap.MULTI_PREFIX);
    boolean hosts = ctx.has(Cap.USERHOST_IN_NAMES);
    List<IrcMessage> lines = new ArrayList<>();
    String channel = channelName(room);
    int overhead = 1 + ctx.server().length() + 5 + ctx.nick().length() + 3 + channel.length() + 2;
    StringBuilder names = new StringBuilder();
    for (String member : members) {
      String key = Names.fold(member);
      StringBuilder entry = new StringBuilder();
      if (opSet.contains(key)) {
        entry.append('@');
      }
      if (voiceSet.contains(key) && (multi || entry.isEmpty())) {
        entry.append('+');
      }
      entry.append(hosts ? IrcServerInfo.source(member) : member);
      if (!names.isEmpty() && overhead + names.length() + 1 + entry.length()
          > IrcMessage.MAX_BODY_BYTES) {
        lines.add(ctx.numeric(RPL_NAMREPLY, symbol, channel, names.toString()));
        names.setLength(0);
      }
      names.append(names.isEmpty() ? "" : " ").append(entry);
    }
    if (!names.isEmpty()) {
      lines.add(ctx.numeric(RPL_NAMREPLY, symbol, channel, names.toString()));
    }
    lines.add(ctx.numeric(RPL_ENDOFNAMES, channel, "End of /NAMES list"));
    return lines;
  }

  /**
   * Whether this channel shows others' JOIN, PART and QUIT: not while it has too many people
   * ({@code quiet}), again once it speaks again.
   */
  IrcMessage presenceNotice(String room, int count, boolean quiet, long ts) {
    String channel = channelName(room);
    return new IrcMessage(ctx.messageLines().tags(ts, null, null), ctx.server(), "NOTICE",
        List.of(channel, channel + " has " + count + " people: " + (quiet
            ? "their joins, parts and quits are not shown; /NAMES lists them"
            : "joins, parts and quits are shown again")));
  }

  IrcMessage kickLine(Event.Kicked k) {
    return IrcMessage.of(k.by() == null ? ctx.server() : IrcServerInfo.source(k.by()), "KICK",
        channelName(k.room()), k.nick(), !k.reason().isEmpty() ? k.reason()
            : k.by() != null ? k.by() : k.nick()); // no comment: the kicker's nick (RFC 2812)
  }

  /**
   * An INVITE's +I change: other members are not told of an invitation (RFC 2812 3.2.7), the
   * invitee gets INVITE ({@code Event.Invited}), the inviter 341.
   */
  static boolean isInvitation(Event.ModeChanged m) {
    return INVITATION.equals(m.reason())
        && m.changes().stream().allMatch(c -> c.add() && c.mode() == RoomMode.INVITE);
  }

  /** MODE lines for a change, a few changes per line so that each fits. */
  List<IrcMessage> modeLines(Event.ModeChanged m) {
    String source = m.by() == null ? ctx.server() : IrcServerInfo.source(m.by());
    List<IrcMessage> lines = new ArrayList<>();
    List<ModeChange> changes = m.changes();
    for (int from = 0; from < changes.size(); from += 6) {
      List<ModeChange> part = changes.subList(from, Math.min(changes.size(), from + 6));
      StringBuilder letters = new StringBuilder();
      List<String> params = new ArrayList<>();
      params.add(channelName(m.room()));
      params.add("");
      Boolean sign = null;
      for (ModeChange change : part) {
        if (sign == null || sign != change.add()) {
          letters.append(change.add() ? '+' : '-');
          sign = change.add();
        }
        letters.append(change.mode().letter());
        String arg = modeArg(change);
        if (arg != null) {
          params.add(arg);
        }
      }
      params.set(1, letters.toString());
      lines.add(IrcMessage.of(source, "MODE", params));
    }
    return lines;
  }

  /** A change's IRC argument: masks in IRC form, {@code *} for a key being removed. */
  private static String modeArg(ModeChange change) {
    return switch (change.mode()) {
      case KEY -> change.add() ? change.arg() : "*";
      case LIMIT -> change.add() ? change.arg() : null;
      case BAN, MUTE, INVITE -> Masks.toIrc(change.arg());
      case OP, VOICE -> change.arg();
      default -> null;
    };
  }

  /** The numeric (or notice) for a core refusal of {@code command} about {@code target}. */
  IrcMessage failure(String command, String target, Reply.Failed f) {
    String t = target == null ? "*" : target;
    return switch (f.error()) {
      case INVALID_NICK -> ctx.numeric(ERR_ERRONEUSNICKNAME, t, f.message());
      case NICK_IN_USE, NICK_REGISTERED -> ctx.numeric(ERR_NICKNAMEINUSE, t, f.message());
      case INVALID_ROOM -> ctx.numeric(ERR_BADCHANNAME, t, f.message());
      case NO_SUCH_ROOM -> ctx.numeric(ERR_NOSUCHCHANNEL, t, f.message());
      case NOT_IN_ROOM -> ctx.numeric(ERR_NOTONCHANNEL, t, f.message());
      case NO_SUCH_NICK -> ctx.numeric(ERR_NOSUCHNICK, t, f.message());
      case NOT_A_MEMBER -> ctx.numeric(ERR_USERNOTINCHANNEL, t, f.message());
      case EMPTY_MESSAGE -> ctx.numeric(ERR_NOTEXTTOSEND, "No text to send");
      case MUTED, MODERATED, MESSAGE_TOO_LONG -> ctx.numeric(ERR_CANNOTSENDTOCHAN, t,
          f.message());
      case NOT_OPERATOR -> ctx.numeric(ERR_CHANOPRIVSNEEDED, t, f.message());
      case NOT_ADMIN -> ctx.numeric(ERR_NOPRIVILEGES, "Permission Denied- " + f.message());
      case BANNED -> ctx.numeric(ERR_BANNEDFROMCHAN, t, f.message());
      case INVITE_ONLY -> ctx.numeric(ERR_INVITEONLYCHAN, t, f.message());
      case BAD_KEY -> ctx.numeric(ERR_BADCHANNELKEY, t, f.message());
      case ROOM_FULL -> ctx.numeric(ERR_CHANNELISFULL, t, f.message());
      case LOGIN_FAILED, LOGIN_THROTTLED -> ctx.numeric(ERR_PASSWDMISMATCH, f.message());
      case SERVER_BUSY, RATE_LIMITED -> ctx.numeric(RPL_TRYAGAIN, command, f.message());
      case TOO_MANY_ROOMS -> ctx.numeric(ERR_TOOMANYCHANNELS, t, f.message());
      default -> serverNotice(command + ": " + f.message());
    };
  }

  /** A sub whose success needs no lines and whose failure is reported as {@link #failure}. */
  Sub quiet(String command, String target) {
    return new Sub() {
      @Override
      void reply(Reply r) {
        if (r instanceof Reply.Failed f) {
          out(failure(command, target, f));
        }
      }
    };
  }
}
