package chat.server.irc;

import static chat.server.irc.Numeric.*;

import chat.core.Command;
import chat.core.Reply;

/**
 * The commands about this user itself and an operator's powers: AWAY, SETNAME, OPER, KILL and
 * WALLOPS.
 */
final class IrcSelf {

  private final IrcConnection conn;
  private final IrcRender render;
  private final UserModes modes;

  IrcSelf(IrcConnection conn, IrcRender render, UserModes modes) {
    this.conn = conn;
    this.render = render;
    this.modes = modes;
  }

  void away(Pending p, IrcMessage m) {
    String message = m.param(0);
    conn.request(p, new Sub() {
      @Override
      void reply(Reply r) {
        if (r instanceof Reply.AwaySet a) {
          out(a.message() == null
              ? conn.numeric(RPL_UNAWAY, "You are no longer marked as being away")
              : conn.numeric(RPL_NOWAWAY, "You have been marked as being away"));
        } else if (r instanceof Reply.Failed f) {
          out(render.failure("AWAY", null, f));
        }
      }
    }, new Command.SetAway(message));
  }

  void setname(Pending p, IrcMessage m) {
    conn.request(p, new Sub() {
      @Override
      void reply(Reply r) {
        if (r instanceof Reply.RealnameSet s) {
          conn.realname(s.realname());
          if (conn.has(Cap.SETNAME)) {
            out(IrcMessage.of(IrcServerInfo.source(conn.nick()), "SETNAME",
                s.realname() == null ? conn.nick() : s.realname()));
          }
        } else if (r instanceof Reply.Failed f) {
          out(render.failure("SETNAME", null, f));
        }
      }
    }, new Command.SetRealname(m.param(0)));
  }

  /**
   * {@code OPER name password}: operator status by an administrator account's credentials; the
   * nick and the account (if any) stay as they are.
   */
  void oper(Pending p, IrcMessage m) {
    conn.request(p, new Sub() {
      @Override
      void reply(Reply r) {
        switch (r) {
          case Reply.Operator o -> {
            modes.admin = true;
            out(conn.numeric(RPL_YOUREOPER, "You are now an IRC operator"));
            out(IrcMessage.of(IrcServerInfo.source(conn.nick()), "MODE", conn.nick(), "+o"));
          }
          case Reply.Failed f -> out(switch (f.error()) {
            case ACCOUNTS_DISABLED -> conn.numeric(ERR_NOOPERHOST, "No operators on this server: "
                + f.message());
            case NOT_ADMIN -> conn.numeric(ERR_NOOPERHOST, "Only server administrators may be "
                + "operators");
            default -> conn.numeric(ERR_PASSWDMISMATCH, "Password incorrect");
          });
          default -> { }
        }
      }
    }, new Command.Oper(m.param(0), m.param(1).toCharArray()));
  }

  void kill(Pending p, IrcMessage m) {
    conn.request(p, render.quiet("KILL", m.param(0)), new Command.Kill(m.param(0), m.param(1)));
  }

  void wallops(Pending p, IrcMessage m) {
    conn.request(p, render.quiet("WALLOPS", null), new Command.Wallops(m.param(0)));
  }
}
