package chat.server.web;

/**
 * The cluster as one server sees it, for {@code /healthz}: its own number, how many servers its
 * directory saw alive at the last heartbeat (itself included), and how many users of the others
 * it knows.
 */
public record ClusterView(long server, int serversAlive, int remoteUsers) {}
