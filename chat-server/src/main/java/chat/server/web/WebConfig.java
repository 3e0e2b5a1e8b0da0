package chat.server.web;

import java.util.List;
import java.util.Objects;

/**
 * The web door: an HTTP listener serving the browser client, its WebSocket endpoint, health and
 * metrics. TLS follows the native door: with a certificate, one port speaks both TLS and plain
 * HTTP (told apart by the first bytes), plain HTTP is served to loopback peers only and others
 * are redirected to https on the same port, unless plaintext is allowed from anywhere.
 *
 * @param host address to bind (the native listener's by default)
 * @param port port to bind (default {@value #DEFAULT_PORT}; 0 picks a free one)
 * @param origins origins allowed to open the WebSocket besides the server's own, such as
 *     {@code https://chat.example.org} behind a proxy; {@code *} allows any (not advisable)
 * @param metricsToken bearer token that opens {@code /metrics} to peers beyond loopback; null
 *     keeps it to loopback peers
 */
public record WebConfig(String host, int port, List<String> origins, String metricsToken) {

  public static final int DEFAULT_PORT = 8080;
  /** Path of the WebSocket endpoint. */
  public static final String WS_PATH = "/ws";
  /**
   * Path of IRC over WebSocket (the IRCv3 subprotocols, or text messages for a client that asks
   * for none); an upgrade on {@link #WS_PATH} or {@code /} that offers an IRCv3 subprotocol is
   * IRC too. Served while the IRC door is on.
   */
  public static final String IRC_PATH = "/irc";

  public WebConfig {
    Objects.requireNonNull(host, "host");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be in [0, 65535]: " + port);
    }
    origins = origins == null ? List.of() : List.copyOf(origins);
    for (String origin : origins) {
      if (!origin.equals("*") && Origins.parse(origin) == null) {
        throw new IllegalArgumentException("not an origin (scheme://host[:port]): " + origin);
      }
    }
    if (metricsToken != null && metricsToken.isBlank()) {
      metricsToken = null;
    }
  }

  /** On {@code host}, port {@code port}, own origins only, metrics for loopback only. */
  public static WebConfig on(String host, int port) {
    return new WebConfig(host, port, List.of(), null);
  }

  public WebConfig withOrigins(List<String> extra) {
    return new WebConfig(host, port, extra, metricsToken);
  }

  public WebConfig withMetricsToken(String token) {
    return new WebConfig(host, port, origins, token);
  }

  /**
   * A public URL as given ({@code https://chat.example.org}, maybe with a path prefix), checked
   * and without a trailing slash: links are this plus {@code /files/...}.
   */
  public static String publicUrl(String url) {
    java.net.URI uri;
    try {
      uri = new java.net.URI(url.strip());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException("not a URL: " + url);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null
        || uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException("a public URL is http(s)://host[:port][/path], without "
          + "query or fragment: " + url);
    }
    String s = uri.toString();
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    return s;
  }

  /**
   * The URL derived from the web door's bind address: {@code https} with TLS, the host as bound
   * (this machine's name when bound to every address), the bound port.
   */
  public static String derivedUrl(String bindHost, int port, boolean tls) {
    String host = bindHost;
    if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]") || host.isEmpty()) {
      try {
        host = java.net.InetAddress.getLocalHost().getHostName();
      } catch (java.net.UnknownHostException e) {
        host = "localhost";
      }
    }
    if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    return (tls ? "https://" : "http://") + host + ":" + port;
  }
}
