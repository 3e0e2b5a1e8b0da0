package chat.core.store;

import java.util.List;
import java.util.Optional;

/** Accounts by case-folded name. All methods may block (they go to the database). */
public interface AccountStore {

  Optional<Account> find(String nameKey);

  /** Creates the account; false if one with the same folded name exists. */
  boolean create(Account account);

  boolean updatePassword(String nameKey, String passwordHash);

  boolean setAdmin(String nameKey, boolean admin);

  boolean delete(String nameKey);

  /** All accounts, ordered by folded name. */
  List<Account> list();

  /** Sets (replaces) one of the account's read markers. */
  void setMarker(String nameKey, ReadMarker marker);

  /** The account's read markers, ordered by target. */
  List<ReadMarker> markers(String nameKey);
}
