package chat.server.irc;

import chat.server.tls.PlaintextOrTls;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.OptionalSslHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TLS or plaintext on one IRC port, as on the native port: a TLS ClientHello gets TLS (no IRC
 * command starts with byte 0x16), plaintext is served to loopback peers, and anyone else sending
 * plaintext gets an IRC {@code ERROR} saying why, then a close (unless plaintext is allowed).
 */
final class IrcTls extends OptionalSslHandler {

  private static final Logger log = LoggerFactory.getLogger(IrcTls.class);

  private final boolean allowRemotePlaintext;

  IrcTls(SslContext context, boolean allowRemotePlaintext) {
    super(context);
    this.allowRemotePlaintext = allowRemotePlaintext;
  }

  @Override
  protected ChannelHandler newNonSslHandler(ChannelHandlerContext ctx) {
    if (allowRemotePlaintext || PlaintextOrTls.isLoopback(ctx.channel().remoteAddress())) {
      return null;
    }
    log.info("refusing plaintext IRC from {}", ctx.channel().remoteAddress());
    return new Refuse();
  }

  /** Answers the first plaintext bytes with ERROR and closes. */
  private static final class Refuse extends ChannelInboundHandlerAdapter {
    private boolean sent;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ReferenceCountUtil.release(msg);
      if (sent) {
        return;
      }
      sent = true;
      ctx.writeAndFlush(ByteBufUtil.writeUtf8(ctx.alloc(),
          "ERROR :Closing link: this server accepts plaintext only from its own machine; "
              + "connect with TLS\r\n")).addListener(ChannelFutureListener.CLOSE);
    }
  }
}
