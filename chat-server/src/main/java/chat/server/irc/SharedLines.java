package chat.server.irc;

import chat.core.Event;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Formats a room message once for all the IRC members of a fan-out that asked for the same tags.
 *
 * <p>The lines of a live room message differ between members only by the tags each one asked for
 * ({@code server-time}, {@code message-tags}, {@code account-tag}): eight variants at most. The
 * hub hands one {@link Event} instance to every member's sink, one after the other, on the thread
 * doing the fan-out; each thread remembers the last message it formatted and, per variant, its
 * lines as CR LF-terminated UTF-8 buffers. The first member of a variant formats, every following
 * one gets retained duplicates of the same buffers (its own indexes, the same memory), which its
 * channel releases once written. The cache holds one reference of its own per buffer, given up
 * when the thread formats the next message or ends. The native door does the same with its frames
 * ({@code EncodedEvents}).
 *
 * <p>Each buffer is one line, so the WebSocket door can still send each line as one message.
 * Threads other than Netty's (tests, the shutdown notice) get {@code null}: the connection
 * renders for itself as before.
 */
final class SharedLines {

  /** The capabilities that change how a room message is written. */
  private static final Cap[] TAG_CAPS = {Cap.SERVER_TIME, Cap.MESSAGE_TAGS, Cap.ACCOUNT_TAG};

  private static final FastThreadLocal<SharedLines> CACHE = new FastThreadLocal<>() {
    @Override
    protected SharedLines initialValue() {
      return new SharedLines();
    }

    @Override
    protected void onRemoval(SharedLines cache) {
      cache.clear();
    }
  };

  private Event event;
  private final ByteBuf[][] lines = new ByteBuf[1 << TAG_CAPS.length][];

  private SharedLines() {}

  /** A cache of its own, for a benchmark driving a thread that is not Netty's. */
  static SharedLines newCache() {
    return new SharedLines();
  }

  /** Which of the tag capabilities {@code caps} holds, as the variant's index. */
  static int variant(Set<Cap> caps) {
    int mask = 0;
    for (int i = 0; i < TAG_CAPS.length; i++) {
      if (caps.contains(TAG_CAPS[i])) {
        mask |= 1 << i;
      }
    }
    return mask;
  }

  /**
   * The lines of {@code m} for a member of {@code variant}, each in a buffer the caller owns (one
   * reference), or {@code null} on a thread that does not share.
   */
  static ByteBuf[] forMember(ByteBufAllocator alloc, Event.RoomMessage m, int variant,
      IrcServerInfo info) {
    if (!(Thread.currentThread() instanceof FastThreadLocalThread)) {
      return null;
    }
    return CACHE.get().shared(alloc, m, variant, info);
  }

  /** This cache's duplicates of the lines of {@code m} for {@code variant}; the caller owns them. */
  ByteBuf[] shared(ByteBufAllocator alloc, Event.RoomMessage m, int variant, IrcServerInfo info) {
    if (m != event) {
      clear();
      event = m;
    }
    ByteBuf[] formatted = lines[variant];
    if (formatted == null) {
      formatted = format(alloc, m, variant, info);
      lines[variant] = formatted;
    }
    ByteBuf[] copies = new ByteBuf[formatted.length];
    for (int i = 0; i < formatted.length; i++) {
      copies[i] = formatted[i].retainedDuplicate();
    }
    return copies;
  }

  private static ByteBuf[] format(ByteBufAllocator alloc, Event.RoomMessage m, int variant,
      IrcServerInfo info) {
    Set<Cap> caps = EnumSet.noneOf(Cap.class);
    for (int i = 0; i < TAG_CAPS.length; i++) {
      if ((variant & (1 << i)) != 0) {
        caps.add(TAG_CAPS[i]);
      }
    }
    List<IrcMessage> rendered = new MessageLines(caps, info.files, info.users)
        .render(m, java.util.Map.of());
    ByteBuf[] out = new ByteBuf[rendered.size()];
    for (int i = 0; i < out.length; i++) {
      String line = rendered.get(i).format();
      ByteBuf buf = alloc.buffer(ByteBufUtil.utf8MaxBytes(line) + 2);
      ByteBufUtil.writeUtf8(buf, line);
      buf.writeByte('\r').writeByte('\n');
      out[i] = buf;
    }
    return out;
  }

  private void clear() {
    for (int i = 0; i < lines.length; i++) {
      if (lines[i] != null) {
        for (ByteBuf buf : lines[i]) {
          buf.release();
        }
        lines[i] = null;
      }
    }
    event = null;
  }

  /** Gives up {@code bufs} (a delivery that will not be written). */
  static void release(ByteBuf[] bufs) {
    for (ByteBuf buf : bufs) {
      buf.release();
    }
  }
}
