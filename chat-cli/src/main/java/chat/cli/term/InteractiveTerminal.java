package chat.cli.term;

import java.io.IOException;
import java.util.List;
import org.jline.reader.Candidate;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.reader.impl.LineReaderImpl;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.AttributedString;
import org.jline.utils.InfoCmp;
import org.jline.utils.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client on a terminal, with JLine: line editing with history and Tab completion of
 * commands, rooms and nicks; incoming lines are printed above the input line, so a half-typed
 * line is never garbled; the prompt names the current room. Passwords are read masked: each
 * typed character shows as {@code *}, and the line is kept out of the history. Transfers show
 * their progress in JLine's status line, below the input line: it is drawn while JLine holds its
 * lock (as a widget), so it never interleaves with the line being edited.
 */
final class InteractiveTerminal implements ChatSession.Output, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(InteractiveTerminal.class);
  private static final String STATUS_WIDGET = "chat-status";

  private final Terminal terminal;
  private final LineReader reader;
  private volatile ChatSession session;
  /** True while a password is read: the prompt is the password's, not the room's. */
  private volatile boolean readingSecret;
  /** What the status line should show; drawn by {@link #drawStatus}. */
  private volatile List<AttributedString> statusLines = List.of();

  InteractiveTerminal() throws IOException {
    terminal = TerminalBuilder.builder().system(true).name("chat").build();
    DefaultParser parser = new DefaultParser();
    parser.setEofOnUnclosedQuote(false);
    parser.setEofOnEscapedNewLine(false);
    parser.quoteChars(new char[0]); // Chat text is not shell syntax: "don't" is just text.
    parser.escapeChars(new char[0]);
    reader = LineReaderBuilder.builder()
        .terminal(terminal)
        .appName("chat")
        .parser(parser)
        .completer((r, line, candidates) -> {
          ChatSession s = session;
          if (s != null) {
            for (String c : Completions.candidates(line.words(), line.wordIndex(),
                s.knownNicks(), s.joinedRooms())) {
              candidates.add(new Candidate(c));
            }
          }
        })
        .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true) // "!" is text, not history.
        .option(LineReader.Option.ERASE_LINE_ON_FINISH, true) // The server echoes what is sent.
        .option(LineReader.Option.CASE_INSENSITIVE, true)
        .variable(LineReader.HISTORY_SIZE, 1000)
        .build();
    // Under the reader's lock: when asked while a line is read, and as each read begins.
    reader.getWidgets().put(STATUS_WIDGET, () -> {
      drawStatus();
      reader.callWidget(LineReader.REDISPLAY);
      return true;
    });
    reader.getWidgets().put(LineReader.CALLBACK_INIT, this::drawStatus);
  }

  void attach(ChatSession s) {
    this.session = s;
  }

  @Override
  public void show(Line line) {
    reader.printAbove(line.text());
    if (line.bell()) {
      terminal.puts(InfoCmp.Capability.bell);
      terminal.flush();
    }
  }

  /**
   * Shows {@code lines} in the status line. While a line is read it is drawn at once; between
   * two reads (the moment a line is handled) it waits for the next read to begin.
   */
  @Override
  public void status(List<AttributedString> lines) {
    statusLines = List.copyOf(lines);
    if (reader.isReading()) {
      try {
        reader.callWidget(STATUS_WIDGET);
      } catch (IllegalStateException e) {
        // Reading ended meanwhile; the next read draws it.
      }
    }
  }

  private boolean drawStatus() {
    List<AttributedString> lines = statusLines;
    Status status = Status.getStatus(terminal, !lines.isEmpty());
    if (status != null && (!lines.isEmpty() || status.size() > 0)) {
      status.update(lines);
    }
    return true;
  }

  @Override
  public int width() {
    int width = terminal.getWidth();
    return width > 0 ? width : 80;
  }

  @Override
  public void promptChanged() {
    ChatSession s = session;
    if (s == null || readingSecret) {
      return;
    }
    if (reader instanceof LineReaderImpl impl && reader.isReading()) {
      impl.setPrompt(s.prompt());
      try {
        reader.callWidget(LineReader.REDRAW_LINE);
        reader.callWidget(LineReader.REDISPLAY);
      } catch (IllegalStateException e) {
        // Reading ended meanwhile; the next read shows the new prompt.
      }
    }
  }

  /** Called on the reading thread (from {@link ChatSession#input}), between two lines. */
  @Override
  public char[] readSecret(String prompt) {
    readingSecret = true;
    try {
      // A mask character: never echoed; a masked line is not added to the history.
      return reader.readLine(prompt, '*').toCharArray();
    } catch (UserInterruptException | EndOfFileException e) {
      return null;
    } finally {
      readingSecret = false;
    }
  }

  /** Reads lines until the session ends; returns its exit code. */
  int run(ChatSession s) {
    attach(s);
    Thread input = new Thread(() -> readLoop(s), "chat-input");
    input.setDaemon(true); // Blocked in a read when the session ends otherwise.
    input.start();
    return s.ended().join();
  }

  private void readLoop(ChatSession s) {
    try {
      while (!s.ended().isDone()) {
        String line;
        try {
          line = reader.readLine(s.prompt());
        } catch (UserInterruptException e) { // Ctrl-C: drop a half-typed line, else quit.
          if (e.getPartialLine() != null && !e.getPartialLine().isEmpty()) {
            continue;
          }
          s.quit(null);
          return;
        } catch (EndOfFileException e) { // Ctrl-D.
          s.quit(null);
          return;
        }
        s.input(line);
      }
    } catch (RuntimeException | Error e) {
      if (!s.ended().isDone()) {
        log.warn("terminal input failed", e);
        s.quit(null);
      }
    }
  }

  List<String> history() {
    return java.util.stream.StreamSupport.stream(reader.getHistory().spliterator(), false)
        .map(entry -> entry.line()).toList();
  }

  @Override
  public void close() {
    statusLines = List.of();
    if (reader.isReading()) {
      status(List.of());
    } else {
      drawStatus(); // Nobody else draws any more.
    }
    try {
      terminal.close();
    } catch (IOException e) {
      log.debug("closing the terminal", e);
    }
  }
}
