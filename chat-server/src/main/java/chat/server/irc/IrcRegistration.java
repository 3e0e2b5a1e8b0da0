package chat.server.irc;

import static chat.server.irc.Numeric.*;

import chat.core.Command;
import chat.core.Hub;
import chat.core.Names;
import chat.core.Reply;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;

/**
 * Registration: CAP negotiation, PASS, the NICK and USER before 001, SASL PLAIN, and the core's
 * hello once all are in (the connection then writes the welcome). Event loop only.
 */
final class IrcRegistration {

  private static final int SASL_CHUNK = 400;
  private static final int MAX_SASL_BYTES = 4 * SASL_CHUNK;

  private final IrcConnection conn;
  private final Hub hub;
  private final EnumSet<Cap> caps;
  private String wantedNick;
  private String username;
  private String pass;
  private boolean helloInFlight;
  /** After a SASL login before registering: the NICK asked for was tried. */
  private boolean keepNickAsked;
  /** The login joined the account's other connections: their nick is this one's. */
  private boolean joinedDevices;
  private boolean capNegotiating;
  private boolean saslStarted;
  private boolean saslInFlight;
  private final StringBuilder saslData = new StringBuilder();

  IrcRegistration(IrcConnection conn, Hub hub, EnumSet<Cap> caps) {
    this.conn = conn;
    this.hub = hub;
    this.caps = caps;
  }

  /** The USER command's user name, or null before it. */
  String username() {
    return username;
  }

  /** A NICK before registration: the nick to register with. */
  void wanted(Pending p, String requested) {
    wantedNick = requested;
    tryRegister(p);
  }

  private static String upper(String s) {
    return s == null ? null : s.toUpperCase(Locale.ROOT);
  }

