package chat.server.irc;

import static chat.server.irc.Numeric.*;

import chat.core.Command;
import chat.core.Hub;
import chat.core.Names;
import chat.core.Reply;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * WHO, WHOIS, WHOWAS, USERHOST and ISON: who is online, on the core's {@code Who} and
 * {@code Lookup}; the user names (from {@code USER}) and the WHOWAS history are the door's own
 * ({@link IrcUsers}). Event loop only, like its connection.
 */
final class IrcWho {

  private final IrcContext ctx;
  private final IrcUsers users;

  IrcWho(IrcContext ctx) {
    this.ctx = ctx;
    this.users = ctx.info().users;
  }

  /**
   * {@code WHO <#channel|nick|mask> [%fields[,token]]}: a channel's members, one user, or the
   * users whose nick matches a mask (without those in mode {@code +i} who share no channel with
   * the asker); with {@code %fields}, WHOX's {@code 354} lines instead of {@code 352}.
   */
  void who(Pending p, IrcMessage m) {
    String mask = m.params().isEmpty() || m.param(0).isEmpty() ? "*" : m.param(0);
    Whox whox = Whox.parse(m.param(1));
    String room = roomOf(mask);
    if (room != null) {
      ctx.request(p, new Sub() {
        @Override
        void reply(Reply r) {
          if (r instanceof Reply.Members members) {
            Set<String> ops = folded(members.ops());
            Set<String> voiced = folded(members.voiced());
            for (Reply.UserInfo u : members.users()) {
              String key = Names.fold(u.nick());
              out(whoLine(whox, "#" + members.room(), u, ops.contains(key),
                  voiced.contains(key)));
            }
          }
          out(ctx.numeric(RPL_ENDOFWHO, mask, "End of WHO list"));
        }
      }, new Command.Who(room));
      return;
    }
    if (mask.startsWith("#")) {
      p.lines.add(ctx.numeric(RPL_ENDOFWHO, mask, "End of WHO list"));
      return;
    }
    // nick!user@host masks match on the nick: every user's host is the same here.
    String nickMask = mask.equals("0") ? "*" : mask.split("!", 2)[0];
    boolean pattern = nickMask.indexOf('*') >= 0 || nickMask.indexOf('?') >= 0;
    ctx.request(p, new Sub() {
      @Override
      void reply(Reply r) {
        if (r instanceof Reply.Users found) {
          for (Reply.UserInfo u : found.users()) {
            if (!pattern || visible(u)) {
              out(whoLine(whox, "*", u, false, false));
            }
          }
        }
        out(ctx.numeric(RPL_ENDOFWHO, mask, "End of WHO list"));
      }
    }, pattern ? new Command.FindUsers(nickMask, Hub.MAX_FOUND)
        : new Command.Lookup(List.of(nickMask)));
  }

  /** Whether a mask may list {@code u}: not invisible, or sharing a channel, or oneself. */
  private boolean visible(Reply.UserInfo u) {
    if (!users.hasMode(u.nick(), 'i') || Names.fold(u.nick()).equals(Names.fold(ctx.nick()))) {
      return true;
    }
    for (String room : u.rooms()) {
      if (ctx.inChannel(room)) {
        return true;
      }
    }
    return false;
  }

  private IrcMessage whoLine(Whox whox, String channel, Reply.UserInfo u, boolean op,
      boolean voice) {
    String realname = u.realname() == null ? u.nick() : u.realname();
    if (whox == null) {
      return ctx.numeric(RPL_WHOREPLY, channel, users.username(u.nick()),
          IrcServerInfo.USER_HOST, ctx.server(), u.nick(), whoFlags(u, op, voice),
          "0 " + realname);
    }
    List<String> params = new ArrayList<>();
    for (char field : Whox.ORDER.toCharArray()) {
      if (whox.fields().indexOf(field) < 0) {
        continue;
      }
      params.add(switch (field) {
        case 't' -> whox.token();
        case 'c' -> channel;
        case 'u' -> users.username(u.nick());
        case 'i' -> "255.255.255.255";
        case 'h' -> IrcServerInfo.USER_HOST;
        case 's' -> ctx.server();
        case 'n' -> u.nick();
        case 'f' -> whoFlags(u, op, voice);
        case 'd' -> "0";
        case 'l' -> "0";
        case 'a' -> u.account() == null ? "0" : u.account();
        case 'o' -> "n/a";
        default -> realname; // 'r'
      });
    }
    return ctx.numeric(RPL_WHOSPCRPL, params.toArray(String[]::new));
  }

