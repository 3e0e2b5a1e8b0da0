package chat.server.irc;

import java.util.List;

/**
 * The IRC door's settings. TLS, the plaintext policy and the ping interval are the native
 * listener's ({@code ServerConfig}); the core's limits come from the hub.
 *
 * @param host address the IRC listener binds (default: the native listener's host)
 * @param port IRC listener port (default 6667; 0 picks a free port)
 * @param password the server password clients must send with PASS, or null for none; without
 *     one, PASS is taken as the password of the account named by NICK
 * @param serverName the server's name in numerics and as the source of server messages
 * @param network the network name (ISUPPORT NETWORK)
 * @param motd the message of the day, one entry per line; empty for none (422)
 */
public record IrcConfig(String host, int port, String password, String serverName,
    String network, List<String> motd, String serverInfo) {

  public static final int DEFAULT_PORT = 6667;
  public static final String DEFAULT_SERVER_NAME = "chat.local";
  public static final String DEFAULT_NETWORK = "chat";
  /** The server's description, in LINKS and WHOIS. */
  public static final String DEFAULT_SERVER_INFO = "chat server";

  public IrcConfig {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("IRC port must be in [0, 65535]: " + port);
    }
    if (serverName == null || serverName.isBlank() || serverName.contains(" ")) {
      throw new IllegalArgumentException("server name must be one word: " + serverName);
    }
    if (network == null || network.isBlank() || network.contains(" ")) {
      throw new IllegalArgumentException("network name must be one word: " + network);
    }
    motd = motd == null ? List.of() : List.copyOf(motd);
    if (serverInfo == null || serverInfo.isBlank()) {
      serverInfo = DEFAULT_SERVER_INFO;
    }
  }

  public IrcConfig(String host, int port, String password, String serverName, String network,
      List<String> motd) {
    this(host, port, password, serverName, network, motd, DEFAULT_SERVER_INFO);
  }

  /** On {@code host}:{@code port}, no password, default names, no MOTD. */
  public static IrcConfig of(String host, int port) {
    return new IrcConfig(host, port, null, DEFAULT_SERVER_NAME, DEFAULT_NETWORK, List.of());
  }

  public IrcConfig withPassword(String serverPassword) {
    return new IrcConfig(host, port, serverPassword, serverName, network, motd, serverInfo);
  }

  public IrcConfig withServerInfo(String info) {
    return new IrcConfig(host, port, password, serverName, network, motd, info);
  }

  public IrcConfig withMotd(List<String> lines) {
    return new IrcConfig(host, port, password, serverName, network, lines, serverInfo);
  }
}
