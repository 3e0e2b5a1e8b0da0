package chat.server.web;

import chat.server.irc.IrcWebSocket;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.timeout.IdleStateEvent;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes one HTTP connection's requests: {@code /ws} (the WebSocket upgrade, after the Origin
 * check), {@code /irc} (IRC over WebSocket, after the same check; also an upgrade on {@code /ws}
 * or {@code /} that offers an IRCv3 subprotocol), {@code /files/} (shared files, {@link FileServer}), {@code /healthz}, {@code /metrics},
 * and the client's static files. After an upgrade
 * it leaves the pipeline: the connection speaks WebSocket from then on.
 */
final class HttpRouter extends SimpleChannelInboundHandler<FullHttpRequest> {

  private static final Logger log = LoggerFactory.getLogger(HttpRouter.class);

  private final WebDoor door;

  HttpRouter(WebDoor door) {
    this.door = door;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    if (!request.decoderResult().isSuccess()) {
      reply(ctx, request, "other", Http.text(HttpResponseStatus.BAD_REQUEST, "bad request"));
      return;
    }
    if (Boolean.TRUE.equals(ctx.channel().attr(HttpTlsDetector.MUST_UPGRADE).get())) {
      toHttps(ctx, request);
      return;
    }
    String path = new QueryStringDecoder(request.uri()).path();
    if (FileServer.handles(path)) {
      door.fileServer().serve(ctx, request, path);
      return;
    }
    if ((path.equals(WebConfig.WS_PATH) || path.equals("/")) && door.irc() != null
        && IrcWebSocket.offered(request.headers().get(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL))
        && isUpgrade(request)) {
      // An IRC client (it offers an IRCv3 subprotocol, which the browser client never does)
      // that was pointed at the server's address or at the browser client's WebSocket.
      upgrade(ctx, request, true);
      return;
    }
    switch (path) {
      case WebConfig.WS_PATH -> upgrade(ctx, request, false);
      case WebConfig.IRC_PATH -> {
        if (door.irc() == null) {
          reply(ctx, request, "irc", Http.text(HttpResponseStatus.NOT_FOUND,
              "IRC is off on this server"));
        } else {
          upgrade(ctx, request, true);
        }
      }
      case "/healthz", "/healthz/live", "/healthz/ready" -> health(ctx, request, path);
      case "/metrics" -> metrics(ctx, request);
      default -> staticFile(ctx, request, path);
    }
  }

  private void toHttps(ChannelHandlerContext ctx, FullHttpRequest request) {
    String host = request.headers().get(HttpHeaderNames.HOST);
    if (host == null || !door.origins().isOwnHost(host)) {
      reply(ctx, request, "other", Http.text(HttpResponseStatus.FORBIDDEN,
          "this server serves plain http to its own machine only; use https"));
      return;
    }
    FullHttpResponse response = Http.text(HttpResponseStatus.PERMANENT_REDIRECT,
        "use https");
    String uri = request.uri().startsWith("/") ? request.uri() : "/";
    response.headers().set(HttpHeaderNames.LOCATION, "https://" + host + uri);
    reply(ctx, request, "redirect", response);
  }

  private static boolean isUpgrade(FullHttpRequest request) {
    return request.method().equals(HttpMethod.GET) && request.headers()
        .containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
  }

  /** Upgrades to the browser client's WebSocket (native frames) or to IRC over WebSocket. */
  private void upgrade(ChannelHandlerContext ctx, FullHttpRequest request, boolean irc) {
    String endpoint = irc ? "irc" : "ws";
    String origin = request.headers().get(HttpHeaderNames.ORIGIN);
    if (!door.origins().allows(origin)) {
      log.info("refusing a WebSocket from {} with origin {}", ctx.channel().remoteAddress(),
          origin);
      door.refused("origin");
      reply(ctx, request, endpoint, Http.text(HttpResponseStatus.FORBIDDEN,
          "origin not allowed: " + origin));
      return;
    }
    if (!isUpgrade(request)) {
      door.refused("not-upgrade");
      reply(ctx, request, endpoint, Http.text(HttpResponseStatus.BAD_REQUEST,
          "this is the WebSocket endpoint: GET with Upgrade: websocket"));
      return;
    }
    count(endpoint, 101);
    ChannelPipeline p = ctx.pipeline();
    for (String name : new String[] {WebDoor.CHUNKED, WebDoor.HTTP_FLOW}) {
      if (p.get(name) != null) {
        p.remove(name); // the WebSocket stages bring their own flow control
      }
    }
    if (irc) {
      p.addAfter(ctx.name(), "ws", new WebSocketServerProtocolHandler(door.ircWebSocketConfig()));
      p.addAfter("ws", "ws-aggregator",
          new WebSocketFrameAggregator(IrcWebSocket.MAX_MESSAGE_BYTES));
      p.addAfter("ws-aggregator", "ws-irc", door.irc().newFrames());
    } else {
      p.addAfter(ctx.name(), "ws", new WebSocketServerProtocolHandler(door.webSocketConfig()));
      p.addAfter("ws", "ws-aggregator", new WebSocketFrameAggregator(door.maxMessageBytes()));
      p.addAfter("ws-aggregator", "ws-frames", door.newWsFrames());
    }
    ctx.fireChannelRead(request.retain()); // to the handshake, which answers 101 or 400
    p.remove(this);
  }

