package chat.cli.term;

import chat.core.FileRef;
import chat.core.Mentions;
import chat.protocol.Frame;
import chat.protocol.Keys;
import chat.protocol.ModeChanges;
import chat.protocol.Types;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.List;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;

/**
 * Renders server events and local notices as lines, in local time:
 *
 * <pre>
 * [14:30:45] #lobby &lt;alice&gt; hello          a room message
 * [14:30:45] #lobby * alice waves           a room action
 * [14:30:45] *bob* hi                       a private message from bob
 * [14:30:45] -&gt; *bob* hi                    a private message to bob
 * [14:30:45] *bob* * waves                  a private action from bob (-&gt; *bob* * waves: to him)
 * [14:30:45] #lobby alice shared a.pdf (2.4 MB, application/pdf) — /get 7f3a3b   a file
 * [14:30:45] *bob* shared a.pdf (...) — /get 9c01de   a file for you (-&gt; *bob* you shared: from you)
 * [14:30:45] -- alice joined #lobby         joins, leaves, quits, nick changes, notices
 * [14:30:45] -- bob was kicked from #dev by alice (spam)   moderation: kicks, topics, modes
 * -- rooms: #lobby (3)                      local notices and replies, without a time
 * !! no such nick                           errors
 * [2025-11-21 14:30:45] #lobby <alice> hi   a stored message (history: true), dim
 * -- 900 more messages in #dev, /history to read them --   a resume left these out
 * </pre>
 *
 * Every nick has its own colour ({@link NickColors}); the user's own nick is bold, and bold and
 * reversed where someone else's message mentions it, which also rings the bell. A private
 * message from someone else rings it too. Stored messages and room changes (replayed on join or
 * on a resume, or paged with /history) are set apart: dim throughout, with the date in their time stamp, and they never ring.
 */
final class LineFormatter {

  private static final AttributedStyle TIME = AttributedStyle.DEFAULT.faint();
  private static final AttributedStyle ROOM = AttributedStyle.DEFAULT.bold();
  private static final AttributedStyle NOTICE = AttributedStyle.DEFAULT.faint();
  private static final AttributedStyle ERROR =
      AttributedStyle.DEFAULT.foreground(AttributedStyle.RED).bold();
  private static final AttributedStyle MENTION = AttributedStyle.DEFAULT.bold().inverse();
  private static final AttributedStyle HISTORY = AttributedStyle.DEFAULT.faint();
  private static final AttributedStyle FILE = AttributedStyle.DEFAULT.bold();
  private static final AttributedStyle HINT =
      AttributedStyle.DEFAULT.foreground(AttributedStyle.CYAN);

  private final Clock clock;
  private final DateTimeFormatter time;
  private final DateTimeFormatter dateTime;
  private final DateTimeFormatter minutes;
  /** The files shown so far: a file line names its file by the shortest start of its id. */
  private final FileIds files = new FileIds();

  LineFormatter(Clock clock) {
    this.clock = clock;
    this.minutes = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(clock.getZone());
    this.time = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(clock.getZone());
    this.dateTime = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(clock.getZone());
  }

  /**
   * The line for an event from the server, or null for frames that are not shown.
   *
   * @param me the user's current nick (may be null before welcome)
   */
  Line event(Frame event, String me) {
    String type = event.type();
    return switch (type) {
      case Types.MESSAGE -> message(event, me);
      case Types.PRIVMSG -> privmsg(event, me);
      case Types.JOINED -> status(event, b -> nick(b, event.string(Keys.NICK), me)
          .append(" joined ").append(room(event.string(Keys.ROOM)), ROOM));
      case Types.LEFT -> status(event, b -> reason(nick(b, event.string(Keys.NICK), me)
          .append(" left ").append(room(event.string(Keys.ROOM)), ROOM), event));
      case Types.QUIT_EVENT -> status(event, b ->
          reason(nick(b, event.string(Keys.NICK), me).append(" quit"), event));
      case Types.NICK_CHANGED -> status(event, b -> nick(nick(b, event.string(Keys.OLD), me)
          .append(" is now known as "), event.string(Keys.NICK), me));
      case Types.NOTICE -> status(event, b -> {
        String room = event.string(Keys.ROOM);
        if (room != null) {
          b.append(room(room), ROOM).append(' ');
        }
        b.append("server: ").append(event.contentAsText());
      });
      case Types.TOPIC -> status(event, b -> {
        String topic = event.string(Keys.TOPIC);
        by(b, event, me);
        if (topic == null || topic.isEmpty()) {
          b.append(" cleared the topic of ").append(room(event.string(Keys.ROOM)), ROOM);
        } else {
          b.append(" set the topic of ").append(room(event.string(Keys.ROOM)), ROOM)
              .append(": " + topic);
        }
      });
      case Types.KICKED -> status(event, b -> reason(by(nick(b, event.string(Keys.NICK), me)
          .append(" was kicked from ").append(room(event.string(Keys.ROOM)), ROOM)
          .append(" by "), event, me), event));
      case Types.MODE -> status(event, b -> reason(mode(b, event, me), event));
      case Types.INVITED -> status(event, b -> by(b, event, me).append(" invites you to ")
          .append(room(event.string(Keys.ROOM)), ROOM)
          .append(" (/join " + event.string(Keys.ROOM) + ")"));
      case Types.KILLED -> {
        String reason = event.string(Keys.REASON);
        yield error("disconnected from the server by " + byName(event)
            + (reason == null || reason.isBlank() ? "" : " (" + reason + ")"));
      }
      case Types.PRESENCE -> status(event, b -> b.append(quietText(event.string(Keys.ROOM),
          event.number(Keys.MEMBER_COUNT, 0), event.field(Keys.QUIET) != null
              && event.field(Keys.QUIET).asBoolean())));
      case Types.ERROR -> error(errorText(event));
      default -> null;
    };
  }

