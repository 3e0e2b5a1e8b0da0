package chat.server.irc;

import chat.core.Command;
import chat.core.CoreError;
import chat.core.Event;
import chat.core.Names;
import chat.core.Place;
import chat.core.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * IRCv3 {@code draft/chathistory}: CHATHISTORY LATEST, BEFORE, AFTER, BETWEEN, AROUND and
 * TARGETS, with {@code msgid=} and {@code timestamp=} references, as the core's history reads
 * ({@link Command.ReadHistory}, {@link Command.HistoryAround}, {@link Command.HistoryTargets});
 * and history as {@code chathistory} batches, oldest first (also for the replay on join). A
 * room's msgids carry the entry's seq, so a msgid reference needs no lookup; times fall where the
 * core's log puts them. Only PRIVMSG and NOTICE lines are replayed ({@code draft/event-playback}
 * is not offered), and the limit counts them.
 */
final class IrcHistory {

  private final IrcContext ctx;
  private final IrcServerInfo info;

  IrcHistory(IrcContext ctx, IrcServerInfo info) {
    this.ctx = ctx;
    this.info = info;
  }

  /** Without draft/event-playback (not offered), a batch holds PRIVMSG and NOTICE lines only. */
  private static final boolean MESSAGES_ONLY = true;

  private static final Set<String> SUBCOMMANDS =
      Set.of("LATEST", "BEFORE", "AFTER", "BETWEEN", "AROUND", "TARGETS");

  /** A reference that is not one: the reason, for INVALID_PARAMS. */
  private static final class BadReference extends Exception {
    BadReference(String message) {
      super(message, null, false, false);
    }
  }

  void command(Pending p, IrcMessage m) {
    String sub = m.params().isEmpty() ? "*" : m.param(0).toUpperCase(Locale.ROOT);
    if (m.params().isEmpty()) {
      p.lines.add(fail("NEED_MORE_PARAMS", List.of(sub), "Missing parameters"));
      return;
    }
    if (!SUBCOMMANDS.contains(sub)) {
      p.lines.add(fail("UNKNOWN_COMMAND", List.of(m.param(0)), "Unknown command"));
      return;
    }
    int needed = sub.equals("BETWEEN") ? 5 : 4;
    if (m.params().size() < needed) {
      p.lines.add(fail("NEED_MORE_PARAMS", List.of(sub), "Missing parameters"));
      return;
    }
    int limit = limit(m.param(needed - 1));
    if (limit < 1) {
      p.lines.add(fail("INVALID_PARAMS", List.of(sub, m.param(needed - 1)),
          "the limit must be a positive number"));
      return;
    }
    if (sub.equals("TARGETS")) {
      targets(p, m.param(1), m.param(2), limit);
      return;
    }
    String target = m.param(1);
    String room = target.length() > 1 && target.charAt(0) == '#' ? target.substring(1) : null;
    if (room == null && (target.startsWith("#") || target.startsWith("$")
        || target.equals("*"))) {
      p.lines.add(fail("INVALID_TARGET", List.of(sub, target), "No such channel or nick"));
      return;
    }
    Command command;
    try {
      boolean inRoom = room != null;
      command = switch (sub) {
        case "LATEST" -> read(room, target, Place.END,
            m.param(2).equals("*") ? Place.START : place(m.param(2), inRoom), limit);
        case "BEFORE" -> read(room, target, place(m.param(2), inRoom), Place.START, limit);
        case "AFTER" -> read(room, target, place(m.param(2), inRoom), Place.END, limit);
        case "BETWEEN" -> read(room, target, place(m.param(2), inRoom),
            place(m.param(3), inRoom), limit);
        default -> new Command.HistoryAround(room, room == null ? target : null,
            place(m.param(2), inRoom), limit, MESSAGES_ONLY);
      };
    } catch (BadReference e) {
      p.lines.add(fail("INVALID_PARAMS", List.of(sub), e.getMessage()));
      return;
    }
    ctx.request(p, new HistorySub(sub, target, room), command);
  }

  private Command read(String room, String target, Place from, Place to, int limit) {
    return new Command.ReadHistory(room, room == null ? target : null, from, to, limit,
        MESSAGES_ONLY);
  }

