package chat.cli.term;

import chat.client.ChatClient;
import chat.protocol.Frame;
import chat.protocol.Keys;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * /register, /login and /passwd: asks for passwords without showing them, and keeps the
 * account's password in memory (a char array, cleared when replaced or forgotten) for logging in
 * again after a reconnect.
 */
final class AccountCommands {

  private static final Duration ACCOUNT_WAIT = Duration.ofSeconds(10);

  /** The account logged in to and its password. */
  record Credentials(String account, char[] password) {
    void clear() {
      Arrays.fill(password, '\0');
    }
  }

  private final ChatSession.Output out;
  private final LineFormatter format;
  private final ChatSession.Requests requests;
  private final java.util.function.Consumer<ChatClient> loggedIn;
  private volatile Credentials credentials;

  /** @param loggedIn told after a /register or /login succeeded */
  AccountCommands(ChatSession.Output out, LineFormatter format, ChatSession.Requests requests,
      java.util.function.Consumer<ChatClient> loggedIn) {
    this.out = out;
    this.format = format;
    this.requests = requests;
    this.loggedIn = loggedIn;
  }

  /** The account logged in to and its password, or null. */
  Credentials credentials() {
    return credentials;
  }

  /** Asks for a password; null (with a note) when none was given. */
  private char[] ask(String prompt, String what) {
    char[] secret = out.readSecret(prompt);
    if (secret == null) {
      out.show(format.error("no password read; " + what + " cancelled"));
    } else if (secret.length == 0) {
      out.show(format.error("the password is empty; " + what + " cancelled"));
      return null;
    }
    return secret;
  }

  /** Asks twice; null (with a note) unless both answers are the same. */
  private char[] askTwice(String prompt, String again, String what) {
    char[] first = ask(prompt, what);
    if (first == null) {
      return null;
    }
    char[] second = ask(again, what);
    if (second == null) {
      Arrays.fill(first, '\0');
      return null;
    }
    boolean same = Arrays.equals(first, second);
    Arrays.fill(second, '\0');
    if (!same) {
      Arrays.fill(first, '\0');
      out.show(format.error("the passwords differ; " + what + " cancelled"));
      return null;
    }
    return first;
  }

  void register(ChatClient c) {
    if (c.account() != null) {
      out.show(format.error("you are logged in as " + c.account() + " already"));
      return;
    }
    char[] password = askTwice("password for " + c.nick() + ": ", "the same password again: ",
        "/register");
    if (password == null) {
      return;
    }
    CompletableFuture<Frame> reply = c.register(password);
    CompletableFuture<Frame> shown = requests.track(reply, ok -> {
      String account = ok.string(Keys.ACCOUNT) == null ? c.nick() : ok.string(Keys.ACCOUNT);
      remember(account, password);
      loggedIn.accept(c);
      out.show(format.notice("registered " + account + "; you are logged in"));
    });
    clearOnFailure(reply, password);
    awaitAccountReply(shown);
  }

  void login(ChatClient c, String account) {
    char[] password = ask("password for " + account + ": ", "/login");
    if (password == null) {
      return;
    }
    CompletableFuture<Frame> reply = c.login(account, password);
    CompletableFuture<Frame> shown = requests.track(reply, ok -> {
      String name = ok.string(Keys.ACCOUNT) == null ? account : ok.string(Keys.ACCOUNT);
      remember(name, password);
      loggedIn.accept(c);
      out.show(format.notice("logged in as " + name));
    });
    clearOnFailure(reply, password);
    awaitAccountReply(shown);
  }

  void passwd(ChatClient c) {
    if (c.account() == null) {
      out.show(format.error("log in first (/login, or /register your nick)"));
      return;
    }
    char[] old = ask("current password: ", "/passwd");
    if (old == null) {
      return;
    }
    char[] changed = askTwice("new password: ", "the new password again: ", "/passwd");
    if (changed == null) {
      Arrays.fill(old, '\0');
      return;
    }
    CompletableFuture<Frame> reply = c.passwd(old, changed);
    Arrays.fill(old, '\0');
    CompletableFuture<Frame> shown = requests.track(reply, ok -> {
      remember(c.account(), changed);
      out.show(format.notice("password changed"));
    });
    clearOnFailure(reply, changed);
    awaitAccountReply(shown);
  }

  /**
   * Holds the input until an account request is answered (bounded): a password check takes the
   * server a moment, and its outcome (logged in, or why not) should be on screen before what
   * the next lines cause, and known to the session before it might reconnect.
   */
  private static void awaitAccountReply(CompletableFuture<Frame> reply) {
    try {
      reply.get(ACCOUNT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // Shown by track, or the reply is late: carry on.
    }
  }

  private static void clearOnFailure(CompletableFuture<Frame> reply, char[] password) {
    reply.whenComplete((ok, error) -> {
      if (error != null) {
        Arrays.fill(password, '\0');
      }
    });
  }

  /** Keeps the account's password for logging in again after a reconnect. */
  synchronized void remember(String account, char[] password) {
    Credentials old = credentials;
    credentials = new Credentials(account, password);
    if (old != null && old.password() != password) {
      old.clear();
    }
  }

  synchronized void forget() {
    Credentials old = credentials;
    credentials = null;
    if (old != null) {
      old.clear();
    }
  }
}
