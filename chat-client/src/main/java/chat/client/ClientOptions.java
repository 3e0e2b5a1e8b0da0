package chat.client;

import chat.protocol.FrameLimits;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How to reach a server and who to be there.
 *
 * <p>Several servers (the nodes of a cluster) may be given: {@link ChatClient#connect} tries them
 * in turn, each name with every address it resolves to, each attempt bounded by
 * {@link #connectTimeout()}, and a reconnect with the {@link ResumeState} of the connection
 * before starts with the server that connection was on, then the ones after it.
 *
 * @param host the first server's host name or address (given {@code servers}, taken from them)
 * @param port the first server's TCP port, 1 to 65535 (given {@code servers}, taken from them)
 * @param nick the nick to ask for in {@code hello}; null or empty lets the server assign one.
 *     With a password it is the account to log in to.
 * @param clientName free text sent as {@code client} in {@code hello}
 * @param connectTimeout bound on the TCP connect, again on the TLS handshake, and again on
 *     waiting for {@code welcome}
 * @param limits limits the client's frame decoder enforces on what the server sends
 * @param tls whether and how to use TLS (null: {@link ClientTls#defaults()})
 * @param password the account's password, sent in {@code hello} to log in at connect, or null.
 *     The array is used as it is, not copied; the caller may clear it after the connection is
 *     made. It never appears in {@link #toString()}.
 * @param servers the servers to try, in order, or null for {@code host:port} alone; unresolved
 *     entries ({@link InetSocketAddress#createUnresolved}, as {@link ServerAddresses#parse}
 *     makes) are looked up at each connect, resolved ones used as they are
 */
public record ClientOptions(
    String host, int port, String nick, String clientName, Duration connectTimeout,
    FrameLimits limits, ClientTls tls, char[] password, List<InetSocketAddress> servers) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 7667;
  public static final String DEFAULT_CLIENT_NAME = "chat-client/0.1";
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  /**
   * What the client accepts from its server: any header the 16-bit prefix allows and up to
   * 4 MiB of content (a big room's member list), more than the server accepts from clients.
   */
  public static final FrameLimits DEFAULT_LIMITS = new FrameLimits(0xFFFF, 4 * 1024 * 1024,
      FrameLimits.DEFAULT_MAX_CONSECUTIVE_ERRORS);

  public ClientOptions {
    if (servers == null || servers.isEmpty()) {
      Objects.requireNonNull(host, "host");
      checkPort(port);
      servers = List.of(InetSocketAddress.createUnresolved(host, port));
    } else {
      servers = List.copyOf(servers);
      servers.forEach(server -> checkPort(server.getPort()));
      host = servers.get(0).getHostString();
      port = servers.get(0).getPort();
    }
    clientName = clientName == null ? DEFAULT_CLIENT_NAME : clientName;
    connectTimeout = connectTimeout == null ? DEFAULT_CONNECT_TIMEOUT : connectTimeout;
    if (connectTimeout.isNegative() || connectTimeout.isZero()) {
      throw new IllegalArgumentException("connectTimeout must be positive: " + connectTimeout);
    }
    limits = limits == null ? DEFAULT_LIMITS : limits;
    tls = tls == null ? ClientTls.defaults() : tls;
    if (password != null && (nick == null || nick.isEmpty())) {
      throw new IllegalArgumentException("a password needs the account's name as the nick");
    }
  }

  private static void checkPort(int port) {
    if (port < 1 || port > 0xFFFF) {
      throw new IllegalArgumentException("port must be in [1, 65535]: " + port);
    }
  }

  /** Options for the one server {@code host:port}. */
  public ClientOptions(String host, int port, String nick, String clientName,
      Duration connectTimeout, FrameLimits limits, ClientTls tls, char[] password) {
    this(host, port, nick, clientName, connectTimeout, limits, tls, password, null);
  }

  /** Options with the default TLS settings and no password. */
  public ClientOptions(String host, int port, String nick, String clientName,
      Duration connectTimeout, FrameLimits limits) {
    this(host, port, nick, clientName, connectTimeout, limits, null, null);
  }

  /** Options with the default client name, connect timeout, frame limits and TLS settings. */
  public static ClientOptions of(String host, int port, String nick) {
    return new ClientOptions(host, port, nick, null, null, null);
  }

  /**
   * Options for several servers, tried in turn, with the defaults otherwise; for example the
   * nodes of a cluster as {@code List.of(new InetSocketAddress("127.0.0.1", port1), ...)}.
   */
  public static ClientOptions of(List<InetSocketAddress> servers, String nick) {
    if (servers == null || servers.isEmpty()) {
      throw new IllegalArgumentException("no servers given");
    }
    return new ClientOptions(null, 0, nick, null, null, null, null, null, servers);
  }

  public ClientOptions withServers(List<InetSocketAddress> newServers) {
    if (newServers == null || newServers.isEmpty()) {
      throw new IllegalArgumentException("no servers given");
    }
    return new ClientOptions(null, 0, nick, clientName, connectTimeout, limits, tls, password,
        newServers);
  }

  public ClientOptions withNick(String newNick) {
    return new ClientOptions(host, port, newNick, clientName, connectTimeout, limits, tls,
        password, servers);
  }

  public ClientOptions withTls(ClientTls newTls) {
    return new ClientOptions(host, port, nick, clientName, connectTimeout, limits, newTls,
        password, servers);
  }

  /** Logs in to the account {@code account} at connect (null password: as a guest). */
  public ClientOptions withLogin(String account, char[] newPassword) {
    return new ClientOptions(host, port, account, clientName, connectTimeout, limits, tls,
        newPassword, servers);
  }

  public ClientOptions withConnectTimeout(Duration timeout) {
    return new ClientOptions(host, port, nick, clientName, timeout, limits, tls, password,
        servers);
  }

  /** True when the connection to the first server speaks TLS. */
  public boolean usesTls() {
    return tls.enabledFor(host);
  }

  /** {@code host:port}, or for several servers {@code host1:port1,host2:port2}, as in messages. */
  public String address() {
    return ServerAddresses.format(servers);
  }

  @Override
  public String toString() {
    return "ClientOptions[" + address() + ", nick=" + nick + ", client=" + clientName
        + ", connectTimeout=" + connectTimeout + ", " + tls
        + (password == null ? "" : ", password=***") + "]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ClientOptions other && servers.equals(other.servers)
        && Objects.equals(nick, other.nick) && clientName.equals(other.clientName)
        && connectTimeout.equals(other.connectTimeout) && limits.equals(other.limits)
        && tls.equals(other.tls) && java.util.Arrays.equals(password, other.password);
  }

  @Override
  public int hashCode() {
    return Objects.hash(servers, nick, clientName, connectTimeout, limits, tls);
  }
}
