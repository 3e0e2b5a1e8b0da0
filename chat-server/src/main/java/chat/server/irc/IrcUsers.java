package chat.server.irc;

import chat.core.Names;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * What the IRC door knows of its users beyond the core: the user name each IRC client gave in
 * {@code USER} (for {@code WHO} and {@code WHOIS}; the core knows nicks and accounts only), the
 * most users seen at once (LUSERS), and a bounded history of nicks that were left or renamed
 * (WHOWAS). One per door, shared by its connections: thread-safe.
 */
final class IrcUsers {

  /** How many WHOWAS entries are kept, the oldest dropped first. */
  static final int MAX_WHOWAS = 256;

  record Was(String nick, String username, String realname, long ts) {}

  private final ConcurrentMap<String, String> usernames = new ConcurrentHashMap<>();
  /** User modes of the IRC door's own, by folded nick: i (invisible), B (bot), w (wallops). */
  private final ConcurrentMap<String, String> modes = new ConcurrentHashMap<>();
  private final ArrayDeque<Was> whowas = new ArrayDeque<>();
  private int maxUsers;

  /** A connection registered as {@code nick}, with {@code username} from USER. */
  void named(String nick, String username) {
    usernames.put(Names.fold(nick), username);
  }

  /** A connection's nick changed: the old one goes to WHOWAS. */
  void renamed(String oldNick, String nick, String username, String realname) {
    usernames.remove(Names.fold(oldNick), username);
    usernames.put(Names.fold(nick), username);
    String kept = modes.remove(Names.fold(oldNick));
    if (kept != null) {
      modes.put(Names.fold(nick), kept);
    }
    was(oldNick, username, realname);
  }

  /** A registered connection left: its nick goes to WHOWAS. */
  void left(String nick, String username, String realname) {
    usernames.remove(Names.fold(nick), username);
    modes.remove(Names.fold(nick));
    was(nick, username, realname);
  }

  /** The door's user modes of {@code nick} (letters of i, B, w; empty for none). */
  void modes(String nick, String letters) {
    if (letters.isEmpty()) {
      modes.remove(Names.fold(nick));
    } else {
      modes.put(Names.fold(nick), letters);
    }
  }

  /** Whether {@code nick} has user mode {@code letter} here. */
  boolean hasMode(String nick, char letter) {
    String letters = nick == null ? null : modes.get(Names.fold(nick));
    return letters != null && letters.indexOf(letter) >= 0;
  }

  /** The user name of an online user: what USER said for IRC clients, else the nick. */
  String username(String nick) {
    return usernames.getOrDefault(Names.fold(nick), nick);
  }

  /** The entries for {@code nick}, newest first, at most {@code count} (all if not positive). */
  synchronized List<Was> whowas(String nick, int count) {
    String key = Names.fold(nick);
    List<Was> found = new ArrayList<>();
    for (Iterator<Was> it = whowas.descendingIterator(); it.hasNext()
        && (count <= 0 || found.size() < count); ) {
      Was was = it.next();
      if (Names.fold(was.nick()).equals(key)) {
        found.add(was);
      }
    }
    return found;
  }

  /** The most users seen at once, after counting {@code now}. */
  synchronized int maxUsers(int now) {
    maxUsers = Math.max(maxUsers, now);
    return maxUsers;
  }

  private synchronized void was(String nick, String username, String realname) {
    if (whowas.size() >= MAX_WHOWAS) {
      whowas.pollFirst();
    }
    whowas.addLast(new Was(nick, username, realname, System.currentTimeMillis()));
  }
}
