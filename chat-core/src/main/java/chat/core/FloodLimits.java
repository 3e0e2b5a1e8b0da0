package chat.core;

import java.time.Duration;

/**
 * How many requests a session may make: a token bucket per connection and one per account
 * (shared by the account's connections). Every request costs tokens: {@code 1} for a message or
 * any other request, {@code heavyCost} for requests that make the server work (join, nick,
 * history, who, rooms), {@code authCost} for password checks (login, register, passwd, a hello
 * with a password). Within the burst, requests pass at once; past it the session is pushed
 * back (its door stops reading for as long as the bucket needs to refill, and it gets one "slow
 * down" notice); requests that would put the bucket more than one burst into debt are refused
 * ({@code rate-limited}); a session that is pushed back without a break for
 * {@code disconnectAfter} is disconnected ({@code flooding}).
 *
 * @param burst tokens a connection may spend at once (default 40; 0 turns flood control off)
 * @param perSecond tokens a connection regains per second (default 5)
 * @param accountBurst tokens an account's connections may spend together at once (default 80)
 * @param accountPerSecond tokens an account regains per second (default 10)
 * @param heavyCost cost of join, nick, history, who, rooms (default 2)
 * @param authCost cost of a password check (default 5)
 * @param disconnectAfter unbroken pushback after which the session is disconnected (default 60 s)
 */
public record FloodLimits(int burst, double perSecond, int accountBurst, double accountPerSecond,
    int heavyCost, int authCost, Duration disconnectAfter) {

  public static final FloodLimits DEFAULT =
      new FloodLimits(40, 5, 80, 10, 2, 5, Duration.ofSeconds(60));

  /** No flood control at all (benchmarks). */
  public static final FloodLimits OFF = new FloodLimits(0, 1, 0, 1, 1, 1, Duration.ofSeconds(60));

  public FloodLimits {
    if (burst < 0 || accountBurst < 0) {
      throw new IllegalArgumentException("bursts must be >= 0 (0: off)");
    }
    if (!(perSecond > 0) || !(accountPerSecond > 0)) {
      throw new IllegalArgumentException("rates must be positive");
    }
    if (heavyCost < 1 || authCost < 1) {
      throw new IllegalArgumentException("costs must be >= 1");
    }
    if (heavyCost > burst && burst > 0 || authCost > burst && burst > 0) {
      throw new IllegalArgumentException("a single request must fit in the burst (" + burst + ")");
    }
    if (disconnectAfter == null || disconnectAfter.isNegative() || disconnectAfter.isZero()) {
      throw new IllegalArgumentException("disconnectAfter must be positive");
    }
  }

  public boolean enabled() {
    return burst > 0;
  }

  public boolean accountsLimited() {
    return accountBurst > 0;
  }

  public FloodLimits withRate(int burst, double perSecond) {
    return new FloodLimits(burst, perSecond, accountBurst, accountPerSecond, heavyCost, authCost,
        disconnectAfter);
  }

  public FloodLimits withAccountRate(int burst, double perSecond) {
    return new FloodLimits(this.burst, this.perSecond, burst, perSecond, heavyCost, authCost,
        disconnectAfter);
  }

  public FloodLimits withCosts(int heavy, int auth) {
    return new FloodLimits(burst, perSecond, accountBurst, accountPerSecond, heavy, auth,
        disconnectAfter);
  }

  public FloodLimits withDisconnectAfter(Duration after) {
    return new FloodLimits(burst, perSecond, accountBurst, accountPerSecond, heavyCost, authCost,
        after);
  }
}
