package chat.server.web;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Who may open the WebSocket: a browser sends the page's origin with the upgrade, and only the
 * server's own origins (its names and addresses on its web port, http and https) and the
 * configured extra ones are let in. This stops other sites' pages from using a visitor's
 * browser to talk to the server (cross-site WebSocket hijacking), and because the server's own
 * names are a fixed list rather than "whatever the Host header says", a DNS-rebinding page on a
 * foreign name is refused too. Clients that are not browsers send no Origin and are let in: the
 * check protects browsers, it does not authenticate.
 */
final class Origins {

  /** A normalised origin: scheme, lower-case host (IPv6 in brackets), explicit port. */
  record Origin(String scheme, String host, int port) {
    @Override
    public String toString() {
      return scheme + "://" + host + ":" + port;
    }
  }

  private final Set<Origin> allowed;
  private final Set<String> hosts;
  private final boolean any;

  private Origins(Set<Origin> allowed, Set<String> hosts, boolean any) {
    this.allowed = allowed;
    this.hosts = hosts;
    this.any = any;
  }

  /**
   * The server's own origins for a listener bound to {@code bindHost}:{@code port} (http, and
   * https when {@code tls}), plus {@code extra}.
   */
  static Origins of(String bindHost, int port, boolean tls, List<String> extra) {
    Set<String> names = ownHostNames(bindHost);
    Set<Origin> allowed = new LinkedHashSet<>();
    for (String name : names) {
      allowed.add(new Origin("http", name, port));
      if (tls) {
        allowed.add(new Origin("https", name, port));
      }
    }
    boolean any = false;
    for (String e : extra) {
      if (e.equals("*")) {
        any = true;
        continue;
      }
      Origin origin = parse(e);
      allowed.add(origin);
      names.add(origin.host());
    }
    return new Origins(Collections.unmodifiableSet(allowed), Collections.unmodifiableSet(names), any);
  }

  /** Whether a WebSocket upgrade with this Origin header (null: none) may proceed. */
  boolean allows(String originHeader) {
    if (originHeader == null || any) {
      return true;
    }
    Origin origin = parse(originHeader);
    return origin != null && allowed.contains(origin);
  }

  /** Whether a Host header names this server (one of its own names, or an extra origin's). */
  boolean isOwnHost(String hostHeader) {
    if (hostHeader == null) {
      return false;
    }
    Origin origin = parse("http://" + hostHeader);
    return origin != null && hosts.contains(origin.host());
  }

  Set<Origin> allowed() {
    return allowed;
  }

  /** {@code scheme://host[:port]} normalised, or null when it is not an http(s) origin. */
  static Origin parse(String text) {
    if (text == null) {
      return null;
    }
    try {
      URI uri = new URI(text.strip());
      String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
      String host = uri.getHost();
      if (scheme == null || host == null || !(scheme.equals("http") || scheme.equals("https"))
          || uri.getRawUserInfo() != null
          || (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/"))
          || uri.getRawQuery() != null || uri.getRawFragment() != null) {
        return null;
      }
      int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
      return new Origin(scheme, normaliseHost(host), port);
    } catch (java.net.URISyntaxException e) {
      return null;
    }
  }

  /** Lower case; IPv6 literals in brackets and in one spelling ([::1] is [0:0:0:0:0:0:0:1]). */
  private static String normaliseHost(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    String inner = h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    if (inner.indexOf(':') < 0) {
      return h;
    }
    try {
      return literal(InetAddress.getByName(inner)); // a literal: parsed, never looked up
    } catch (UnknownHostException e) {
      return "[" + inner + "]";
    }
  }

  /** The names and addresses under which browsers may reach a listener bound to bindHost. */
  static Set<String> ownHostNames(String bindHost) {
    Set<String> names = new LinkedHashSet<>();
    InetAddress bound = null;
    try {
      bound = InetAddress.getByName(bindHost);
    } catch (UnknownHostException e) {
      // a name we cannot resolve: keep it as it is
    }
    boolean wildcard = bound != null && bound.isAnyLocalAddress();
    if (!wildcard) {
      names.add(normaliseHost(bindHost));
      if (bound != null) {
        names.add(literal(bound));
      }
    }
    if (wildcard || (bound != null && bound.isLoopbackAddress())) {
      names.add("localhost");
      names.add("127.0.0.1");
      names.add(normaliseHost("::1"));
    }
    if (wildcard) {
      try {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
          if (!nic.isUp()) {
            continue;
          }
          for (InetAddress address : Collections.list(nic.getInetAddresses())) {
            if (!address.isLinkLocalAddress()) {
              names.add(literal(address));
            }
          }
        }
      } catch (SocketException e) {
        // no interface list: the loopback names remain
      }
    }
    if (bound == null || !bound.isLoopbackAddress()) {
      try {
        String local = InetAddress.getLocalHost().getHostName().toLowerCase(Locale.ROOT);
        names.add(local);
      } catch (UnknownHostException e) {
        // no host name known
      }
    }
    return names;
  }

  private static String literal(InetAddress address) {
    String text = address.getHostAddress();
    int scope = text.indexOf('%');
    if (scope >= 0) {
      text = text.substring(0, scope);
    }
    return address instanceof Inet6Address ? "[" + text.toLowerCase(Locale.ROOT) + "]" : text;
  }
}
