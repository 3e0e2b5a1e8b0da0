package chat.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;

/** {@code chat bench} as a command: argument checks and the JSON it prints. */
class BenchCommandTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = new CommandLine(new BenchCommand());
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    return cli.execute(args);
  }

  @Test
  void refusesARemoteTargetWithoutAllowRemote() {
    int status = run("--host", "192.0.2.10", "--clients", "1", "--senders", "1");
    assertThat(status).isEqualTo(2);
    assertThat(err.toString())
        .contains("refusing to load 192.0.2.10")
        .contains("not a loopback address")
        .contains("--allow-remote");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void acceptsAnyLoopbackAddress() {
    // Nothing listens there: the run fails to connect, which shows the address was accepted.
    int status = run("--host", "127.0.0.3", "--port", "1", "--clients", "1", "--senders", "1");
    assertThat(status).isEqualTo(2);
    assertThat(err.toString()).doesNotContain("refusing").contains("could not connect");
  }

  @Test
  void rejectsInconsistentArguments() {
    assertThat(run("--clients", "2", "--senders", "3")).isEqualTo(2);
    assertThat(err.toString()).contains("--senders must be between 1 and --clients (2), got 3");
    assertThat(run("--size", "10")).isEqualTo(2);
    assertThat(err.toString()).contains("--size must be between 43");
    assertThat(run("--decoder", "fast")).isEqualTo(2);
    assertThat(err.toString()).contains("--decoder must be lean or tree");
  }

  @Test
  void printsParseableJson() throws Exception {
    int status = run("--in-process", "--clients", "3", "--senders", "1", "--messages", "20",
        "--warmup", "0", "--json");
    assertThat(status).as("stderr: %s", err).isZero();
    JsonNode json = JsonOut.MAPPER.readTree(out.toString());
    assertThat(json.get("mode").asString()).isEqualTo("load");
    assertThat(json.get("ok").asBoolean()).isTrue();
    assertThat(json.at("/deliveries/total").asLong()).as("%s", json).isEqualTo(60);
    assertThat(json.at("/deliveries/expected").asLong()).isEqualTo(60);
    assertThat(json.get("lost").asLong()).isZero();
    assertThat(json.get("out_of_order").asLong()).isZero();
    assertThat(json.at("/latency_us/count").asLong()).isEqualTo(60);
    assertThat(json.at("/latency_us/p99").asLong()).isPositive();
    assertThat(json.at("/server/source").asString()).isEqualTo("in-process");
    assertThat(json.at("/server/cpu_us_per_delivery").isNumber()).isTrue();
    assertThat(json.at("/machine/processors").asInt()).isPositive();
  }

  @Test
  void idleModePrintsParseableJson() throws Exception {
    int status = run("--in-process", "--idle", "--clients", "5", "--settle", "0", "--json");
    assertThat(status).as("stderr: %s", err).isZero();
    JsonNode json = JsonOut.MAPPER.readTree(out.toString());
    assertThat(json.get("mode").asString()).isEqualTo("idle");
    assertThat(json.at("/connect/connections").asInt()).isEqualTo(5);
    assertThat(json.at("/server/heap_per_connection_bytes").isNumber()).isTrue();
  }
}
