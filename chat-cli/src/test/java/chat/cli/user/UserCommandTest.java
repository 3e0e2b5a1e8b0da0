package chat.cli.user;

import static org.assertj.core.api.Assertions.assertThat;

import chat.cli.Main;
import chat.client.ChatClient;
import chat.client.ClientOptions;
import chat.core.store.Account;
import chat.server.Argon2Hasher;
import chat.server.ChatServer;
import chat.server.ServerConfig;
import chat.store.Store;
import chat.store.Stores;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code chat user} against a real SQLite store, and the account it makes used by a client. */
class UserCommandTest {

  @TempDir
  Path dataDir;

  private record Run(int code, String out, String err) {}

  private Run chat(String stdin, String... args) {
    InputStream saved = System.in;
    System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
    try {
      CommandLine cli = Main.commandLine();
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      cli.setOut(new PrintWriter(out, true));
      cli.setErr(new PrintWriter(err, true));
      int code = cli.execute(args);
      return new Run(code, out.toString(), err.toString());
    } finally {
      System.setIn(saved);
    }
  }

  private String dir() {
    return dataDir.toString();
  }

  private Optional<Account> account(String name) {
    try (Store store = Stores.open("sqlite", dataDir)) {
      return store.find(name);
    }
  }

  @Test
  void addListPasswdDel() {
    Run add = chat("first-password\n", "user", "add", "Alice", "--admin", "--password-stdin", "--data-dir", dir());
    assertThat(add.code()).as(add.err()).isZero();
    assertThat(add.out()).contains("created administrator Alice");
    Account alice = account("alice").orElseThrow();
    assertThat(alice.admin()).isTrue();
    assertThat(alice.passwordHash()).startsWith("$argon2id$");
    assertThat(new Argon2Hasher().verify("first-password".toCharArray(), alice.passwordHash())).isTrue();

    assertThat(chat("x-password\n", "user", "add", "alice", "--password-stdin", "--data-dir", dir()).code())
        .as("names are unique ignoring case").isEqualTo(1);
    assertThat(chat("short\n", "user", "add", "bob", "--password-stdin", "--data-dir", dir()).err())
        .contains("at least 8");
    assertThat(chat("bob-password\n", "user", "add", "bob", "--password-stdin", "--data-dir", dir()).code()).isZero();
    assertThat(chat("sesame\n", "user", "add", "evan", "--password-stdin",
        "--min-password-length", "4", "--data-dir", dir()).code())
        .as("the operator may allow a shorter one").isZero();

    Run list = chat("", "user", "list", "--data-dir", dir());
    assertThat(list.out()).contains("Alice").contains("admin").contains("bob");
    assertThat(chat("", "user", "list", "--admin", "--data-dir", dir()).out()).doesNotContain("bob");

    assertThat(chat("second-password\n", "user", "passwd", "bob", "--password-stdin", "--data-dir", dir()).code()).isZero();
    assertThat(new Argon2Hasher().verify("second-password".toCharArray(),
        account("bob").orElseThrow().passwordHash())).isTrue();

    assertThat(chat("", "user", "del", "bob", "--data-dir", dir()).code()).isZero();
    assertThat(account("bob")).isEmpty();
    assertThat(chat("", "user", "del", "bob", "--data-dir", dir()).code()).isEqualTo(1);
  }

  @Test
  void anAccountAddedWhileTheServerRunsCanLogInAtOnce() throws Exception {
    try (Store store = Stores.open("sqlite", dataDir)) {
      ChatServer server = new ChatServer(ServerConfig.defaults().withAddress("127.0.0.1", 0),
          Clock.systemUTC(), store, store, new Argon2Hasher()).start();
      try {
        assertThat(chat("carol-password\n", "user", "add", "carol", "--password-stdin",
            "--data-dir", dir()).code()).isZero();
        ClientOptions options = ClientOptions.of("127.0.0.1", server.port(), "carol")
            .withLogin("carol", "carol-password".toCharArray());
        try (ChatClient carol = ChatClient.connect(options, frame -> { })) {
          assertThat(carol.account()).isEqualTo("carol");
        }
      } finally {
        server.close();
      }
    }
  }
}
