package chat.cli.server;

import chat.core.CoreLimits;
import chat.protocol.FrameLimits;
import chat.server.ChatServer;
import chat.server.ServerConfig;
import chat.server.Argon2Hasher;
import chat.server.irc.IrcConfig;
import chat.server.tls.ServerTls;
import chat.server.web.WebConfig;
import chat.store.Store;
import chat.store.Stores;
import java.time.Clock;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import chat.cli.ShutdownSignals;

/** {@code chat server}: runs the server until SIGINT or SIGTERM, then drains and exits 0. */
@Command(name = "server", mixinStandardHelpOptions = true,
    description = "Run the chat server (embedded defaults: loopback, port 7667, web client on 8080).")
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

  @picocli.CommandLine.Mixin
  CoreLimitOptions limits = new CoreLimitOptions();

  @picocli.CommandLine.Mixin
  FileOptions files = new FileOptions();

  @Option(names = "--ping-interval", defaultValue = "60",
      description = "Seconds of silence before the server pings a client; as long again without "
          + "an answer and it is dropped. Default: ${DEFAULT-VALUE}.")
  int pingSeconds;

  @Option(names = "--io-threads", defaultValue = "0",
      description = "Event loop threads for connections, 0 = two per core. Default: ${DEFAULT-VALUE}.")
  int ioThreads;

  @Option(names = "--transport", defaultValue = "auto", paramLabel = "NAME",
      description = "Event loop I/O: auto (epoll on Linux, else nio), io_uring, epoll or nio. "
          + "Default: ${DEFAULT-VALUE}.")
  String transport;

  @Option(names = "--write-coalesce", defaultValue = "1000", paramLabel = "MICROS",
      description = "Under load, the least time between two writes to one connection: the "
          + "first message after a quiet spell goes out at once, later ones wait at most this "
          + "long and share one write; 0 writes each at once. Default: ${DEFAULT-VALUE}.")
  long writeCoalesceMicros;

  @Option(names = "--data-dir", defaultValue = "${env:CHAT_DATA_DIR:-data}",
      description = "Directory for the database and the generated TLS certificate "
          + "(env CHAT_DATA_DIR). Default: ${DEFAULT-VALUE} (relative to the working directory).")
  Path dataDir;

  @Option(names = "--store", defaultValue = "${env:CHAT_STORE:-sqlite}",
      description = "Where history and accounts live: sqlite (<data-dir>/chat.db), memory "
          + "(nothing survives), or a jdbc:postgresql:// URL (env CHAT_STORE). Default: ${DEFAULT-VALUE}.")
  String store;

  @Option(names = "--cluster", paramLabel = "NATS_URL", defaultValue = "${env:CHAT_CLUSTER}",
      description = "Share rooms with the other servers on this NATS (e.g. nats://127.0.0.1:4222)"
          + " that use the same --store jdbc:postgresql:// database (env CHAT_CLUSTER). Being"
          + " built: messages and room changes are shared in one order; nicks, presence and room"
          + " state are still per server (docs/ARCHITECTURE.md, \"Several servers\").")
  String cluster;

  @Option(names = "--tls-cert", description = "PEM certificate (chain) for TLS. Default: a "
      + "self-signed certificate generated in <data-dir>/tls on first start.")
  Path tlsCert;

  @Option(names = "--tls-key", description = "PEM private key (PKCS#8) for --tls-cert.")
  Path tlsKey;

  @Option(names = "--no-tls", description = "Serve plaintext only (no TLS at all).")
  boolean noTls;

  @Option(names = "--allow-plaintext", description = "Accept plaintext from peers beyond this "
      + "machine too (logged as a warning). By default plaintext is served to loopback peers only.")
  boolean allowPlaintext;

  @Option(names = "--http-port", defaultValue = "${env:CHAT_HTTP_PORT:-8080}",
      description = "Web port: the browser client at http(s)://HOST:PORT/, its WebSocket at /ws, "
          + "IRC over WebSocket at /irc (with the IRC door), /healthz and /metrics; -1 turns the web door off (env CHAT_HTTP_PORT). Default: "
          + "${DEFAULT-VALUE}, or any free port when --port is 0.")
  int httpPort;

  @Option(names = "--http-host", description = "Address for the web port. Default: --host.")
  String httpHost;

  @Option(names = "--http-origin", paramLabel = "ORIGIN", description = "Also let pages from "
      + "ORIGIN (scheme://host[:port], e.g. https://chat.example.org behind a proxy, or a "
      + "browser IRC client's page) open the WebSockets (/ws, /irc); repeatable. The server's own names and addresses on the web port are always "
      + "allowed, and nothing else.")
  List<String> httpOrigins = new ArrayList<>();

  @Option(names = "--metrics-token", defaultValue = "${env:CHAT_METRICS_TOKEN}",
      description = "Serve /metrics beyond this machine to requests with 'Authorization: Bearer "
          + "TOKEN' (env CHAT_METRICS_TOKEN, which ps does not show). Without it /metrics "
          + "answers loopback peers only.")
  String metricsToken;

  @Option(names = "--public-url", defaultValue = "${env:CHAT_PUBLIC_URL}", paramLabel = "URL",
      description = "The web door as people reach it, e.g. https://chat.example.org behind a "
          + "proxy (env CHAT_PUBLIC_URL): the base of the file links IRC members are sent. "
          + "Default: derived from the web door's address, https with TLS.")
  String publicUrl;

  @Option(names = "--admin-account", paramLabel = "NAME",
      defaultValue = "${env:CHAT_ADMIN_ACCOUNT}",
      description = "Make sure the administrator account NAME exists before the doors open: "
          + "made with the password in env CHAT_ADMIN_PASSWORD when missing, left as it is when "
          + "it exists (env CHAT_ADMIN_ACCOUNT). For scripts and test rigs: one process instead "
          + "of 'chat user add --admin' and then the server.")
  String adminAccount;

  @Option(names = "--exit-when-ready", hidden = true, description = "Start, then at once "
      + "stop as on SIGTERM: the launcher's training run for its start-up cache (AOT cache).")
  boolean exitWhenReady;

  @Spec
  CommandSpec spec;

  @Option(names = "--irc-port", defaultValue = "${env:CHAT_IRC_PORT:-6667}",
      description = "IRC port on the same host, TLS or plaintext like the native port; -1 turns "
          + "the IRC door off (env CHAT_IRC_PORT). Default: ${DEFAULT-VALUE}, or any free port "
          + "when --port is 0.")
  int ircPort;

  @Option(names = "--irc-password", defaultValue = "${env:CHAT_IRC_PASSWORD}",
      description = "Server password IRC clients must send with PASS (env CHAT_IRC_PASSWORD, "
          + "which, unlike the flag, other users cannot see in the process list). Default: none; "
          + "then PASS is the password of the NICK's account.")
  String ircPassword;

  @Option(names = "--irc-motd", description = "File whose lines are the IRC message of the day.")
  Path ircMotd;

  @Option(names = "--irc-server-name", defaultValue = IrcConfig.DEFAULT_SERVER_NAME,
      description = "The server's name for IRC clients. Default: ${DEFAULT-VALUE}.")
  String ircServerName;

  @Option(names = "--irc-network", defaultValue = IrcConfig.DEFAULT_NETWORK,
      description = "The network name for IRC clients. Default: ${DEFAULT-VALUE}.")
  String ircNetwork;

  @Option(names = "--irc-server-info", defaultValue = IrcConfig.DEFAULT_SERVER_INFO,
      description = "The server's description for IRC clients (LINKS, WHOIS). "
          + "Default: ${DEFAULT-VALUE}.")
  String ircServerInfo;

  @Override
  public Integer call() throws Exception {
    StartupTimes times = new StartupTimes();
    CoreLimits core;
    try {
      core = coreLimits();
    } catch (IllegalArgumentException e) {
      System.err.println("invalid limits: " + e.getMessage());
      return 2;
    }
    ServerConfig config = new ServerConfig(host, port,
        new FrameLimits(maxHeaderBytes, maxContentBytes, FrameLimits.DEFAULT_MAX_CONSECUTIVE_ERRORS),
        core, Duration.ofSeconds(pingSeconds), Duration.ofSeconds(5), ioThreads, null,
        allowPlaintext, Duration.ofNanos(Math.max(0, writeCoalesceMicros) * 1000), transport);
    boolean loopbackOnly = isLoopback(host);
    if (noTls && !loopbackOnly && !allowPlaintext) {
      System.err.println("refusing to serve plaintext only on " + host + ": add --allow-plaintext "
          + "to expose an unencrypted listener beyond this machine, or drop --no-tls");
      return 2;
    }
    // TLS (the certificate, made on a new data dir, and the native OpenSSL) is set up on a
    // thread of its own while the store opens: each takes a good part of a start, and neither
    // needs the other. The listeners are bound only once both are done.
    java.util.concurrent.FutureTask<ServerTls> tlsSetUp = null;
    if (!noTls) {
      tlsSetUp = new java.util.concurrent.FutureTask<>(() -> {
        long begun = System.nanoTime();
        ServerTls loaded = ServerTls.load(tlsCert, tlsKey, dataDir, hostNames(host));
        times.add("tls (beside the store)", System.nanoTime() - begun);
        return loaded;
      });
      Thread.ofPlatform().name(ChatServer.THREAD_NAME_PREFIX + "tls-setup").daemon()
          .start(tlsSetUp);
    }
    try {
      return serve(config, tlsSetUp, times);
    } finally {
      // An early return must not end the process while a new data dir's certificate is being
      // written: wait for the TLS set-up to end (its failure was reported, or does not matter).
      if (tlsSetUp != null) {
        try {
          tlsSetUp.get();
        } catch (java.util.concurrent.ExecutionException ignored) {
          // reported where it mattered
        }
      }
    }
  }

  /** The rest of {@link #call}, with TLS being set up by {@code tlsSetUp} (null: no TLS). */
  private int serve(ServerConfig config, java.util.concurrent.FutureTask<ServerTls> tlsSetUp,
      StartupTimes times) throws Exception {
    Store opened;
    try {
      opened = Stores.open(store, dataDir, ChatServer.storeWriterThreads());
    } catch (RuntimeException e) {
      System.err.println("could not open the store " + store + ": " + e.getMessage());
      return 1;
    }
    times.mark("store");
    if (adminAccount != null && !adminAccount.isBlank()) {
      String problem = ensureAdmin(opened, adminAccount.strip(),
          System.getenv("CHAT_ADMIN_PASSWORD"));
      if (problem != null) {
        opened.close();
        System.err.println(problem);
        return 2;
      }
      times.mark("admin account");
    }
    chat.core.store.FileStore fileStore;
    try {
      fileStore = files.open(store, dataDir, cluster != null && !cluster.isBlank());
    } catch (IllegalArgumentException e) {
      opened.close();
      System.err.println(e.getMessage());
      return 2;
    } catch (RuntimeException e) {
      opened.close();
      System.err.println("could not open the file store: " + e.getMessage());
      return 1;
    }
    chat.core.store.FileStore sharedFiles = fileStore;
    times.mark("file store");
    ChatServer server = new ChatServer(config, Clock.systemUTC(), opened, opened,
        new Argon2Hasher(), fileStore);
    times.mark("hub and meters");
    try {
      // Links to shared files outlive a restart when their key does (not with --store memory,
      // whose files do not); on PostgreSQL every server of the cluster has the same key.
      chat.server.FileLinks links = files.links(fileStore, dataDir);
      if (links != null) {
        server.withFileLinks(links);
      }
      if (publicUrl != null && !publicUrl.isBlank()) {
        server.withPublicUrl(publicUrl);
      }
    } catch (IllegalArgumentException | java.io.IOException e) {
      opened.close();
      System.err.println("invalid file link settings: " + e.getMessage());
      return 2;
    }
    ClusterLink bus = null;
    if (cluster != null && !cluster.isBlank()) {
      if (!store.startsWith("jdbc:postgresql:")) {
        opened.close();
        System.err.println("--cluster needs the servers to share a PostgreSQL store: add --store "
            + "jdbc:postgresql://...");
        return 2;
      }
      try {
        bus = ClusterLink.open(cluster, store, opened, host + ":" + port);
      } catch (java.io.IOException e) {
        opened.close();
        System.err.println("could not reach NATS at " + cluster + ": " + e.getMessage());
        return 1;
      } catch (RuntimeException e) {
        opened.close();
        System.err.println(e.getMessage());
        return 1;
      }
      server.share(bus.bus(), bus.directory());
    }
    ClusterLink sharedBus = bus;
    IrcConfig irc;
    try {
      irc = ircConfig();
    } catch (IllegalArgumentException | java.io.IOException e) {
      opened.close();
      System.err.println("invalid IRC settings: " + e.getMessage());
      return 2;
    }
    if (irc != null) {
      server.irc(irc);
    }
    WebConfig web;
    try {
      web = webConfig();
    } catch (IllegalArgumentException e) {
      opened.close();
      System.err.println(e.getMessage());
      return 2;
    }
    if (web != null) {
      server.withWeb(web);
    }
    times.mark("settings");
    if (tlsSetUp != null) {
      ServerTls tls;
      try {
        tls = tlsSetUp.get();
      } catch (java.util.concurrent.ExecutionException e) {
        opened.close();
        fileStore.close();
        System.err.println("could not set up TLS: " + e.getCause().getMessage());
        return 1;
      }
      server.withTls(tls, allowPlaintext);
      System.out.println("TLS certificate " + tls.fingerprint()
          + (tls.selfSigned() ? " (self-signed, in " + dataDir.resolve("tls") + ")" : ""));
      times.mark("waiting for tls");
    }
    try {
      server.start();
      times.mark("listeners");
    } catch (Exception e) {
      opened.close();
      System.err.println("could not start the server on " + host + ":" + port + ": " + e.getMessage());
      return 1;
    }
    if (sharedBus != null) {
      System.out.println("rooms and users shared with the servers on " + cluster + " as server "
          + sharedBus.directory().node());
    }
    System.out.println("history and accounts: " + (store.equals("sqlite")
        ? "sqlite " + dataDir.resolve("chat.db") : store.startsWith("jdbc:") ? "postgresql" : store));
    if (server.ircAddress() != null) {
      System.out.println("IRC clients on " + server.ircAddress().getHostString() + ":"
          + server.ircPort() + (ircPassword != null ? " (server password required)" : ""));
    }
    System.out.println("chat server listening on " + server.address().getHostString() + ":"
        + server.port() + " (Ctrl-C to stop)");
    if (server.webAddress() != null) {
      String shown = server.webAddress().getAddress().isAnyLocalAddress() ? "localhost"
          : server.webAddress().getHostString();
      String where = (shown.indexOf(':') >= 0 ? "[" + shown + "]" : shown) + ":"
          + server.webAddress().getPort() + "/";
      System.out.println("web client at " + (noTls ? "http://" + where
          : "http://" + where + " from this machine, https://" + where + " from others"));
    }
    System.out.flush();
    org.slf4j.LoggerFactory.getLogger(ServerCommand.class).info(times.summary());
    CountDownLatch stop = new CountDownLatch(1);
    // Handling the signals ourselves (instead of only a shutdown hook) lets the server drain
    // and the process exit with status 0.
    Thread hook = new Thread(() -> {
      server.close();
      if (sharedBus != null) {
        sharedBus.close();
      }
      opened.close();
      sharedFiles.close();
    }, "chat-server-shutdown");
    if (exitWhenReady) {
      stop.countDown(); // a training run for the launcher's start-up cache: start, then stop
    }
    if (!ShutdownSignals.trap(stop::countDown)) {
      Runtime.getRuntime().addShutdownHook(hook);
    }
    stop.await();
    System.out.println("shutting down: telling clients and draining");
    server.close();
    if (sharedBus != null) {
      sharedBus.close();
    }
    opened.close();
    sharedFiles.close();
    System.out.println("stopped");
    return 0;
  }

  /**
   * Creates the administrator {@code name} with {@code password} unless an account of that name
   * exists; returns what is wrong, or null.
   */
  static String ensureAdmin(Store store, String name, String password) {
    String problem = chat.core.Names.nickProblem(name, 24);
    if (problem != null) {
      return "invalid --admin-account: " + problem;
    }
    if (store.find(chat.core.Names.fold(name)).isPresent()) {
      return null; // kept as it is, password and all
    }
    if (password == null) {
      return "--admin-account " + name + " does not exist yet: set CHAT_ADMIN_PASSWORD to make it";
    }
    char[] chars = password.toCharArray();
    try {
      String weak = chat.cli.user.UserCommand.strengthProblem(chars);
      if (weak != null) {
        return "CHAT_ADMIN_PASSWORD: " + weak;
      }
      store.create(new chat.core.store.Account(name, new Argon2Hasher().hash(chars), true,
          System.currentTimeMillis()));
      System.out.println("created administrator " + name);
      return null;
    } finally {
      java.util.Arrays.fill(chars, '\0');
    }
  }

  CoreLimits coreLimits() {
    return limits.limits(files.limits());
  }

  /** The web door's settings, or null when it is off (--http-port -1). */
  /** The IRC door's settings, or null when it is off. */
  IrcConfig ircConfig() throws java.io.IOException {
    int portToUse = ircPort;
    boolean explicit = spec != null && spec.commandLine() != null
        && spec.commandLine().getParseResult() != null
        && spec.commandLine().getParseResult().hasMatchedOption("--irc-port");
    if (!explicit && port == 0 && System.getenv("CHAT_IRC_PORT") == null) {
      portToUse = 0; // a server on any free port (tests) must not collide on 6667 either
    }
    if (portToUse < 0) {
      return null;
    }
    return new IrcConfig(host, portToUse, ircPassword, ircServerName, ircNetwork,
        ircMotd == null ? List.of() : java.nio.file.Files.readAllLines(ircMotd), ircServerInfo);
  }

  WebConfig webConfig() {
    int webPort = httpPort;
    boolean explicit = spec != null && spec.commandLine() != null
        && spec.commandLine().getParseResult() != null
        && spec.commandLine().getParseResult().hasMatchedOption("--http-port");
    if (!explicit && port == 0 && System.getenv("CHAT_HTTP_PORT") == null) {
      webPort = 0; // a server on any free port (tests) must not collide on the web port either
    }
    if (webPort < 0) {
      return null;
    }
    return new WebConfig(httpHost != null ? httpHost : host, webPort, httpOrigins, metricsToken);
  }

  static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  /** Names for the self-signed certificate: the bind host, plus loopback names. */
  static List<String> hostNames(String host) {
    List<String> names = new ArrayList<>();
    if (!host.equals("0.0.0.0") && !host.equals("::")) {
      names.add(host);
    }
    try {
      String local = InetAddress.getLocalHost().getHostName();
      if (!names.contains(local)) {
        names.add(local);
      }
    } catch (java.net.UnknownHostException ignored) {
      // no host name known; loopback names remain
    }
    for (String n : List.of("localhost", "127.0.0.1")) {
      if (!names.contains(n)) {
        names.add(n);
      }
    }
    return names;
  }
}
