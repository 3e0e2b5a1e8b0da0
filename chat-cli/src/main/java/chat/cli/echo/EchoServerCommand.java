package chat.cli.echo;

import chat.cli.ShutdownSignals;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code chat echo server}: echoes until SIGINT or SIGTERM. */
@Command(
    name = "server",
    description = {
      "Echo server: over TCP echoes every byte back, with --udp sends every datagram back to its"
          + " sender.",
      "Prints the address it listens on and runs until SIGINT (Ctrl-C) or SIGTERM."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:stopped by SIGINT or SIGTERM",
      "2:invalid arguments, or could not listen on the address"
    })
final class EchoServerCommand implements Callable<Integer> {

  private static final Logger log = LoggerFactory.getLogger(EchoServerCommand.class);

  @Spec CommandSpec spec;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help message and exit.")
  boolean help;

  @Option(names = "--udp", description = "Echo UDP datagrams instead of a TCP byte stream.")
  boolean udp;

  @Option(
      names = "--host",
      paramLabel = "HOST",
      defaultValue = "127.0.0.1",
      description = "Address to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 for all).")
  String host;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      defaultValue = "7007",
      description = "Port to listen on, 0 for any free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Override
  public Integer call() throws InterruptedException {
    if (port < 0 || port > 65_535) {
      throw new ParameterException(
          spec.commandLine(), "--port must be between 0 and 65535, got " + port);
    }
    if (host.isBlank()) {
      throw new ParameterException(spec.commandLine(), "--host must not be empty");
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Transport transport = udp ? Transport.UDP : Transport.TCP;

    EchoServer server = new EchoServer(transport, host, port);
    InetSocketAddress bound;
    try {
      bound = server.start();
    } catch (IOException e) {
      String address = Net.hostPort(host, port);
      err.println("could not listen on " + transport + " " + address + ": " + e.getMessage());
      err.flush();
      return 2;
    }

    CountDownLatch stop = new CountDownLatch(1);
    // Closes the server if the JVM goes down some other way (SIGHUP, or signals not trappable).
    Thread hook = new Thread(server::close, "echo-server-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    ShutdownSignals.trap(stop::countDown);

    out.println("echo server listening on " + transport + " " + Net.format(bound));
    out.flush();
    try {
      stop.await();
    } finally {
      server.close();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // The JVM is already exiting; the hook finds the server closed.
      }
    }
    log.info("echo server on {} {} stopped", transport, Net.format(bound));
    return 0;
  }
}