  /** The limit, capped at the server's page size; 0 or less when it is not a positive number. */
  private int limit(String text) {
    try {
      return Math.min(Integer.parseInt(text), info.limits.maxHistoryPage());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /**
   * {@code msgid=...} or {@code timestamp=...} as a place: in a room, our msgids carry the
   * entry's seq ({@code <core msgid>.<seq>}); in a conversation they are the core's.
   */
  private static Place place(String reference, boolean inRoom) throws BadReference {
    if (reference.regionMatches(true, 0, "msgid=", 0, 6)) {
      String msgid = reference.substring(6);
      if (!inRoom) {
        if (msgid.isEmpty()) {
          throw new BadReference("an empty msgid");
        }
        return Place.message(msgid);
      }
      long seq = MessageLines.seqOf(msgid);
      if (seq < 1) {
        throw new BadReference("not a msgid of this server's rooms: " + msgid);
      }
      return Place.seq(seq);
    }
    if (reference.regionMatches(true, 0, "timestamp=", 0, 10)) {
      long ts = Text.parseServerTime(reference.substring(10));
      if (ts < 0) {
        throw new BadReference("not a timestamp: " + reference.substring(10));
      }
      return Place.time(ts);
    }
    throw new BadReference("a reference is msgid=... or timestamp=..." + (reference.equals("*")
        ? " (* only with LATEST)" : ""));
  }

  private void targets(Pending p, String from, String to, int limit) {
    long a;
    long b;
    try {
      a = time(from);
      b = time(to);
    } catch (BadReference e) {
      p.lines.add(fail("INVALID_PARAMS", List.of("TARGETS"), e.getMessage()));
      return;
    }
    ctx.request(p, new Sub() {
      @Override
      void reply(Reply r) {
        if (!(r instanceof Reply.HistoryTargets t)) {
          out(fail("MESSAGE_ERROR", List.of("TARGETS", "*"), r instanceof Reply.Failed f
              ? f.message() : "no targets"));
          return;
        }
        String id = ctx.has(Cap.BATCH) ? ctx.nextBatch() : null;
        if (id != null) {
          out(IrcMessage.of(ctx.server(), "BATCH", "+" + id, "draft/chathistory-targets"));
        }
        for (Reply.HistoryTargets.Target target : t.targets()) {
          IrcMessage line = IrcMessage.of(ctx.server(), "CHATHISTORY", "TARGETS",
              target.room() != null ? "#" + target.room() : target.with(),
              Text.serverTime(target.lastTs()));
          out(id == null ? line : line.withTag("batch", id));
        }
        if (id != null) {
          out(IrcMessage.of(ctx.server(), "BATCH", "-" + id));
        }
      }
    }, new Command.HistoryTargets(a, b, limit));
  }

  private static long time(String reference) throws BadReference {
    Place place = place(reference, true);
    if (place.kind() != Place.Kind.TIME) {
      throw new BadReference("TARGETS takes two timestamp=... references");
    }
    return place.value();
  }

  /** Messages as a {@code chathistory} batch for {@code target} (plain lines without batch). */
  List<IrcMessage> batch(String target, List<Event> messages) {
    List<IrcMessage> lines = new ArrayList<>();
    Map<String, String> batchTag = Map.of();
    String id = null;
    if (ctx.has(Cap.BATCH)) {
      id = ctx.nextBatch();
      batchTag = Map.of("batch", id);
      lines.add(IrcMessage.of(ctx.server(), "BATCH", "+" + id, "chathistory", target));
    }
    for (Event e : messages) {
      if (e instanceof Event.RoomMessage m) {
        lines.addAll(ctx.messageLines().render(m, batchTag));
      } else if (e instanceof Event.PrivateMessage m) {
        lines.addAll(ctx.messageLines().render(m, batchTag));
      }
    }
    if (id != null) {
      lines.add(IrcMessage.of(ctx.server(), "BATCH", "-" + id));
    }
    return lines;
  }

  /** Collects the page the core sends and answers with it as one batch. */
  private final class HistorySub extends Sub {
    final String subcommand;
    final String target;
    final String roomKey;
    final String withKey;
    final List<Event> messages = new ArrayList<>();

    HistorySub(String subcommand, String target, String room) {
      this.subcommand = subcommand;
      this.target = target;
      this.roomKey = room == null ? null : Names.fold(room);
      this.withKey = room == null ? Names.fold(target) : null;
    }

    @Override
    boolean claims(Event e) {
      if (!(e instanceof Event.History h)) {
        return false;
      }
      return switch (h.message()) {
        case Event.RoomMessage m -> roomKey != null && Names.fold(m.room()).equals(roomKey);
        case Event.PrivateMessage m -> withKey != null
            && (Names.fold(m.from()).equals(withKey) || Names.fold(m.to()).equals(withKey));
        default -> false;
      };
    }

    @Override
    void claimed(Event e) {
      messages.add(((Event.History) e).message());
    }

    @Override
    void reply(Reply r) {
      switch (r) {
        // A guest has no private history: nothing to show, as for anyone without access.
        case Reply.Failed f when f.error() == CoreError.NOT_LOGGED_IN ->
            outAll(batch(target, List.of()));
        case Reply.Failed f when f.error() == CoreError.INVALID_HISTORY ->
            out(fail("INVALID_PARAMS", List.of(subcommand), f.message()));
        case Reply.Failed f -> out(fail(f.error() == CoreError.NOT_IN_ROOM
            || f.error() == CoreError.INVALID_ROOM ? "INVALID_TARGET" : "MESSAGE_ERROR",
            List.of(subcommand, target), f.message()));
        default -> outAll(batch(target, messages));
      }
    }
  }

  private IrcMessage fail(String code, List<String> context, String description) {
    return IrcMessage.fail(ctx.server(), "CHATHISTORY", code, context, description);
  }
}
