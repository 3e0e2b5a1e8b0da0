package chat.bench;

import io.netty.buffer.ByteBuf;

/** Receives the room messages of one connection, on that connection's executor. */
@FunctionalInterface
public interface DeliveryHandler {

  /**
   * One room message.
   *
   * @param seq the room's sequence number of the message, or -1 when the protocol has none
   * @param content the buffer holding the message text; only {@code [offset, offset + length)}
   *     belongs to it, and only for the duration of the call. Its indexes must not be changed.
   */
  void onDelivery(long seq, ByteBuf content, int offset, int length);
}
