package chat.core;

import chat.core.store.Account;
import chat.core.store.AccountStore;
import java.time.Clock;
import java.util.Optional;

/**
 * Account decisions: who owns a nick, whether a password is right, how fast one may guess.
 * Blocking (store and hashing); the hub calls the slow methods off the I/O threads.
 */
final class Accounts {

  static final int MIN_PASSWORD_LENGTH = 8;
  static final int MAX_PASSWORD_LENGTH = 1024;

  /** Why an account operation was refused. */
  static final class Refusal extends Exception {
    final CoreError error;

    Refusal(CoreError error, String message) {
      super(message, null, false, false);
      this.error = error;
    }
  }

  private final AccountStore store;
  private final PasswordHasher hasher;
  private final LoginThrottle throttle;
  private final Clock clock;
  private volatile String dummyHash;

  Accounts(AccountStore store, PasswordHasher hasher, Clock clock) {
    this.store = store;
    this.hasher = hasher;
    this.clock = clock;
    this.throttle = new LoginThrottle(clock);
  }

  boolean enabled() {
    return store != null && hasher != null;
  }

  /** The account owning {@code nick}, if any. */
  /** The account store, or null without accounts. */
  AccountStore store() {
    return enabled() ? store : null;
  }

  Optional<Account> owner(String nick) {
    return enabled() ? store.find(Names.fold(nick)) : Optional.empty();
  }

  /**
   * Checks a login. Unknown account and wrong password give the same answer after the same
   * work, so the reply does not tell whether the account exists.
   */
  Account authenticate(String name, char[] password, String remoteHost) throws Refusal {
    requireEnabled();
    String accountKey = "account:" + Names.fold(name);
    String hostKey = "host:" + remoteHost;
    long wait = Math.max(throttle.waitMillis(accountKey), throttle.waitMillis(hostKey));
    if (wait > 0) {
      throw new Refusal(CoreError.LOGIN_THROTTLED, "too many failed logins; try again in "
          + ((wait + 999) / 1000) + " s");
    }
    Optional<Account> account = store.find(Names.fold(name));
    String hash = account.map(Account::passwordHash).orElseGet(this::dummyHash);
    boolean ok = hasher.verify(password, hash) && account.isPresent();
    if (!ok) {
      throttle.failed(accountKey);
      throttle.failed(hostKey);
      throw new Refusal(CoreError.LOGIN_FAILED, "invalid account or password");
    }
    throttle.succeeded(accountKey);
    return account.get();
  }

  Account register(String nick, char[] password) throws Refusal {
    requireEnabled();
    checkStrength(password);
    Account account = new Account(nick, hasher.hash(password), false, clock.millis());
    if (!store.create(account)) {
      throw new Refusal(CoreError.ALREADY_REGISTERED, "nick " + nick + " is already registered");
    }
    return account;
  }

  void changePassword(String name, char[] oldPassword, char[] newPassword) throws Refusal {
    requireEnabled();
    Optional<Account> account = store.find(Names.fold(name));
    if (account.isEmpty() || !hasher.verify(oldPassword, account.get().passwordHash())) {
      throw new Refusal(CoreError.LOGIN_FAILED, "the current password is wrong");
    }
    checkStrength(newPassword);
    store.updatePassword(Names.fold(name), hasher.hash(newPassword));
  }

  static void checkStrength(char[] password) throws Refusal {
    if (password == null || password.length < MIN_PASSWORD_LENGTH) {
      throw new Refusal(CoreError.WEAK_PASSWORD,
          "password must have at least " + MIN_PASSWORD_LENGTH + " characters");
    }
    if (password.length > MAX_PASSWORD_LENGTH) {
      throw new Refusal(CoreError.WEAK_PASSWORD,
          "password must have at most " + MAX_PASSWORD_LENGTH + " characters");
    }
  }

  private void requireEnabled() throws Refusal {
    if (!enabled()) {
      throw new Refusal(CoreError.ACCOUNTS_DISABLED, "accounts are not enabled on this server");
    }
  }

  private String dummyHash() {
    String hash = dummyHash;
    if (hash == null) {
      hash = hasher.hash("not a real password".toCharArray());
      dummyHash = hash;
    }
    return hash;
  }
}
