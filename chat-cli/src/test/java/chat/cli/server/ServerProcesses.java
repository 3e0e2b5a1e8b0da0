package chat.cli.server;

import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code chat server} as a real process on a data directory, for tests that kill it with
 * SIGKILL and start it again; {@link #close} kills whatever is left.
 */
public final class ServerProcesses implements AutoCloseable {

  private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");

  private final Path dataDir;
  private final List<Process> processes = new ArrayList<>();

  public ServerProcesses(Path dataDir) {
    this.dataDir = dataDir;
  }

  /** Starts a server (plaintext, native door only, port 0) and returns its port. */
  public int start(Path log, String... extraArgs) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
        "-cp", System.getProperty("java.class.path"), "chat.cli.Main", "server", "--port", "0",
        "--no-tls", "--data-dir", dataDir.toString(), "--http-port", "-1", "--irc-port", "-1"));
    command.addAll(List.of(extraArgs));
    Process process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    processes.add(process);
    return await().atMost(Duration.ofSeconds(60)).until(() -> {
      Matcher m = LISTENING.matcher(Files.readString(log, StandardCharsets.UTF_8));
      return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }, p -> p > 0);
  }

  /** The last server started. */
  public Process last() {
    return processes.getLast();
  }

  @Override
  public void close() {
    processes.forEach(Process::destroyForcibly);
    for (Process p : processes) {
      try {
        p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS); // its database sessions go with it
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
