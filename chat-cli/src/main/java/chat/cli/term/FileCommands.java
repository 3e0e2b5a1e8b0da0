package chat.cli.term;

import chat.client.ChatClient;
import chat.client.ChatClientException;
import chat.client.ChatErrorException;
import chat.client.FileTransfers;
import chat.core.FileRef;
import chat.protocol.Frame;
import chat.protocol.Json;
import chat.protocol.Keys;
import chat.protocol.Types;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.jline.utils.AttributedString;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * /send, /get and /files. A transfer runs on its own thread ({@link FileTransfers}), so chat goes
 * on meanwhile; its progress bar ({@link TransferProgress}) is drawn in the status line under the
 * input line. When the connection is lost, the transfer waits for the session's next one and goes
 * on from where it stopped: an upload under the same file id, a download from its {@code .part}
 * file, each announced in one line.
 *
 * <p>Thread-safe: commands come from the reading thread, progress and results from the
 * transfers' threads, new connections from the connection's event loop.
 */
final class FileCommands {

  /** Files /files lists. */
  static final int LIST_LIMIT = 20;
  /** Status lines at most; further transfers are counted in the last one. */
  static final int MAX_STATUS_LINES = 3;

  private final ChatSession.Output out;
  private final LineFormatter format;
  private final ChatSession.Requests requests;
  private final Supplier<ChatClient> client;
  private final Path downloads;
  private final Path home;
  /** Transfers under way, oldest first: the status lines. */
  private final List<Transfer> active = new CopyOnWriteArrayList<>();
  /** Transfers cut off with their connection, waiting for the next one; guarded by this. */
  private final List<Transfer> waiting = new ArrayList<>();
  private volatile boolean closed;

  /**
   * @param client the session's current connection
   * @param downloads where /get saves files without a PATH
   */
  FileCommands(ChatSession.Output out, LineFormatter format, ChatSession.Requests requests,
      Supplier<ChatClient> client, Path downloads) {
    this.out = out;
    this.format = format;
    this.requests = requests;
    this.client = client;
    this.downloads = downloads;
    this.home = Path.of(System.getProperty("user.home"));
  }

  /** One upload or download, across reconnects. */
  private final class Transfer {
    final boolean upload;
    final String name;
    /** Upload: the file; its room or person. */
    final Path file;
    final String room;
    final String nick;
    /** Download: the folder and the name to save under (null: the file's own). */
    final Path dir;
    final String saveAs;
    final TransferProgress progress;
    /** Completes when it is over, whichever way: piped input's end waits for that. */
    final CompletableFuture<Frame> over = new CompletableFuture<>();
    /** The file's id; for an upload once the server has taken its announcement. */
    volatile String id;
    /** A resumed run: the first progress says from where, once. */
    volatile boolean announce;
    /** An upload resumed once from scratch, because the server had lost its start. */
    volatile boolean sentAgain;

    Transfer(boolean upload, String name, Path file, String room, String nick, Path dir,
        String saveAs, String id) {
      this.upload = upload;
      this.name = name;
      this.file = file;
      this.room = room;
      this.nick = nick;
      this.dir = dir;
      this.saveAs = saveAs;
      this.id = id;
      this.progress = new TransferProgress((upload ? "↑ " : "↓ ") + name, out::width,
          FileCommands.this::redraw);
    }

    String what() {
      return (upload ? "the upload of " : "the download of ") + name;
    }
  }

  void handle(ChatClient c, Input.FileCommand command, String currentRoom) {
    switch (command) {
      case Input.Send s -> send(c, s, currentRoom);
      case Input.Get g -> get(c, g);
      case Input.Files f -> list(c, f.room() != null ? f.room() : currentRoom);
    }
  }

  // ------------------------------------------------------------------ /send

