package chat.client;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where a client stands in each room's log and in its private messages, carried from one
 * connection to the next so that a reconnect resumes with no gap and no duplicate
 * (docs/CLIENT.md, "Reconnecting and resuming").
 *
 * <p>A {@link ChatClient} records here, per room, the highest {@code seq} it has passed to its
 * listener ({@code message}, {@code topic}, {@code mode} and {@code kicked} events, live or
 * replayed), the rooms it is in with their keys, and, while logged in, the private messages it
 * has passed on; as a guest, the {@code resume-token} of its last {@code welcome}. A client
 * connected with the state of an earlier connection
 * ({@link ChatClient#connect(ClientOptions, ClientListener, ResumeState)}) says hello with that
 * token (a guest within the server's grace gets its nick and rooms back), rejoins the rooms with
 * {@code since} and asks for the private messages after the newest one seen, and drops
 * whatever it has passed on before. A client does not reconnect by itself: whoever reconnects
 * (the terminal client, a bot, a test) hands the next connection the same state.
 *
 * <p>Thread-safe. Meant for one connection at a time: the next one is made once the last one has
 * closed.
 */
public final class ResumeState {

  /** Private message ids remembered for dropping repeats; a catch-up sends at most 1000. */
  static final int RECENT_PRIVATE = 4096;

  /** One room a rejoin asks for: its name, its key ({@code +k}) or null, and the seq to resume after. */
  record Rejoin(String room, String key, long since) {}

  private static final class Mark {
    String name;
    String key;
    long seq = -1;
    boolean member;

    Mark(String name) {
      this.name = name;
    }
  }

  /** By folded room name. */
  private final Map<String, Mark> rooms = new LinkedHashMap<>();
  private String privateAccount;
  private String privateMsgId;
  private final Set<String> recentPrivate = new LinkedHashSet<>();
  /** A guest's resume token from its last welcome, or null (never shown: it is the guest's key). */
  private String guestToken;
  /** The server the last connection was made to, or null. */
  private InetSocketAddress server;

  /** An empty state: nothing to resume, as for a first connection. */
  public ResumeState() {}

  /**
   * The highest {@code seq} of {@code room} passed to the listener (or known to be older than
   * what matters, such as the {@code last-seq} of a join), or -1 when none.
   */
  public synchronized long lastSeq(String room) {
    Mark mark = rooms.get(ChatClient.roomKey(room));
    return mark == null ? -1 : mark.seq;
  }

  /** The rooms a resume rejoins: those the client was in, spelled as the server spells them. */
  public synchronized List<String> rooms() {
    List<String> names = new ArrayList<>();
    for (Mark mark : rooms.values()) {
      if (mark.member) {
        names.add(mark.name);
      }
    }
    return names;
  }

  /** The newest private message passed to the listener while logged in, or null. */
  public synchronized String lastPrivateMsgId() {
    return privateMsgId;
  }

  /** True when the last connection was a guest's that the server gave a resume token. */
  public synchronized boolean hasGuestToken() {
    return guestToken != null;
  }

  /**
   * The server (resolved) the last connection with this state was made to, or null before the
   * first. Connecting again with the state tries it first, then the options' servers after it.
   */
  public synchronized InetSocketAddress server() {
    return server;
  }

  // ---------------------------------------------------------------- for ChatClient

  synchronized void server(InetSocketAddress connected) {
    server = connected;
  }

  /** The token to say hello with, or null when there is none. */
  synchronized String guestToken() {
    return guestToken;
  }

  /** The token of the welcome (null: none, as for an account), or forgotten after a login. */
  synchronized void guestToken(String token) {
    guestToken = token == null || token.isEmpty() ? null : token;
  }

  synchronized List<Rejoin> rejoins() {
    List<Rejoin> list = new ArrayList<>();
    for (Mark mark : rooms.values()) {
      if (mark.member) {
        // A room never seen an entry of was empty when joined, so all of its log is new.
        list.add(new Rejoin(mark.name, mark.key, Math.max(0, mark.seq)));
      }
    }
    return list;
  }

  /** Records {@code seq} of {@code room}; false when it was passed on before (a repeat). */
  synchronized boolean advance(String room, long seq) {
    Mark mark = mark(room);
    if (seq <= mark.seq) {
      return false;
    }
    mark.seq = seq;
    return true;
  }

  /** Everything of {@code room} up to {@code seq} is known: what follows is new. */
  synchronized void advanceTo(String room, long seq) {
    Mark mark = mark(room);
    mark.seq = Math.max(mark.seq, seq);
  }

  /** The server has fewer entries than were seen (it lost them): start again from {@code seq}. */
  synchronized void reset(String room, long seq) {
    mark(room).seq = seq;
  }

  synchronized void joined(String room) {
    mark(room).member = true;
  }

  /**
   * A join was answered: the room is joined (with {@code key}), and its replay went up to
   * {@code lastSeq}. A smaller {@code lastSeq} than seen means the server lost entries.
   */
  synchronized void answered(String room, String key, long lastSeq) {
    Mark mark = mark(room);
    mark.member = true;
    mark.key = key;
    if (lastSeq >= 0) {
      mark.seq = lastSeq < mark.seq ? lastSeq : Math.max(mark.seq, lastSeq);
    }
  }

  /** No longer in the room: not rejoined, but its seq stays, so a later join repeats nothing. */
  synchronized void left(String room) {
    Mark mark = rooms.get(ChatClient.roomKey(room));
    if (mark != null) {
      mark.member = false;
    }
  }

  /** Records a private message of {@code account}; false when it was passed on before. */
  synchronized boolean newPrivate(String account, String msgId) {
    if (!account.equalsIgnoreCase(privateAccount)) {
      privateAccount = account;
      privateMsgId = null;
      recentPrivate.clear();
    }
    if (!recentPrivate.add(msgId)) {
      return false;
    }
    if (recentPrivate.size() > RECENT_PRIVATE) {
      Iterator<String> oldest = recentPrivate.iterator();
      oldest.next();
      oldest.remove();
    }
    privateMsgId = msgId;
    return true;
  }

  /** The msgid to ask for private messages after, for {@code account}; null: nothing to resume. */
  synchronized String privateResumePoint(String account) {
    return account != null && account.equalsIgnoreCase(privateAccount) ? privateMsgId : null;
  }

  private Mark mark(String room) {
    Mark mark = rooms.computeIfAbsent(ChatClient.roomKey(room), k -> new Mark(room));
    mark.name = room.startsWith("#") ? room.substring(1) : room;
    return mark;
  }

  @Override
  public synchronized String toString() {
    StringBuilder b = new StringBuilder("ResumeState[");
    for (Mark mark : rooms.values()) {
      b.append(mark.member ? "" : "(left)").append(mark.name).append('@').append(mark.seq)
          .append(' ');
    }
    return b.append("private@").append(privateMsgId).append(']').toString();
  }
}
