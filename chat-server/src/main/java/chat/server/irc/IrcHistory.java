package chat.server.irc;

import chat.core.Command;
import chat.core.CoreError;
import chat.core.Event;
import chat.core.Names;
import chat.core.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * IRCv3 {@code draft/chathistory}: the CHATHISTORY command, and history as
 * {@code chathistory} batches (also for the replay on join).
 */
final class IrcHistory {

  private final IrcContext ctx;
  private final IrcServerInfo info;

  IrcHistory(IrcContext ctx, IrcServerInfo info) {
    this.ctx = ctx;
    this.info = info;
  }

  void command(Pending p, IrcMessage m) {
    String sub = m.param(0) == null ? null : m.param(0).toUpperCase(Locale.ROOT);
    if (m.params().size() < 4 || sub == null) {
      p.lines.add(fail("INVALID_PARAMS", sub == null ? "*" : sub,
          "CHATHISTORY <LATEST|BEFORE> <target> <reference> <limit>"));
      return;
    }
    if (!sub.equals("LATEST") && !sub.equals("BEFORE")) {
      p.lines.add(fail("INVALID_PARAMS", sub, "only LATEST and BEFORE are supported"));
      return;
    }
    String target = m.param(1);
    String reference = m.param(2);
    int limit;
    try {
      limit = Integer.parseInt(m.param(3));
    } catch (NumberFormatException e) {
      limit = -1;
    }
    if (limit < 1) {
      p.lines.add(fail("INVALID_PARAMS", sub, "the limit must be a positive number"));
      return;
    }
    limit = Math.min(limit, info.limits.maxHistoryPage());
    String msgid = null;
    long after = -1;
    if (reference.regionMatches(true, 0, "msgid=", 0, 6)) {
      msgid = reference.substring(6);
    } else if (reference.regionMatches(true, 0, "timestamp=", 0, 10) && sub.equals("LATEST")) {
      after = Text.parseServerTime(reference.substring(10));
      if (after < 0) {
        p.lines.add(fail("INVALID_PARAMS", sub, "not a timestamp: " + reference));
        return;
      }
    } else if (!(reference.equals("*") && sub.equals("LATEST"))) {
      p.lines.add(fail("INVALID_PARAMS", sub, "the reference must be * (LATEST) or msgid=..."));
      return;
    }
    String room = target.length() > 1 && target.charAt(0) == '#' ? target.substring(1) : null;
    HistorySub history;
    Command command;
    if (room != null) {
      long seq = msgid == null ? 0 : MessageLines.seqOf(msgid);
      if (msgid != null && seq <= 0) {
        p.lines.add(fail("INVALID_PARAMS", sub, "unknown msgid " + msgid));
        return;
      }
      boolean before = sub.equals("BEFORE");
      long newerThanSeq = before ? 0 : seq;
      long newerThanTs = after;
      history = new HistorySub(sub, target, Names.fold(room), null,
          msg -> msg instanceof Event.RoomMessage rm && rm.seq() > newerThanSeq
              && rm.ts() > newerThanTs);
      command = new Command.RoomHistory(room, before ? seq : 0, limit);
    } else {
      boolean before = sub.equals("BEFORE");
      long newerThan = msgid == null || before ? -1 : base36(msgid);
      long newerThanTs = after;
      history = new HistorySub(sub, target, null, Names.fold(target),
          msg -> msg instanceof Event.PrivateMessage pm && base36(pm.msgId()) > newerThan
              && pm.ts() > newerThanTs);
      command = new Command.PrivateHistory(target, before ? msgid : null, limit);
    }
    ctx.request(p, history, command);
  }

  private static long base36(String msgid) {
    try {
      return Long.parseLong(msgid, 36);
    } catch (NumberFormatException e) {
      return -1;
    }
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

  private final class HistorySub extends Sub {
    final String subcommand;
    final String target;
    final String roomKey;
    final String withKey;
    final Predicate<Event> keep;
    final List<Event> messages = new ArrayList<>();

    HistorySub(String subcommand, String target, String roomKey, String withKey,
        Predicate<Event> keep) {
      this.subcommand = subcommand;
      this.target = target;
      this.roomKey = roomKey;
      this.withKey = withKey;
      this.keep = keep;
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
      Event message = ((Event.History) e).message();
      if (keep.test(message)) {
        messages.add(message);
      }
    }

    @Override
    void reply(Reply r) {
      switch (r) {
        case Reply.Failed f when f.error() == CoreError.NOT_LOGGED_IN ->
            outAll(batch(target, List.of()));
        case Reply.Failed f -> out(fail(f.error() == CoreError.NOT_IN_ROOM
            || f.error() == CoreError.INVALID_ROOM ? "INVALID_TARGET" : "MESSAGE_ERROR",
            subcommand + " " + target, f.message()));
        default -> outAll(batch(target, messages));
      }
    }
  }

  private IrcMessage fail(String code, String context, String description) {
    return IrcMessage.fail(ctx.server(), "CHATHISTORY", code, List.of(context.split(" ")),
        description);
  }
}
