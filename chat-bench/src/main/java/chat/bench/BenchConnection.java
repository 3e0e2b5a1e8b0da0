package chat.bench;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;

/** One generator connection, made by {@link BenchProtocol#open}. */
public interface BenchConnection extends AutoCloseable {

  /** Joins a room; completes once the server has confirmed. */
  CompletableFuture<?> join(String room);

  /**
   * Sends one message to a room. Completes once the server has confirmed it (native protocol: the
   * sender's own copy of the message, which has also gone to the {@link DeliveryHandler}), or
   * exceptionally when the server refused it or the connection was lost.
   */
  CompletableFuture<?> send(String room, String text);

  /**
   * Whether the sender receives its own messages (a delivery to itself, as every member does).
   * IRC without the {@code echo-message} capability does not.
   */
  default boolean hearsOwnMessages() {
    return true;
  }

  /**
   * The single thread on which this connection's deliveries and confirmations arrive. Send from
   * it, and keep per-connection state confined to it.
   */
  ScheduledExecutorService executor();

  /** Closes the connection without waiting for the server. */
  @Override
  void close();
}
