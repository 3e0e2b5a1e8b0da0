package chat.cli.echo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import chat.cli.Main;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** The echo server and client over real sockets on 127.0.0.1. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class EchoCommandTest {

  private static final String LOOPBACK = "127.0.0.1";
  private static final String RTT = "\\d+\\.\\d{3}";
  private static final String SUMMARY_RTT =
      ", rtt min/avg/max = " + RTT + "/" + RTT + "/" + RTT + " ms";

  private final List<EchoServer> servers = new ArrayList<>();

  @AfterEach
  void stopServers() {
    servers.forEach(EchoServer::close);
  }

  @Test
  void tcpProbesAreEchoedAndTimed() throws IOException {
    int port = startServer(Transport.TCP).getPort();

    Run run = chat("echo", "client", "--port", "" + port, "--count", "3", "--interval", "10");

    assertThat(run.code()).as(run.toString()).isZero();
    assertThat(run.outLines())
        .as(run.toString())
        .satisfiesExactly(
            line -> assertThat(line).isEqualTo("echo tcp 127.0.0.1:%d: 3 probes of 32 bytes", port),
            line -> assertThat(line).matches("seq=1 bytes=32 rtt=" + RTT + " ms"),
            line -> assertThat(line).matches("seq=2 bytes=32 rtt=" + RTT + " ms"),
            line -> assertThat(line).matches("seq=3 bytes=32 rtt=" + RTT + " ms"),
            line -> assertThat(line).matches("3 sent, 3 received, 0% loss" + SUMMARY_RTT));
    assertThat(run.err()).isEmpty();
  }

  @Test
  void udpProbesAreEchoedAndTimed() throws IOException {
    int port = startServer(Transport.UDP).getPort();

    Run run =
        chat(
            "echo", "client", "--udp", "--port", "" + port, "--count", "3", "--interval", "10",
            "--size", "100");

    assertThat(run.code()).as(run.toString()).isZero();
    assertThat(run.outLines())
        .as(run.toString())
        .satisfiesExactly(
            line ->
                assertThat(line).isEqualTo("echo udp 127.0.0.1:%d: 3 probes of 100 bytes", port),
            line -> assertThat(line).matches("seq=1 bytes=100 rtt=" + RTT + " ms"),
            line -> assertThat(line).matches("seq=2 bytes=100 rtt=" + RTT + " ms"),
            line -> assertThat(line).matches("seq=3 bytes=100 rtt=" + RTT + " ms"),
            line -> assertThat(line).matches("3 sent, 3 received, 0% loss" + SUMMARY_RTT));
    assertThat(run.err()).isEmpty();
  }

  @Test
  void largeTcpProbesAreReassembledFromManyReads() throws IOException {
    int port = startServer(Transport.TCP).getPort();

    // 512 KiB cannot travel in one segment or one read: each echo arrives in many pieces.
    Run run =
        chat(
            "echo", "client", "--port", "" + port, "--count", "3", "--interval", "0", "--size",
            "524288");

    assertThat(run.code()).as(run.toString()).isZero();
    assertThat(run.outLines()).as(run.toString()).hasSize(5);
    assertThat(run.outLines().get(3)).matches("seq=3 bytes=524288 rtt=" + RTT + " ms");
    assertThat(run.outLines().get(4)).matches("3 sent, 3 received, 0% loss" + SUMMARY_RTT);
  }

  @Test
  void largestUdpProbesAreEchoedWhole() throws IOException {
    int port = startServer(Transport.UDP).getPort();

    Run run =
        chat(
            "echo", "client", "--udp", "--port", "" + port, "--count", "2", "--interval", "0",
            "--size", "65000");

    assertThat(run.code()).as(run.toString()).isZero();
    assertThat(run.outLines().get(2)).matches("seq=2 bytes=65000 rtt=" + RTT + " ms");
  }

  @Test
  void udpProbesWithoutServerAreLost() throws IOException {
    int port = freeUdpPort();

    Run run =
        chat(
            "echo", "client", "--udp", "--port", "" + port, "--count", "2", "--interval", "0",
            "--timeout", "150");

    assertThat(run.code()).as(run.toString()).isEqualTo(1);
    assertThat(run.outLines())
        .containsExactly(
            "echo udp 127.0.0.1:" + port + ": 2 probes of 32 bytes",
            "seq=1 timeout",
            "seq=2 timeout",
            "2 sent, 0 received, 100% loss");
  }

  @Test
  void tcpProbesThatAreNotEchoedTimeOut() throws IOException {
    // The kernel completes the handshake into the backlog; nobody ever reads or echoes.
    try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
      int port = silent.getLocalPort();

      Run run =
          chat(
              "echo", "client", "--port", "" + port, "--count", "2", "--interval", "0",
              "--timeout", "150");

      assertThat(run.code()).as(run.toString()).isEqualTo(1);
      assertThat(run.outLines())
          .containsExactly(
              "echo tcp 127.0.0.1:" + port + ": 2 probes of 32 bytes",
              "seq=1 timeout",
              "seq=2 timeout",
              "2 sent, 0 received, 100% loss");
    }
  }

  @Test
  void tcpClientAgainstClosedPortSaysSoAndExits2() throws IOException {
    int port = freeTcpPort();

    Run run = chat("echo", "client", "--port", "" + port, "--count", "1", "--timeout", "500");

    assertThat(run.code()).as(run.toString()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.errLines())
        .singleElement()
        .asString()
        .isEqualTo("could not connect to 127.0.0.1:" + port + ": Connection refused");
  }

  @Test
  void tcpConnectionClosedByPeerEndsTheRun() throws Exception {
    try (ServerSocket peer = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
      peer.setSoTimeout(5_000);
      // Accepts one connection, swallows the first probe and hangs up instead of echoing it.
      Thread closer =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try (Socket socket = peer.accept()) {
                      socket.setSoTimeout(5_000);
                      socket.getInputStream().readNBytes(32);
                    } catch (IOException ignored) {
                      // the run then fails on its own and the assertions show it
                    }
                  });

      Run run =
          chat(
              "echo", "client", "--port", "" + peer.getLocalPort(), "--count", "3", "--interval",
              "0", "--timeout", "2000");

      assertThat(run.code()).as(run.toString()).isEqualTo(1);
      assertThat(run.outLines().get(1)).isEqualTo("seq=1 connection closed by peer");
      assertThat(run.outLines()).last().isEqualTo("1 sent, 0 received, 100% loss");
      await().atMost(Duration.ofSeconds(5)).until(() -> !closer.isAlive());
    }
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--count 0          | --count must be at least 1, got 0",
        "--size 7           | --size must be between 8 and 1048576 bytes for tcp, got 7",
        "--size 1048577     | --size must be between 8 and 1048576 bytes for tcp, got 1048577",
        "--udp --size 65001 | --size must be between 8 and 65000 bytes for udp, got 65001",
        "--interval -1      | --interval must not be negative, got -1",
        "--timeout 0        | --timeout must be at least 1 ms, got 0",
        "--port 0           | --port must be between 1 and 65535, got 0",
        "--port 65536       | --port must be between 1 and 65535, got 65536",
        "--count many       | Invalid value for option '--count': 'many' is not an int",
      })
  void invalidClientArgumentsAreRejected(String args, String message) {
    List<String> argv = new ArrayList<>(List.of("echo", "client"));
    argv.addAll(Arrays.asList(args.trim().split(" +")));

    Run run = chat(argv.toArray(String[]::new));

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.errLines()).first().isEqualTo(message);
    assertThat(run.out()).isEmpty();
  }

  @Test
  void invalidServerPortIsRejected() {
    Run run = chat("echo", "server", "--port", "70000");

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.errLines()).first().isEqualTo("--port must be between 0 and 65535, got 70000");
  }

  @Test
  void tcpServerEchoesEveryByteWhateverTheWrites() throws IOException {
    InetSocketAddress address = startServer(Transport.TCP);
    try (Socket socket = new Socket()) {
      socket.setSoTimeout(2_000);
      socket.connect(address, 2_000);
      OutputStream out = socket.getOutputStream();
      out.write("hel".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      out.write("lo, world".getBytes(StandardCharsets.US_ASCII));
      out.flush();

      InputStream in = socket.getInputStream();
      String echoed = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
      assertThat(echoed).isEqualTo("hello, world");
    }
  }

  @Test
  void udpServerSendsEachDatagramBackToItsSender() throws IOException {
    InetSocketAddress address = startServer(Transport.UDP);
    try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getByName(LOOPBACK))) {
      socket.setSoTimeout(2_000);
      byte[] payload = "ping".getBytes(StandardCharsets.US_ASCII);
      socket.send(new DatagramPacket(payload, payload.length, address));

      DatagramPacket reply = new DatagramPacket(new byte[100], 100);
      socket.receive(reply);

      assertThat(reply.getSocketAddress()).isEqualTo(address);
      assertThat(Arrays.copyOf(reply.getData(), reply.getLength())).isEqualTo(payload);
    }
  }

  @Test
  void serverReportsItsPortAndReleasesItOnClose() throws IOException {
    EchoServer server = new EchoServer(Transport.TCP, LOOPBACK, 0);
    InetSocketAddress address = server.start();
    assertThat(address.getPort()).isPositive();
    assertThat(server.address()).isEqualTo(address);

    try (EchoServer second = new EchoServer(Transport.TCP, LOOPBACK, address.getPort())) {
      assertThatThrownBy(second::start)
          .isInstanceOf(IOException.class)
          .hasMessageContaining("in use");
    }

    server.close();
    server.close(); // idempotent
    try (Socket socket = new Socket()) {
      assertThatThrownBy(() -> socket.connect(address, 1_000)).isInstanceOf(ConnectException.class);
    }
  }

  // --- helpers ---

  private InetSocketAddress startServer(Transport transport) throws IOException {
    EchoServer server = new EchoServer(transport, LOOPBACK, 0);
    servers.add(server);
    return server.start();
  }

  private static int freeTcpPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
      return socket.getLocalPort();
    }
  }

  private static int freeUdpPort() throws IOException {
    try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getByName(LOOPBACK))) {
      return socket.getLocalPort();
    }
  }

  private static Run chat(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  private record Run(int code, String out, String err) {
    List<String> outLines() {
      return out.lines().toList();
    }

    List<String> errLines() {
      return err.lines().toList();
    }

    @Override
    public String toString() {
      return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }
}
