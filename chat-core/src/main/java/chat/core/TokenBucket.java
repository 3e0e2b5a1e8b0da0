package chat.core;

/**
 * A token bucket on a millisecond clock the caller passes in: holds up to {@code capacity}
 * tokens and gains {@code perSecond} of them each second. It may be allowed to go into debt (a
 * negative level) up to a bound, which is how a request that arrives just past the allowance is
 * still served while its sender is asked to wait. Not thread-safe: callers hold a lock.
 */
final class TokenBucket {

  private final double capacity;
  private final double perMilli;
  private double level;
  private long last;

  TokenBucket(double capacity, double perSecond, long now) {
    if (capacity <= 0 || perSecond <= 0) {
      throw new IllegalArgumentException("a bucket needs a positive capacity and rate");
    }
    this.capacity = capacity;
    this.perMilli = perSecond / 1000.0;
    this.level = capacity;
    this.last = now;
  }

  private void refill(long now) {
    if (now > last) {
      level = Math.min(capacity, level + (now - last) * perMilli);
      last = now;
    }
  }

  /** The level now: at most the capacity, negative while in debt. */
  double level(long now) {
    refill(now);
    return level;
  }

  boolean isFull(long now) {
    return level(now) >= capacity;
  }

  /** Takes {@code cost} if that many tokens are there. */
  boolean tryTake(double cost, long now) {
    refill(now);
    if (level >= cost) {
      level -= cost;
      return true;
    }
    return false;
  }

  /**
   * Takes {@code cost} even into debt, as long as the level stays at or above
   * {@code -maxDebt}; takes nothing and returns false otherwise.
   */
  boolean takeWithDebt(double cost, double maxDebt, long now) {
    refill(now);
    if (level - cost < -maxDebt) {
      return false;
    }
    level -= cost;
    return true;
  }

  /** Milliseconds until the level reaches {@code amount} (0 if it has). */
  long millisUntil(double amount, long now) {
    refill(now);
    if (level >= amount) {
      return 0;
    }
    return (long) Math.ceil((amount - level) / perMilli);
  }
}