  /** The files seen in the lines shown so far. */
  FileIds files() {
    return files;
  }

  /** Who made a change: {@code by}, or "the server" when absent. */
  private static String byName(Frame event) {
    String by = event.string(Keys.BY);
    return by == null ? "the server" : by;
  }

  private static AttributedStringBuilder by(AttributedStringBuilder b, Frame event, String me) {
    String by = event.string(Keys.BY);
    return by == null ? b.append("the server") : nick(b, by, me);
  }

  /**
   * One change in words ({@code alice made #dev invite-only}); several as modes
   * ({@code alice set modes on #dev: +i +k secret}).
   */
  private AttributedStringBuilder mode(AttributedStringBuilder b, Frame event, String me) {
    List<ModeChanges.Change> changes = ModeChanges.of(event);
    String room = room(event.string(Keys.ROOM));
    by(b, event, me);
    if (changes.size() != 1) {
      b.append(" set modes on ").append(room, ROOM).append(":");
      for (ModeChanges.Change change : changes) {
        b.append(" " + change);
      }
      return b;
    }
    ModeChanges.Change change = changes.getFirst();
    String arg = change.arg() == null ? "" : change.arg();
    String who = arg.startsWith("nick:") ? arg.substring(5) : arg;
    switch (change.mode()) {
      case "+o" -> nick(b.append(" made "), who, me).append(" an operator of ").append(room, ROOM);
      case "-o" -> nick(b.append(" took operator status on ").append(room, ROOM)
          .append(" from "), who, me);
      case "+v" -> nick(b.append(" gave "), who, me).append(" voice in ").append(room, ROOM);
      case "-v" -> nick(b.append(" took voice in ").append(room, ROOM).append(" from "), who, me);
      case "+b" -> b.append(" banned " + who + " from ").append(room, ROOM);
      case "-b" -> b.append(" lifted the ban on " + who + " in ").append(room, ROOM);
      case "+q" -> b.append(" muted " + who + " in ").append(room, ROOM);
      case "-q" -> b.append(" unmuted " + who + " in ").append(room, ROOM);
      case "+I" -> b.append(" invited " + who + " to ").append(room, ROOM);
      case "-I" -> b.append(" withdrew the invitation of " + who + " to ").append(room, ROOM);
      case "+i" -> b.append(" made ").append(room, ROOM).append(" invite-only");
      case "-i" -> b.append(" opened ").append(room, ROOM).append(" to everyone");
      case "+k" -> b.append(" set the key of ").append(room, ROOM).append(" to " + arg);
      case "-k" -> b.append(" removed the key of ").append(room, ROOM);
      case "+l" -> b.append(" limited ").append(room, ROOM).append(" to " + arg + " members");
      case "-l" -> b.append(" lifted the member limit of ").append(room, ROOM);
      case "+m" -> b.append(" made ").append(room, ROOM)
          .append(" moderated (only operators and voiced members speak)");
      case "-m" -> b.append(" made ").append(room, ROOM).append(" unmoderated");
      case "+t" -> b.append(" let only operators set the topic of ").append(room, ROOM);
      case "-t" -> b.append(" let anyone set the topic of ").append(room, ROOM);
      default -> b.append(" set mode " + change + " on ").append(room, ROOM);
    }
    return b;
  }

  /** A local notice: {@code -- text}. */
  Line notice(String text) {
    return new Line(new AttributedString("-- " + text, NOTICE), false);
  }

