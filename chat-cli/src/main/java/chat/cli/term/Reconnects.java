package chat.cli.term;

import chat.client.ChatClient;
import chat.client.ChatClientException;
import chat.client.ClientOptions;
import chat.client.ResumeState;
import chat.client.UntrustedServerException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Coming back after a lost connection: with backoff, logged in to the account the user logged
 * in to, else under the same nick (a guest with its resume token), else as a new guest, each
 * time with the session's {@link ResumeState}; gives up after the backoff's attempts, or at once
 * when the server's certificate is not trusted.
 */
final class Reconnects {

  private static final Logger log = LoggerFactory.getLogger(Reconnects.class);

  private final ClientOptions options;
  private final ChatSession.Output out;
  private final LineFormatter format;
  private final Backoff backoff;
  private final ScheduledExecutorService timer;
  private final ResumeState resume;
  private final AccountCommands accounts;
  private final ChatSession session;

  Reconnects(ClientOptions options, ChatSession.Output out, LineFormatter format, Backoff backoff,
      ScheduledExecutorService timer, ResumeState resume, AccountCommands accounts,
      ChatSession session) {
    this.options = options;
    this.out = out;
    this.format = format;
    this.backoff = backoff;
    this.timer = timer;
    this.resume = resume;
    this.accounts = accounts;
    this.session = session;
  }

  /** The connection was lost for {@code reason}: says so, and tries again after the backoff. */
  void lost(String reason, String nick, List<String> rooms) {
    Duration delay = backoff.delay(1);
    out.show(format.notice("connection lost: " + reason + "; reconnecting in "
        + Backoff.show(delay)));
    schedule(1, delay, nick, rooms);
  }

  private void schedule(int attempt, Duration delay, String nick, List<String> rooms) {
    try {
      timer.schedule(() -> reconnect(attempt, nick, rooms), delay.toMillis(),
          TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      log.debug("not reconnecting: the session is over");
    }
  }

  private void reconnect(int attempt, String nick, List<String> rooms) {
    if (session.quitting()) {
      return;
    }
    ChatClient c;
    try {
      c = connect(nick);
    } catch (UntrustedServerException e) {
      // Trying again cannot help: a person has to look at it.
      e.getMessage().lines().forEach(line -> out.show(format.error(line)));
      session.end(2, null);
      return;
    } catch (ChatClientException e) {
      if (attempt >= backoff.maxAttempts()) {
        out.show(format.error("could not reconnect to " + options.address() + " after "
            + attempt + " attempts: " + e.getMessage()));
        session.end(1, null);
        return;
      }
      Duration delay = backoff.delay(attempt + 1);
      out.show(format.notice("reconnect failed: " + e.getMessage() + "; retrying in "
          + Backoff.show(delay)));
      schedule(attempt + 1, delay, nick, rooms);
      return;
    }
    if (session.quitting()) {
      c.close();
      return;
    }
    session.reconnected(c, rooms);
  }

  /**
   * Connects logged in to the account the user logged in to, else under {@code nick}; if that
   * is taken (the old connection may linger), or the login is refused, as a guest.
   */
  private ChatClient connect(String nick) throws ChatClientException {
    AccountCommands.Credentials login = accounts.credentials();
    if (login != null) {
      try {
        return ChatClient.connect(options.withLogin(login.account(), login.password()), session,
            resume);
      } catch (ChatClientException e) {
        if (!"login-failed".equals(e.code())) {
          throw e;
        }
        accounts.forget();
        ChatClient guest = ChatClient.connect(options.withLogin(null, null), session, resume);
        out.show(format.error("could not log in to " + login.account() + " again ("
            + e.getMessage() + "); you are " + guest.nick()));
        return guest;
      }
    }
    try {
      return ChatClient.connect(options.withLogin(nick, null), session, resume);
    } catch (ChatClientException e) {
      if (!"nick-in-use".equals(e.code()) && !"nick-registered".equals(e.code())) {
        throw e;
      }
      // A guest's token may take its nick back now that the server has let go of the old one.
      ChatClient guest = ChatClient.connect(options.withLogin(null, null), session, resume);
      if (!guest.nick().equalsIgnoreCase(nick)) {
        out.show(format.notice("could not keep the nick " + nick + " (it is taken); you are "
            + guest.nick()));
      }
      return guest;
    }
  }
}
