package chat.server.irc;

import chat.core.Command;
import chat.core.Event;
import chat.core.Names;
import chat.core.Reply;
import chat.core.store.ReadMarker;
import java.util.List;

/**
 * IRCv3 {@code draft/read-marker}: MARKREAD to get and set the account's read markers, MARKREAD
 * after a JOIN (before its 366), and MARKREAD when another connection of the account moves a
 * marker. The core keeps the markers (per account, forward only); an IRC marker is the time of
 * the last message read, and the core keeps that time with the marker's place (the newest entry
 * stamped at or before it), so a time set here comes back exactly, and a marker set by a native
 * client shows as the time of its entry. Markers belong to accounts; a guest's are kept by the
 * core for as long as the guest is.
 */
final class IrcMarkers {

  private final IrcContext ctx;

  IrcMarkers(IrcContext ctx) {
    this.ctx = ctx;
  }

  void command(Pending p, IrcMessage m) {
    if (m.params().isEmpty() || m.param(0).isEmpty()) {
      p.lines.add(fail("NEED_MORE_PARAMS", List.of(), "Missing parameters"));
      return;
    }
    String target = m.param(0);
    String room = target.length() > 1 && target.charAt(0) == '#' ? target.substring(1) : null;
    if (room == null && (target.startsWith("#") || target.startsWith("$")
        || target.equals("*"))) {
      p.lines.add(fail("INVALID_PARAMS", List.of(target), "not a channel or a nick"));
      return;
    }
    if (m.params().size() < 2) {
      get(p, target, room);
      return;
    }
    String timestamp = m.param(1);
    long ts = timestamp.regionMatches(true, 0, "timestamp=", 0, 10)
        ? Text.parseServerTime(timestamp.substring(10)) : -1;
    if (ts <= 0) {
      p.lines.add(fail("INVALID_PARAMS", List.of(target, timestamp),
          "a read marker is timestamp=YYYY-MM-DDThh:mm:ss.sssZ"));
      return;
    }
    ctx.request(p, new Sub() {
      @Override
      void reply(Reply r) {
        switch (r) {
          case Reply.MarkerSet set -> out(line(target, set.marker()));
          case Reply.Failed f -> out(failure(target, f));
          default -> { }
        }
      }
    }, new Command.SetMarker(room, room == null ? target : null, 0, null, ts));
  }

  private void get(Pending p, String target, String room) {
    String key = room != null ? Names.fold(room) : ReadMarker.conversation(Names.fold(target));
    ctx.request(p, new Sub() {
      @Override
      void reply(Reply r) {
        switch (r) {
          case Reply.Markers all -> out(line(target, find(all.markers(), key)));
          case Reply.Failed f -> out(failure(target, f));
          default -> { }
        }
      }
    }, new Command.Markers());
  }

  /** A marker another connection of the account moved: MARKREAD, if the client asked for it. */
  List<IrcMessage> moved(Event.MarkerMoved m) {
    if (!ctx.has(Cap.READ_MARKER)) {
      return List.of();
    }
    ReadMarker marker = m.marker();
    return List.of(line(marker.isConversation() ? marker.target().substring(1)
        : "#" + marker.target(), marker));
  }

  /**
   * Before the joins of one JOIN command: the markers, looked up once, for each join to put its
   * MARKREAD before its 366; null when the client did not ask for read markers. The core answers
   * a session's commands in order, so the markers are in before the first join's answer.
   */
  Lookup beforeJoins(Pending p) {
    if (!ctx.has(Cap.READ_MARKER)) {
      return null;
    }
    Lookup lookup = new Lookup();
    ctx.request(p, lookup, new Command.Markers()); // a guest's too: kept while it is here
    return lookup;
  }

  /**
   * MARKREAD for channels this connection was put in without a JOIN of its own: the account's
   * rooms when it logged in, or a room another of its connections joined. Part of {@code p}, or
   * (null) in turn with the commands' replies.
   */
  void joinedWithoutJoin(Pending p, List<String> rooms) {
    if (!ctx.has(Cap.READ_MARKER) || rooms.isEmpty() || ctx.account() == null) {
      return; // a guest has one connection, and joins only by JOIN
    }
    Sub sub = new Sub() {
      @Override
      void reply(Reply r) {
        List<ReadMarker> markers = r instanceof Reply.Markers all ? all.markers() : List.of();
        for (String room : rooms) {
          out(line("#" + room, find(markers, Names.fold(room))));
        }
      }
    };
    if (p != null) {
      ctx.request(p, sub, new Command.Markers());
    } else {
      ctx.requestUnasked(sub, new Command.Markers());
    }
  }

  /** The account's markers, for the joins of one JOIN command. */
  final class Lookup extends Sub {
    private List<ReadMarker> markers = List.of();

    @Override
    void reply(Reply r) {
      if (r instanceof Reply.Markers all) {
        markers = all.markers();
      }
    }

    /** The MARKREAD for a channel just joined. */
    IrcMessage line(String room) {
      return IrcMarkers.this.line("#" + room, find(markers, Names.fold(room)));
    }
  }

  private IrcMessage line(String target, ReadMarker marker) {
    return IrcMessage.of(ctx.server(), "MARKREAD", target,
        marker == null || marker.ts() <= 0 ? "*" : "timestamp=" + Text.serverTime(marker.ts()));
  }

  private static ReadMarker find(List<ReadMarker> markers, String key) {
    for (ReadMarker marker : markers) {
      if (marker.target().equals(key)) {
        return marker;
      }
    }
    return null;
  }

  private IrcMessage failure(String target, Reply.Failed f) {
    return switch (f.error()) {
      case NOT_LOGGED_IN, ACCOUNTS_DISABLED -> fail("ACCOUNT_REQUIRED", List.of(target),
          f.message());
      case INVALID_MARKER -> fail("INVALID_PARAMS", List.of(target), f.message());
      default -> fail("INTERNAL_ERROR", List.of(target), "The read timestamp could not be set: "
          + f.message());
    };
  }

  private IrcMessage fail(String code, List<String> context, String description) {
    return IrcMessage.fail(ctx.server(), "MARKREAD", code, context, description);
  }
}
