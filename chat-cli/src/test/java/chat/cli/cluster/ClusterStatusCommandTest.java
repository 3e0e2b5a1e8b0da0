package chat.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import chat.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code chat cluster status} on the real PostgreSQL: the servers alive and the one killed. */
class ClusterStatusCommandTest {

  private final ClusterFixture cluster = new ClusterFixture();

  @BeforeEach
  void services() {
    ClusterFixture.requireServices("ClusterStatusCommandTest");
  }

  @AfterEach
  void stop() throws Exception {
    cluster.close();
  }

  private String[] run(String... args) {
    CommandLine cli = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int status = cli.execute(args);
    return new String[] {Integer.toString(status), out.toString(), err.toString()};
  }

  @Test
  void listsTheServersAliveAndGone() throws Exception {
    ClusterFixture.Node a = cluster.node();
    ClusterFixture.Node b = cluster.node();
    cluster.kill(b);
    String[] result = run("cluster", "status", "--store", cluster.storeUrl());
    assertThat(result[0]).as(result[2]).isEqualTo("0");
    assertThat(result[1]).containsPattern(a.directory().node() + "\\s+alive")
        .containsPattern(b.directory().node() + "\\s+gone")
        .contains("1 alive of 2 known");
  }

  @Test
  void metricsAndHealthShowTheClusterAsThisServerSeesIt() throws Exception {
    ClusterFixture.Node a = cluster.node(chat.server.ServerConfig.defaults(),
        server -> server.withWeb(chat.server.web.WebConfig.on("127.0.0.1", 0)));
    ClusterFixture.Node b = cluster.node();
    try (chat.client.ChatClient bob = chat.client.ChatClient.connect(
        chat.client.ClientOptions.of("127.0.0.1", b.port(), "bob"), f -> { })) {
      java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
      java.net.URI uri = java.net.URI.create("http://127.0.0.1:"
          + a.server().webAddress().getPort() + "/metrics");
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(http.send(java.net.http.HttpRequest.newBuilder(uri)
              .build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body())
              .contains("chat_cluster_servers_alive 2.0")
              .contains("chat_cluster_remote_users 1.0"));
      java.net.URI health = java.net.URI.create("http://127.0.0.1:"
          + a.server().webAddress().getPort() + "/healthz");
      assertThat(http.send(java.net.http.HttpRequest.newBuilder(health).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString()).body())
          .contains("\"cluster\":{\"server\":" + a.directory().node()
              + ",\"servers_alive\":2,\"remote_users\":1}");
    }
  }

  @Test
  void refusesAStoreThatIsNotPostgresql() {
    String[] result = run("cluster", "status", "--store", "sqlite");
    assertThat(result[0]).isEqualTo("2");
    assertThat(result[2]).contains("PostgreSQL");
  }
}
