package chat.bench;

import java.util.List;

/**
 * One run's settings, validated by {@link BenchCommand}.
 *
 * @param host server host, or several servers {@code HOST[:PORT],...} (ignored in-process)
 * @param port server port, for host entries without one (ignored in-process)
 * @param inProcess start the server inside the generator on 127.0.0.1, port 0
 * @param serverPids the server processes' ids for CPU and memory figures (summed), empty for
 *     none
 * @param allowRemote allow a target that is not a loopback address
 * @param clients connections
 * @param rooms rooms; client i is in room {@code i % rooms}
 * @param senders clients that send (the first {@code senders}, so spread over the rooms)
 * @param rate messages per second per sender; 0 for as fast as the window allows
 * @param window unconfirmed messages per sender at full speed
 * @param size message size in bytes
 * @param messages messages per sender, 0 for no bound (the duration bounds the run)
 * @param warmupSeconds sending before the measured interval, excluded from the figures
 * @param durationSeconds the measured interval
 * @param ramp new connections per second, 0 for as fast as possible
 * @param connectConcurrency handshakes in flight while connecting
 * @param idle idle mode: connect, settle, report memory per connection
 * @param settleSeconds idle mode: longest wait for the server's memory to settle
 * @param threads the generator's event loop threads
 * @param lean read room messages with the lean reader rather than the client library's tree
 * @param sourceAddresses local 127.0.0.x addresses to spread connections over; 0 for automatic
 * @param drainSeconds longest wait, after sending stops, for every delivery
 * @param serverThreads in-process server's I/O threads, 0 for its default
 * @param jcmd read the separate server's heap with jcmd
 * @param json print JSON instead of text
 * @param irc speak IRC (channels {@code #room}) instead of the native protocol
 * @param stay native: stay in the default room the server puts each connection in
 */
record BenchConfig(
    String host, int port, boolean inProcess, List<Long> serverPids, boolean allowRemote,
    int clients, int rooms, int senders, double rate, int window, int size, long messages,
    double warmupSeconds, double durationSeconds, double ramp, int connectConcurrency,
    boolean idle, double settleSeconds, int threads, boolean lean, int sourceAddresses,
    double drainSeconds, int serverThreads, boolean jcmd, boolean json,
    boolean irc, boolean stay) {

  /** Connections per source address above which more addresses are used. */
  static final int CONNECTIONS_PER_SOURCE = 25_000;

  /** The number of source addresses to use: the configured one, or enough for the clients. */
  int effectiveSourceAddresses() {
    if (sourceAddresses > 0) {
      return sourceAddresses;
    }
    return (clients + CONNECTIONS_PER_SOURCE - 1) / CONNECTIONS_PER_SOURCE;
  }

  /** Members of room {@code r}. */
  int roomSize(int r) {
    return (clients - r + rooms - 1) / rooms;
  }

  /** Senders in room {@code r}. */
  int sendersIn(int r) {
    return (senders - r + rooms - 1) / rooms;
  }
}
