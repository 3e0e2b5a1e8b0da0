package chat.bench;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The generator's protocol layer, kept small so that another door (IRC) can be measured with the
 * same runs: open a connection that is ready to talk and in no room, join a room, send a message
 * carrying a payload, and report each room message received.
 *
 * <p>Implementations must be thread-safe; {@link #open} may be called from several threads.
 */
public interface BenchProtocol extends AutoCloseable {

  /** A short name for reports, e.g. {@code native}. */
  String name();

  /**
   * Connects, completes the handshake and leaves any room the server put the connection in, so
   * that only the benchmark's rooms carry traffic. Blocks until done.
   *
   * @param server where to connect
   * @param localAddress local address to bind, or null for the system's choice
   * @param deliveries receives every room message this connection gets, on the connection's
   *     executor
   */
  BenchConnection open(InetSocketAddress server, InetAddress localAddress,
      DeliveryHandler deliveries) throws Exception;

  /** Releases what the protocol holds (not the connections, which close themselves). */
  @Override
  default void close() {}
}
