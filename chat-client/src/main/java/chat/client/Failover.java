package chat.client;

import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Which of a client's servers to connect to: each in turn until one answers, starting with the
 * server the connection before was on (so a reconnect goes back there first and moves on when
 * it is refused), each name with every address it resolves to.
 *
 * <p>A server that cannot be reached, whose TLS handshake or welcome does not come, or that
 * says it cannot serve anyone now ({@link #UNAVAILABLE}) makes way for the next. Anything else
 * ends the attempt at once, as it would with one server: an untrusted certificate (a person has
 * to look), and a refusal of this user (a nick in use, a failed login), which the next server of
 * the same cluster would repeat and the caller may want to answer.
 */
final class Failover {

  /** Error codes of a server that refuses everyone for now, where another server may not. */
  static final Set<String> UNAVAILABLE = Set.of("shutting-down", "server-busy", "store-failed",
      "too-many-connections", "connecting-too-fast");

  /** One connection attempt to a resolved address. */
  @FunctionalInterface
  interface Attempt<T> {
    T connect(InetSocketAddress server) throws ChatClientException;
  }

  private Failover() {}

  /**
   * The first of {@code servers}, from the one matching {@code last} on, that {@code attempt}
   * connects to.
   *
   * @param last the server of the connection before (as {@link ChatClient#server()} gave it), or
   *     null to start with the first
   * @throws ChatClientException the failure itself when only one address was tried, or one that
   *     lists every address tried and why each failed
   */
  static <T> T connect(List<InetSocketAddress> servers, InetSocketAddress last,
      Attempt<T> attempt) throws ChatClientException {
    List<String> failures = new ArrayList<>();
    ChatClientException lastFailure = null;
    for (InetSocketAddress entry : startingAt(servers, last)) {
      List<InetSocketAddress> addresses;
      try {
        addresses = startingAt(ServerAddresses.resolve(entry), last);
      } catch (UnknownHostException e) {
        lastFailure = new ChatClientException("could not connect to "
            + ServerAddresses.format(entry) + ": unknown host", e);
        failures.add(lastFailure.getMessage());
        continue;
      }
      for (InetSocketAddress address : addresses) {
        try {
          return attempt.connect(address);
        } catch (ChatClientException e) {
          if (!movesOn(e) || Thread.currentThread().isInterrupted()) {
            throw e;
          }
          lastFailure = e;
          failures.add(e.getMessage());
        }
      }
    }
    if (failures.size() == 1) {
      throw lastFailure;
    }
    Throwable cause = lastFailure.getCause() instanceof ChatErrorException error
        ? error : lastFailure;
    throw new ChatClientException("could not connect to any of " + failures.size()
        + " servers: " + String.join("; ", failures), cause);
  }

  /** Whether the next server is worth trying after {@code failure}. */
  static boolean movesOn(ChatClientException failure) {
    if (failure instanceof UntrustedServerException) {
      return false;
    }
    return failure.code() == null || UNAVAILABLE.contains(failure.code());
  }

  /**
   * {@code servers} rotated to start with the one {@code last} is (its resolved address, or its
   * host and port as written), else as they are.
   */
  static List<InetSocketAddress> startingAt(List<InetSocketAddress> servers,
      InetSocketAddress last) {
    if (last == null) {
      return servers;
    }
    int start = servers.indexOf(last);
    for (int i = 0; start < 0 && i < servers.size(); i++) {
      InetSocketAddress s = servers.get(i);
      if (s.getPort() == last.getPort() && s.getHostString().equalsIgnoreCase(
          last.getHostString())) {
        start = i;
      }
    }
    if (start <= 0) {
      return servers;
    }
    List<InetSocketAddress> rotated = new ArrayList<>(servers.subList(start, servers.size()));
    rotated.addAll(servers.subList(0, start));
    return rotated;
  }
}
