package chat.cli.term;

import chat.client.ChatClientException;
import chat.client.ClientOptions;
import chat.client.ClientTls;
import chat.client.ServerAddresses;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
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
 * could not be restored, 2 when the server could not be reached at start, its certificate is not
 * trusted, or the options are wrong.
 */
@Command(
    name = "connect",
    mixinStandardHelpOptions = true,
    description = {
        "Chat in the terminal. Type text to talk in the current room, /help for commands.",
        "With piped input, each line is sent (slash commands too) and plain lines are",
        "printed; at the end of the input the client waits for the replies and quits.",
        "Passwords that /register, /login and /passwd ask for are then read from the",
        "next input line each.",
        "",
        "TLS is used for every host but loopback (127.0.0.0/8, ::1, localhost) unless",
        "--tls or --no-tls says otherwise. The server's certificate is verified against",
        "the system's trust store, or against --ca FILE only. A self-signed certificate",
        "unknown to the trust store is trusted on first use: its fingerprint is kept in",
        "the known-servers file (a line per server: host:port SHA256:AB:CD:...) and must",
        "match from then on; a changed certificate is refused (exit code 2) until its",
        "line is removed from the file.",
        ""},
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {
        "0:/quit, Ctrl-D or end of input",
        "1:connection lost and not restored",
        "2:server unreachable at start, certificate not trusted or changed, or bad options"},
    footerHeading = "%nCommands in the client:%n",
    footer = CommandParser.HELP_TEXT)
public final class ConnectCommand implements Callable<Integer> {

  static final String CLIENT_NAME = "chat-terminal/0.1";
  static final String PASSWORD_ENV = "CHAT_PASSWORD";
  static final String KNOWN_SERVERS_ENV = "CHAT_KNOWN_SERVERS";

  @Spec
  CommandSpec spec;

  @Option(names = "--host", defaultValue = "${env:CHAT_HOST:-127.0.0.1}",
      paramLabel = "HOST[:PORT][,HOST[:PORT]...]",
      description = "server host, or several servers (the nodes of a cluster) tried in turn at "
          + "connect and when reconnecting, e.g. a:7001,b:7002; a name is tried at each of its "
          + "addresses; an entry without a port has --port (env CHAT_HOST; default "
          + "${DEFAULT-VALUE})")
  String host;

  @Option(names = "--port", defaultValue = "${env:CHAT_PORT:-7667}",
      description = "server port, for --host entries without one (env CHAT_PORT; default "
          + "${DEFAULT-VALUE})")
  int port;

  @Option(names = "--nick", defaultValue = "${env:CHAT_NICK}",
      description = "nick to ask for (env CHAT_NICK; default: the server assigns Guest_<n>); "
          + "with a password, the account to log in to")
  String nick;

  @Option(names = "--password-file", paramLabel = "FILE",
      description = "log in to the --nick account at connect with the password on the first "
          + "line of FILE (or from env " + PASSWORD_ENV + "); never give a password as an "
          + "argument: others can read the command line")
  Path passwordFile;

  @Option(names = "--tls", negatable = true,
      description = "use TLS, or with --no-tls plaintext, whatever the host (default: TLS "
          + "except to loopback)")
  Boolean tls;

  @Option(names = "--ca", paramLabel = "FILE",
      description = "verify the server's certificate against the CA certificate(s) in this PEM "
          + "file only, instead of the system's trust store; no trust on first use")
  Path caFile;

  @Option(names = "--known-servers", paramLabel = "FILE",
      description = "the servers trusted on first use (env " + KNOWN_SERVERS_ENV
          + "; default ~/.config/chat/known_servers)")
  Path knownServers;

  @Option(names = "--insecure",
      description = "do not verify the server's certificate at all (warns on every "
          + "connection): anyone on the network path can pose as the server")
  boolean insecure;

  @Option(names = "--downloads", paramLabel = "DIR",
      description = "where /get saves files (env " + Downloads.ENV + "; default chat in the XDG "
          + "download folder, else ~/Downloads/chat); an existing file is never overwritten")
  Path downloads;

  @Option(names = "--plain",
      description = "no line editing or colours even on a terminal: read stdin line by line")
  boolean plain;

