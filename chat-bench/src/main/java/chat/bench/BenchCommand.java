package chat.bench;

import chat.core.CoreLimits;
import chat.client.ServerAddresses;
import chat.core.FloodLimits;
import chat.server.ChatServer;
import chat.server.ServerConfig;
import chat.server.irc.IrcConfig;
import java.io.PrintWriter;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code chat bench}: the load generator. See docs/BENCHMARKS.md for how to use it well. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Load generator: N clients over R rooms, S of them sending at --rate msg/s each or as fast"
          + " as a --window of unconfirmed messages allows. Measures latency from send to each"
          + " receipt, deliveries per second, lost and out-of-order deliveries, connect time, and"
          + " with --server-pid or --in-process the server's CPU per delivery and memory.",
      "--idle opens N connections instead and reports the server's memory per connection.",
      "Only loopback targets (127.0.0.0/8, ::1) unless --allow-remote."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:the run completed and every check passed",
      "1:the run completed but deliveries were lost, out of order or refused",
      "2:invalid arguments, or the run could not be carried out (connect failed, ...)"
    })
public final class BenchCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "HOST[:PORT][,...]",
      description = "Server host, or several servers (the nodes of a cluster): client i then"
          + " connects to node (i / rooms) mod nodes, so every room's members and senders go"
          + " round the nodes; entries without a port have --port. Default: ${DEFAULT-VALUE}.")
  String host;

  @Option(names = "--port",
      description = "Server port (for --host entries without one). Default: 7667, or 6667 with"
          + " --protocol irc.")
  Integer port;

  @Option(names = "--protocol", defaultValue = "native", paramLabel = "native|irc",
      description = "native, or irc: channels #room, PRIVMSG, the IRCv3 echo-message capability"
          + " as confirmation when the server offers it (without it only --rate runs)."
          + " Default: ${DEFAULT-VALUE}.")
  String protocol;

  @Option(names = "--in-process",
      description = "Start the server inside the generator (127.0.0.1, a free port). Its CPU is"
          + " measured per thread; RSS and heap are the shared process's.")
  boolean inProcess;

  @Option(names = "--server-pid", split = ",", paramLabel = "PID[,PID...]",
      description = "Process id of a separately running server, for its CPU and memory; several"
          + " (one per node) are summed.")
  List<Long> serverPids = new ArrayList<>();

  @Option(names = "--allow-remote",
      description = "Allow a target that is not a loopback address.")
  boolean allowRemote;

  @Option(names = {"-n", "--clients"}, defaultValue = "100",
      description = "Connections. Default: ${DEFAULT-VALUE}.")
  int clients;

  @Option(names = {"-r", "--rooms"}, defaultValue = "1",
      description = "Rooms; client i joins room i mod R. Default: ${DEFAULT-VALUE}.")
  int rooms;

  @Option(names = {"-s", "--senders"}, defaultValue = "10",
      description = "Clients that send (spread over the rooms). Default: ${DEFAULT-VALUE}.")
  int senders;

  @Option(names = "--rate", defaultValue = "0", paramLabel = "MSG/S",
      description = "Messages per second per sender; 0 = as fast as --window allows."
          + " Default: ${DEFAULT-VALUE}.")
  double rate;

  @Option(names = "--window", defaultValue = "64",
      description = "Unconfirmed messages per sender at full speed. Default: ${DEFAULT-VALUE}.")
  int window;

  @Option(names = "--size", defaultValue = "100", paramLabel = "BYTES",
      description = "Message size in bytes, " + Payload.MIN_SIZE + " to the server's"
          + " max-message-bytes. Default: ${DEFAULT-VALUE}.")
  int size;

  @Option(names = "--messages", defaultValue = "0",
      description = "Messages per sender, 0 = until --duration ends. Default: ${DEFAULT-VALUE}.")
  long messages;

  @Option(names = "--warmup", defaultValue = "5", paramLabel = "SECONDS",
      description = "Sending before the measured interval; excluded from the figures."
          + " Default: ${DEFAULT-VALUE}.")
  double warmup;

  @Option(names = {"-d", "--duration"}, defaultValue = "20", paramLabel = "SECONDS",
      description = "The measured interval (ends early once every sender's --messages are"
          + " confirmed). Default: ${DEFAULT-VALUE}.")
  double duration;

  @Option(names = "--ramp", defaultValue = "0", paramLabel = "CONN/S",
      description = "New connections per second, 0 = as fast as possible."
          + " Default: ${DEFAULT-VALUE}.")
  double ramp;

  @Option(names = "--connect-concurrency", defaultValue = "32",
      description = "Handshakes in flight while connecting. Default: ${DEFAULT-VALUE}.")
  int connectConcurrency;

  @Option(names = "--idle",
      description = "Idle mode: open --clients connections, wait for the server to settle, report"
          + " its memory per connection (RSS, heap after GC, kernel TCP memory).")
  boolean idle;

  @Option(names = "--settle", defaultValue = "30", paramLabel = "SECONDS",
      description = "Idle mode: longest wait for the server's memory to settle."
          + " Default: ${DEFAULT-VALUE}.")
  double settle;

  @Option(names = "--threads", defaultValue = "1",
      description = "The generator's event loop threads. Default: ${DEFAULT-VALUE}.")
  int threads;

  @Option(names = "--decoder", defaultValue = "lean", paramLabel = "lean|tree",
      description = "How the generator reads deliveries: lean (header scan, no JSON tree) or"
          + " tree (the client library's decoder and listener). Default: ${DEFAULT-VALUE}.")
  String decoder;

  @Option(names = "--source-addresses", defaultValue = "0", paramLabel = "K",
      description = "Spread connections over 127.0.0.1 .. 127.0.0.K (each address has its own"
          + " ephemeral ports); 0 = one per " + BenchConfig.CONNECTIONS_PER_SOURCE
          + " connections. Default: ${DEFAULT-VALUE}.")
  int sourceAddresses;

  @Option(names = "--drain", defaultValue = "10", paramLabel = "SECONDS",
      description = "Longest wait for the last deliveries after sending stops."
          + " Default: ${DEFAULT-VALUE}.")
  double drain;

  @Option(names = "--server-threads", defaultValue = "0",
      description = "In-process server's I/O threads, 0 = its default (two per core).")
  int serverThreads;

  @Option(names = "--no-jcmd", negatable = false,
      description = "Do not read a separate server's heap with jcmd (idle mode).")
  boolean noJcmd;

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  @Option(names = "--stay",
      description = "Native protocol: keep each connection in the room the server put it in"
          + " (the default room, as a newcomer's clients are) instead of leaving it first.")
  boolean stay;

  /** The validated settings; throws {@link ParameterException} with a message for people. */
  BenchConfig config() {
    String problem = problem();
    if (problem != null) {
      throw new ParameterException(spec.commandLine(), problem);
    }
    boolean irc = protocol.equals("irc");
    return new BenchConfig(host, port != null ? port : irc ? 6667 : 7667, inProcess,
        List.copyOf(serverPids), allowRemote, clients, rooms,
        idle ? 0 : senders, rate, window, size, messages, warmup, duration, ramp,
        connectConcurrency, idle, settle, threads, decoder.equals("lean"), sourceAddresses,
        drain, serverThreads, !noJcmd, json, irc, stay);
  }

  private String problem() {
    if (!protocol.equals("native") && !protocol.equals("irc")) {
      return "--protocol must be native or irc, got " + protocol;
    }
    if (protocol.equals("irc") && size > IrcProtocol.MAX_SIZE) {
      return "--size must be at most " + IrcProtocol.MAX_SIZE + " bytes with --protocol irc (an"
          + " IRC line is 512 bytes), got " + size;
    }
    if (port != null && (port < 1 || port > 65535)) {
      return "--port must be between 1 and 65535, got " + port;
    }
    if (inProcess && !serverPids.isEmpty()) {
      return "--in-process and --server-pid exclude each other";
    }
    for (long pid : serverPids) {
      if (pid <= 0) {
        return "--server-pid must be a process id, got " + pid;
      }
      if (!Proc.processExists(pid)) {
        return "--server-pid " + pid + ": no such process (or /proc is not readable)";
      }
    }
    if (clients < 1) {
      return "--clients must be at least 1, got " + clients;
    }
    if (rooms < 1 || rooms > clients) {
      return "--rooms must be between 1 and --clients (" + clients + "), got " + rooms;
    }
    if (!idle && (senders < 1 || senders > clients)) {
      return "--senders must be between 1 and --clients (" + clients + "), got " + senders;
    }
    if (rate < 0 || Double.isNaN(rate)) {
      return "--rate must not be negative, got " + rate;
    }
    if (window < 1) {
      return "--window must be at least 1, got " + window;
    }
    int maxSize = CoreLimits.DEFAULT.maxMessageBytes();
    if (size < Payload.MIN_SIZE || size > maxSize) {
      return "--size must be between " + Payload.MIN_SIZE + " and " + maxSize + " bytes, got "
          + size;
    }
    if (messages < 0) {
      return "--messages must not be negative, got " + messages;
    }
    if (warmup < 0) {
      return "--warmup must not be negative, got " + warmup;
    }
    if (!(duration > 0)) {
      return "--duration must be positive, got " + duration;
    }
    if (ramp < 0) {
      return "--ramp must not be negative, got " + ramp;
    }
    if (connectConcurrency < 1) {
      return "--connect-concurrency must be at least 1, got " + connectConcurrency;
    }
    if (settle < 0 || drain < 0) {
      return "--settle and --drain must not be negative";
    }
    if (threads < 1) {
      return "--threads must be at least 1, got " + threads;
    }
    if (!decoder.equals("lean") && !decoder.equals("tree")) {
      return "--decoder must be lean or tree, got " + decoder;
    }
    if (sourceAddresses < 0 || sourceAddresses > 254) {
      return "--source-addresses must be between 0 and 254, got " + sourceAddresses;
    }
    if (serverThreads < 0) {
      return "--server-threads must not be negative, got " + serverThreads;
    }
    return null;
  }

  /**
   * The servers' addresses, each refused unless it is a loopback address or --allow-remote is
   * given. Resolving is the only network activity before this check.
   */
  List<InetSocketAddress> checkedAddresses(BenchConfig cfg) {
    List<InetSocketAddress> servers;
    try {
      servers = ServerAddresses.parse(cfg.host(), cfg.port());
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--host: " + e.getMessage());
    }
    List<InetSocketAddress> checked = new ArrayList<>();
    for (InetSocketAddress server : servers) {
      checked.add(checkedAddress(server.getHostString(), server.getPort(), cfg));
    }
    return checked;
  }

  private InetSocketAddress checkedAddress(String host, int port, BenchConfig cfg) {
    InetAddress address;
    try {
      address = InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw new ParameterException(spec.commandLine(), "unknown host " + host);
    }
    if (!address.isLoopbackAddress() && !cfg.allowRemote()) {
      throw new ParameterException(spec.commandLine(), "refusing to load " + host
          + (host.equals(address.getHostAddress()) ? "" : " (" + address.getHostAddress()
          + ")") + ": it is not a loopback address (127.0.0.0/8, ::1). chat bench can saturate a"
          + " server and a network; pass --allow-remote to target another machine on purpose.");
    }
    if (address instanceof Inet6Address && cfg.effectiveSourceAddresses() > 1) {
      throw new ParameterException(spec.commandLine(), "several source addresses are 127.0.0.x"
          + " addresses and need an IPv4 target; lower --clients or --source-addresses");
    }
    return new InetSocketAddress(address, port);
  }

  /**
   * The in-process server: as `chat server` is run for a load test, without flood control and
   * per-address connection limits (every generated client comes from one address), on
   * 127.0.0.1 and a free port; the slow-reader rule stays.
   */
  static ServerConfig inProcessConfig(int ioThreads) {
    ServerConfig d = ServerConfig.defaults();
    CoreLimits limits = d.coreLimits().withFlood(FloodLimits.OFF).withConnections(
        d.coreLimits().connections().withPerAddress(0).withConnectRate(0, 1));
    return new ServerConfig("127.0.0.1", 0, d.frameLimits(), limits, d.pingInterval(),
        Duration.ofSeconds(1), ioThreads, null, false, d.writeCoalesce(), d.transport());
  }

  @Override
  public Integer call() throws Exception {
    BenchConfig cfg = config();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ChatServer server = null;
    try {
      Target target;
      if (cfg.inProcess()) {
        server = new ChatServer(inProcessConfig(cfg.serverThreads()));
        if (cfg.irc()) {
          server.irc(IrcConfig.of("127.0.0.1", 0));
        }
        server.start();
        target = new Target(new InetSocketAddress(InetAddress.getLoopbackAddress(),
            cfg.irc() ? server.ircPort() : server.port()), new InProcessProbe());
      } else {
        List<ServerProbe> probes = new ArrayList<>();
        for (long pid : cfg.serverPids()) {
          probes.add(new ProcessProbe(pid, cfg.jcmd()));
        }
        ServerProbe probe = probes.isEmpty() ? ServerProbe.NONE
            : probes.size() == 1 ? probes.get(0) : new NodeProbes(probes);
        target = new Target(checkedAddresses(cfg), probe);
      }
      java.util.function.Consumer<String> progress = line -> {
        err.println("chat bench: " + line);
        err.flush();
      };
      if (cfg.idle()) {
        IdleResult result = new IdleBench(cfg, target, progress).run();
        if (cfg.json()) {
          out.println(JsonOut.MAPPER.writeValueAsString(result.toJson()));
          out.flush();
        } else {
          result.print(out);
        }
        return result.connections() == cfg.clients() ? 0 : 1;
      }
      LoadResult result = new LoadBench(cfg, target, progress).run();
      if (cfg.json()) {
        out.println(JsonOut.MAPPER.writeValueAsString(result.toJson()));
        out.flush();
      } else {
        result.print(out);
      }
      return result.ok() ? 0 : 1;
    } catch (BenchException e) {
      err.println("chat bench: " + e.getMessage());
      err.flush();
      return 2;
    } finally {
      if (server != null) {
        server.close();
      }
    }
  }
}