  private void send(ChatClient c, Input.Send s, String currentRoom) {
    Path path;
    String nick = s.nick();
    try {
      path = TypedPaths.expand(s.path(), home);
      if (s.whole() != null) {
        // "/send my report.pdf": the person "my" and report.pdf, or the file "my report.pdf"?
        Path whole = TypedPaths.expand(s.whole(), home);
        if (Files.exists(whole)) {
          if (Files.exists(path)) {
            out.show(format.error("both " + whole + " and " + path + " exist: quote the path, "
                + "/send \"" + s.whole() + "\" or /send " + nick + " \"" + s.path() + "\""));
            return;
          }
          path = whole;
          nick = null;
        }
      }
    } catch (InvalidPathException e) {
      out.show(format.error("not a path: " + e.getMessage()));
      return;
    }
    String problem = unreadable(path);
    if (problem != null) {
      out.show(format.error(problem));
      return;
    }
    if (nick == null && currentRoom == null) {
      out.show(format.error("you are in no room; /join one, or /send NICK PATH"));
      return;
    }
    Transfer t = new Transfer(true, path.getFileName().toString(), path,
        nick == null ? currentRoom : null, nick, null, null, null);
    begin(t, c);
  }

  /** Why {@code path} cannot be shared, or null. */
  private static String unreadable(Path path) {
    if (!Files.exists(path)) {
      return "no such file: " + path;
    }
    if (Files.isDirectory(path)) {
      return path + " is a folder; /send shares one file (zip a folder first)";
    }
    if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
      return "cannot read " + path;
    }
    try {
      if (Files.size(path) == 0) {
        return path + " is empty: nothing to share";
      }
    } catch (java.io.IOException e) {
      return "cannot read " + path + ": " + e.getMessage();
    }
    return null;
  }

  // ------------------------------------------------------------------ /get

  private void get(ChatClient c, Input.Get g) {
    List<FileIds.Info> found = format.files().matching(g.id());
    String id;
    if (found.size() == 1) {
      id = found.getFirst().id();
    } else if (found.isEmpty() && g.id().length() >= 22) {
      id = g.id(); // a whole id from elsewhere: the server says whether it may be read
    } else if (found.isEmpty()) {
      out.show(format.error("no file " + g.id() + " seen here; /files lists the room's files"));
      return;
    } else {
      out.show(format.error(g.id() + " names " + found.size() + " files: " + found.stream()
          .map(f -> format.files().hint(f.id()) + " (" + f.name() + ")")
          .collect(Collectors.joining(", ")) + "; type more of the id"));
      return;
    }
    Path dir = downloads;
    String saveAs = null;
    if (g.path() != null) {
      try {
        Path p = TypedPaths.expand(g.path(), home);
        if (Files.isDirectory(p) || g.path().endsWith("/")) {
          dir = p;
        } else {
          dir = p.getParent() == null ? p.toAbsolutePath().getParent() : p.getParent();
          saveAs = p.getFileName().toString();
        }
      } catch (InvalidPathException e) {
        out.show(format.error("not a path: " + e.getMessage()));
        return;
      }
    }
    FileIds.Info info = format.files().get(id);
    String name = saveAs != null ? saveAs : info != null && info.name() != null ? info.name() : id;
    begin(new Transfer(false, name, null, null, null, dir, saveAs, id), c);
  }

  // ------------------------------------------------------------------ /files

  private void list(ChatClient c, String room) {
    if (room == null) {
      out.show(format.error("you are in no room; /files ROOM"));
      return;
    }
    ObjectNode header = Json.header(Types.FILES);
    header.put(Keys.ROOM, room);
    header.put(Keys.LIMIT, LIST_LIMIT);
    requests.track(c.request(header, null), ok -> {
      String name = LineFormatter.room(ok.string(Keys.ROOM) == null ? room : ok.string(Keys.ROOM));
      JsonNode files = ok.field(Keys.FILES);
      if (files == null || !files.isArray() || files.isEmpty()) {
        out.show(format.notice("no files shared in " + name));
        return;
      }
      out.show(format.notice("files in " + name + ", newest first (/get ID downloads one):"));
      for (JsonNode f : files) {
        FileIds.Info info = new FileIds.Info(f.path(Keys.FILE).asString(""),
            f.path(Keys.NAME).asString(null), f.path(Keys.SIZE).asLong(-1),
            f.path(Keys.MEDIA_TYPE).asString(null));
        out.show(format.listedFile(info, f.path(Keys.FROM).asString("?"),
            f.path(Keys.TS).asLong(0), c.nick()));
      }
    });
  }

  // ------------------------------------------------------------------ transfers

  private void begin(Transfer t, ChatClient c) {
    active.add(t);
    requests.track(t.over, null);
    redraw();
    run(t, c);
  }

  /** Starts or resumes {@code t} on {@code c}. */
  private void run(Transfer t, ChatClient c) {
    FileTransfers.Progress progress = (done, total) -> {
      if (t.announce) {
        t.announce = false;
        out.show(format.notice("resuming " + t.what() + " from " + FileRef.bytes(done) + " of "
            + FileRef.bytes(total) + " (" + (int) (100 * (double) done / Math.max(1, total))
            + "%)"));
      }
      t.progress.update(done, total);
    };
    if (t.upload) {
      CompletableFuture<Frame> upload = t.id == null
          ? FileTransfers.upload(c, t.room, t.nick, t.file, null, id -> t.id = id, progress)
          : FileTransfers.resumeUpload(c, t.id, t.file, progress);
      // Done: the file's message, shown like any, is the news.
      upload.whenComplete((shared, error) -> ended(t, c, error, null));
    } else {
      FileTransfers.download(c, t.id, t.dir, t.saveAs, progress).whenComplete((path, error) ->
          ended(t, c, error, path == null ? null : format.notice("saved " + path + " ("
              + FileRef.bytes(t.progress.total()) + ", SHA-256 checked)")));
    }
  }

  private void ended(Transfer t, ChatClient on, Throwable error, Line done) {
    if (closed) {
      return;
    }
    Throwable cause = unwrap(error);
    if (cause == null) {
      finish(t, done);
    } else if (cause instanceof ChatClientException && !on.isConnected()) {
      interrupted(t, on);
    } else if (t.upload && t.id != null && !t.sentAgain && cause instanceof ChatErrorException e
        && "no-such-file".equals(e.code())) {
      // The server lost the start of it (an upload in memory, a restart): from the beginning.
      t.sentAgain = true;
      t.id = null;
      t.progress.stop();
      out.show(format.notice("the server no longer has the start of " + t.name
          + "; sending it again"));
      run(t, on);
    } else {
      finish(t, format.error((t.upload ? "sending " : "getting ") + t.name + " failed: "
          + (cause instanceof ChatErrorException e && !e.serverMessage().isEmpty()
              ? e.serverMessage() : ChatClient.describe(cause))));
    }
  }

  private void finish(Transfer t, Line line) {
    t.progress.stop();
    active.remove(t);
    redraw();
    if (line != null) {
      out.show(line);
    }
    t.over.complete(null);
  }

  /** The connection went: the transfer goes on with the next one. */
  private void interrupted(Transfer t, ChatClient lost) {
    String far = t.progress.howFar();
    t.progress.pause((far.isEmpty() ? "" : far + "; ") + "goes on after the reconnect");
    redraw();
    ChatClient now;
    synchronized (this) {
      now = client.get();
      if (now == null || now == lost || !now.isConnected()) {
        waiting.add(t);
        return;
      }
    }
    resume(t, now);
  }

  /** A new connection: transfers cut off with the last one go on. */
  void connected(ChatClient c) {
    List<Transfer> resumed;
    synchronized (this) {
      resumed = List.copyOf(waiting);
      waiting.clear();
    }
    for (Transfer t : resumed) {
      resume(t, c);
    }
  }

  private void resume(Transfer t, ChatClient c) {
    if (closed) {
      return;
    }
    if (t.upload && t.id == null) {
      out.show(format.notice("sending " + t.name + " again: the connection went before the "
          + "server took it"));
    } else {
      t.announce = true;
    }
    run(t, c);
  }

  /** The session ends: transfers stop where they are (a download keeps its .part file). */
  void close() {
    closed = true;
    synchronized (this) {
      waiting.clear();
    }
    for (Transfer t : active) {
      t.progress.stop();
      t.over.complete(null);
    }
    active.clear();
    out.status(List.of());
  }

  /** Transfers under way. */
  int active() {
    return active.size();
  }

  /** Shows the progress of what is under way in the status line. */
  private void redraw() {
    if (closed) {
      return;
    }
    List<AttributedString> lines = new ArrayList<>();
    List<Transfer> now = List.copyOf(active);
    for (int i = 0; i < now.size() && i < MAX_STATUS_LINES; i++) {
      String text = now.get(i).progress.text();
      if (i == MAX_STATUS_LINES - 1 && now.size() > MAX_STATUS_LINES) {
        text = (now.size() - i) + " more transfers under way";
      }
      lines.add(new AttributedString(text));
    }
    out.status(lines);
  }

  private static Throwable unwrap(Throwable error) {
    Throwable t = error;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