  /** Where piped lines come from; tests substitute their own. */
  InputStream stdin = System.in;
  /** The environment; tests substitute their own. */
  Map<String, String> env = System.getenv();

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    if (port < 1 || port > 0xFFFF) {
      return usageError(err, "invalid port " + port + ": must be 1 to 65535");
    }
    List<InetSocketAddress> servers;
    try {
      servers = ServerAddresses.parse(host, port);
    } catch (IllegalArgumentException e) {
      return usageError(err, "--host: " + e.getMessage());
    }
    if (insecure && caFile != null) {
      return usageError(err, "--insecure and --ca exclude each other");
    }
    if (Boolean.FALSE.equals(tls) && (insecure || caFile != null)) {
      return usageError(err, (insecure ? "--insecure" : "--ca") + " needs TLS: drop --no-tls");
    }
    char[] password;
    try {
      password = password(err);
    } catch (IOException e) {
      return usageError(err, "cannot read the password file " + passwordFile + ": "
          + e.getMessage());
    }
    if (password != null && (nick == null || nick.isBlank())) {
      Arrays.fill(password, '\0');
      return usageError(err, "a password (--password-file or " + PASSWORD_ENV
          + ") needs the account's name: add --nick ACCOUNT");
    }
    Notices notices = new Notices(err);
    ClientOptions options = new ClientOptions(null, 0, nick, CLIENT_NAME, null, null,
        clientTls(notices), password, servers);
    LineFormatter format = new LineFormatter(Clock.systemDefaultZone());
    try {
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
          ChatSession session = new ChatSession(options, terminal, format, Backoff.DEFAULT,
              downloadsFolder());
          terminal.attach(session);
          if (!start(session, err)) {
            return 2;
          }
          // From now on JLine owns the screen: notices go above the input line.
          notices.screen(line -> terminal.show(line.startsWith("WARNING")
              ? format.error(line) : format.notice(line)));
          return terminal.run(session);
        }
      }
      return runPlain(options, format, err);
    } finally {
      if (password != null) {
        Arrays.fill(password, '\0');
      }
    }
  }

  private ClientTls clientTls(Consumer<String> notices) {
    Path known = knownServers;
    if (known == null) {
      String fromEnv = env.get(KNOWN_SERVERS_ENV);
      known = fromEnv == null || fromEnv.isBlank() ? ClientTls.defaultKnownServers()
          : Path.of(fromEnv);
    }
    ClientTls.Mode mode = tls == null ? ClientTls.Mode.AUTO
        : tls ? ClientTls.Mode.ON : ClientTls.Mode.OFF;
    return ClientTls.defaults().withMode(mode).withCaFile(caFile).withKnownServers(known)
        .withInsecure(insecure).withNotices(notices);
  }

  private Path downloadsFolder() {
    return Downloads.folder(downloads, env, Path.of(System.getProperty("user.home")));
  }

  /** The password from --password-file, else from the environment, else null. */
  private char[] password(PrintWriter err) throws IOException {
    if (passwordFile != null) {
      warnIfOthersCanRead(passwordFile, err);
      try (Reader reader = Files.newBufferedReader(passwordFile, StandardCharsets.UTF_8)) {
        char[] line = firstLine(reader);
        if (line.length == 0) {
          throw new IOException("its first line is empty");
        }
        return line;
      }
    }
    String fromEnv = env.get(PASSWORD_ENV);
    return fromEnv == null || fromEnv.isEmpty() ? null : fromEnv.toCharArray();
  }

  /** The characters up to the first line end, read without making a String. */
  static char[] firstLine(Reader reader) throws IOException {
    char[] buffer = new char[64];
    int length = 0;
    int c;
    while ((c = reader.read()) != -1 && c != '\n' && c != '\r') {
      if (length == buffer.length) {
        char[] bigger = Arrays.copyOf(buffer, length * 2);
        Arrays.fill(buffer, '\0');
        buffer = bigger;
      }
      buffer[length++] = (char) c;
    }
    char[] line = Arrays.copyOf(buffer, length);
    Arrays.fill(buffer, '\0');
    return line;
  }

  private static void warnIfOthersCanRead(Path file, PrintWriter err) {
    try {
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
      if (permissions.contains(PosixFilePermission.GROUP_READ)
          || permissions.contains(PosixFilePermission.OTHERS_READ)) {
        err.println("warning: other users can read " + file + " (chmod 600 it)");
        err.flush();
      }
    } catch (IOException | UnsupportedOperationException e) {
      // Not POSIX, or missing: reading it reports the latter.
    }
  }

  private static int usageError(PrintWriter err, String message) {
    err.println(message);
    err.flush();
    return 2;
  }

  private int runPlain(ClientOptions options, LineFormatter format, PrintWriter err) {
    BufferedReader in = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8));
    Console console = stdin == System.in && stdinIsTerminal() ? System.console() : null;
    PlainTerminal out = new PlainTerminal(spec.commandLine().getOut(), in, console);
    ChatSession session = new ChatSession(options, out, format, Backoff.DEFAULT,
        downloadsFolder());
    if (!start(session, err)) {
      return 2;
    }
    return out.run(session);
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

  /**
   * TLS notices (trust on first use, the insecure warning): to stderr, or once JLine owns the
   * terminal, above its input line.
   */
  static final class Notices implements Consumer<String> {
    private final PrintWriter err;
    private volatile Consumer<String> screen;

    Notices(PrintWriter err) {
      this.err = err;
    }

    void screen(Consumer<String> lines) {
      screen = lines;
    }

    @Override
    public void accept(String notice) {
      Consumer<String> lines = screen;
      if (lines != null) {
        notice.lines().forEach(lines);
        return;
      }
      synchronized (err) {
        err.println(notice);
        err.flush();
      }
    }
  }
}