  /**
   * {@code -- 900 more messages in #dev, /history to read them --}: what a resume after a
   * reconnect left out, being more than the server replays at once.
   */
  Line skipped(String room, long count) {
    return new Line(new AttributedString("-- " + count + " more message" + (count == 1 ? "" : "s")
        + " in " + room(room) + ", /history to read them --", NOTICE), false);
  }

  /**
   * {@code -- #lobby has 10000 people: arrivals and departures are not shown (/who lists them)}:
   * a quiet room, joined or gone quiet, or one that speaks again.
   */
  Line bigRoom(String room, long count) {
    return notice(quietText(room, count, true));
  }

  private static String quietText(String room, long count, boolean quiet) {
    return room(room) + " has " + count + " people: arrivals and departures are "
        + (quiet ? "not shown (/who lists them)" : "shown again");
  }

  /** An error, local or from the server: {@code !! text}. */
  Line error(String text) {
    return new Line(new AttributedString("!! " + text, ERROR), false);
  }

  /** {@code -- members of #room: alice bob}, each nick in its colour. */
  Line members(String room, Collection<String> members, String me) {
    return members(room, members, List.of(), List.of(), me);
  }

  /** {@code -- members of #room: @alice +bob carol}: operators marked @, voiced members +. */
  Line members(String room, Collection<String> members, Collection<String> ops,
      Collection<String> voiced, String me) {
    AttributedStringBuilder b = new AttributedStringBuilder();
    b.append("-- members of ", NOTICE).append(room(room), ROOM).append(":", NOTICE);
    for (String member : members) {
      b.append(' ');
      if (containsIgnoringCase(ops, member)) {
        b.append('@');
      } else if (containsIgnoringCase(voiced, member)) {
        b.append('+');
      }
      nick(b, member, me);
    }
    return new Line(b.toAttributedString(), false);
  }

  private static boolean containsIgnoringCase(Collection<String> nicks, String nick) {
    return nicks.stream().anyMatch(n -> n.equalsIgnoreCase(nick));
  }

  /** {@code -- rooms: #lobby (3), #rust (1)}. */
  Line rooms(List<RoomCount> rooms) {
    AttributedStringBuilder b = new AttributedStringBuilder();
    b.append(rooms.isEmpty() ? "-- no rooms" : "-- rooms:", NOTICE);
    for (int i = 0; i < rooms.size(); i++) {
      RoomCount room = rooms.get(i);
      b.append(i == 0 ? " " : ", ").append(room(room.room()), ROOM)
          .append(" (" + room.members());
      UnreadCounts.Count count = room.unread();
      if (count.unread() > 0) {
        b.append(", ").append(count.unread() + (count.more() ? "+" : "") + " unread", NOTICE);
      }
      if (count.mentions() > 0) {
        b.append(", ").append(count.mentions() + (count.more() ? "+" : "")
            + (count.mentions() == 1 ? " mention" : " mentions"), MENTION);
      }
      b.append(")");
    }
    return new Line(b.toAttributedString(), false);
  }

  /** A room of the list, with what is unread in it (rooms one is in). */
  record RoomCount(String room, long members, UnreadCounts.Count unread) {
    RoomCount(String room, long members) {
      this(room, members, UnreadCounts.Count.NONE);
    }
  }

  static String errorText(Frame error) {
    String message = error.string(Keys.MESSAGE);
    if (message != null && !message.isBlank()) {
      return message;
    }
    String code = error.string(Keys.CODE);
    return code == null ? "error" : code;
  }

  static String room(String name) {
    return name == null ? "#?" : "#" + name;
  }

  private Line message(Frame event, String me) {
    String from = event.string(Keys.FROM);
    String text = event.contentAsText();
    AttributedStringBuilder b = timestamp(event);
    b.append(room(event.string(Keys.ROOM)), ROOM).append(' ');
    FileIds.Info file = file(event);
    if (file != null) {
      shared(nick(b, from, me).append(' '), file);
      return isHistory(event) ? stored(b) : new Line(b.toAttributedString(), false);
    }
    if (isAction(event)) {
      nick(b.append("* "), from, me).append(' ');
    } else {
      nick(b.append('<'), from, me).append("> ");
    }
    boolean bell = appendText(b, text, from, me);
    return isHistory(event) ? stored(b) : new Line(b.toAttributedString(), bell);
  }

  /** A stored message is old news: dim, and no bell. */
  private static Line stored(AttributedStringBuilder b) {
    return new Line(new AttributedString(b.toString(), HISTORY), false);
  }

