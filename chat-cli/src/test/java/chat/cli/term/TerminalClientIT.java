package chat.cli.term;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import chat.client.ChatClient;
import chat.client.ClientListener;
import chat.client.ClientOptions;
import chat.core.store.MemoryStore;
import chat.protocol.Frame;
import chat.protocol.Types;
import chat.server.Argon2Hasher;
import chat.server.ChatServer;
import chat.server.ServerConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Drives the real terminal client (the shaded chat.jar) under tmux as a person would: types with
 * {@code send-keys}, reads the screen with {@code capture-pane}. Runs in Maven's integration-test
 * phase, after package has built the jar.
 */
class TerminalClientIT {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String SESSION = "chat";

  private final String socket = "chat-it-" + UUID.randomUUID();
  private final List<Frame> bobSaw = new CopyOnWriteArrayList<>();
  /** The server's files; slow when a test wants to watch a transfer. */
  private final SlowFileStore files = new SlowFileStore();
  private ChatServer server;
  private ChatClient bob;
  private Path stderr;
  private Path socketPath;
  private Path downloads;

  @BeforeEach
  void start() throws Exception {
    Assumptions.assumeTrue(tmuxInstalled(),
        "tmux is not installed: skipping the test that drives the terminal client under tmux");
    Path jar = Path.of(System.getProperty("chat.jar", "target/chat.jar"));
    assertThat(jar).as("the shaded jar, built in the package phase").exists();
    Path dir = Path.of(System.getProperty("chat.it.dir", "target/it"));
    Files.createDirectories(dir);
    stderr = dir.resolve(socket + ".stderr");
    // Short, so that the lines naming it fit the 120 columns.
    downloads = Files.createTempDirectory("dl");

    MemoryStore store = new MemoryStore();
    server = new ChatServer(ServerConfig.defaults().withAddress("127.0.0.1", 0),
        Clock.systemUTC(), store, store, new Argon2Hasher(8 * 1024, 1, 1), files).start();
    bob = ChatClient.connect(ClientOptions.of("127.0.0.1", server.port(), "bob"), bobSaw::add);
    bob.join("rust").get(10, TimeUnit.SECONDS);

    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String command = quote(java) + " --enable-native-access=ALL-UNNAMED -jar " + quote(jar.toString())
        + " connect --host 127.0.0.1 --port " + server.port() + " --nick alice --downloads "
        + quote(downloads.toString()) + " 2>" + quote(stderr.toString())
        + "; echo \"exit=$?\"; sleep 120";
    tmux("new-session", "-d", "-s", SESSION, "-x", "120", "-y", "30", command);
    socketPath = Path.of(tmux("display-message", "-p", "#{socket_path}").strip());
  }