  private void health(ChannelHandlerContext ctx, FullHttpRequest request, String path) {
    if (!getOrHead(ctx, request, "healthz")) {
      return;
    }
    if (path.equals("/healthz/live")) {
      FullHttpResponse live = Http.response(HttpResponseStatus.OK, "application/json",
          "{\"status\":\"ok\",\"live\":true}\n".getBytes(StandardCharsets.UTF_8));
      reply(ctx, request, "healthz", live);
      return;
    }
    request.retain();
    door.health().check().whenComplete((status, failure) -> ctx.executor().execute(() -> {
      try {
        boolean ready = failure == null && status.ready();
        String store = failure == null ? status.store() : "unknown";
        StringBuilder json = new StringBuilder(128);
        json.append("{\"status\":\"").append(ready ? "ok" : "unavailable").append('"')
            .append(",\"live\":true,\"ready\":").append(ready)
            .append(",\"stopping\":").append(failure == null && status.stopping())
            .append(",\"store\":{\"status\":\"").append(jsonEscape(store)).append('"');
        if (failure == null && status.storeMillis() >= 0) {
          json.append(",\"millis\":").append(status.storeMillis());
        }
        json.append('}');
        if (failure == null) {
          json.append(",\"bus\":{\"status\":\"").append(status.bus()).append("\"}");
        }
        ClusterView cluster = door.clusterView();
        if (cluster != null) {
          json.append(",\"cluster\":{\"server\":").append(cluster.server())
              .append(",\"servers_alive\":").append(cluster.serversAlive())
              .append(",\"remote_users\":").append(cluster.remoteUsers()).append('}');
        }
        json.append("}\n");
        FullHttpResponse response = Http.response(
            ready ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
            "application/json", json.toString().getBytes(StandardCharsets.UTF_8));
        reply(ctx, request, "healthz", response);
      } finally {
        request.release();
      }
    }));
  }

  private void metrics(ChannelHandlerContext ctx, FullHttpRequest request) {
    if (!getOrHead(ctx, request, "metrics")) {
      return;
    }
    String token = door.config().metricsToken();
    String authorization = request.headers().get(HttpHeaderNames.AUTHORIZATION);
    boolean byToken = token != null && authorization != null
        && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
        && MessageDigest.isEqual(authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8),
            token.getBytes(StandardCharsets.UTF_8));
    boolean local = ctx.channel().remoteAddress() instanceof InetSocketAddress a
        && a.getAddress() != null && a.getAddress().isLoopbackAddress()
        && door.origins().isOwnHost(request.headers().get(HttpHeaderNames.HOST));
    if (!byToken && !local) {
      FullHttpResponse refused;
      if (token != null) {
        refused = Http.text(HttpResponseStatus.UNAUTHORIZED, "metrics need the bearer token");
        refused.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"metrics\"");
      } else {
        refused = Http.text(HttpResponseStatus.FORBIDDEN,
            "metrics are served to this machine only (or with --metrics-token)");
      }
      reply(ctx, request, "metrics", refused);
      return;
    }
    FullHttpResponse response = Http.response(HttpResponseStatus.OK,
        "text/plain; version=0.0.4; charset=utf-8",
        door.metrics().scrape().getBytes(StandardCharsets.UTF_8));
    reply(ctx, request, "metrics", response);
  }

  private void staticFile(ChannelHandlerContext ctx, FullHttpRequest request, String path) {
    StaticFiles.File file = door.files().get(path);
    if (file == null) {
      reply(ctx, request, "other", Http.text(HttpResponseStatus.NOT_FOUND, "not found"));
      return;
    }
    if (!getOrHead(ctx, request, "static")) {
      return;
    }
    FullHttpResponse response;
    String match = request.headers().get(HttpHeaderNames.IF_NONE_MATCH);
    if (match != null && etagMatches(match, file.etag())) {
      response = Http.response(HttpResponseStatus.NOT_MODIFIED, null, new byte[0]);
    } else {
      response = Http.response(HttpResponseStatus.OK, file.contentType(), file.bytes());
    }
    response.headers().set(HttpHeaderNames.ETAG, file.etag());
    // Always revalidate: the names carry no version, so a cached copy is used only after the
    // server has said (304, a few bytes) that it is still the current one.
    response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
    reply(ctx, request, "static", response);
  }

  static boolean etagMatches(String header, String etag) {
    for (String candidate : header.split(",")) {
      String c = candidate.strip();
      if (c.startsWith("W/")) {
        c = c.substring(2);
      }
      if (c.equals("*") || c.equals(etag)) {
        return true;
      }
    }
    return false;
  }

  private boolean getOrHead(ChannelHandlerContext ctx, FullHttpRequest request, String endpoint) {
    HttpMethod method = request.method();
    if (method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD)) {
      return true;
    }
    FullHttpResponse response = Http.text(HttpResponseStatus.METHOD_NOT_ALLOWED,
        "method not allowed");
    response.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
    reply(ctx, request, endpoint, response);
    return false;
  }

  private void reply(ChannelHandlerContext ctx, FullHttpRequest request, String endpoint,
      FullHttpResponse response) {
    count(endpoint, response.status().code());
    Http.send(ctx, request, response);
  }

  private void count(String endpoint, int status) {
    door.requests(endpoint, status);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent) {
      if (FileServer.stillServing(ctx)) {
        return; // a download in progress: the peer reads, it has nothing to send
      }
      ctx.close(); // an idle HTTP connection (not upgraded): nothing to keep it for
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("{}: {}", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }

  private static String jsonEscape(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        default -> {
          if (c < 0x20) {
            b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }
}
