package chat.cli.term;

import chat.client.ChatClient;
import chat.client.ChatClientException;
import chat.client.ChatErrorException;
import chat.client.ClientListener;
import chat.client.ClientOptions;
import chat.client.ResumeState;
import chat.client.ServerAddresses;
import chat.protocol.Frame;
import chat.protocol.Keys;
import chat.protocol.Types;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.jline.utils.AttributedString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * The terminal client's behaviour, apart from the terminal: turns typed lines into requests,
 * events and replies into {@link Line}s for an {@link Output}, follows the current room and the
 * members of joined rooms, and reconnects with backoff when the connection is lost: a guest
 * with its resume token (within the server's grace: the same nick and rooms, nobody notices),
 * else under the same nick if it is still free, or, after a login, logged in to the same account
 * again (the password is kept in memory for that, as a char array, and cleared when the session
 * ends).
 * Every connection gets the session's {@link ResumeState}, so a new one rejoins the rooms after
 * the last entry shown and catches up on private messages: what was missed is shown once, in
 * order, and what was too much to replay is announced for /history.
 *
 * <p>Thread-safe: input comes from the reading thread, events from the connection's event loop,
 * reconnects run on a timer thread.
 */
final class ChatSession implements ClientListener {

  private static final Logger log = LoggerFactory.getLogger(ChatSession.class);
  private static final Duration QUIT_WAIT = Duration.ofSeconds(3);
  static final String DEFAULT_ROOM = "lobby";

  /** Where lines go. */
  interface Output {
    /** Shows a line; called from any thread. */
    void show(Line line);

    /** The prompt ({@link #prompt()}) may have changed. */
    default void promptChanged() {}

    /**
     * Reads a password without showing it, on the thread that hands the session its input;
     * null when none can be read (cancelled, end of input, or no way to read one).
     */
    default char[] readSecret(String prompt) {
      return null;
    }

    /** Shows {@code lines} below the input line (transfers), none when empty; any thread. */
    default void status(List<AttributedString> lines) {}

    default int width() {
      return 80;
    }
  }

  private final ClientOptions options;
  private final Output out;
  private final LineFormatter format;
  private final Backoff backoff;
  private final Members members = new Members();
  private final Set<CompletableFuture<Frame>> outstanding = ConcurrentHashMap.newKeySet();
  private final CompletableFuture<Integer> ended = new CompletableFuture<>();
  /** What each connection resumes from; the client drops what was shown before. */
  private final ResumeState resume = new ResumeState();
  private final HistoryPages pages;
  private final AccountCommands accounts;
  private final Reconnects reconnects;
  private final Reading reading;
  private final FileCommands files;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "chat-reconnect");
    thread.setDaemon(true);
    return thread;
  });
  private volatile ChatClient client;
  /** The room plain text goes to, without {@code #}; null when in no room. */
  private volatile String currentRoom = DEFAULT_ROOM;
  private volatile boolean quitting;
  private volatile boolean reconnecting;
  /** An admin disconnected us: do not come back on our own. */
  private volatile boolean killed;

  ChatSession(ClientOptions options, Output out, LineFormatter format, Backoff backoff) {
    this(options, out, format, backoff, Downloads.folder(System.getenv()));
  }

  /** @param downloads where /get saves files */
  ChatSession(ClientOptions options, Output out, LineFormatter format, Backoff backoff,
      Path downloads) {
    this.options = options;
    this.out = out;
    this.format = format;
    this.backoff = backoff;
    this.pages = new HistoryPages(out, format, this::track);
    this.reading = new Reading(() -> client, () -> currentRoom, timer);
    this.accounts = new AccountCommands(out, format, this::track, reading::connected);
    this.reconnects = new Reconnects(options, out, format, backoff, timer, resume, accounts, this);
    this.files = new FileCommands(out, format, this::track, () -> client, downloads);
  }

  /** Sends requests and shows what fails: {@link #track}. */
  interface Requests {
    CompletableFuture<Frame> track(CompletableFuture<Frame> reply, Consumer<Frame> onOk);
  }

  /** Connects; the server then joins the user to {@value #DEFAULT_ROOM}. */
  void start() throws ChatClientException {
    ChatClient c;
    try {
      c = ChatClient.connect(options, this, resume);
    } catch (ChatClientException e) {
      timer.shutdownNow();
      throw e;
    }
    client = c;
    if (options.password() != null && c.account() != null) {
      accounts.remember(c.account(), options.password().clone());
    }
  }

  /** Completes with the exit code when the session is over (0 after /quit or end of input). */
  CompletableFuture<Integer> ended() {
    return ended;
  }

  String currentRoom() {
    return currentRoom;
  }

  /** {@code #lobby> }, or {@code > } when in no room. */
  String prompt() {
    String room = currentRoom;
    return room == null ? "> " : LineFormatter.room(room) + "> ";
  }

  String nick() {
    ChatClient c = client;
    return c == null ? options.nick() : c.nick();
  }

  /** The account the user logged in to, or null. */
  String account() {
    AccountCommands.Credentials current = accounts.credentials();
    return current == null ? null : current.account();
  }

  List<String> knownNicks() {
    return members.nicks();
  }

  List<String> joinedRooms() {
    ChatClient c = client;
    return c == null ? List.of() : c.joinedRooms();
  }

  // ------------------------------------------------------------------ input

  /** Handles one typed line. */
  void input(String line) {
    Input input = CommandParser.parse(line);
    switch (input) {
      case Input.Empty e -> { }
      case Input.Help h -> {
        for (String help : CommandParser.HELP) {
          out.show(format.notice(help));
        }
      }
      case Input.Invalid invalid -> out.show(format.error(invalid.message()));
      case Input.Quit quit -> quit(quit.reason());
      default -> {
        ChatClient c = client;
        if (c == null || !c.isConnected()) {
          out.show(format.error("not connected; reconnecting (/quit to give up)"));
          return;
        }
        send(c, input);
      }
    }
  }

  private void send(ChatClient c, Input input) {
    switch (input) {
      case Input.Say say -> inRoom(room -> track(c.say(room, say.text()), null));
      case Input.Me me -> inRoom(room -> track(c.action(room, me.text()), null));
      case Input.Msg msg -> track(c.privmsg(msg.nick(), msg.text()), null);
      case Input.Nick nick -> track(c.nick(nick.nick()),
          ok -> out.show(format.notice("you are now known as " + ok.string(Keys.NICK))));
      case Input.Join join -> join(c, join.room(), join.key());
      case Input.Leave leave -> {
        String room = leave.room() != null ? leave.room() : currentRoom;
        if (room == null) {
          out.show(format.error("you are in no room"));
          return;
        }
        track(c.leave(room, leave.reason()), ok -> left(ok.string(Keys.ROOM)));
      }
      case Input.Who who -> {
        String room = who.room() != null ? who.room() : currentRoom;
        if (room == null) {
          out.show(format.error("you are in no room; /who ROOM"));
          return;
        }
        track(c.who(room), ok -> {
          List<String> nicks = ModerationReplies.strings(ok.field(Keys.MEMBERS));
          String name = ok.string(Keys.ROOM) == null ? room : ok.string(Keys.ROOM);
          if (c.isInRoom(name)) {
            members.set(name, nicks);
          }
          out.show(format.members(name, nicks, ModerationReplies.strings(ok.field(Keys.OPS)),
              ModerationReplies.strings(ok.field(Keys.VOICED)), c.nick()));
        });
      }
      case Input.Rooms rooms -> track(c.rooms(), ok -> {
        List<LineFormatter.RoomCount> list = new ArrayList<>();
        JsonNode array = ok.field(Keys.ROOMS);
        if (array != null && array.isArray()) {
          for (JsonNode room : array) {
            String name = room.path(Keys.ROOM).asString("?");
            list.add(new LineFormatter.RoomCount(name, room.path(Keys.MEMBERS).asLong(0),
                c.isInRoom(name) ? reading.count(name) : UnreadCounts.Count.NONE));
          }
        }
        out.show(format.rooms(list));
      });
      case Input.Register r -> accounts.register(c);
      case Input.Login login -> accounts.login(c,
          login.account() != null ? login.account() : c.nick());
      case Input.Passwd p -> accounts.passwd(c);
      case Input.History h -> {
        if (h.nick() == null) {
          inRoom(room -> pages.roomHistory(c, room, h.limit()));
        } else {
          pages.privateHistory(c, h.nick(), h.limit());
        }
      }
      case Input.Topic topic -> inRoom(topic.room(), room -> track(c.topic(room, topic.text()),
          ok -> {
            if (topic.text() == null || !c.isInRoom(room)) {
              out.show(format.notice(ModerationReplies.topicText(ok, room)));
            }
          }));
      case Input.Kick kick -> inRoom(kick.room(), room ->
          track(c.kick(room, kick.nick(), kick.reason()), ok -> {
            if (!c.isInRoom(room)) {
              out.show(format.notice("kicked " + ok.string(Keys.NICK) + " from "
                  + LineFormatter.room(ok.string(Keys.ROOM))));
            }
          }));
      case Input.Moderate m -> inRoom(m.room(), room -> track(switch (m.what()) {
        case "ban" -> c.ban(room, m.target(), m.reason());
        case "unban" -> c.unban(room, m.target());
        case "mute" -> c.mute(room, m.target(), m.reason());
        case "unmute" -> c.unmute(room, m.target());
        case "op" -> c.op(room, m.target());
        case "deop" -> c.deop(room, m.target());
        case "invite" -> c.invite(room, m.target());
        default -> throw new IllegalStateException("not a moderation request: " + m.what());
      }, ok -> ModerationReplies.modesChanged(out, format, c, room, ok)));
      case Input.Mode mode -> inRoom(mode.room(), room -> {
        if (mode.changes().isEmpty()) {
          track(c.modes(room),
              ok -> out.show(format.notice(ModerationReplies.modesText(ok, room))));
        } else {
          track(c.mode(room, mode.changes(), null),
              ok -> ModerationReplies.modesChanged(out, format, c, room, ok));
        }
      });
      case Input.Kill kill -> track(c.kill(kill.nick(), kill.reason()),
          ok -> out.show(format.notice("disconnected " + kill.nick() + " from the server")));
      case Input.FileCommand f -> files.handle(c, f, currentRoom);
      case Input.RoomAdmin r -> {
        String room = r.room() != null || r.action().equals("list") ? r.room() : currentRoom;
        track(RoomAdminRequests.send(c, r, room),
            ok -> RoomAdminRequests.lines(r, ok).forEach(l -> out.show(format.notice(l))));
      }
      default -> throw new IllegalStateException("not a request: " + input);
    }
  }

  /** Runs {@code action} on {@code room}, or on the current room when it is null. */
  private void inRoom(String room, Consumer<String> action) {
    if (room != null) {
      action.accept(room);
    } else {
      inRoom(action);
    }
  }

  private void inRoom(Consumer<String> action) {
    String room = currentRoom;
    if (room == null) {
      out.show(format.error("you are in no room; /join one first"));
    } else {
      action.accept(room);
    }
  }

  /** Joins and makes the room current at once, so that the next line already goes there. */
  private void join(ChatClient c, String room, String key) {
    String previous = currentRoom;
    setCurrentRoom(room);
    CompletableFuture<Frame> reply = c.join(room, key);
    track(reply, ok -> {
      String name = ok.string(Keys.ROOM) == null ? room : ok.string(Keys.ROOM);
      if (name.equalsIgnoreCase(currentRoom)) {
        setCurrentRoom(name); // The server's spelling.
      }
      List<String> nicks = ModerationReplies.strings(ok.field(Keys.MEMBERS));
      members.set(name, nicks);
      out.show(ok.field(Keys.QUIET) != null // a big room names only the joiner
          ? format.bigRoom(name, ok.number(Keys.MEMBER_COUNT, 0))
          : format.members(name, nicks, ModerationReplies.strings(ok.field(Keys.OPS)),
              ModerationReplies.strings(ok.field(Keys.VOICED)), c.nick()));
      if (ok.string(Keys.TOPIC) != null && !ok.string(Keys.TOPIC).isEmpty()) {
        out.show(format.notice(ModerationReplies.topicText(ok, name)));
      }
    });
    reply.exceptionally(e -> {
      if (room.equalsIgnoreCase(currentRoom)) {
        setCurrentRoom(previous);
      }
      return null;
    });
  }

  private void left(String room) {
    if (room == null) {
      return;
    }
    members.forget(room);
    reading.forget(room);
    if (room.equalsIgnoreCase(currentRoom)) {
      List<String> rooms = joinedRooms();
      setCurrentRoom(rooms.isEmpty() ? null : rooms.getFirst());
    }
  }

  private void setCurrentRoom(String room) {
    reading.looking(currentRoom); // Read up to now, and so is the one switched to.
    currentRoom = room;
    reading.looking(room);
    out.promptChanged();
  }

  /**
   * Remembers a request until it is answered; shows errors; runs {@code onOk} on success.
   * Returns a future that completes once that is done.
   */
  private CompletableFuture<Frame> track(CompletableFuture<Frame> reply, Consumer<Frame> onOk) {
    outstanding.add(reply);
    return reply.whenComplete((frame, error) -> {
      outstanding.remove(reply);
      if (error == null) {
        if (onOk != null) {
          onOk.accept(frame);
        }
      } else {
        Throwable cause = error instanceof CompletionException ? error.getCause() : error;
        if (cause instanceof ChatErrorException e) {
          out.show(format.error(e.serverMessage().isEmpty() ? e.code() : e.serverMessage()));
        } else if (!(cause instanceof ChatClientException)) { // A lost connection is announced once.
          out.show(format.error(ChatClient.describe(cause)));
        }
      }
    });
  }

  /** Requests sent and not answered yet. */
  int outstanding() {
    return outstanding.size();
  }

  /**
   * The input is exhausted (piped mode): waits, at most {@code max}, until every request sent
   * has been answered, then quits.
   */
  void endOfInput(Duration max) {
    long deadline = System.nanoTime() + max.toNanos();
    while (!outstanding.isEmpty() && System.nanoTime() < deadline) {
      CompletableFuture<?>[] pending = outstanding.toArray(new CompletableFuture<?>[0]);
      try {
        CompletableFuture.allOf(pending).get(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      } catch (ExecutionException e) {
        // Already shown; wait for the others.
      } catch (TimeoutException e) {
        break;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    if (!outstanding.isEmpty()) {
      out.show(format.error(outstanding.size() + " requests still unanswered after "
          + Backoff.show(max)));
    }
    quit(null);
  }

  /** Says goodbye to the server (bounded wait), closes and ends the session with code 0. */
  void quit(String reason) {
    end(0, reason);
  }

  void end(int code, String reason) {
    quitting = true;
    timer.shutdownNow();
    accounts.forget();
    files.close();
    ChatClient c = client;
    if (c != null) {
      if (c.isConnected()) {
        try {
          c.quit(reason).get(QUIT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
          log.debug("quit not confirmed", e);
        }
      }
      c.close();
    }
    ended.complete(code);
  }

  // ------------------------------------------------------------------ events

  @Override
  public void onConnected(ChatClient connected) {
    client = connected;
    reading.connected(connected);
    files.connected(connected);
    if (!reconnecting && connected.account() != null) {
      out.show(format.notice("logged in as " + connected.account()));
    }
    if (reconnecting) { // Before the events of the new connection.
      reconnecting = false;
      out.show(format.notice("reconnected to " + ServerAddresses.format(connected.server())
          + " as " + connected.nick()
          + (connected.account() != null ? ", logged in" : "")
          + (connected.resumed() ? ", nick and rooms kept" : "")));
    }
  }

  @Override
  public void onEvent(Frame event) {
    ChatClient c = client;
    String me = c == null ? null : c.nick();
    boolean history = LineFormatter.isHistory(event);
    switch (event.type()) {
      case Types.MESSAGE, Types.TOPIC, Types.MODE -> pages.oldest(event);
      case Types.JOINED -> {
        String room = event.string(Keys.ROOM);
        String nick = event.string(Keys.NICK);
        if (room != null && nick != null) {
          members.joined(room, nick);
          if (currentRoom == null && nick.equalsIgnoreCase(me)) {
            setCurrentRoom(room);
          }
        }
      }
      case Types.LEFT -> {
        String room = event.string(Keys.ROOM);
        String nick = event.string(Keys.NICK);
        if (room != null && nick != null) {
          if (nick.equalsIgnoreCase(me)) {
            left(room);
          } else {
            members.left(room, nick);
          }
        }
      }
      case Types.KICKED -> {
        pages.oldest(event);
        String room = event.string(Keys.ROOM);
        String nick = event.string(Keys.NICK);
        if (room != null && nick != null && !history) { // A replayed kick is old news.
          if (nick.equalsIgnoreCase(me)) {
            left(room);
          } else {
            members.left(room, nick);
          }
        }
      }
      case Types.KILLED -> killed = true;
      case Types.PRESENCE -> { // speaking again, it names everyone (quiet: nobody)
        if (event.field(Keys.MEMBERS) != null) {
          members.set(event.string(Keys.ROOM), ModerationReplies.strings(event.field(Keys.MEMBERS)));
        }
      }
      case Types.QUIT_EVENT -> {
        String nick = event.string(Keys.NICK);
        if (nick != null) {
          members.quit(nick);
        }
      }
      case Types.NICK_CHANGED -> {
        String old = event.string(Keys.OLD);
        String nick = event.string(Keys.NICK);
        if (old != null && nick != null) {
          members.renamed(old, nick);
          if (nick.equalsIgnoreCase(me)) {
            return; // One's own change is shown from the reply.
          }
        }
      }
      default -> { }
    }
    reading.event(event, me);
    Line line = format.event(event, me);
    if (line != null) {
      out.show(line);
    }
  }

  /**
   * A room is back after a reconnect, its missed entries next: its members are known again, and
   * what the server would not replay is announced, for /history to read first.
   */
  @Override
  public void onResumed(String room, long since, long skipped, Frame reply) {
    members.set(room, ModerationReplies.strings(reply.field(Keys.MEMBERS)));
    if (skipped > 0) {
      pages.gap(room, since, skipped);
      out.show(format.skipped(room, skipped));
    }
  }

  @Override
  public void onPrivateResumed(Frame reply) {
    if (reply.header().path(Keys.MORE).asBoolean(false)) {
      out.show(format.notice("older private messages were missed too; /history NICK reads them"));
    }
  }

  @Override
  public void onDisconnected(Throwable causeOrNull) {
    if (quitting) {
      return;
    }
    ChatClient lost = client;
    String nick = lost == null ? options.nick() : lost.nick();
    List<String> rooms = lost == null ? List.of() : lost.joinedRooms();
    if (lost != null) {
      lost.close(); // On its event loop: does not wait, frees its thread.
    }
    if (killed) {
      out.show(format.notice("not reconnecting after being disconnected by an admin"));
      end(1, null);
      return;
    }
    reconnecting = true;
    members.clear();
    String reason = causeOrNull == null ? "the server closed the connection"
        : ChatClient.describe(causeOrNull);
    reconnects.lost(reason, nick, rooms);
  }

  /** A new connection after a drop (from {@link Reconnects}). */
  void reconnected(ChatClient c, List<String> rooms) {
    client = c;
    // The client rejoined the rooms itself (onResumed); the server put it in its default room,
    // unless it gave a guest its rooms back.
    boolean inLobby = rooms.stream().anyMatch(room -> room.equalsIgnoreCase(DEFAULT_ROOM));
    if (!inLobby && !c.resumed()) {
      track(c.leave(DEFAULT_ROOM, null), ok -> left(ok.string(Keys.ROOM)));
    }
    out.promptChanged();
  }

  boolean quitting() {
    return quitting;
  }

}