  /** WHOX's {@code %fields[,token]}: which fields, in the fixed order, and the token. */
  record Whox(String fields, String token) {
    static final String ORDER = "tcuihsnfdlaor";

    static Whox parse(String param) {
      if (param == null || !param.startsWith("%")) {
        return null;
      }
      String[] parts = param.substring(1).split(",", 2);
      String token = parts.length > 1 && !parts[1].isEmpty() ? parts[1] : "0";
      if (token.length() > 3 || !token.chars().allMatch(Character::isDigit)) {
        token = "0";
      }
      return new Whox(parts[0], token);
    }
  }

  private String whoFlags(Reply.UserInfo u, boolean op, boolean voice) {
    StringBuilder flags = new StringBuilder(u.away() == null ? "H" : "G");
    if (u.admin()) {
      flags.append('*');
    }
    if (op) {
      flags.append('@');
    }
    if (voice && (!op || ctx.has(Cap.MULTI_PREFIX))) {
      flags.append('+');
    }
    if (users.hasMode(u.nick(), 'B')) {
      flags.append('B');
    }
    return flags.toString();
  }

  void whois(Pending p, IrcMessage m) {
    if (m.params().isEmpty()) {
      p.lines.add(ctx.numeric(ERR_NONICKNAMEGIVEN, "No nickname given"));
      return;
    }
    String target = IrcRender.list(m.param(m.params().size() >= 2 ? 1 : 0)).stream()
        .findFirst().orElse("*");
    ctx.request(p, new Sub() {
      @Override
      void reply(Reply r) {
        if (r instanceof Reply.Users found && !found.users().isEmpty()) {
          whoisRooms(p, found.users().get(0));
        } else {
          out(ctx.numeric(ERR_NOSUCHNICK, target, "No such nick/channel"));
          out(ctx.numeric(RPL_ENDOFWHOIS, target, "End of /WHOIS list"));
        }
      }
    }, new Command.Lookup(List.of(target)));
  }

  /** Asks each of the user's rooms for the user's status there, then writes the WHOIS. */
  private void whoisRooms(Pending p, Reply.UserInfo u) {
    Map<String, String> prefixes = new HashMap<>();
    int[] waiting = {u.rooms().size()};
    if (waiting[0] == 0) {
      p.lines.addAll(whoisLines(u, prefixes));
      return;
    }
    String key = Names.fold(u.nick());
    for (String room : u.rooms()) {
      ctx.request(p, new Sub() {
        @Override
        void reply(Reply r) {
          if (r instanceof Reply.Members members) {
            boolean op = folded(members.ops()).contains(key);
            boolean voice = folded(members.voiced()).contains(key);
            prefixes.put(room, (op ? "@" : "") + (voice && (!op || ctx.has(Cap.MULTI_PREFIX))
                ? "+" : ""));
          }
          if (--waiting[0] == 0) {
            outAll(whoisLines(u, prefixes));
          }
        }
      }, new Command.Who(room));
    }
  }

