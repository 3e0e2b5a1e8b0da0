package chat.cli.term;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import chat.client.ChatClient;
import chat.client.ClientOptions;
import chat.client.FileTransfers;
import chat.core.store.MemoryStore;
import chat.protocol.Frame;
import chat.server.Argon2Hasher;
import chat.server.ChatServer;
import chat.server.ServerConfig;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jline.utils.AttributedString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * /send, /get and /files in the terminal client's session against a real server over
 * 127.0.0.1: a file shared with the room and with one person, seen by others, downloaded
 * (twice: never over the first), checked, listed, and replayed to whoever joins later.
 */
class FileCommandsTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  static final Pattern SHARED = Pattern.compile(
      "\\[\\d\\d:\\d\\d:\\d\\d] #lobby alice shared (.+) \\((.+)\\) — /get (\\S+)");

  @TempDir
  Path temp;

  private final MemoryStore store = new MemoryStore();
  private final SlowFileStore files = new SlowFileStore();
  private final List<ChatSession> sessions = new ArrayList<>();
  private ChatServer server;

  /** What a session showed: its lines, and every state of its status line. */
  static final class Screen implements ChatSession.Output {
    final List<String> lines = new CopyOnWriteArrayList<>();
    final List<List<String>> statuses = new CopyOnWriteArrayList<>();

    @Override
    public void show(Line line) {
      lines.add(line.plain());
    }

    @Override
    public void status(List<AttributedString> status) {
      statuses.add(status.stream().map(AttributedString::toString).toList());
    }

    @Override
    public int width() {
      return 100;
    }

    String awaitLine(String what, java.util.function.Predicate<String> match) {
      try {
        await(what).atMost(WAIT).until(() -> lines.stream().anyMatch(match));
      } catch (org.awaitility.core.ConditionTimeoutException e) {
        throw new AssertionError("waiting for " + what + "; the lines: " + lines, e);
      }
      return lines.stream().filter(match).findFirst().orElseThrow();
    }
  }

  @BeforeEach
  void start() throws Exception {
    server = new ChatServer(ServerConfig.defaults().withAddress("127.0.0.1", 0),
        Clock.systemUTC(), store, store, new Argon2Hasher(8 * 1024, 1, 1), files).start();
  }

  @AfterEach
  void stop() {
    sessions.forEach(s -> s.quit(null));
    server.close();
  }

  private ChatSession session(String nick, Screen screen, Path downloads) throws Exception {
    ChatSession s = new ChatSession(ClientOptions.of("127.0.0.1", server.port(), nick), screen,
        new LineFormatter(Clock.systemDefaultZone()), Backoff.DEFAULT, downloads);
    sessions.add(s);
    s.start();
    await().atMost(WAIT).until(() -> s.joinedRooms().contains("lobby"));
    return s;
  }

  private Path randomFile(String name, int bytes) throws Exception {
    byte[] data = new byte[bytes];
    new Random(name.hashCode()).nextBytes(data);
    return Files.write(temp.resolve(name), data);
  }

  @Test
  void aFileSharedWithTheRoomIsSeenDownloadedTwiceListedAndReplayed() throws Exception {
    Screen aliceSaw = new Screen();
    Screen bobSaw = new Screen();
    ChatSession alice = session("alice", aliceSaw, temp.resolve("alice-downloads"));
    Path bobDownloads = temp.resolve("bob downloads");
    ChatSession bob = session("bob", bobSaw, bobDownloads);
    Path file = randomFile("report data.bin", 3_000_000);
    files.slow(0, 5); // ~13 MB/s: the upload takes a moment, as over a network

    long before = System.nanoTime();
    alice.input("/send \"" + file + "\"");
    long inputMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before);
    alice.input("chat goes on meanwhile");
    assertThat(inputMillis).as("/send returns at once: the upload has its own thread")
        .isLessThan(500);

    String shared = bobSaw.awaitLine("bob sees the shared line", l -> SHARED.matcher(l).matches());
    Matcher m = SHARED.matcher(shared);
    assertThat(m.matches()).isTrue();
    assertThat(m.group(1)).isEqualTo("report data.bin");
    assertThat(m.group(2)).isEqualTo("3.0 MB, application/octet-stream");
    String hint = m.group(3);
    assertThat(hint).hasSize(FileIds.HINT_LENGTH);
    aliceSaw.awaitLine("alice sees her own share", l -> l.equals(shared));
    // Bob heard alice's line while her upload went on.
    int chatAt = bobSaw.lines.indexOf(bobSaw.awaitLine("alice's chat",
        l -> l.endsWith("<alice> chat goes on meanwhile")));
    assertThat(chatAt).as("said during the upload, shown before the file").isLessThan(
        bobSaw.lines.indexOf(shared));

    // The progress bar went by in alice's status line, and is gone.
    assertThat(aliceSaw.statuses).anyMatch(s -> s.size() == 1 && s.getFirst()
        .matches("↑ report data\\.bin +\\d+% \\[[=> ]*] +\\d+/3000 KB \\(.*\\) .* KB/s.*"));
    await().atMost(WAIT).until(() -> aliceSaw.statuses.getLast().isEmpty());

    // /get with the start it showed: into the downloads folder, checked.
    files.slow(Long.MAX_VALUE, 0);
    bob.input("/get " + hint);
    String saved = bobSaw.awaitLine("saved", l -> l.startsWith("-- saved "));
    Path first = bobDownloads.resolve("report data.bin");
    assertThat(saved).isEqualTo("-- saved " + first + " (3.0 MB, SHA-256 checked)");
    assertThat(FileTransfers.sha256(first)).isEqualTo(FileTransfers.sha256(file));
    assertThat(bobSaw.statuses).anyMatch(s -> !s.isEmpty() && s.getFirst()
        .startsWith("↓ report data.bin"));

    // Again: never over the first.
    bob.input("/get " + hint.substring(0, 3));
    Path second = bobDownloads.resolve("report data (1).bin");
    bobSaw.awaitLine("saved again", l -> l.equals("-- saved " + second
        + " (3.0 MB, SHA-256 checked)"));
    assertThat(Files.mismatch(first, second)).isEqualTo(-1);
    try (var listing = Files.list(bobDownloads)) {
      assertThat(listing.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("report data.bin", "report data (1).bin");
    }

    // /files lists it: id start, name, size, who, when.
    bob.input("/files");
    bobSaw.awaitLine("the listing", l -> l.equals(
        "-- files in #lobby, newest first (/get ID downloads one):"));
    bobSaw.awaitLine("the file listed", l -> l.matches("--   " + hint
        + "  report data\\.bin \\(3\\.0 MB, application/octet-stream\\), alice, "
        + "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d"));

    // Whoever joins later sees it replayed, dimmed with its date, and can get it the same way.
    Screen carolSaw = new Screen();
    ChatSession carol = session("carol", carolSaw, temp.resolve("carol"));
    String replayed = carolSaw.awaitLine("the replay", l -> l.matches(
        "\\[\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d] #lobby alice shared report data\\.bin "
            + "\\(3\\.0 MB, application/octet-stream\\) — /get " + hint));
    assertThat(replayed).isNotNull();
    carol.input("/get " + hint + " " + temp.resolve("carol") + "/");
    carolSaw.awaitLine("carol saved it", l -> l.startsWith("-- saved " + temp.resolve("carol")
        .resolve("report data.bin")));
  }

  @Test
  void aFileForOnePersonAndWhatGoesWrong() throws Exception {
    Screen aliceSaw = new Screen();
    Screen bobSaw = new Screen();
    ChatSession alice = session("alice", aliceSaw, temp.resolve("a"));
    ChatSession bob = session("bob", bobSaw, temp.resolve("b"));
    Path notes = Files.writeString(temp.resolve("notes.txt"), "for bob only\n");

    alice.input("/send bob " + notes);
    String forBob = bobSaw.awaitLine("bob's file", l -> l.matches(
        "\\[\\d\\d:\\d\\d:\\d\\d] \\*alice\\* shared notes\\.txt \\(13 B, text/plain\\) — /get \\S+"));
    aliceSaw.awaitLine("alice's copy", l -> l.matches(
        "\\[\\d\\d:\\d\\d:\\d\\d] -> \\*bob\\* you shared notes\\.txt \\(13 B, text/plain\\) "
            + "— /get \\S+"));
    String hint = forBob.substring(forBob.lastIndexOf(' ') + 1);

    // PATH names the file to save as.
    Path named = temp.resolve("kept/from alice.txt");
    Files.createDirectories(named.getParent());
    bob.input("/get " + hint + " '" + named + "'");
    bobSaw.awaitLine("saved under the name given", l -> l.equals("-- saved " + named
        + " (13 B, SHA-256 checked)"));
    assertThat(Files.readString(named)).isEqualTo("for bob only\n");

    // Refusals are explained where they happen, and nothing is sent.
    alice.input("/send " + temp.resolve("missing.pdf"));
    aliceSaw.awaitLine("no such file", l -> l.equals("!! no such file: "
        + temp.resolve("missing.pdf")));
    alice.input("/send " + temp);
    aliceSaw.awaitLine("a folder", l -> l.startsWith("!! " + temp + " is a folder"));
    alice.input("/send nobody " + notes);
    aliceSaw.awaitLine("no such nick", l -> l.startsWith("!! sending notes.txt failed: "));
    bob.input("/get zzzzzz");
    bobSaw.awaitLine("unknown id", l -> l.equals(
        "!! no file zzzzzz seen here; /files lists the room's files"));
    bob.input("/get " + "x".repeat(22));
    bobSaw.awaitLine("the server knows no such file", l -> l.startsWith("!! getting "
        + "x".repeat(22) + " failed: "));
    assertThat(bobSaw.lines).noneMatch(l -> l.contains("missing.pdf"));
  }

  /** {@code chat connect --plain} with {@code stdin}; its output. */
  private String piped(String stdin, Map<String, String> env, String... args) {
    ConnectCommand command = new ConnectCommand();
    command.stdin = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
    command.env = env;
    StringWriter out = new StringWriter();
    List<String> all = new ArrayList<>(List.of("--plain", "--port", String.valueOf(server.port())));
    all.addAll(List.of(args));
    int code = new CommandLine(command).setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(new StringWriter(), true)).execute(all.toArray(String[]::new));
    assertThat(code).as(out.toString()).isZero();
    return out.toString();
  }

  @Test
  void pipedChatConnectSendsAndGetsIntoItsDownloadsFolder() throws Exception {
    List<Frame> seen = new CopyOnWriteArrayList<>();
    try (ChatClient watcher = ChatClient.connect(
        ClientOptions.of("127.0.0.1", server.port(), "watcher"), seen::add)) {
      await().atMost(WAIT).until(() -> watcher.isInRoom("lobby"));
      Path file = randomFile("piped.bin", 700_000);
      files.slow(0, 5); // The end of the input waits for the upload.
      piped("/send " + file + "\n", Map.of(), "--nick", "dave");
      Frame shared = seen.stream().filter(f -> "file".equals(f.string("kind"))).findFirst()
          .orElseThrow(() -> new AssertionError("no file shared: " + seen));
      files.slow(Long.MAX_VALUE, 0);

      // --downloads, else CHAT_DOWNLOADS; a whole id needs no line of the session to name it.
      Path flag = temp.resolve("by flag");
      String out = piped("/get " + shared.string("file") + "\n", Map.of(Downloads.ENV,
          temp.resolve("by env").toString()), "--nick", "erin", "--downloads", flag.toString());
      assertThat(out.lines()).contains("-- saved " + flag.resolve("piped.bin")
          + " (700 KB, SHA-256 checked)");
      out = piped("/get " + shared.string("file") + "\n", Map.of(Downloads.ENV,
          temp.resolve("by env").toString()), "--nick", "erin");
      assertThat(out.lines()).contains("-- saved " + temp.resolve("by env/piped.bin")
          + " (700 KB, SHA-256 checked)");
      assertThat(Files.readAllBytes(temp.resolve("by env/piped.bin")))
          .isEqualTo(Files.readAllBytes(file));
    }
  }
}
