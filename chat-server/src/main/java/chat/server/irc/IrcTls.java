package chat.server.irc;

import chat.server.tls.PlaintextOrTls;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.ssl.SslContext;

/**
 * TLS or plaintext on one IRC port, as on the native port ({@link PlaintextOrTls}): a TLS
 * ClientHello gets TLS, plaintext is served to loopback peers, and anyone else sending plaintext
 * gets an IRC {@code ERROR} saying why, then a close (unless plaintext is allowed).
 */
final class IrcTls {
  private IrcTls() {}

  static PlaintextOrTls handler(SslContext context, boolean allowRemotePlaintext) {
    return new PlaintextOrTls(context, allowRemotePlaintext, alloc -> ByteBufUtil.writeUtf8(alloc,
        "ERROR :Closing link: " + PlaintextOrTls.REFUSAL + "\r\n"));
  }
}
