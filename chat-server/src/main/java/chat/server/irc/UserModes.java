package chat.server.irc;

/**
 * A connection's user modes: {@code i} (invisible), {@code w} (receives WALLOPS), {@code B} (a
 * bot), and {@code o}, which only OPER or an administrator's login sets. Event loop only.
 */
final class UserModes {
  boolean invisible;
  boolean wallops;
  boolean bot;
  boolean admin;

  /** As RPL_UMODEIS shows them: {@code +Biow}, the set ones. */
  String shown() {
    return "+" + (bot ? "B" : "") + (invisible ? "i" : "") + (admin ? "o" : "")
        + (wallops ? "w" : "");
  }

  /** The ones WHO and WHOIS show for others ({@code o} comes from the core's record). */
  String shared() {
    return (invisible ? "i" : "") + (bot ? "B" : "") + (wallops ? "w" : "");
  }
}
