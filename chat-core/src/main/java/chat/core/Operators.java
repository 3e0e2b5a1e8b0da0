package chat.core;

import chat.core.store.Account;
import java.time.Clock;
import java.util.List;

/**
 * Server operators: operator status by an administrator's credentials without taking its
 * identity (IRC's {@code OPER}), and the lines administrators send to everyone who wants them
 * (IRC's {@code WALLOPS}), on every server.
 */
final class Operators {

  private final Hub hub;
  private final Clock clock;

  Operators(Hub hub, Clock clock) {
    this.hub = hub;
    this.clock = clock;
  }

  void oper(Session session, String requestId, Command.Oper c) {
    if (!hub.accountsEnabled()) {
      hub.fail(session, requestId, CoreError.ACCOUNTS_DISABLED,
          "this server has no accounts, so no operators");
      return;
    }
    hub.offload(session, requestId, () -> {
      Account account = hub.identities.authenticate(session, requestId, c.account(),
          c.password());
      if (account == null) {
        return;
      }
      if (!account.admin()) {
        hub.fail(session, requestId, CoreError.NOT_ADMIN,
            account.name() + " is not a server administrator");
        return;
      }
      session.identity().operator(true);
      Peers peers = hub.peers;
      if (peers != null) {
        peers.online(session, true); // the other servers' stand-in is an operator too
      }
      session.sink().reply(requestId, new Reply.Operator(account.name()));
    });
  }

  void wallops(Session session, String requestId, String text) {
    if (!session.isAdmin()) {
      hub.fail(session, requestId, CoreError.NOT_ADMIN, "only server administrators send these");
      return;
    }
    String line = Presence.oneLine(text, hub.limits().maxMessageBytes());
    if (line == null) {
      hub.fail(session, requestId, CoreError.EMPTY_MESSAGE, "nothing to send");
      return;
    }
    Peers peers = hub.peers;
    if (peers != null) {
      peers.send(chat.core.cluster.Note.Kind.WALLOPS, session.nick(), session.account(), line,
          null, List.of(), false);
    }
    deliver(session.nick(), line);
    session.sink().reply(requestId, new Reply.Done());
  }

  /** To every ready session of this server, the sender's own included (doors filter). */
  void deliver(String from, String text) {
    Event event = new Event.Wallops(from, text, clock.millis());
    for (Session session : hub.readySessions()) {
      session.sink().event(event, null);
    }
  }
}