  private Line privmsg(Frame event, String me) {
    String from = event.string(Keys.FROM);
    boolean own = same(from, me);
    String other = own ? event.string(Keys.TO) : from;
    AttributedStringBuilder b = timestamp(event);
    if (own) {
      b.append("-> ");
    }
    nick(b.append('*'), other, me).append("* ");
    FileIds.Info file = file(event);
    if (file != null) {
      shared(own ? b.append("you ") : b, file);
      return isHistory(event) ? stored(b) : new Line(b.toAttributedString(), !own);
    }
    if (isAction(event)) {
      b.append("* ");
    }
    boolean mention = appendText(b, event.contentAsText(), from, me);
    return isHistory(event) ? stored(b) : new Line(b.toAttributedString(), mention || !own);
  }

  /** The file a {@code kind: "file"} message shares (remembered for /get), or null. */
  private FileIds.Info file(Frame event) {
    String id = event.string(Keys.FILE);
    if (!"file".equals(event.string(Keys.KIND)) || id == null || id.isEmpty()) {
      return null;
    }
    FileIds.Info file = new FileIds.Info(id, event.string(Keys.NAME),
        event.number(Keys.SIZE, -1), event.string(Keys.MEDIA_TYPE));
    files.remember(file);
    return file;
  }

  /** {@code shared report.pdf (2.4 MB, application/pdf) — /get 7f3a3b}. */
  private void shared(AttributedStringBuilder b, FileIds.Info file) {
    b.append("shared ").append(describe(file), FILE).append(" — ")
        .append("/get " + files.hint(file.id()), HINT);
  }

  /** {@code report.pdf (2.4 MB, application/pdf)}. */
  static String describe(FileIds.Info file) {
    String name = file.name() == null ? "a file" : file.name();
    String type = file.mediaType() == null ? "" : ", " + file.mediaType();
    return name + " (" + (file.size() < 0 ? "?" : FileRef.bytes(file.size())) + type + ")";
  }

  /**
   * A line of /files:
   * {@code --   7f3a3b  report.pdf (2.4 MB, application/pdf), alice, 2025-11-21 14:30}.
   */
  Line listedFile(FileIds.Info file, String from, long ts, String me) {
    files.remember(file);
    AttributedStringBuilder b = new AttributedStringBuilder();
    b.append("--   ", NOTICE).append(files.hint(file.id()), HINT).append("  ")
        .append(describe(file), FILE).append(", ");
    nick(b, from, me);
    if (ts > 0) {
      b.append(", ").append(minutes.format(Instant.ofEpochMilli(ts)), TIME);
    }
    return new Line(b.toAttributedString(), false);
  }

  /** Appends message text, marking mentions of {@code me}; true if someone else mentioned me. */
  private static boolean appendText(AttributedStringBuilder b, String text, String from,
      String me) {
    if (me == null || same(from, me)) {
      b.append(text);
      return false;
    }
    List<Integer> mentions = Mentions.find(text, me);
    int at = 0;
    for (int start : mentions) {
      b.append(text, at, start);
      b.append(text.substring(start, start + me.length()), MENTION);
      at = start + me.length();
    }
    b.append(text, at, text.length());
    return !mentions.isEmpty();
  }

  private Line status(Frame event, java.util.function.Consumer<AttributedStringBuilder> body) {
    AttributedStringBuilder b = timestamp(event);
    b.append("-- ", NOTICE);
    body.accept(b);
    return isHistory(event) ? stored(b) : new Line(b.toAttributedString(), false);
  }

  private static AttributedStringBuilder reason(AttributedStringBuilder b, Frame event) {
    String reason = event.string(Keys.REASON);
    if (reason != null && !reason.isBlank()) {
      b.append(" (" + reason + ")");
    }
    return b;
  }

  private AttributedStringBuilder timestamp(Frame event) {
    long ts = event.number(Keys.TS, -1);
    Instant at = ts >= 0 ? Instant.ofEpochMilli(ts) : clock.instant();
    AttributedStringBuilder b = new AttributedStringBuilder(96);
    b.append("[" + (isHistory(event) ? dateTime : time).format(at) + "]", TIME).append(' ');
    return b;
  }

  /** Appends a nick in its colour, bold when it is the user's own. */
  static AttributedStringBuilder nick(AttributedStringBuilder b, String nick, String me) {
    if (nick == null) {
      return b.append("?");
    }
    AttributedStyle style = NickColors.style(nick);
    return b.append(nick, same(nick, me) ? style.bold() : style);
  }

  static boolean isHistory(Frame event) {
    return event.header().path(Keys.HISTORY).asBoolean(false);
  }

  private static boolean isAction(Frame event) {
    return "action".equals(event.string(Keys.KIND));
  }

  private static boolean same(String a, String b) {
    return a != null && a.equalsIgnoreCase(b);
  }
}
