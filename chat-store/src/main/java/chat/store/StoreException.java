package chat.store;

/** A store operation failed: the database refused or could not be reached. */
public class StoreException extends chat.core.store.StoreFailure {

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
