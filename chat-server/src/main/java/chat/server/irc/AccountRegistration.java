package chat.server.irc;

import chat.core.Command;
import chat.core.Names;
import chat.core.Reply;
import java.util.List;

/**
 * IRCv3 {@code draft/account-registration}: {@code REGISTER <account> <email> <password>} makes
 * an account of the current nick through the core ({@code Command.Register}) and logs the
 * session in to it. The cap is offered without values: no registration before connecting (the
 * core registers a session that said hello), no e-mail (it is not asked for, whatever is
 * given), no account name other than the nick ({@code *} means the nick).
 */
final class AccountRegistration {
  private AccountRegistration() {}

  static void register(IrcConnection conn, Pending p, IrcMessage m) {
    String account = m.param(0);
    if (!conn.registered()) {
      p.lines.add(fail(conn, "COMPLETE_CONNECTION_REQUIRED", account,
          "finish connecting (NICK, USER) before registering an account"));
      return;
    }
    if (!account.equals("*") && !Names.fold(account).equals(Names.fold(conn.nick()))) {
      p.lines.add(fail(conn, "ACCOUNT_NAME_MUST_BE_NICK", account,
          "the account is your nick: register * or " + conn.nick()));
      return;
    }
    String name = conn.nick();
    char[] password = m.param(2).toCharArray();
    conn.request(p, new Sub() {
      @Override
      void reply(Reply r) {
        switch (r) {
          case Reply.Registered done -> {
            conn.loggedInAs(done.account(), conn.isAdmin());
            out(IrcMessage.of(conn.server(), "REGISTER", "SUCCESS", done.account(),
                "Account created"));
            out(conn.loggedIn(conn.nick()));
          }
          case Reply.Failed f -> out(fail(conn, switch (f.error()) {
            case NICK_REGISTERED, NICK_IN_USE -> "ACCOUNT_EXISTS";
            case ALREADY_REGISTERED -> conn.account() != null ? "ALREADY_AUTHENTICATED"
                : "ACCOUNT_EXISTS";
            case WEAK_PASSWORD -> "WEAK_PASSWORD";
            case INVALID_NICK -> "BAD_ACCOUNT_NAME";
            case ACCOUNTS_DISABLED -> "TEMPORARILY_UNAVAILABLE";
            default -> "UNKNOWN_ERROR";
          }, name, f.message()));
          default -> { }
        }
      }
    }, new Command.Register(password));
  }

  private static IrcMessage fail(IrcConnection conn, String code, String account,
      String description) {
    return IrcMessage.fail(conn.server(), "REGISTER", code, List.of(account), description);
  }
}
