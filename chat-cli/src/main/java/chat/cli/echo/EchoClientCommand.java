package chat.cli.echo;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code chat echo client}: sends numbered probes and reports their round-trip times. */
@Command(
    name = "client",
    description = {
      "Echo client: sends --count probes of --size bytes, one every --interval ms, waits for each"
          + " echo and prints its round-trip time, then a summary.",
      "Over TCP all probes share one connection; over UDP a probe not echoed within --timeout is"
          + " counted as lost.",
      "An unreported warm-up probe goes first, so that JVM start-up costs do not show as latency."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:every probe was echoed",
      "1:some probes were lost",
      "2:invalid arguments, or could not connect"
    })
final class EchoClientCommand implements Callable<Integer> {

  static final int MAX_UDP_SIZE = 65_000;
  static final int MAX_TCP_SIZE = 1 << 20;

  @Spec CommandSpec spec;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help message and exit.")
  boolean help;

  @Option(names = "--udp", description = "Probe over UDP instead of TCP.")
  boolean udp;

  @Option(
      names = "--host",
      paramLabel = "HOST",
      defaultValue = "127.0.0.1",
      description = "Echo server host (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      defaultValue = "7007",
      description = "Echo server port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--count",
      defaultValue = "5",
      paramLabel = "N",
      description = "Number of probes (default: ${DEFAULT-VALUE}).")
  int count;

  @Option(
      names = "--interval",
      defaultValue = "1000",
      paramLabel = "MS",
      description = "Milliseconds between the starts of two probes (default: ${DEFAULT-VALUE}).")
  long intervalMillis;

  @Option(
      names = "--size",
      defaultValue = "32",
      paramLabel = "BYTES",
      description =
          "Probe size, 8 to "
              + MAX_UDP_SIZE
              + " for UDP, 8 to "
              + MAX_TCP_SIZE
              + " for TCP (default: ${DEFAULT-VALUE}).")
  int size;

  @Option(
      names = "--timeout",
      defaultValue = "1000",
      paramLabel = "MS",
      description =
          "Milliseconds to wait for the connection, and for each echo before counting its"
              + " probe lost (default: ${DEFAULT-VALUE}).")
  int timeoutMillis;

  @Override
  public Integer call() throws InterruptedException {
    Transport transport = udp ? Transport.UDP : Transport.TCP;
    validate(transport);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String target = Net.hostPort(host, port);

    EchoClient client;
    try {
      client = EchoClient.open(transport, new InetSocketAddress(host, port), size, timeoutMillis);
    } catch (IOException e) {
      err.println("could not connect to " + target + ": " + e.getMessage());
      err.flush();
      return 2;
    }

    int sent = 0;
    int received = 0;
    long min = Long.MAX_VALUE;
    long max = 0;
    long total = 0;
    try (client) {
      out.printf(
          Locale.ROOT,
          "echo %s %s: %d probe%s of %d bytes%n",
          transport,
          target,
          count,
          count == 1 ? "" : "s",
          size);
      out.flush();
      client.warmUp(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis));
      long interval = TimeUnit.MILLISECONDS.toNanos(intervalMillis);
      long start = System.nanoTime();
      for (int seq = 1; seq <= count; seq++) {
        if (seq > 1) {
          // Probes start on a fixed schedule; one delayed by a slow echo goes out right away.
          long wait = start + (seq - 1) * interval - System.nanoTime();
          if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
          }
        }
        client.send(seq);
        sent++;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        EchoClient.Outcome outcome = client.awaitEcho(seq, deadline);
        switch (outcome) {
          case EchoClient.Outcome.Echoed echoed -> {
            received++;
            long rtt = echoed.rttNanos();
            min = Math.min(min, rtt);
            max = Math.max(max, rtt);
            total += rtt;
            out.printf(Locale.ROOT, "seq=%d bytes=%d rtt=%s ms%n", seq, size, millis(rtt));
          }
          case EchoClient.Outcome.TimedOut timedOut ->
              out.printf(Locale.ROOT, "seq=%d timeout%n", seq);
          case EchoClient.Outcome.SendFailed failed ->
              out.printf(Locale.ROOT, "seq=%d send failed: %s%n", seq, failed.reason());
          case EchoClient.Outcome.Closed closed ->
              out.printf(Locale.ROOT, "seq=%d %s%n", seq, closed.reason());
        }
        out.flush();
        if (outcome instanceof EchoClient.Outcome.Closed) {
          break;
        }
      }
    }

    StringBuilder summary =
        new StringBuilder()
            .append(sent)
            .append(" sent, ")
            .append(received)
            .append(" received, ")
            .append(lossPercent(sent, received))
            .append("% loss");
    if (received > 0) {
      summary
          .append(", rtt min/avg/max = ")
          .append(millis(min))
          .append('/')
          .append(millis(total / received))
          .append('/')
          .append(millis(max))
          .append(" ms");
    }
    out.println(summary);
    out.flush();
    return received == count ? 0 : 1;
  }

  private void validate(Transport transport) {
    int maxSize = transport == Transport.UDP ? MAX_UDP_SIZE : MAX_TCP_SIZE;
    String problem = null;
    if (host.isBlank()) {
      problem = "--host must not be empty";
    } else if (port < 1 || port > 65_535) {
      problem = "--port must be between 1 and 65535, got " + port;
    } else if (count < 1) {
      problem = "--count must be at least 1, got " + count;
    } else if (intervalMillis < 0) {
      problem = "--interval must not be negative, got " + intervalMillis;
    } else if (size < EchoClient.HEADER || size > maxSize) {
      problem =
          "--size must be between "
              + EchoClient.HEADER
              + " and "
              + maxSize
              + " bytes for "
              + transport
              + ", got "
              + size;
    } else if (timeoutMillis < 1) {
      problem = "--timeout must be at least 1 ms, got " + timeoutMillis;
    }
    if (problem != null) {
      throw new ParameterException(spec.commandLine(), problem);
    }
  }

  private static String millis(long nanos) {
    return String.format(Locale.ROOT, "%.3f", nanos / 1e6);
  }

  /** Whole percent when exact (0, 20, 100), otherwise one decimal (33.3). */
  private static String lossPercent(int sent, int received) {
    long lost = sent - received;
    if (lost * 100 % sent == 0) {
      return Long.toString(lost * 100 / sent);
    }
    return String.format(Locale.ROOT, "%.1f", lost * 100.0 / sent);
  }
}
