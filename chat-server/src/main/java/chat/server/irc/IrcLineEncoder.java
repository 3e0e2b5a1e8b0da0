package chat.server.irc;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/** Writes an {@link IrcMessage} as one UTF-8 line ending in CR LF. */
@ChannelHandler.Sharable
public final class IrcLineEncoder extends MessageToByteEncoder<IrcMessage> {

  public static final IrcLineEncoder INSTANCE = new IrcLineEncoder();

  private IrcLineEncoder() {
    super(IrcMessage.class);
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, IrcMessage msg, ByteBuf out) {
    ByteBufUtil.writeUtf8(out, msg.format());
    out.writeByte('\r').writeByte('\n');
  }
}
