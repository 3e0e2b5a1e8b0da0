package chat.server.irc;

import chat.core.Mask;

/**
 * IRC ban, quiet and invitation masks and the core's {@link Mask}s. The core knows accounts and
 * nicks, not hosts, so:
 *
 * <ul>
 *   <li>{@code $a:NAME} (the account extban) and {@code account:NAME} are the account;
 *   <li>{@code nick:NICK} and {@code NICK!*@*} are the nick; a plain {@code NICK} is given to the
 *       core as typed, which takes the account when that user is logged in;
 *   <li>{@code *!NICK@*} (and irssi's {@code *!*NICK@*}) name the nick through the user part,
 *       since every user's user part is their nick;
 *   <li>anything else, such as {@code *!*@host}, cannot be expressed and is refused.
 * </ul>
 *
 * Core masks go out as {@code $a:NAME} and {@code NICK!*@*}.
 */
final class Masks {
  private Masks() {}

  /** The core argument for an IRC mask, or null if it matches no account or nick. */
  static String toCore(String irc) {
    if (irc == null || irc.isEmpty()) {
      return null;
    }
    if (Mask.parse(irc) != null) {
      return irc;
    }
    if (irc.regionMatches(true, 0, "$a:", 0, 3)) {
      String account = irc.substring(3);
      return account.isEmpty() || wild(account) ? null : Mask.ACCOUNT_PREFIX + account;
    }
    int bang = irc.indexOf('!');
    int at = irc.indexOf('@');
    if (bang < 0 && at < 0) {
      return wild(irc) || irc.startsWith("$") ? null : irc;
    }
    String nick = bang >= 0 ? irc.substring(0, bang) : (at >= 0 ? irc.substring(0, at) : irc);
    if (!nick.isEmpty() && !wild(nick)) {
      return Mask.NICK_PREFIX + nick;
    }
    if (bang >= 0) {
      String user = at > bang ? irc.substring(bang + 1, at) : irc.substring(bang + 1);
      user = stripLeading(user);
      if (!user.isEmpty() && !wild(user)) {
        return Mask.NICK_PREFIX + user;
      }
    }
    return null;
  }

  /** The IRC form of a core mask ({@code account:bob}, {@code nick:Guest_1}), or the text itself. */
  static String toIrc(String core) {
    Mask mask = Mask.parse(core);
    if (mask == null) {
      return core;
    }
    return mask.account() ? "$a:" + mask.name() : mask.name() + "!*@*";
  }

  private static String stripLeading(String user) {
    int i = 0;
    while (i < user.length() && (user.charAt(i) == '*' || user.charAt(i) == '~')) {
      i++;
    }
    return user.substring(i);
  }

  private static boolean wild(String s) {
    return s.indexOf('*') >= 0 || s.indexOf('?') >= 0;
  }
}
