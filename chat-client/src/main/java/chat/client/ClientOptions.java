package chat.client;

import chat.protocol.FrameLimits;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach a server and who to be there.
 *
 * @param host server host name or address
 * @param port server TCP port, 1 to 65535
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
 */
public record ClientOptions(
    String host, int port, String nick, String clientName, Duration connectTimeout,
    FrameLimits limits, ClientTls tls, char[] password) {

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
    Objects.requireNonNull(host, "host");
    if (port < 1 || port > 0xFFFF) {
      throw new IllegalArgumentException("port must be in [1, 65535]: " + port);
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

  /** Options with the default TLS settings and no password. */
  public ClientOptions(String host, int port, String nick, String clientName,
      Duration connectTimeout, FrameLimits limits) {
    this(host, port, nick, clientName, connectTimeout, limits, null, null);
  }

  /** Options with the default client name, connect timeout, frame limits and TLS settings. */
  public static ClientOptions of(String host, int port, String nick) {
    return new ClientOptions(host, port, nick, null, null, null);
  }

  public ClientOptions withNick(String newNick) {
    return new ClientOptions(host, port, newNick, clientName, connectTimeout, limits, tls,
        password);
  }

  public ClientOptions withTls(ClientTls newTls) {
    return new ClientOptions(host, port, nick, clientName, connectTimeout, limits, newTls,
        password);
  }

  /** Logs in to the account {@code account} at connect (null password: as a guest). */
  public ClientOptions withLogin(String account, char[] newPassword) {
    return new ClientOptions(host, port, account, clientName, connectTimeout, limits, tls,
        newPassword);
  }

  public ClientOptions withConnectTimeout(Duration timeout) {
    return new ClientOptions(host, port, nick, clientName, timeout, limits, tls, password);
  }

  /** True when the connection to {@link #host()} speaks TLS. */
  public boolean usesTls() {
    return tls.enabledFor(host);
  }

  /** {@code host:port}, as used in messages. */
  public String address() {
    return host + ":" + port;
  }

  @Override
  public String toString() {
    return "ClientOptions[" + address() + ", nick=" + nick + ", client=" + clientName
        + ", connectTimeout=" + connectTimeout + ", " + tls
        + (password == null ? "" : ", password=***") + "]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ClientOptions other && host.equals(other.host) && port == other.port
        && Objects.equals(nick, other.nick) && clientName.equals(other.clientName)
        && connectTimeout.equals(other.connectTimeout) && limits.equals(other.limits)
        && tls.equals(other.tls) && java.util.Arrays.equals(password, other.password);
  }

  @Override
  public int hashCode() {
    return Objects.hash(host, port, nick, clientName, connectTimeout, limits, tls);
  }
}
