package chat.store;

import chat.core.store.AccountStore;
import chat.core.store.MessageStore;

/** Both store ports behind one handle, as {@link Stores#open} returns them. */
public interface Store extends MessageStore, AccountStore {

  /** Finishes pending appends (their callbacks run), then releases connections and threads. */
  @Override
  void close();
}
