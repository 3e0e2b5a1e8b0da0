package chat.core.store;

/**
 * A registered account. Its name is also the nick it owns.
 *
 * @param name the account's nick as registered (display spelling)
 * @param passwordHash an encoded password hash (the hasher's own format, with its parameters)
 * @param admin a server administrator
 * @param createdTs when it was registered, UTC milliseconds
 */
public record Account(String name, String passwordHash, boolean admin, long createdTs) {}
