package chat.cli.server;

import chat.core.CoreLimits;
import chat.protocol.FrameLimits;
import chat.server.ChatServer;
import chat.server.ServerConfig;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import chat.cli.ShutdownSignals;

/** {@code chat server}: runs the server until SIGINT or SIGTERM, then drains and exits 0. */
@Command(name = "server", mixinStandardHelpOptions = true,
    description = "Run the chat server (embedded defaults: loopback, port 7667).")
public final class ServerCommand implements Callable<Integer> {

  @Option(names = "--host", defaultValue = "${env:CHAT_HOST:-127.0.0.1}",
      description = "Address to listen on (env CHAT_HOST). Default: ${DEFAULT-VALUE}.")
  String host;

  @Option(names = "--port", defaultValue = "${env:CHAT_PORT:-7667}",
      description = "Native protocol port, 0 for any free port (env CHAT_PORT). Default: ${DEFAULT-VALUE}.")
  int port;

  @Option(names = "--max-header-bytes", defaultValue = "8192",
      description = "Largest frame header accepted. Default: ${DEFAULT-VALUE}.")
  int maxHeaderBytes;

  @Option(names = "--max-content-bytes", defaultValue = "65536",
      description = "Largest frame content accepted. Default: ${DEFAULT-VALUE}.")
  int maxContentBytes;

  @Option(names = "--max-message-bytes", defaultValue = "4096",
      description = "Longest message text in UTF-8 bytes. Default: ${DEFAULT-VALUE}.")
  int maxMessageBytes;

  @Option(names = "--history-on-join", defaultValue = "50",
      description = "How many of a room's latest messages a joining member is sent. Default: ${DEFAULT-VALUE}.")
  int historyOnJoin;

  @Option(names = "--ping-interval", defaultValue = "60",
      description = "Seconds of silence before the server pings a client; as long again without "
          + "an answer and it is dropped. Default: ${DEFAULT-VALUE}.")
  int pingSeconds;

  @Option(names = "--io-threads", defaultValue = "0",
      description = "Event loop threads for connections, 0 = two per core. Default: ${DEFAULT-VALUE}.")
  int ioThreads;

  @Override
  public Integer call() throws Exception {
    CoreLimits core = CoreLimits.DEFAULT;
    ServerConfig config = new ServerConfig(host, port,
        new FrameLimits(maxHeaderBytes, maxContentBytes, FrameLimits.DEFAULT_MAX_CONSECUTIVE_ERRORS),
        core.withMaxMessageBytes(maxMessageBytes).withHistoryOnJoin(historyOnJoin),
        Duration.ofSeconds(pingSeconds), Duration.ofSeconds(5), ioThreads);
    ChatServer server = new ChatServer(config);
    try {
      server.start();
    } catch (Exception e) {
      System.err.println("could not start the server on " + host + ":" + port + ": " + e.getMessage());
      return 1;
    }
    System.out.println("chat server listening on " + server.address().getHostString() + ":"
        + server.port() + " (Ctrl-C to stop)");
    System.out.flush();
    CountDownLatch stop = new CountDownLatch(1);
    // Handling the signals ourselves (instead of only a shutdown hook) lets the server drain
    // and the process exit with status 0.
    Thread hook = new Thread(server::close, "chat-server-shutdown");
    if (!ShutdownSignals.trap(stop::countDown)) {
      Runtime.getRuntime().addShutdownHook(hook);
    }
    stop.await();
    System.out.println("shutting down: telling clients and draining");
    server.close();
    System.out.println("stopped");
    return 0;
  }
}
