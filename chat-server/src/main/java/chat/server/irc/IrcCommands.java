package chat.server.irc;

import chat.core.CoreLimits;
import chat.core.SizeLimits;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * The IRC door's one list of commands: what each needs, whether it may come before
 * registration, its help text, its target limit and its handler. Dispatch, HELP, the
 * before-registration rule and ISUPPORT's TARGMAX all read it, so a command is written once.
 */
final class IrcCommands {

  /** Runs one command; the handlers are the connection's topic objects. */
  interface Handler {
    void handle(IrcHandlers h, Pending p, IrcMessage m);
  }

  /**
   * A command's TARGMAX entry: {@code limit} of the core's limits (0: no limit; null: not
   * advertised), enforced with 407 on the comma-separated parameter {@code param} when it is 0
   * or more (commands whose handler takes only the first few say so in their help).
   */
  record Targets(ToIntFunction<CoreLimits> limit, int param) {
    static final Targets NONE = new Targets(null, -1);

    static Targets any() {
      return new Targets(l -> 0, -1);
    }

    static Targets fixed(int n) {
      return new Targets(l -> n, -1);
    }

    static Targets of(ToIntFunction<SizeLimits> size, int param) {
      return new Targets(l -> size.applyAsInt(l.sizes()), param);
    }
  }

  /**
   * One command. {@code params}: how many parameters it needs (fewer, or an empty first one,
   * is 461); {@code early}: allowed before registration.
   */
  record Spec(String name, int params, boolean early, Targets targets, String help,
      Handler handler) {}

  private static final Map<String, Spec> BY_NAME = new LinkedHashMap<>();

  private static void add(String name, int params, boolean early, Targets targets, String help,
      Handler handler) {
    BY_NAME.put(name, new Spec(name, params, early, targets, help, handler));
  }

  private static void add(String name, int params, String help, Handler handler) {
    add(name, params, false, Targets.NONE, help, handler);
  }

