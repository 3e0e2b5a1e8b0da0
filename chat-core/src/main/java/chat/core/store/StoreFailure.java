package chat.core.store;

/**
 * A store could not do what it was asked: the database is unreachable, too slow, or refused.
 * Nothing was changed by the failed call (but see {@link StoreOutcomeUnknown}). The hub answers a
 * request that fails this way with {@code store-unavailable} (or {@code store-failed} for a
 * write) instead of dropping the connection.
 */
public class StoreFailure extends RuntimeException {

  public StoreFailure(String message, Throwable cause) {
    super(message, cause);
  }
}
