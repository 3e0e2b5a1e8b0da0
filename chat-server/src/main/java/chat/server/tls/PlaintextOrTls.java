package chat.server.tls;

import chat.protocol.FrameEncoder;
import chat.protocol.Json;
import chat.protocol.Keys;
import chat.protocol.Types;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.OptionalSslHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import tools.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One port for both: a connection whose first bytes are a TLS handshake gets TLS; plaintext is
 * accepted only from loopback peers unless explicitly allowed, and otherwise refused with an
 * error frame that says why.
 *
 * <p>Detection reads the first 5 bytes. A plaintext frame is taken for TLS only if its header is
 * between 5632 and 5890 bytes long (first bytes 0x16 0x03); a first {@code hello} is far
 * smaller.
 */
public final class PlaintextOrTls extends OptionalSslHandler {

  private static final Logger log = LoggerFactory.getLogger(PlaintextOrTls.class);
  public static final String REFUSAL_CODE = "tls-required";

  private final boolean allowRemotePlaintext;

  public PlaintextOrTls(SslContext context, boolean allowRemotePlaintext) {
    super(context);
    this.allowRemotePlaintext = allowRemotePlaintext;
  }

  @Override
  protected ChannelHandler newNonSslHandler(ChannelHandlerContext ctx) {
    if (allowRemotePlaintext || isLoopback(ctx.channel().remoteAddress())) {
      return null;
    }
    log.info("refusing plaintext from {}", ctx.channel().remoteAddress());
    return new Refuse();
  }

  public static boolean isLoopback(SocketAddress address) {
    return address instanceof InetSocketAddress inet && inet.getAddress() != null
        && inet.getAddress().isLoopbackAddress();
  }

  /** Answers the first plaintext bytes with an error frame and closes. */
  private static final class Refuse extends ChannelInboundHandlerAdapter {
    private boolean sent;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ReferenceCountUtil.release(msg);
      if (sent) {
        return;
      }
      sent = true;
      ObjectNode error = Json.header(Types.ERROR)
          .put(Keys.CODE, REFUSAL_CODE)
          .put(Keys.MESSAGE, "this server accepts plaintext only from its own machine; connect with TLS")
          .put(Keys.FATAL, true);
      ByteBuf frame = FrameEncoder.encode(ctx.alloc(), error, new byte[0]);
      ctx.writeAndFlush(frame).addListener(ChannelFutureListener.CLOSE);
    }
  }
}
