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

  void who(Pending p, IrcMessage m) {
    String mask = m.params().isEmpty() ? "*" : m.param(0);
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
              out(whoLine("#" + members.room(), u, ops.contains(key), voiced.contains(key)));
            }
          }
          out(ctx.numeric(RPL_ENDOFWHO, mask, "End of WHO list"));
        }
      }, new Command.Who(room));
      return;
    }
    if (mask.indexOf('*') >= 0 || mask.indexOf('?') >= 0 || mask.startsWith("#")) {
      p.lines.add(ctx.numeric(RPL_ENDOFWHO, mask, "End of WHO list"));
      return;
    }
    ctx.request(p, new Sub() {
      @Override
      void reply(Reply r) {
        if (r instanceof Reply.Users found) {
          for (Reply.UserInfo u : found.users()) {
            out(whoLine("*", u, false, false));
          }
        }
        out(ctx.numeric(RPL_ENDOFWHO, mask, "End of WHO list"));
      }
    }, new Command.Lookup(List.of(mask)));
  }

  private IrcMessage whoLine(String channel, Reply.UserInfo u, boolean op, boolean voice) {
    return ctx.numeric(RPL_WHOREPLY, channel, users.username(u.nick()), IrcServerInfo.USER_HOST,
        ctx.server(), u.nick(), whoFlags(u, op, voice),
        "0 " + (u.realname() == null ? u.nick() : u.realname()));
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
    return flags.toString();
  }

  void whois(Pending p, IrcMessage m) {
    if (m.params().isEmpty()) {
      p.lines.add(ctx.numeric(ERR_NONICKNAMEGIVEN, "No nickname given"));
      return;
    }
    String target = IrcConnection.list(m.param(m.params().size() >= 2 ? 1 : 0)).stream()
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
        ctx.info().config.network()));
    if (u.admin()) {
      lines.add(ctx.numeric(RPL_WHOISOPERATOR, u.nick(), "is a server administrator"));
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
    String target = IrcConnection.list(m.param(0)).stream().findFirst().orElse("*");
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
