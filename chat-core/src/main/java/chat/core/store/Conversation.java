package chat.core.store;

/**
 * A conversation of one account's private history.
 *
 * @param account the other account, as named on its newest message
 * @param lastTs when its newest message was stamped, UTC milliseconds
 */
public record Conversation(String account, long lastTs) {}