  private List<IrcMessage> whoisLines(Reply.UserInfo u, Map<String, String> prefixes) {
    List<IrcMessage> lines = new ArrayList<>();
    lines.add(ctx.numeric(RPL_WHOISUSER, u.nick(), users.username(u.nick()),
        IrcServerInfo.USER_HOST, "*", u.realname() == null ? u.nick() : u.realname()));
    if (!u.rooms().isEmpty()) {
      lines.add(ctx.numeric(RPL_WHOISCHANNELS, u.nick(), String.join(" ", u.rooms().stream()
          .map(room -> prefixes.getOrDefault(room, "") + "#" + room).toList())));
    }
    lines.add(ctx.numeric(RPL_WHOISSERVER, u.nick(), ctx.server(),
        ctx.info().config.serverInfo()));
    if (u.admin()) {
      lines.add(ctx.numeric(RPL_WHOISOPERATOR, u.nick(), "is a server administrator"));
    }
    if (users.hasMode(u.nick(), 'B')) {
      lines.add(ctx.numeric(RPL_WHOISBOT, u.nick(), "is a bot"));
    }
    if (u.away() != null) {
      lines.add(ctx.numeric(RPL_AWAY, u.nick(), u.away()));
    }
    if (u.account() != null) {
      lines.add(ctx.numeric(RPL_WHOISACCOUNT, u.nick(), u.account(), "is logged in as"));
    }
    lines.add(ctx.numeric(RPL_ENDOFWHOIS, u.nick(), "End of /WHOIS list"));
    return lines;
  }

  /** {@code WHOWAS nick [count]}: the door's history of nicks that left or were renamed. */
  void whowas(Pending p, IrcMessage m) {
    if (m.params().isEmpty() || m.param(0).isEmpty()) {
      p.lines.add(ctx.numeric(ERR_NONICKNAMEGIVEN, "No nickname given"));
      return;
    }
    String target = IrcRender.list(m.param(0)).stream().findFirst().orElse("*");
    int count = 0;
    if (m.params().size() >= 2) {
      try {
        count = Integer.parseInt(m.param(1));
      } catch (NumberFormatException e) {
        count = 0;
      }
    }
    List<IrcUsers.Was> found = users.whowas(target, count);
    if (found.isEmpty()) {
      p.lines.add(ctx.numeric(ERR_WASNOSUCHNICK, target, "There was no such nickname"));
    }
    for (IrcUsers.Was was : found) {
      p.lines.add(ctx.numeric(RPL_WHOWASUSER, was.nick(), was.username(),
          IrcServerInfo.USER_HOST, "*", was.realname() == null ? was.nick() : was.realname()));
      p.lines.add(ctx.numeric(RPL_WHOISSERVER, was.nick(), ctx.server(),
          java.time.Instant.ofEpochMilli(was.ts()).toString()));
    }
    p.lines.add(ctx.numeric(RPL_ENDOFWHOWAS, target, "End of WHOWAS"));
  }

  void userhost(Pending p, IrcMessage m) {
    List<String> nicks = m.params().subList(0, Math.min(5, m.params().size()));
    ctx.request(p, new Sub() {
      @Override
      void reply(Reply r) {
        List<String> entries = new ArrayList<>();
        if (r instanceof Reply.Users found) {
          for (Reply.UserInfo u : found.users()) {
            entries.add(u.nick() + (u.admin() ? "*" : "") + "=" + (u.away() == null ? "+" : "-")
                + users.username(u.nick()) + "@" + IrcServerInfo.USER_HOST);
          }
        }
        out(ctx.numeric(RPL_USERHOST, String.join(" ", entries)));
      }
    }, new Command.Lookup(List.copyOf(nicks)));
  }

  void ison(Pending p, IrcMessage m) {
    List<String> nicks = new ArrayList<>();
    for (String param : m.params()) {
      for (String n : param.split(" ")) {
        if (!n.isEmpty() && nicks.size() < ctx.info().limits.sizes().maxLookup()) {
          nicks.add(n);
        }
      }
    }
    ctx.request(p, new Sub() {
      @Override
      void reply(Reply r) {
        List<String> online = new ArrayList<>();
        if (r instanceof Reply.Users found) {
          found.users().forEach(u -> online.add(u.nick()));
        }
        out(ctx.numeric(RPL_ISON, String.join(" ", online)));
      }
    }, new Command.Lookup(nicks));
  }

  static Set<String> folded(List<String> nicks) {
    Set<String> set = new HashSet<>();
    for (String n : nicks) {
      set.add(Names.fold(n));
    }
    return set;
  }

  private static String roomOf(String target) {
    return target != null && target.length() > 1 && target.charAt(0) == '#'
        ? target.substring(1) : null;
  }
}
