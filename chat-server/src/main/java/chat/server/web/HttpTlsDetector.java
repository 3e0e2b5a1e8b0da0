package chat.server.web;

import chat.server.tls.PlaintextOrTls;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.OptionalSslHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.AttributeKey;

/**
 * One port for https and http, as on the native port: a TLS ClientHello gets TLS; plain HTTP is
 * served to loopback peers, and from anyone else (unless plaintext is allowed from anywhere) it
 * is marked so that the router answers every request with a redirect to https on this port.
 */
final class HttpTlsDetector extends OptionalSslHandler {

  /** Set on a plaintext connection from a peer that must use https. */
  static final AttributeKey<Boolean> MUST_UPGRADE = AttributeKey.valueOf("chat.web.mustUseHttps");

  private final boolean allowRemotePlaintext;

  HttpTlsDetector(SslContext context, boolean allowRemotePlaintext) {
    super(context);
    this.allowRemotePlaintext = allowRemotePlaintext;
  }

  @Override
  protected ChannelHandler newNonSslHandler(ChannelHandlerContext ctx) {
    if (!allowRemotePlaintext && !PlaintextOrTls.isLoopback(ctx.channel().remoteAddress())) {
      ctx.channel().attr(MUST_UPGRADE).set(Boolean.TRUE);
    }
    return null;
  }
}
