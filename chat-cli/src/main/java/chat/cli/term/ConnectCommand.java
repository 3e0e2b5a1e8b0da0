package chat.cli.term;

import chat.client.ChatClientException;
import chat.client.ClientOptions;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code chat connect}: the terminal client. On a terminal it edits lines with JLine; with
 * piped input it reads lines and prints plain text, so that it can be scripted:
 * {@code printf 'hello\n/quit\n' | chat connect --nick bot}.
 *
 * <p>Exit codes: 0 after /quit or the end of the input, 1 when the connection was lost and
 * could not be restored, 2 when the server could not be reached at start.
 */
@Command(
    name = "connect",
    mixinStandardHelpOptions = true,
    description = {
        "Chat in the terminal. Type text to talk in the current room, /help for commands.",
        "With piped input, each line is sent (slash commands too) and plain lines are printed;",
        "at the end of the input the client waits for the replies and quits."},
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {
        "0:/quit, Ctrl-D or end of input",
        "1:connection lost and not restored",
        "2:server unreachable at start, or bad options"})
public final class ConnectCommand implements Callable<Integer> {

  static final String CLIENT_NAME = "chat-terminal/0.1";

  @Spec
  CommandSpec spec;

  @Option(names = "--host", defaultValue = "${env:CHAT_HOST:-127.0.0.1}",
      description = "server host (env CHAT_HOST; default ${DEFAULT-VALUE})")
  String host;

  @Option(names = "--port", defaultValue = "${env:CHAT_PORT:-7667}",
      description = "server port (env CHAT_PORT; default ${DEFAULT-VALUE})")
  int port;

  @Option(names = "--nick", defaultValue = "${env:CHAT_NICK}",
      description = "nick to ask for (env CHAT_NICK; default: the server assigns Guest_<n>)")
  String nick;

  @Option(names = "--plain",
      description = "no line editing or colours even on a terminal: read stdin line by line")
  boolean plain;

  /** Where piped lines come from; tests substitute their own. */
  InputStream stdin = System.in;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    if (port < 1 || port > 0xFFFF) {
      err.println("invalid port " + port + ": must be 1 to 65535");
      err.flush();
      return 2;
    }
    ClientOptions options = new ClientOptions(host, port, nick, CLIENT_NAME, null, null);
    LineFormatter format = new LineFormatter(Clock.systemDefaultZone());
    if (!plain && stdinIsTerminal()) {
      InteractiveTerminal terminal;
      try {
        terminal = new InteractiveTerminal();
      } catch (IOException | RuntimeException e) {
        err.println("cannot use the terminal (" + e.getMessage() + "); reading lines from stdin");
        err.flush();
        return runPlain(options, format, err);
      }
      try (terminal) {
        ChatSession session = new ChatSession(options, terminal, format, Backoff.DEFAULT);
        terminal.attach(session);
        if (!start(session, err)) {
          return 2;
        }
        return terminal.run(session);
      }
    }
    return runPlain(options, format, err);
  }

  private int runPlain(ClientOptions options, LineFormatter format, PrintWriter err) {
    PlainTerminal out = new PlainTerminal(spec.commandLine().getOut());
    ChatSession session = new ChatSession(options, out, format, Backoff.DEFAULT);
    if (!start(session, err)) {
      return 2;
    }
    BufferedReader in = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8));
    return PlainTerminal.run(session, in);
  }

  private static boolean start(ChatSession session, PrintWriter err) {
    try {
      session.start();
      return true;
    } catch (ChatClientException e) {
      err.println(e.getMessage());
      err.flush();
      return false;
    }
  }

  /**
   * True when stdin and stdout are a terminal. Java 22+ always returns a console, so its
   * {@code isTerminal()} decides when present (looked up reflectively: this code targets 21).
   */
  static boolean stdinIsTerminal() {
    Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException e) {
      return true; // Java 21: a console exists only for a terminal.
    }
  }
}