  @AfterEach
  void stop() throws Exception {
    if (stderr != null) {
      tmuxQuietly("kill-server");
    }
    if (socketPath != null) {
      Files.deleteIfExists(socketPath);
    }
    if (bob != null) {
      bob.close();
    }
    if (server != null) {
      server.close();
    }
    if (downloads != null) {
      try (var left = Files.walk(downloads)) {
        left.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  void aPersonChatsInTheTerminal() throws Exception {
    awaitScreen("the welcome and the prompt",
        s -> s.contains("-- alice joined #lobby") && promptLine(s).equals("#lobby>"));

    // Tab completes a command; /join makes the room current.
    type("/jo");
    keys("Tab");
    awaitScreen("/jo completed to /join", s -> promptLine(s).equals("#lobby> /join"));
    type("rust");
    keys("Enter");
    awaitScreen("joined #rust", s -> s.contains("-- members of #rust: @bob alice")
        && promptLine(s).equals("#rust>"));

    // Plain text goes to the current room, and the server's echo is shown in room order.
    type("hello bob");
    keys("Enter");
    await().atMost(WAIT).until(() -> bobSaw.stream().anyMatch(f -> isMessage(f, "alice", "hello bob")));
    awaitScreen("own message", s -> s.lines().anyMatch(
        l -> l.matches("\\[\\d\\d:\\d\\d:\\d\\d] #rust <alice> hello bob")));

    // A half-typed line survives an incoming message printed above it.
    type("half typed");
    awaitScreen("the half-typed line", s -> promptLine(s).equals("#rust> half typed"));
    bob.say("rust", "hi alice, still there?").get(10, TimeUnit.SECONDS);
    String screen = awaitScreen("bob's message above the prompt",
        s -> s.contains("<bob> hi alice, still there?"));
    List<String> lines = nonBlankLines(screen);
    assertThat(lines.getLast()).isEqualTo("#rust> half typed");
    assertThat(lines.get(lines.size() - 2))
        .matches("\\[\\d\\d:\\d\\d:\\d\\d] #rust <bob> hi alice, still there\\?");
    String coloured = tmux("capture-pane", "-p", "-e", "-t", SESSION);
    assertThat(coloured.lines().filter(l -> l.contains("still there")).findFirst().orElseThrow())
        .as("nick colour and mention highlight are drawn with escape codes").contains("\u001b[");

    // Finishing the line sends it whole.
    keys("Enter");
    await().atMost(WAIT).until(() -> bobSaw.stream().anyMatch(f -> isMessage(f, "alice", "half typed")));

    // Nick completion from the room's members.
    type("thanks b");
    keys("Tab");
    awaitScreen("bob completed", s -> promptLine(s).equals("#rust> thanks bob"));
    keys("C-u");

    // A command the client does not know is explained locally.
    type("/dance");
    keys("Enter");
    awaitScreen("unknown command", s -> s.contains("!! unknown command /dance"));

    type("/quit see you");
    keys("Enter");
    awaitScreen("exit code 0", s -> s.contains("exit=0"));
    await().atMost(WAIT).until(() -> bobSaw.stream().anyMatch(f -> Types.QUIT_EVENT.equals(f.type())
        && "alice".equals(f.string("nick")) && "see you".equals(f.string("reason"))));
  }

  @Test
  void aPasswordTypedAtTheLoginPromptIsNeverShown() throws Exception {
    String secret = "Sw0rdfish-" + UUID.randomUUID().toString().substring(0, 8);
    try (ChatClient carol = ChatClient.connect(
        ClientOptions.of("127.0.0.1", server.port(), "carol"), ClientListener.NONE)) {
      carol.register(secret.toCharArray()).get(10, TimeUnit.SECONDS);
      carol.quit(null).get(10, TimeUnit.SECONDS);
    }
    awaitScreen("the prompt", s -> promptLine(s).equals("#lobby>"));

    type("/login carol");
    keys("Enter");
    awaitScreen("the password prompt", s -> promptLine(s).equals("password for carol:"));
    type(secret);
    String typed = awaitScreen("the typed password masked",
        s -> promptLine(s).equals("password for carol: " + "*".repeat(secret.length())));
    assertThat(typed).doesNotContain(secret);
    keys("Enter");

    String screen = awaitScreen("logged in", s -> s.contains("-- logged in as carol")
        && promptLine(s).equals("#lobby>"));
    assertThat(screen).doesNotContain(secret).doesNotContain("*".repeat(secret.length()));
    await().atMost(WAIT).until(() -> bobSaw.stream().anyMatch(f -> Types.NICK_CHANGED.equals(
        f.type()) && "alice".equals(f.string("old")) && "carol".equals(f.string("nick"))));

    // The password is not in the line history either: Up brings back the command.
    keys("Up");
    awaitScreen("the previous line", s -> promptLine(s).equals("#lobby> /login carol"));
    keys("C-u");
    type("/quit");
    keys("Enter");
    String end = awaitScreen("exit code 0", s -> s.contains("exit=0"));
    assertThat(end).doesNotContain(secret);
    assertThat(Files.readString(stderr)).doesNotContain(secret);
  }

  @Test
  void unreadCountsShowInRoomsAndFollowTheAccountsOtherDevice() throws Exception {
    String secret = "Sw0rdfish-" + UUID.randomUUID().toString().substring(0, 8);
    try (ChatClient carol = ChatClient.connect(
        ClientOptions.of("127.0.0.1", server.port(), "carol"), ClientListener.NONE)) {
      carol.register(secret.toCharArray()).get(10, TimeUnit.SECONDS);
      carol.quit(null).get(10, TimeUnit.SECONDS);
    }
    List<Frame> phoneSaw = new CopyOnWriteArrayList<>();
    awaitScreen("the prompt", s -> promptLine(s).equals("#lobby>"));
    type("/login carol");
    keys("Enter");
    awaitScreen("the password prompt", s -> promptLine(s).equals("password for carol:"));
    type(secret);
    keys("Enter");
    awaitScreen("logged in", s -> s.contains("-- logged in as carol"));
    type("/join rust");
    keys("Enter");
    awaitScreen("joined #rust", s -> promptLine(s).equals("#rust>"));
    type("/join lobby");
    keys("Enter");
    awaitScreen("back in #lobby", s -> promptLine(s).equals("#lobby>"));

    try (ChatClient phone = ChatClient.connect(ClientOptions.of("127.0.0.1", server.port(), "carol")
        .withLogin("carol", secret.toCharArray()), phoneSaw::add)) {
      await().atMost(WAIT).until(() -> phone.isInRoom("rust"));
      bob.say("rust", "first").get(10, TimeUnit.SECONDS);
      bob.say("rust", "carol: a question for you").get(10, TimeUnit.SECONDS);
      Frame third = bob.say("rust", "third").get(10, TimeUnit.SECONDS);
      awaitScreen("bob's lines", s -> s.contains("<bob> third"));
      type("/rooms");
      keys("Enter");
      awaitScreen("the unread count of #rust", s -> s.contains("#rust (2, 3 unread, 1 mention)"));

      // The phone reads #rust: the terminal's count follows.
      chat.client.MarkerRequests.mark(phone, "rust", third.number("seq", -1))
          .get(10, TimeUnit.SECONDS);
      bob.say("rust", "one more").get(10, TimeUnit.SECONDS);
      awaitScreen("bob's last line", s -> s.contains("<bob> one more"));
      keys("C-l");
      type("/rooms");
      keys("Enter");
      awaitScreen("only the newest unread", s -> s.contains("#rust (2, 1 unread)"));

      // Switching to #rust reads it: the phone hears the marker move.
      long newest = bobSaw.stream().filter(f -> isMessage(f, "bob", "one more"))
          .mapToLong(f -> f.number("seq", -1)).max().orElseThrow();
      type("/join rust");
      keys("Enter");
      await().atMost(WAIT).until(() -> phoneSaw.stream().anyMatch(f -> Types.MARKER.equals(f.type())
          && "rust".equals(f.string("room")) && f.number("seq", -1) == newest));
      type("/rooms");
      keys("Enter");
      awaitScreen("nothing unread", s -> s.lines().filter(l -> l.contains("-- rooms:"))
          .reduce((a, b) -> b).map(l -> l.contains("#rust (2)")).orElse(false));
    }
    type("/quit");
    keys("Enter");
    awaitScreen("exit code 0", s -> s.contains("exit=0"));
  }

  @Test
  void aFileGoesUpWithItsProgressUnderAHalfTypedLineAndComesDown() throws Exception {
    bob.join("lobby").get(10, TimeUnit.SECONDS);
    awaitScreen("the prompt", s -> promptLine(s).equals("#lobby>"));
    byte[] data = new byte[6_000_000];
    new java.util.Random(11).nextBytes(data);
    Path file = Files.write(downloads.resolveSibling(downloads.getFileName() + " up.bin"), data);
    try {
      files.slow(0, 40); // ~1.6 MB/s: the upload takes a few seconds
      type("/send '" + file + "'");
      keys("Enter");
      type("half typed");

      // The bar is drawn below the input line, and the half-typed line stays as it was.
      String bar = "↑ " + java.util.regex.Pattern.quote(file.getFileName().toString()) + " +\\d+% \\[[= ]*] +\\d+/6000 KB \\(.*";
      String during = awaitScreen("the progress bar under the half-typed line", s -> {
        List<String> lines = nonBlankLines(s);
        return lines.size() >= 2 && lines.getLast().matches(bar)
            && lines.get(lines.size() - 2).equals("#lobby> half typed");
      });
      int percent = percent(nonBlankLines(during).getLast());
      assertThat(during.lines().filter(l -> l.contains("half typed"))).hasSize(1);
      // Chat goes on meanwhile: a message arrives above, the line and the bar stay.
      bob.say("lobby", "nice, send it").get(10, TimeUnit.SECONDS);
      String later = awaitScreen("bob's line above, the bar moved on", s -> {
        List<String> lines = nonBlankLines(s);
        return s.contains("<bob> nice, send it") && lines.size() >= 3
            && lines.getLast().matches(bar) && percent(lines.getLast()) > percent
            && lines.get(lines.size() - 2).equals("#lobby> half typed")
            && lines.get(lines.size() - 3).endsWith("#lobby <bob> nice, send it");
      });
      assertThat(later.lines().filter(l -> l.contains("half typed"))).hasSize(1);

      // Done: the shared line above, the bar gone, the line still half typed.
      String shared = "#lobby alice shared " + file.getFileName()
          + " (6.0 MB, application/octet-stream) — /get ";
      String done = awaitScreen("the shared line", s -> s.contains(shared)
          && promptLine(s).equals("#lobby> half typed"));
      String line = done.lines().filter(l -> l.contains(shared)).findFirst().orElseThrow();
      assertThat(line).matches("\\[\\d\\d:\\d\\d:\\d\\d] .* — /get \\S{6}");
      String hint = line.substring(line.lastIndexOf(' ') + 1);
      await().atMost(WAIT).until(() -> bobSaw.stream().anyMatch(
          f -> "file".equals(f.string("kind"))));

      keys("C-u");
      files.slow(Long.MAX_VALUE, 0);
      type("/get " + hint);
      keys("Enter");
      Path saved = downloads.resolve(file.getFileName().toString());
      awaitScreen("the saved path", s -> s.contains("-- saved " + saved
          + " (6.0 MB, SHA-256 checked)") && promptLine(s).equals("#lobby>"));
      assertThat(Files.readAllBytes(saved)).isEqualTo(data);

      type("/quit");
      keys("Enter");
      awaitScreen("exit code 0", s -> s.contains("exit=0"));
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private static int percent(String bar) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile(" (\\d+)% ").matcher(bar);
    return m.find() ? Integer.parseInt(m.group(1)) : -1;
  }

  // ------------------------------------------------------------------ helpers

  private static boolean isMessage(Frame f, String from, String text) {
    return Types.MESSAGE.equals(f.type()) && from.equals(f.string("from"))
        && text.equals(f.contentAsText());
  }

  private void type(String text) throws Exception {
    tmux("send-keys", "-t", SESSION, "-l", text);
  }

  private void keys(String key) throws Exception {
    tmux("send-keys", "-t", SESSION, key);
  }

  private String screen() throws Exception {
    return tmux("capture-pane", "-p", "-t", SESSION);
  }

  private String awaitScreen(String what, java.util.function.Predicate<String> condition)
      throws Exception {
    try {
      return await(what).atMost(WAIT).pollInterval(Duration.ofMillis(100))
          .until(this::screen, condition);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError("waiting for " + what + "; the screen shows:\n" + screen()
          + "\nstderr:\n" + (Files.exists(stderr) ? Files.readString(stderr) : ""), e);
    }
  }

  private static List<String> nonBlankLines(String screen) {
    return screen.lines().map(String::stripTrailing).filter(l -> !l.isEmpty()).toList();
  }

  /** The last non-blank line of the screen, where the prompt is, trailing blanks removed. */
  private static String promptLine(String screen) {
    List<String> lines = nonBlankLines(screen);
    return lines.isEmpty() ? "" : lines.getLast();
  }

  private static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  private static boolean tmuxInstalled() {
    try {
      Process p = new ProcessBuilder("tmux", "-V").redirectErrorStream(true).start();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private String tmux(String... args) throws Exception {
    // -u: UTF-8 whatever the locale (the file lines have an em dash, the bars an arrow).
    List<String> command = new ArrayList<>(List.of("tmux", "-u", "-L", socket, "-f", "/dev/null"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    env.putIfAbsent("TERM", "xterm-256color");
    env.remove("TMUX"); // Not nested in a tmux the build may run in.
    Process p = builder.start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(10, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("tmux " + String.join(" ", args) + " did not finish");
    }
    String text = new String(out, StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new IllegalStateException("tmux " + args[0] + " failed: " + text);
    }
    return text;
  }

  private void tmuxQuietly(String... args) {
    try {
      tmux(args);
    } catch (Exception e) {
      // Nothing left to clean up.
    }
  }
}
