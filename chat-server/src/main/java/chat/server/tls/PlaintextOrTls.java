package chat.server.tls;

import chat.protocol.FrameEncoder;
import chat.protocol.Json;
import chat.protocol.Keys;
import chat.protocol.Types;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.OptionalSslHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * One port for both: a connection whose first bytes are a TLS handshake gets TLS; plaintext is
 * accepted only from loopback peers unless explicitly allowed, and otherwise refused, in the
 * port's own protocol, with a message that says why (an error frame on the native port, an IRC
 * {@code ERROR} on the IRC port).
 *
 * <p>Detection reads the first 5 bytes. A native frame is taken for TLS only if its header is
 * between 5632 and 5890 bytes long (first bytes 0x16 0x03); a first {@code hello} is far
 * smaller. No IRC command starts with byte 0x16.
 */
public final class PlaintextOrTls extends OptionalSslHandler {

  private static final Logger log = LoggerFactory.getLogger(PlaintextOrTls.class);
  public static final String REFUSAL_CODE = "tls-required";
  /** Why plaintext is refused, in every door's words. */
  public static final String REFUSAL =
      "this server accepts plaintext only from its own machine; connect with TLS";

  private final boolean allowRemotePlaintext;
  private final Function<ByteBufAllocator, ByteBuf> refusal;

  /** The native port's: the refusal is an error frame. */
  public PlaintextOrTls(SslContext context, boolean allowRemotePlaintext) {
    this(context, allowRemotePlaintext, PlaintextOrTls::errorFrame);
  }

  /** @param refusal the bytes a refused peer reads before the close */
  public PlaintextOrTls(SslContext context, boolean allowRemotePlaintext,
      Function<ByteBufAllocator, ByteBuf> refusal) {
    super(context);
    this.allowRemotePlaintext = allowRemotePlaintext;
    this.refusal = refusal;
  }

  @Override
  protected ChannelHandler newNonSslHandler(ChannelHandlerContext ctx) {
    if (allowRemotePlaintext || isLoopback(ctx.channel().remoteAddress())) {
      return null;
    }
    log.info("refusing plaintext from {}", ctx.channel().remoteAddress());
    return new Refuse(refusal);
  }

  public static boolean isLoopback(SocketAddress address) {
    return address instanceof InetSocketAddress inet && inet.getAddress() != null
        && inet.getAddress().isLoopbackAddress();
  }

  private static ByteBuf errorFrame(ByteBufAllocator alloc) {
    ObjectNode error = Json.header(Types.ERROR)
        .put(Keys.CODE, REFUSAL_CODE)
        .put(Keys.MESSAGE, REFUSAL)
        .put(Keys.FATAL, true);
    return FrameEncoder.encode(alloc, error, new byte[0]);
  }

  /** Answers the first plaintext bytes with the refusal and closes. */
  private static final class Refuse extends ChannelInboundHandlerAdapter {
    private final Function<ByteBufAllocator, ByteBuf> refusal;
    private boolean sent;

    Refuse(Function<ByteBufAllocator, ByteBuf> refusal) {
      this.refusal = refusal;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ReferenceCountUtil.release(msg);
      if (sent) {
        return;
      }
      sent = true;
      ctx.writeAndFlush(refusal.apply(ctx.alloc())).addListener(ChannelFutureListener.CLOSE);
    }
  }
}