  void cap(Pending p, IrcMessage m) {
    String to = conn.registered() ? conn.nick() : "*";
    switch (upper(m.param(0))) {
      case "LS" -> {
        if (!conn.registered()) {
          capNegotiating = true;
        }
        int version = 0;
        try {
          version = m.param(1) == null ? 0 : Integer.parseInt(m.param(1));
        } catch (NumberFormatException ignored) {
          version = 0;
        }
        if (version >= 302) {
          caps.add(Cap.CAP_NOTIFY);
        }
        List<String> offered = new ArrayList<>();
        for (Cap cap : available()) {
          offered.add(cap == Cap.SASL && version >= 302 ? cap.wire + "=PLAIN" : cap.wire);
        }
        // One line holds them all today; continuation lines ("*") keep it so if more come.
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String cap : offered) {
          if (line.length() + cap.length() + 1 > 380) {
            lines.add(line.toString());
            line.setLength(0);
          }
          line.append(line.isEmpty() ? "" : " ").append(cap);
        }
        lines.add(line.toString());
        for (int i = 0; i < lines.size(); i++) {
          boolean more = i < lines.size() - 1;
          p.lines.add(more && version >= 302
              ? IrcMessage.of(conn.server(), "CAP", to, "LS", "*", lines.get(i))
              : IrcMessage.of(conn.server(), "CAP", to, "LS", lines.get(i)));
        }
      }
      case "LIST" -> {
        StringBuilder enabled = new StringBuilder();
        for (Cap cap : caps) {
          enabled.append(enabled.isEmpty() ? "" : " ").append(cap.wire);
        }
        p.lines.add(IrcMessage.of(conn.server(), "CAP", to, "LIST", enabled.toString()));
      }
      case "REQ" -> {
        if (!conn.registered()) {
          capNegotiating = true;
        }
        String requested = m.param(1) == null ? "" : m.param(1).strip();
        List<Cap> add = new ArrayList<>();
        List<Cap> remove = new ArrayList<>();
        boolean ok = !requested.isEmpty();
        for (String name : requested.split(" +")) {
          if (name.isEmpty()) {
            continue;
          }
          boolean minus = name.startsWith("-");
          Cap cap = Cap.of(minus ? name.substring(1) : name);
          if (cap == null || !available().contains(cap)) {
            ok = false;
            break;
          }
          (minus ? remove : add).add(cap);
        }
        if (ok) {
          caps.addAll(add);
          remove.forEach(caps::remove);
          conn.capsChanged();
        }
        p.lines.add(IrcMessage.of(conn.server(), "CAP", to, ok ? "ACK" : "NAK", requested));
      }
      case "END" -> {
        if (!conn.registered()) {
          capNegotiating = false;
          tryRegister(p);
        }
      }
      default -> p.lines.add(conn.numeric(ERR_INVALIDCAPCMD, m.param(0), "Invalid CAP command"));
    }
  }

  private EnumSet<Cap> available() {
    EnumSet<Cap> offered = EnumSet.allOf(Cap.class);
    if (!hub.accountsEnabled()) {
      offered.remove(Cap.SASL);
      offered.remove(Cap.READ_MARKER);
      offered.remove(Cap.ACCOUNT_REGISTRATION);
    }
    return offered;
  }

  void pass(Pending p, IrcMessage m) {
    if (conn.registered() || conn.coreReady()) {
      p.lines.add(conn.numeric(ERR_ALREADYREGISTERED, "You may not reregister"));
      return;
    }
    if (conn.needs(p, m, 1)) {
      pass = m.param(0);
    }
  }

  void user(Pending p, IrcMessage m) {
    if (conn.registered()) {
      p.lines.add(conn.numeric(ERR_ALREADYREGISTERED, "You may not reregister"));
      return;
    }
    if (!conn.needs(p, m, 4) || m.param(3).isEmpty()) {
      if (m.params().size() >= 4) {
        p.lines.add(conn.numeric(ERR_NEEDMOREPARAMS, m.command(), "Not enough parameters"));
      }
      return;
    }
    username = m.param(0);
    conn.realname(m.param(3));
    tryRegister(p);
  }

  /** Registers once NICK, USER (and PASS) are in, capability negotiation and SASL are over. */
  void tryRegister(Pending p) {
    if (conn.registered() || conn.closing() || helloInFlight || saslInFlight || capNegotiating
        || wantedNick == null || username == null) {
      return;
    }
    String serverPassword = conn.info().config.password();
    if (serverPassword != null && !sameSecret(serverPassword, pass)) {
      p.lines.add(IrcMessage.of(conn.server(), ERR_PASSWDMISMATCH, "*", "Password incorrect"));
      conn.closeAfter(p, "Bad password");
      return;
    }
    if (conn.coreReady()) {
      if (!keepNickAsked && !joinedDevices && conn.account() != null && conn.coreNick() != null
          && !Names.fold(conn.coreNick()).equals(Names.fold(wantedNick))) {
        keepNick(p);
        return;
      }
      conn.registerDone(p);
      return;
    }
    helloInFlight = true;
    String attempted = wantedNick;
    char[] password = serverPassword == null && pass != null ? pass.toCharArray() : null;
    conn.request(p, new Sub() {
      @Override
      void reply(Reply r) {
        helloInFlight = false;
        switch (r) {
          case Reply.Welcome w -> {
            conn.welcomed(w.nick(), w.account(), w.admin());
            joinedDevices = w.joinedDevices();
            if (w.account() != null) {
              out(conn.loggedIn(w.nick()));
            }
            conn.registerDone(p);
          }
          case Reply.Failed f -> {
            switch (f.error()) {
              case INVALID_NICK -> out(IrcMessage.of(conn.server(), ERR_ERRONEUSNICKNAME, "*",
                  attempted, f.message()));
              case NICK_IN_USE, NICK_REGISTERED -> out(IrcMessage.of(conn.server(),
                  ERR_NICKNAMEINUSE, "*", attempted, f.message()));
              case ACCOUNTS_DISABLED -> {
                pass = null; // a PASS meant for a server without accounts: go on as a guest
                tryRegister(p);
                return;
              }
              case LOGIN_FAILED, LOGIN_THROTTLED -> {
                out(IrcMessage.of(conn.server(), ERR_PASSWDMISMATCH, "*", f.message()));
                conn.closeAfter(p, "Bad password");
                return;
              }
              default -> {
                out(IrcMessage.of(conn.server(), "NOTICE", "*", f.message()));
                conn.closeAfter(p, f.message());
                return;
              }
            }
            if (attempted.equals(wantedNick)) {
              wantedNick = null;
            }
            tryRegister(p);
          }
          default -> { }
        }
      }
    }, new Command.Hello(attempted, password, false, null, conn.realname()));
    conn.realnameSent();
  }

  /**
   * Logged in by SASL before registering, the session has the account's name as its nick; the
   * client asked for another with NICK, and keeps it when it is free (else the account's name
   * it is). Not when the login joined the account's other connections: they keep their nick.
   */
  private void keepNick(Pending p) {
    keepNickAsked = true;
    helloInFlight = true;
    conn.request(p, new Sub() {
      @Override
      void reply(Reply r) {
        helloInFlight = false;
        if (r instanceof Reply.NickSet set) {
          conn.welcomed(set.nick(), conn.account(), conn.isAdmin());
        }
        tryRegister(p);
      }
    }, new Command.SetNick(wantedNick));
  }

  private static boolean sameSecret(String expected, String given) {
    if (given == null) {
      return false;
    }
    return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
        given.getBytes(StandardCharsets.UTF_8));
  }

  // ---------------------------------------------------------------- SASL

  void authenticate(Pending p, IrcMessage m) {
    String arg = m.param(0);
    if (saslInFlight) {
      p.lines.add(conn.numeric(ERR_SASLFAIL, "SASL authentication is already in progress"));
      return;
    }
    if (arg.equals("*")) {
      saslStarted = false;
      saslData.setLength(0);
      p.lines.add(conn.numeric(ERR_SASLABORTED, "SASL authentication aborted"));
      return;
    }
    if (!saslStarted) {
      if (!caps.contains(Cap.SASL) || !hub.accountsEnabled()) {
        p.lines.add(conn.numeric(ERR_SASLFAIL,
            "SASL authentication failed: request the sasl capability first"));
        return;
      }
      if (conn.account() != null) {
        p.lines.add(conn.numeric(ERR_SASLALREADY, "You have already authenticated using SASL"));
        return;
      }
      if (!arg.equalsIgnoreCase("PLAIN")) {
        p.lines.add(conn.numeric(RPL_SASLMECHS, "PLAIN", "are available SASL mechanisms"));
        p.lines.add(conn.numeric(ERR_SASLFAIL, "SASL authentication failed"));
        return;
      }
      saslStarted = true;
      saslData.setLength(0);
      p.lines.add(IrcMessage.of(null, "AUTHENTICATE", "+"));
      return;
    }
    if (arg.length() > SASL_CHUNK) { // one line past 400 bytes: 905, as IRCv3 SASL says
      saslStarted = false;
      saslData.setLength(0);
      p.lines.add(conn.numeric(ERR_SASLTOOLONG, "SASL message too long"));
      return;
    }
    if (!arg.equals("+")) {
      saslData.append(arg);
    }
    if (saslData.length() > MAX_SASL_BYTES) { // lines of 400 that never end: a failure
      saslStarted = false;
      saslData.setLength(0);
      p.lines.add(conn.numeric(ERR_SASLFAIL, "SASL authentication failed: the credentials are "
          + "longer than " + MAX_SASL_BYTES + " bytes"));
      return;
    }
    if (arg.length() == SASL_CHUNK) {
      return; // more follows
    }
    saslStarted = false;
    String[] parts;
    try {
      byte[] decoded = Base64.getDecoder().decode(saslData.toString());
      parts = new String(decoded, StandardCharsets.UTF_8).split("\0", -1);
    } catch (IllegalArgumentException e) {
      parts = new String[0];
    } finally {
      saslData.setLength(0);
    }
    if (parts.length != 3 || parts[1].isEmpty()
        || (!parts[0].isEmpty() && !Names.fold(parts[0]).equals(Names.fold(parts[1])))) {
      p.lines.add(conn.numeric(ERR_SASLFAIL, "SASL authentication failed"));
      return;
    }
    String authcid = parts[1];
    char[] password = parts[2].toCharArray();
    saslInFlight = true;
    conn.request(p, new Sub() {
      @Override
      void reply(Reply r) {
        saslInFlight = false;
        switch (r) {
          case Reply.Welcome w -> {
            conn.welcomed(w.nick(), w.account(), w.admin());
            joinedDevices = w.joinedDevices();
            out(conn.loggedIn(w.nick()));
            out(IrcMessage.of(conn.server(), RPL_SASLSUCCESS, w.nick(),
                "SASL authentication successful"));
            tryRegister(p);
          }
          case Reply.LoggedIn l -> {
            // 900 and 903 first, as clients expect them; then the account's nick, if another
            conn.loggedInAs(l.account(), l.admin());
            out(conn.loggedIn(conn.nick()));
            out(conn.numeric(RPL_SASLSUCCESS, "SASL authentication successful"));
            if (!l.nick().equals(conn.nick())) {
              out(IrcMessage.of(IrcServerInfo.source(conn.nick()), "NICK", l.nick()));
              conn.renamed(l.nick());
            }
          }
          case Reply.Failed f -> {
            out(conn.numeric(ERR_SASLFAIL, "SASL authentication failed: " + f.message()));
            tryRegister(p);
          }
          default -> { }
        }
      }
    }, conn.coreReady() ? new Command.Login(authcid, password, true)
        : new Command.Hello(authcid, password, false));
  }
}
