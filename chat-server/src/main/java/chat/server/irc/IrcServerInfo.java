package chat.server.irc;

import chat.core.CoreLimits;
import chat.core.Hub;
import chat.core.RoomMode;
import chat.core.SizeLimits;
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
    SizeLimits sizes = limits.sizes();
    List<String> tokens = new ArrayList<>(List.of(
        "ACCOUNTEXTBAN=a",
        "AWAYLEN=" + sizes.maxAwayLength(),
        "CASEMAPPING=ascii",
        "CHANLIMIT=#:" + limits.maxRoomsPerSession(),
        chanModes(),
        "CHANNELLEN=" + (limits.maxRoomLength() + 1),
        "CHANTYPES=#",
        "CHATHISTORY=" + limits.maxHistoryPage(),
        "CLIENTTAGDENY=*," + String.join(",", IrcMessaging.RELAYED_TAGS.stream().sorted()
            .map(tag -> "-" + tag).toList()),
        "ELIST=MNU",
        "EXTBAN=$,a",
        "INVEX=I",
        "KICKLEN=" + sizes.maxReasonLength(),
        "MAXLIST=bqI:" + sizes.maxListSize(),
        "MONITOR=" + Hub.MAX_WATCHED,
        "MODES=" + sizes.maxModeChanges(),
        "MSGREFTYPES=msgid,timestamp",
        "NETWORK=" + config.network(),
        "NICKLEN=" + limits.maxNickLength(),
        "BOT=B",
        "PREFIX=(ov)@+",
        "STATUSMSG=@+",
        IrcCommands.targmax(limits),
        "TOPICLEN=" + limits.maxTopicLength(),
        "USERLEN=" + limits.maxNickLength(),
        "UTF8ONLY",
        "WHOX"));
    this.isupport = List.copyOf(tokens);
  }

  /**
   * {@code CHANMODES=<lists>,<key>,<limit>,<flags>} from the core's room modes (member status,
   * {@code o v}, is {@code PREFIX}'s).
   */
  static String chanModes() {
    StringBuilder lists = new StringBuilder();
    StringBuilder flags = new StringBuilder();
    for (RoomMode mode : RoomMode.values()) {
      if (mode.isList()) {
        lists.append(mode.letter());
      } else if (mode.isFlag()) {
        flags.append(mode.letter());
      }
    }
    return "CHANMODES=" + sorted(lists) + "," + RoomMode.KEY.letter() + ","
        + RoomMode.LIMIT.letter() + "," + sorted(flags);
  }

  private static String sorted(CharSequence letters) {
    char[] chars = letters.toString().toCharArray();
    java.util.Arrays.sort(chars);
    return new String(chars);
  }

  String serverName() {
    return config.serverName();
  }

  /** Every user's {@code nick!user@host}: the user is the nick, the host the same for all. */
  static String source(String nick) {
    return nick + "!" + nick + "@" + USER_HOST;
  }
}
