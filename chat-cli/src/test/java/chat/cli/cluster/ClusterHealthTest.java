package chat.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import chat.cli.cluster.ClusterRig.Node;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /healthz} of a server sharing rooms says whether NATS and PostgreSQL are reachable, and
 * is not ready while either is away (docs/ARCHITECTURE.md, "When NATS or PostgreSQL fails").
 * Skipped, saying why, without PostgreSQL or NATS.
 */
class ClusterHealthTest {

  private ClusterRig rig;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
      .build();

  @BeforeEach
  void servicesRun() {
    ClusterRig.assumeServices("ClusterHealthTest");
    rig = new ClusterRig();
  }

  @AfterEach
  void stop() throws Exception {
    http.close();
    if (rig != null) {
      rig.close();
    }
  }

  private record Health(int status, JsonNode json) {
    String bus() {
      return json.path("bus").path("status").asString();
    }

    String store() {
      return json.path("store").path("status").asString();
    }
  }

  private Health health(Node node) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
        + node.server().webAddress().getPort() + "/healthz")).timeout(Duration.ofSeconds(10))
        .build(), HttpResponse.BodyHandlers.ofString());
    return new Health(r.statusCode(), JsonMapper.builder().build().readTree(r.body()));
  }

  @Test
  void healthzSaysWhetherTheBusAndTheStoreAreReachable() throws Exception {
    Node node = rig.node(true);
    Health up = health(node);
    assertThat(up.status()).isEqualTo(200);
    assertThat(up.bus()).isEqualTo("up");
    assertThat(up.store()).isEqualTo("ok");

    node.nats().cut();
    await().atMost(Duration.ofSeconds(10)).until(() -> health(node).bus().equals("down"));
    Health noBus = health(node);
    assertThat(noBus.status()).isEqualTo(503);
    assertThat(noBus.json().path("ready").asBoolean(true)).isFalse();
    node.nats().restore();
    await().atMost(Duration.ofSeconds(10)).until(() -> health(node).status() == 200);
    assertThat(health(node).bus()).isEqualTo("up");

    node.pg().cut();
    await().atMost(Duration.ofSeconds(15)).until(() -> !health(node).store().equals("ok"));
    Health noStore = health(node);
    assertThat(noStore.status()).isEqualTo(503);
    assertThat(noStore.bus()).isEqualTo("up");
    node.pg().restore();
    await().atMost(Duration.ofSeconds(15)).until(() -> health(node).status() == 200);
    assertThat(health(node).store()).isEqualTo("ok");
  }
}
