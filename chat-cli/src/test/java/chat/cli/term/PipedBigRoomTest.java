package chat.cli.term;

import static org.assertj.core.api.Assertions.assertThat;

import chat.client.ChatClient;
import chat.client.ClientOptions;
import chat.core.CoreLimits;
import chat.server.ChatServer;
import chat.server.ServerConfig;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code chat connect} joining a quiet room: it says so, and {@code /who} lists everyone. */
class PipedBigRoomTest {

  private ChatServer server;
  private final List<ChatClient> members = new ArrayList<>();

  @AfterEach
  void stop() {
    members.forEach(ChatClient::close);
    if (server != null) {
      server.close();
    }
  }

  @Test
  void joiningAQuietRoomTellsItsCountAndWhoListsEveryone() throws Exception {
    server = new ChatServer(ServerConfig.defaults().withAddress("127.0.0.1", 0)
        .withCoreLimits(CoreLimits.DEFAULT.withPresenceLimit(2))).start();
    for (String nick : List.of("amy", "ben")) {
      ChatClient client = ChatClient.connect(ClientOptions.of("127.0.0.1", server.port(), nick),
          frame -> { });
      client.join("big").get();
      members.add(client);
    }
    ConnectCommand command = new ConnectCommand();
    command.stdin = new ByteArrayInputStream("/join #big\n/who\n".getBytes(StandardCharsets.UTF_8));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = new CommandLine(command).setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true))
        .execute("--plain", "--port", String.valueOf(server.port()), "--nick", "bot");

    assertThat(code).as(err.toString()).isZero();
    List<String> lines = out.toString().lines().toList();
    assertThat(lines).contains(
        "-- #big has 3 people: arrivals and departures are not shown (/who lists them)");
    assertThat(lines).contains("-- members of #big: @amy ben bot");
  }
}
