package chat.server.irc;

import chat.core.CoreLimits;
import chat.core.Hub;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What the door tells clients about the server: names, version, ISUPPORT, MOTD; immutable but
 * for {@link #users}, the door's thread-safe record of its users.
 */
final class IrcServerInfo {

  static final String VERSION = "chat-0.1";
  /** Users' hosts: the same for everyone, whichever door they came through. */
  static final String USER_HOST = "chat";
  /** Longest kick, part and quit reason the core keeps. */
  static final int REASON_LENGTH = 256;
  static final int AWAY_LENGTH = Hub.MAX_AWAY_LENGTH;
  static final int MAX_MODES = 16;
  static final int MAX_LIST = 100;
  static final int MAX_KEY_LENGTH = 32;

  final IrcConfig config;
  final Hub hub;
  final CoreLimits limits;
  final String created;
  final List<String> isupport;
  /** How shared files are written: their name, size and a link. */
  final IrcFiles files;
  /** User names, the most users at once, WHOWAS: shared by the door's connections. */
  final IrcUsers users = new IrcUsers();

  IrcServerInfo(IrcConfig config, Hub hub) {
    this(config, hub, IrcFiles.NONE);
  }

  IrcServerInfo(IrcConfig config, Hub hub, IrcFiles files) {
    this.files = files;
    this.config = config;
    this.hub = hub;
    this.limits = hub.limits();
    this.created = Instant.now().toString();
    List<String> tokens = new ArrayList<>(List.of(
        "AWAYLEN=" + AWAY_LENGTH,
        "CASEMAPPING=ascii",
        "CHANLIMIT=#:" + limits.maxRoomsPerSession(),
        "CHANMODES=Ibq,k,l,imnt",
        "CHANNELLEN=" + (limits.maxRoomLength() + 1),
        "CHANTYPES=#",
        "CHATHISTORY=" + limits.maxHistoryPage(),
        "CLIENTTAGDENY=*",
        "ELIST=MNU",
        "EXTBAN=$,a",
        "INVEX=I",
        "KICKLEN=" + REASON_LENGTH,
        "MAXLIST=bqI:" + MAX_LIST,
        "MONITOR=" + Hub.MAX_WATCHED,
        "MODES=" + MAX_MODES,
        "MSGREFTYPES=msgid,timestamp",
        "NETWORK=" + config.network(),
        "NICKLEN=" + limits.maxNickLength(),
        "BOT=B",
        "STATUSMSG=@+",
        "PREFIX=(ov)@+",
        "TARGMAX=JOIN:,PART:,KICK:4,PRIVMSG:4,NOTICE:4,NAMES:1,WHOIS:1,USERHOST:5,ISON:"
            + Hub.MAX_LOOKUP,
        "TOPICLEN=" + limits.maxTopicLength(),
        "USERLEN=" + limits.maxNickLength(),
        "UTF8ONLY",
        "WHOX"));
    this.isupport = List.copyOf(tokens);
  }

  String serverName() {
    return config.serverName();
  }

  /** Every user's {@code nick!user@host}: the user is the nick, the host the same for all. */
  static String source(String nick) {
    return nick + "!" + nick + "@" + USER_HOST;
  }
}
