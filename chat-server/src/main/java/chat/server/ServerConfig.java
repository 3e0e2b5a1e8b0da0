package chat.server;

import chat.core.CoreLimits;
import chat.protocol.FrameLimits;
import chat.server.tls.ServerTls;
import java.time.Duration;

/**
 * Everything the server can be told, with one documented default per option.
 *
 * @param host address the native listener binds (default 127.0.0.1, loopback only)
 * @param port native listener port (default 7667; 0 picks a free port)
 * @param frameLimits header and content limits enforced while reading
 * @param coreLimits nick, room and message rules
 * @param pingInterval a connection silent this long gets a ping; silent for another interval
 *     it is closed as dead (default 60 s, so a dead peer is found within 2 minutes)
 * @param shutdownGrace how long shutdown waits for clients to receive the notice (default 5 s)
 * @param ioThreads event loop threads for connections (default 0: Netty's choice, 2 x cores)
 * @param tls TLS for the native listener, or null for plaintext only (tests, benchmarks)
 * @param allowRemotePlaintext accept plaintext from peers that are not on this machine (default
 *     false: with TLS configured, plaintext is served to loopback peers only)
 * @param writeCoalesce under load, the least time between two writes to one connection of the
 *     TCP doors ({@link WriteCoalescing}; default {@link #DEFAULT_WRITE_COALESCE}, zero: none)
 * @param transport the event loops' I/O: {@code auto}, {@code io_uring}, {@code epoll} or
 *     {@code nio} ({@link Transport#named})
 */
public record ServerConfig(String host, int port, FrameLimits frameLimits, CoreLimits coreLimits,
    Duration pingInterval, Duration shutdownGrace, int ioThreads, ServerTls tls,
    boolean allowRemotePlaintext, Duration writeCoalesce, String transport) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 7667;
  public static final Duration DEFAULT_WRITE_COALESCE = Duration.ofMillis(1);

  public ServerConfig {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be in [0, 65535]: " + port);
    }
    if (pingInterval.isNegative() || pingInterval.isZero()) {
      throw new IllegalArgumentException("pingInterval must be positive: " + pingInterval);
    }
    if (writeCoalesce == null || writeCoalesce.isNegative()) {
      throw new IllegalArgumentException("writeCoalesce must be >= 0: " + writeCoalesce);
    }
    if (transport == null) {
      transport = "auto";
    }
    if (ioThreads < 0) {
      throw new IllegalArgumentException("ioThreads must be >= 0: " + ioThreads);
    }
  }

  public static ServerConfig defaults() {
    return new ServerConfig(DEFAULT_HOST, DEFAULT_PORT, FrameLimits.DEFAULT, CoreLimits.DEFAULT,
        Duration.ofSeconds(60), Duration.ofSeconds(5), 0, null, false, DEFAULT_WRITE_COALESCE,
        "auto");
  }

  public ServerConfig withTls(ServerTls serverTls, boolean allowRemote) {
    return new ServerConfig(host, port, frameLimits, coreLimits, pingInterval, shutdownGrace,
        ioThreads, serverTls, allowRemote, writeCoalesce,
        transport);
  }

  public ServerConfig withAddress(String host, int port) {
    return new ServerConfig(host, port, frameLimits, coreLimits, pingInterval, shutdownGrace,
        ioThreads, tls, allowRemotePlaintext, writeCoalesce,
        transport);
  }

  public ServerConfig withPingInterval(Duration interval) {
    return new ServerConfig(host, port, frameLimits, coreLimits, interval, shutdownGrace,
        ioThreads, tls, allowRemotePlaintext, writeCoalesce,
        transport);
  }

  public ServerConfig withFrameLimits(FrameLimits limits) {
    return new ServerConfig(host, port, limits, coreLimits, pingInterval, shutdownGrace,
        ioThreads, tls, allowRemotePlaintext, writeCoalesce,
        transport);
  }

  public ServerConfig withCoreLimits(CoreLimits limits) {
    return new ServerConfig(host, port, frameLimits, limits, pingInterval, shutdownGrace,
        ioThreads, tls, allowRemotePlaintext, writeCoalesce,
        transport);
  }

  public ServerConfig withWriteCoalesce(Duration gap) {
    return new ServerConfig(host, port, frameLimits, coreLimits, pingInterval, shutdownGrace,
        ioThreads, tls, allowRemotePlaintext, gap, transport);
  }

  public ServerConfig withTransport(String name) {
    return new ServerConfig(host, port, frameLimits, coreLimits, pingInterval, shutdownGrace,
        ioThreads, tls, allowRemotePlaintext, writeCoalesce, name);
  }
}
