package chat.server.web;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/** Responses of the web door, each with the same security headers. */
final class Http {
  private Http() {}

  private static final Pattern HOST = Pattern.compile(
      "([A-Za-z0-9.-]{1,253}|\\[[0-9A-Fa-f:.]{2,45}])(:[0-9]{1,5})?");

  /**
   * The page's Content-Security-Policy: its own scripts, styles and images only (no inline
   * script or style, no other origin), and WebSocket connections back to the host it came from.
   */
  static String contentSecurityPolicy(String host) {
    String connect = host != null && HOST.matcher(host).matches()
        ? "'self' ws://" + host + " wss://" + host : "'self'";
    return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        + "connect-src " + connect + "; object-src 'none'; base-uri 'none'; "
        + "form-action 'self'; frame-ancestors 'none'";
  }

  static FullHttpResponse response(HttpResponseStatus status, String contentType, byte[] body) {
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
        Unpooled.wrappedBuffer(body));
    if (contentType != null) {
      response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
    }
    return response;
  }

  static FullHttpResponse text(HttpResponseStatus status, String text) {
    return response(status, "text/plain; charset=utf-8",
        (text + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Sends {@code response} to {@code request}: security headers, the length, no body for
   * HEAD, and the connection kept open only when the request asked for it.
   */
  static void send(ChannelHandlerContext ctx, HttpRequest request, FullHttpResponse response) {
    HttpHeaders h = response.headers();
    String host = request == null ? null : request.headers().get(HttpHeaderNames.HOST);
    if (!h.contains("Content-Security-Policy")) {
      h.set("Content-Security-Policy", contentSecurityPolicy(host));
    }
    securityHeaders(h);
    if (!h.contains(HttpHeaderNames.CACHE_CONTROL)) {
      h.set(HttpHeaderNames.CACHE_CONTROL, "no-store");
    }
    HttpUtil.setContentLength(response, response.content().readableBytes());
    if (request != null && request.method().equals(HttpMethod.HEAD)) {
      response.content().clear();
    }
    boolean keepAlive = request != null && HttpUtil.isKeepAlive(request)
        && response.status().code() < 400;
    if (keepAlive) {
      if (request.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
        h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
      }
      ctx.writeAndFlush(response);
    } else {
      h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
  }

  /** The headers every response carries besides its Content-Security-Policy. */
  static void securityHeaders(HttpHeaders h) {
    h.set("X-Content-Type-Options", "nosniff");
    h.set("Referrer-Policy", "no-referrer");
    h.set("X-Frame-Options", "DENY");
    h.set("Cross-Origin-Opener-Policy", "same-origin");
    h.set("Cross-Origin-Resource-Policy", "same-origin");
    h.set("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
  }
}
