package chat.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import chat.protocol.Frame;
import chat.server.ChatServer;
import chat.server.ServerConfig;
import chat.server.irc.IrcConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A real IRC client, irssi, driven under tmux as a person would (keys in with
 * {@code send-keys}, the screen out with {@code capture-pane}), chatting with a native member
 * in the same room. Skipped, saying why, when irssi or tmux is not installed ({@code .ci/run}
 * installs both).
 */
class IrssiTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String SESSION = "irc";

  private final String socket = "chat-irssi-" + UUID.randomUUID();
  private final List<Frame> bobSaw = new CopyOnWriteArrayList<>();
  private ChatServer server;
  private ChatClient bob;
  private Path home;
  private boolean tmuxStarted;

  @BeforeEach
  void start() throws Exception {
    Assumptions.assumeTrue(installed("tmux", "-V"),
        "tmux is not installed: skipping the test that drives irssi under tmux");
    Assumptions.assumeTrue(installed("irssi", "--version"),
        "irssi is not installed: skipping the test that drives a real IRC client");
    server = new ChatServer(ServerConfig.defaults().withAddress("127.0.0.1", 0))
        .irc(IrcConfig.of("127.0.0.1", 0).withMotd(List.of("welcome, irssi")))
        .start();
    bob = ChatClient.connect(ClientOptions.of("127.0.0.1", server.port(), "bob"), bobSaw::add);
    bob.join("rust").get(10, TimeUnit.SECONDS);

    home = Files.createTempDirectory("irssi-home");
    // irssi paces its commands (2.2 s apart after a burst) to spare servers, not needed here;
    // and keys that come fast (tmux types them) are not a paste but commands.
    Files.writeString(home.resolve("config"), """
        settings = {
          core = { real_name = "Alice Irssi"; user_name = "alice"; nick = "alice"; };
          "irc/core" = { cmd_queue_speed = "10msec"; };
          "fe-text" = { paste_detect_time = "0"; };
        };
        """);
    String command = "irssi --home=" + quote(home.toString()) + " -n alice -c 127.0.0.1 -p "
        + server.ircPort() + "; echo \"exit=$?\"; sleep 60";
    tmux("new-session", "-d", "-s", SESSION, "-x", "150", "-y", "40", command);
    tmuxStarted = true;
  }

  @AfterEach
  void stop() throws Exception {
    if (tmuxStarted) {
      try {
        tmux("kill-server");
      } catch (Exception e) {
        // already gone
      }
    }
    if (bob != null) {
      bob.close();
    }
    if (server != null) {
      server.close();
    }
    if (home != null) {
      try (Stream<Path> files = Files.walk(home)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  void irssiAndANativeClientChatInOneRoom() throws Exception {
    awaitScreen("the MOTD", s -> s.contains("welcome, irssi"));

    type("/join #rust");
    keys("Enter");
    awaitBob("alice's join", f -> "joined".equals(f.type()) && "alice".equals(f.string("nick")));
    awaitScreen("the join and the names", s -> s.contains("alice") && s.contains("#rust")
        && s.contains("bob"));

    type("hello from irssi");
    keys("Enter");
    awaitBob("alice's message", f -> "message".equals(f.type())
        && "alice".equals(f.string("from")) && "hello from irssi".equals(f.contentAsText()));

    bob.say("rust", "hi alice, this is the terminal").get(10, TimeUnit.SECONDS);
    String screen = awaitScreen("bob's message", s -> s.contains("hi alice, this is the terminal"));
    assertThat(screen.lines().filter(l -> l.contains("hi alice, this is the terminal")).findFirst()
        .orElseThrow()).contains("bob");

    bob.action("rust", "waves").get(10, TimeUnit.SECONDS);
    awaitScreen("bob's action", s -> s.lines().anyMatch(l -> l.contains("bob waves")));

    type("/me waves back");
    keys("Enter");
    awaitBob("alice's action", f -> "message".equals(f.type())
        && "action".equals(f.string("kind")) && "waves back".equals(f.contentAsText()));

    type("/quit see you");
    keys("Enter");
    awaitBob("alice's quit", f -> "quit".equals(f.type()) && "alice".equals(f.string("nick"))
        && "see you".equals(f.string("reason")));
  }

  // ------------------------------------------------------------------ helpers

  private void type(String text) throws Exception {
    tmux("send-keys", "-t", SESSION, "-l", text);
  }

  private void keys(String key) throws Exception {
    tmux("send-keys", "-t", SESSION, key);
  }

  private String screen() throws Exception {
    return tmux("capture-pane", "-p", "-t", SESSION);
  }

  private String awaitScreen(String what, Predicate<String> condition) throws Exception {
    try {
      return await(what).atMost(WAIT).pollInterval(Duration.ofMillis(100))
          .until(this::screen, condition::test);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError("waiting for " + what + "; the screen shows:\n" + screen(), e);
    }
  }

  private void awaitBob(String what, Predicate<Frame> seen) throws Exception {
    try {
      await(what).atMost(WAIT).until(() -> bobSaw.stream().anyMatch(seen));
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError("waiting for " + what + " to reach the native client; irssi's "
          + "screen shows:\n" + screen() + "\nthe native client saw: " + bobSaw, e);
    }
  }

  private static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  private static boolean installed(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private String tmux(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("tmux", "-L", socket, "-f", "/dev/null"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    env.putIfAbsent("TERM", "xterm-256color");
    env.remove("TMUX");
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
}
