package chat.core.store;

/**
 * The connection to the database broke while a transaction was being committed, and the store
 * could not find out in time whether the commit happened: the writes may be stored. If they
 * are, every server hands them out in their place (they have their seq); their sender was told
 * {@code store-unknown}, never a confirmation, so nothing confirmed is ever lost.
 */
public final class StoreOutcomeUnknown extends StoreFailure {

  /** What the sender of a message hears. */
  public static final String TO_SENDER = "the store stopped answering during the commit; the"
      + " message may have been stored, and if so every member gets it in its place";

  public StoreOutcomeUnknown(String message, Throwable cause) {
    super(message, cause);
  }
}
