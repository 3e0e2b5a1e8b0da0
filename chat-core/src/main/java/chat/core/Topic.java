package chat.core;

/**
 * A room's topic.
 *
 * @param text the topic
 * @param by the nick that set it
 * @param ts when, UTC milliseconds
 */
public record Topic(String text, String by, long ts) {}
