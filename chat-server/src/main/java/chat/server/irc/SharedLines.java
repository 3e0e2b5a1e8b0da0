package chat.server.irc;

import chat.core.Event;
import io.netty.util.concurrent.FastThreadLocal;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Formats a room message once for all the IRC members of a fan-out that asked for the same tags.
 *
 * <p>The lines of a live room message differ between members only by the tags each one asked for
 * ({@code server-time}, {@code message-tags}, {@code account-tag}): eight variants at most. The
 * hub hands one {@link Event} instance to every member's sink, one after the other, on the thread
 * doing the fan-out; each thread remembers the last message it formatted and, per variant, its
 * lines as CR LF-terminated UTF-8 bytes. The first member of a variant formats, every following
 * one gets the same arrays. They are never written to again, so members share them without
 * reference counts: each connection copies them into its own write ({@link LineBatch}), and the
 * garbage collector frees them once the last member has.
 */
final class SharedLines {

  /** The capabilities that change how a room message is written. */
  private static final Cap[] TAG_CAPS = {Cap.SERVER_TIME, Cap.MESSAGE_TAGS, Cap.ACCOUNT_TAG};

  private static final FastThreadLocal<SharedLines> CACHE = new FastThreadLocal<>() {
    @Override
    protected SharedLines initialValue() {
      return new SharedLines();
    }
  };

  private Event event;
  private final byte[][][] lines = new byte[1 << TAG_CAPS.length][][];

  private SharedLines() {}

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

  /** The lines of {@code m} for a member of {@code variant} (shared: never to be modified). */
  static byte[][] forMember(Event.RoomMessage m, int variant, IrcServerInfo info) {
    return CACHE.get().shared(m, variant, info);
  }

  /** This cache's lines of {@code m} for {@code variant}, formatted on first use. */
  byte[][] shared(Event.RoomMessage m, int variant, IrcServerInfo info) {
    if (m != event) {
      java.util.Arrays.fill(lines, null);
      event = m;
    }
    byte[][] formatted = lines[variant];
    if (formatted == null) {
      formatted = format(m, variant, info);
      lines[variant] = formatted;
    }
    return formatted;
  }

  private static byte[][] format(Event.RoomMessage m, int variant, IrcServerInfo info) {
    Set<Cap> caps = EnumSet.noneOf(Cap.class);
    for (int i = 0; i < TAG_CAPS.length; i++) {
      if ((variant & (1 << i)) != 0) {
        caps.add(TAG_CAPS[i]);
      }
    }
    List<IrcMessage> rendered = new MessageLines(caps, info.files, info.users).render(m, Map.of());
    byte[][] out = new byte[rendered.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = (rendered.get(i).format() + "\r\n").getBytes(StandardCharsets.UTF_8);
    }
    return out;
  }
}
