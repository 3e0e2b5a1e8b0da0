package chat.cli.term;

import chat.client.ChatClient;
import chat.protocol.Frame;
import chat.protocol.Keys;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * /history: pages back through a room from the oldest entry shown (or first through what a
 * resume left out), and through a private conversation from the oldest page read.
 */
final class HistoryPages {

  private final ChatSession.Output out;
  private final LineFormatter format;
  private final ChatSession.Requests requests;
  /** Per room (lower case), the lowest {@code seq} seen: /history pages back from it. */
  private final Map<String, Long> oldestSeq = new ConcurrentHashMap<>();
  /**
   * Per room (lower case), the entries a resume left out, as the seqs around them
   * ({@code [after, before]}): /history reads them first.
   */
  private final Map<String, long[]> gaps = new ConcurrentHashMap<>();
  /** Per room or nick, the last history request: the next one waits for it. */
  private final Map<String, CompletableFuture<Void>> historyQueues = new ConcurrentHashMap<>();
  /** Per nick (lower case), the {@code first-msgid} of the last private history page. */
  private final Map<String, String> privateBefore = new ConcurrentHashMap<>();

  HistoryPages(ChatSession.Output out, LineFormatter format, ChatSession.Requests requests) {
    this.out = out;
    this.format = format;
    this.requests = requests;
  }

  /** Records the lowest {@code seq} seen of the entry's room, where /history goes on from. */
  void oldest(Frame entry) {
    String room = entry.string(Keys.ROOM);
    long seq = entry.number(Keys.SEQ, -1);
    if (room != null && seq > 0) {
      oldestSeq.merge(key(room), seq, Math::min);
    }
  }

  /** A resume left out {@code skipped} entries after {@code since}: /history reads them first. */
  void gap(String room, long since, long skipped) {
    gaps.put(key(room), new long[] {since, since + skipped + 1});
  }

  /**
   * A page of the room's messages: those a resume left out, newest first, else the ones older
   * than any shown so far.
   */
  void roomHistory(ChatClient c, String room, int limit) {
    String key = key(room);
    CompletableFuture<Frame> reply = serially("#" + key, () -> {
      long[] gap = gaps.get(key);
      if (gap != null) {
        int size = (int) Math.min(limit > 0 ? limit : 50, gap[1] - gap[0] - 1);
        return c.history(room, gap[1], size);
      }
      if (oldestSeq.containsKey(key)) {
        return c.history(room, oldestSeq.get(key), limit);
      }
      // Nothing of the room seen yet: the join replay may still be on its way. The server
      // answers a ping after everything it sent before, so ask "older than" only after it.
      return c.ping().thenCompose(pong -> c.history(room, oldestSeq.get(key), limit));
    }, (ok, error) -> {
      if (ok == null) {
        return;
      }
      long first = ok.number(Keys.FIRST_SEQ, 0);
      long[] gap = gaps.get(key);
      if (gap != null) {
        if (ok.number(Keys.COUNT, 0) == 0 || first <= gap[0] + 1) {
          gaps.remove(key);
        } else {
          gap[1] = first;
        }
      } else if (ok.number(Keys.COUNT, 0) > 0) {
        oldestSeq.merge(key, first, Math::min);
      }
    });
    requests.track(reply, ok -> {
      String name = ok.string(Keys.ROOM) == null ? room : ok.string(Keys.ROOM);
      out.show(format.notice(pageSummary(LineFormatter.room(name), ok.number(Keys.COUNT, 0),
          ok.header().path(Keys.MORE).asBoolean(false), "/history")));
    });
  }

  /** A page of the private messages with {@code nick}, older than the last page. */
  void privateHistory(ChatClient c, String nick, int limit) {
    String key = nick.toLowerCase(Locale.ROOT);
    CompletableFuture<Frame> reply = serially("@" + key,
        () -> c.privateHistory(nick, privateBefore.get(key), limit), (ok, error) -> {
          String first = ok == null ? null : ok.string(Keys.FIRST_MSGID);
          if (first != null && ok.number(Keys.COUNT, 0) > 0) {
            privateBefore.put(key, first);
          }
        });
    requests.track(reply, ok -> out.show(format.notice(pageSummary("with " + nick,
        ok.number(Keys.COUNT, 0), ok.header().path(Keys.MORE).asBoolean(false),
        "/history " + nick))));
  }

  /**
   * Sends a history request once the previous one for the same {@code queue} is answered, so
   * that each page starts where the last one ended, even when lines arrive faster than replies
   * (piped input). {@code afterReply} updates the paging state before the next request is sent.
   */
  private CompletableFuture<Frame> serially(String queue,
      java.util.function.Supplier<CompletableFuture<Frame>> send,
      java.util.function.BiConsumer<Frame, Throwable> afterReply) {
    CompletableFuture<Frame> result = new CompletableFuture<>();
    historyQueues.compute(queue, (k, previous) ->
        (previous == null ? CompletableFuture.<Void>completedFuture(null) : previous)
            .thenCompose(ignored -> send.get().whenComplete((ok, error) -> {
              afterReply.accept(ok, error);
              if (error != null) {
                result.completeExceptionally(error);
              } else {
                result.complete(ok);
              }
            }).handle((ok, error) -> (Void) null)));
    return result;
  }

  private static String pageSummary(String where, long count, boolean more, String again) {
    if (count == 0) {
      return "no older messages " + (where.startsWith("#") ? "in " : "") + where;
    }
    return count + " older message" + (count == 1 ? "" : "s") + " "
        + (where.startsWith("#") ? "in " : "") + where
        + (more ? "; " + again + " for more" : "; that is the beginning");
  }

  static String key(String room) {
    return CommandParser.room(room).toLowerCase(Locale.ROOT);
  }
}