  static {
    // Registration and the connection itself.
    add("CAP", 1, true, Targets.NONE, "CAP LS [302] | REQ :caps | LIST | END - capabilities",
        (h, p, m) -> h.registration().cap(p, m));
    add("PASS", 0, true, Targets.NONE, "PASS <password> - the server's, or your account's",
        (h, p, m) -> h.registration().pass(p, m));
    add("NICK", 0, true, Targets.NONE,
        "NICK <nick> - change your nick (registered nicks need their account)",
        (h, p, m) -> h.conn().nick(p, m));
    add("USER", 0, true, Targets.NONE, "USER <username> 0 * :realname - register",
        (h, p, m) -> h.registration().user(p, m));
    add("AUTHENTICATE", 1, true, Targets.NONE, "AUTHENTICATE PLAIN - SASL login (cap sasl)",
        (h, p, m) -> h.registration().authenticate(p, m));
    add("REGISTER", 3, true, Targets.NONE, "REGISTER <*|your nick> <email|*> <password> - "
        + "an account for your nick (draft/account-registration)",
        (h, p, m) -> AccountRegistration.register(h.conn(), p, m));
    add("PING", 0, true, Targets.NONE, "PING <token> - the server answers PONG <token>",
        (h, p, m) -> h.conn().ping(p, m));
    add("PONG", 0, true, Targets.NONE, "PONG <token> - the answer to the server's PING",
        (h, p, m) -> { });
    add("QUIT", 0, true, Targets.NONE, "QUIT [:reason] - leave",
        (h, p, m) -> h.conn().quit(p, m));
    // Channels.
    add("JOIN", 1, false, Targets.any(),
        "JOIN #room[,#room2] [key[,key2]] - join rooms (JOIN 0 leaves all)",
        (h, p, m) -> h.channels().join(p, m));
    add("PART", 1, false, Targets.any(), "PART #room[,#room2] [:reason] - leave rooms",
        (h, p, m) -> h.channels().part(p, m));
    add("NAMES", 0, false, Targets.fixed(1), "NAMES #room - list the members",
        (h, p, m) -> h.channels().names(p, m));
    add("TOPIC", 1, "TOPIC #room [:topic] - show or set the topic",
        (h, p, m) -> h.channels().topic(p, m));
    add("LIST", 0, "LIST [#room,...|>n|<n|mask|!mask] - list rooms",
        (h, p, m) -> h.channels().listRooms(p, m));
    add("KICK", 2, false, Targets.of(SizeLimits::maxTargets, 1),
        "KICK #room[,#room2] nick[,nick2] [:reason] - remove members (operators)",
        (h, p, m) -> h.channels().kick(p, m));
    add("INVITE", 2, "INVITE nick #room - invite (adds to the +I list)",
        (h, p, m) -> h.channels().invite(p, m));
    add("MODE", 1, "MODE #room [+|-][iklmnst][ov nick][b|q|I mask] - room modes; masks: nick, "
        + "nick!*@*, $a:account; MODE nick [+|-][iwB] - your modes",
        (h, p, m) -> h.modes().mode(p, m));
    // Messages.
    add("PRIVMSG", 0, false, Targets.of(SizeLimits::maxTargets, 0),
        "PRIVMSG <#room|@#room|nick>[,...] :text - send a message (CTCP ACTION for /me)",
        (h, p, m) -> h.messaging().message(p, m));
    add("NOTICE", 0, false, Targets.of(SizeLimits::maxTargets, 0),
        "NOTICE <#room|nick>[,...] :text - send a notice",
        (h, p, m) -> h.messaging().message(p, m));
    add("TAGMSG", 0, false, Targets.of(SizeLimits::maxTargets, 0),
        "TAGMSG <#room|nick>[,...] - relay client-only tags: +typing, +draft/react, +draft/reply",
        (h, p, m) -> h.messaging().tagmsg(p, m));
    add("CS", 0, "CS <command> - ChanServ: REGISTER, OP, DEOP, DROP, INFO (also CHANSERV)",
        (h, p, m) -> h.messaging().chanServ(p, m.params()));
    add("CHANSERV", 0, "CHANSERV <command> - as CS",
        (h, p, m) -> h.messaging().chanServ(p, m.params()));
    add("CHATHISTORY", 0, "CHATHISTORY <LATEST|BEFORE|AFTER|AROUND> <target> "
        + "<msgid=id|timestamp=time> <limit> (LATEST also *), BETWEEN <target> <ref> <ref> "
        + "<limit>, TARGETS <timestamp=a> <timestamp=b> <limit>",
        (h, p, m) -> h.history().command(p, m));
    add("MARKREAD", 0, "MARKREAD <target> [timestamp=time] - get or set your read marker",
        (h, p, m) -> h.markers().command(p, m));
    // Users.
    add("WHO", 0, "WHO <#room|mask> [%fields] - list users (WHOX)",
        (h, p, m) -> h.who().who(p, m));
    add("WHOIS", 0, false, Targets.fixed(1), "WHOIS <nick> - about a user",
        (h, p, m) -> h.who().whois(p, m));
    add("WHOWAS", 0, "WHOWAS <nick> - about a user who left",
        (h, p, m) -> h.who().whowas(p, m));
    add("USERHOST", 1, false, Targets.fixed(5), "USERHOST <nick> [nick...] - up to 5 users",
        (h, p, m) -> h.who().userhost(p, m));
    add("ISON", 1, false, new Targets(l -> l.sizes().maxLookup(), -1),
        "ISON <nick> [nick...] - which of them are online",
        (h, p, m) -> h.who().ison(p, m));
    add("MONITOR", 1, "MONITOR <+|-> nick[,nick] | C | L | S - be told when they come and go",
        (h, p, m) -> h.monitor().command(p, m));
    add("AWAY", 0, "AWAY [:message] - set or clear your away message",
        (h, p, m) -> h.self().away(p, m));
    add("SETNAME", 1, "SETNAME :realname - change your real name",
        (h, p, m) -> h.self().setname(p, m));
    // Operators.
    add("OPER", 2, "OPER <account> <password> - log in to an administrator account",
        (h, p, m) -> h.self().oper(p, m));
    add("KILL", 1, "KILL <nick> [:reason] - disconnect a user (administrators)",
        (h, p, m) -> h.self().kill(p, m));
    add("WALLOPS", 1, "WALLOPS :text - to every user with +w (operators)",
        (h, p, m) -> h.self().wallops(p, m));
    // The server.
    add("LINKS", 0, "LINKS - the servers of the network: this one",
        (h, p, m) -> h.info().links(p));
    for (String query : List.of("TIME", "VERSION", "MOTD", "LUSERS", "INFO", "HELP", "HELPOP")) {
      add(query, 0, query + (query.startsWith("HELP") ? " [command] - this help"
          : " - the server's " + query.toLowerCase(Locale.ROOT)),
          (h, p, m) -> p.lines.addAll(h.info().command(m)));
    }
  }

  private IrcCommands() {}

  /** The command named {@code name} (upper case), or null. */
  static Spec of(String name) {
    return BY_NAME.get(name);
  }

  static Collection<Spec> all() {
    return BY_NAME.values();
  }

  /** ISUPPORT's TARGMAX token, from the table and the core's limits. */
  static String targmax(CoreLimits limits) {
    List<String> entries = new ArrayList<>();
    for (Spec spec : BY_NAME.values()) {
      if (spec.targets().limit() != null) {
        int n = spec.targets().limit().applyAsInt(limits);
        entries.add(spec.name() + ":" + (n > 0 ? Integer.toString(n) : ""));
      }
    }
    return "TARGMAX=" + String.join(",", entries);
  }
}
