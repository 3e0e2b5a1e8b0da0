package chat.cli.term;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;

/**
 * The client without line editing, for piped input: reads lines and hands each to the session
 * (slash commands included), prints plain lines without colours. At the end of the input it
 * waits, boundedly, until every request has been answered, then quits.
 *
 * <p>Passwords that /register, /login and /passwd ask for are read from the next input line,
 * one line per question, and never printed; on a terminal (with {@code --plain}) they are read
 * from the console without echo instead.
 */
final class PlainTerminal implements ChatSession.Output {

  /** How long the end of input waits for outstanding replies. */
  static final Duration DRAIN = Duration.ofSeconds(10);

  private final PrintWriter out;
  private final BufferedReader in;
  private final Console console;

  /** @param console where passwords are read without echo, or null to read them from {@code in} */
  PlainTerminal(PrintWriter out, BufferedReader in, Console console) {
    this.out = out;
    this.in = in;
    this.console = console;
  }

  @Override
  public char[] readSecret(String prompt) {
    if (console != null) {
      return console.readPassword("%s", prompt);
    }
    try {
      String line = in.readLine();
      return line == null ? null : line.toCharArray();
    } catch (IOException e) {
      return null;
    }
  }

  @Override
  public void show(Line line) {
    synchronized (out) {
      out.println(line.plain());
      out.flush();
    }
  }

  /** Feeds the input to the session on a reading thread; returns the session's exit code. */
  int run(ChatSession session) {
    Thread reader = new Thread(() -> {
      try {
        String line;
        while (!session.ended().isDone() && (line = in.readLine()) != null) {
          session.input(line);
        }
      } catch (IOException e) {
        // Treated as the end of input.
      }
      if (!session.ended().isDone()) {
        session.endOfInput(DRAIN);
      }
    }, "chat-input");
    reader.setDaemon(true); // Blocked in a read when the session ends otherwise.
    reader.start();
    return session.ended().join();
  }
}
