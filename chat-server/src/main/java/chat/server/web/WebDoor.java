package chat.server.web;

import chat.core.Hub;
import chat.core.store.MessageStore;
import chat.server.ChatServer;
import chat.server.FileLinks;
import chat.server.NativeDoor;
import chat.server.ServerConfig;
import chat.server.irc.IrcWebSocket;
import chat.server.metrics.DoorMeter;
import chat.server.metrics.ServerMetrics;
import io.micrometer.core.instrument.Counter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import tools.jackson.databind.node.ObjectNode;

/**
 * The web door: one HTTP listener for the browser client's files, its WebSocket ({@code /ws},
 * the native protocol's frames, one per binary message), shared files at their signed links
 * ({@code /files/...}), {@code /healthz} and {@code /metrics}. {@code ChatServer} binds it; this class assembles each connection's
 * pipeline and holds what the handlers share.
 */
public final class WebDoor implements AutoCloseable {

  /** The largest HTTP request (line, headers and body) taken in: GETs need no more. */
  static final int MAX_REQUEST_BYTES = 8192;
  /** The pipeline name of the stage that streams downloads. */
  static final String CHUNKED = "chunked";
  /** The pipeline name of the stage that holds requests while a download is looked up. */
  static final String HTTP_FLOW = "http-flow";

  private final Hub hub;
  private final ServerConfig serverConfig;
  private final WebConfig config;
  private final ServerMetrics metrics;
  private final DoorMeter meter;
  private final ObjectNode limits;
  private final StaticFiles files;
  private final Health health;
  private final ChannelGroup all = new DefaultChannelGroup("web", GlobalEventExecutor.INSTANCE);
  private final ChannelGroup sessions = new DefaultChannelGroup("websocket",
      GlobalEventExecutor.INSTANCE);
  private final WebSocketServerProtocolConfig wsConfig;
  /** The handshake of IRC over WebSocket: any path the router sends it, the IRCv3 subprotocols. */
  private final WebSocketServerProtocolConfig ircConfig;
  /** IRC over WebSocket, while the IRC door is on; null: off. */
  private volatile IrcWebSocket irc;
  private volatile Origins origins;
  private final FileLinks links;
  /**
   * Reads shared files for downloads, a chunk at a time: apart from the server's other slow
   * work, so that downloads neither wait behind password hashing nor hold it up.
   */
  private final ExecutorService fileReads = Executors.newFixedThreadPool(2,
      Thread.ofPlatform().name(ChatServer.THREAD_NAME_PREFIX + "file-reads-", 0).daemon()
          .factory());
  private final FileServer fileServer;

  public WebDoor(Hub hub, ServerConfig serverConfig, WebConfig config, ServerMetrics metrics,
      MessageStore store, BooleanSupplier stopping) {
    this(hub, serverConfig, config, metrics, store, stopping,
        FileLinks.ephemeral(java.time.Clock.systemUTC()));
  }

  /** A web door that serves shared files at links signed by {@code links}. */
  public WebDoor(Hub hub, ServerConfig serverConfig, WebConfig config, ServerMetrics metrics,
      MessageStore store, BooleanSupplier stopping, FileLinks links) {
    this.hub = hub;
    this.links = links;
    this.fileServer = new FileServer(hub, links, fileReads, this);
    this.serverConfig = serverConfig;
    this.config = config;
    this.metrics = metrics;
    this.meter = metrics.door("websocket");
    this.limits = NativeDoor.limits(serverConfig);
    this.files = StaticFiles.load(WebDoor.class.getClassLoader(), "web/");
    this.health = new Health(store, stopping);
    metrics.connections("websocket", sessions::size);
    this.wsConfig = webSocketConfig(WebConfig.WS_PATH, null, maxMessageBytes());
    this.ircConfig = webSocketConfig("/", IrcWebSocket.SUBPROTOCOLS,
        IrcWebSocket.MAX_MESSAGE_BYTES);
  }

  private static WebSocketServerProtocolConfig webSocketConfig(String path, String subprotocols,
      int maxFrame) {
    return WebSocketServerProtocolConfig.newBuilder()
        .websocketPath(path)
        .subprotocols(subprotocols)
        .checkStartsWith(true)
        .handleCloseFrames(true)
        .sendCloseFrame(WebSocketCloseStatus.NORMAL_CLOSURE)
        .forceCloseTimeoutMillis(1000)
        .dropPongFrames(true)
        .decoderConfig(WebSocketDecoderConfig.newBuilder()
            .maxFramePayloadLength(maxFrame)
            .allowExtensions(false)
            .closeOnProtocolViolation(true)
            .build())
        .build();
  }

  /** The pipeline of a new HTTP connection. */
  public ChannelInitializer<Channel> initializer() {
    return new ChannelInitializer<>() {
      @Override
      protected void initChannel(Channel ch) {
        all.add(ch);
        if (serverConfig.tls() != null) {
          ch.pipeline().addLast("tls", new HttpTlsDetector(serverConfig.tls().context(),
              serverConfig.allowRemotePlaintext()));
        }
        ch.pipeline()
            .addLast("http", new HttpServerCodec(4096, MAX_REQUEST_BYTES, MAX_REQUEST_BYTES))
            .addLast("aggregator", new HttpObjectAggregator(MAX_REQUEST_BYTES))
            // While a download is looked up, reading is off and a request already read (one
            // pipelined behind it) waits here, so responses go out in the requests' order.
            .addLast(HTTP_FLOW, new FlowControlHandler())
            // Downloads of shared files stream through it. Both go on a WebSocket upgrade.
            .addLast(CHUNKED, new ChunkedWriteHandler())
            .addLast("idle", new IdleStateHandler(
                serverConfig.pingInterval().toMillis(), 0, 0, TimeUnit.MILLISECONDS))
            .addLast("router", new HttpRouter(WebDoor.this));
      }
    };
  }

  /** Called once the listener is bound: the server's own origins name the real port. */
  public void bound(InetSocketAddress address) {
    origins = Origins.of(config.host(), address.getPort(), serverConfig.tls() != null,
        config.origins());
  }

  /** The largest WebSocket message: one frame of the largest header and content. */
  int maxMessageBytes() {
    return 2 + serverConfig.frameLimits().maxHeaderBytes()
        + serverConfig.frameLimits().maxContentBytes();
  }

  WsFrames newWsFrames() {
    return new WsFrames(hub, limits, serverConfig.frameLimits(), meter, sessions, links);
  }

  WebSocketServerProtocolConfig webSocketConfig() {
    return wsConfig;
  }

  WebSocketServerProtocolConfig ircWebSocketConfig() {
    return ircConfig;
  }

  /** Also serve IRC over WebSocket ({@link WebConfig#IRC_PATH}) with the IRC door's connection. */
  public void irc(IrcWebSocket door) {
    irc = door;
  }

  /** IRC over WebSocket, or null while the IRC door is off. */
  IrcWebSocket irc() {
    return irc;
  }

  Origins origins() {
    return origins;
  }

  WebConfig config() {
    return config;
  }

  ServerMetrics metrics() {
    return metrics;
  }

  FileServer fileServer() {
    return fileServer;
  }

  StaticFiles files() {
    return files;
  }

  /** {@code /healthz} reports whether {@code bus} is connected (a server sharing rooms). */
  public void bus(chat.core.cluster.Bus bus) {
    health.bus(bus);
  }

  /** {@code /healthz} also shows the cluster as this server sees it. */
  public void cluster(java.util.function.Supplier<ClusterView> view) {
    cluster = view;
  }

  /** The cluster's view for {@code /healthz}, or null for a server alone. */
  ClusterView clusterView() {
    java.util.function.Supplier<ClusterView> v = cluster;
    return v == null ? null : v.get();
  }

  private volatile java.util.function.Supplier<ClusterView> cluster;

  Health health() {
    return health;
  }

  void requests(String endpoint, int status) {
    Counter.builder("chat.http.requests").description("HTTP requests answered")
        .tag("endpoint", endpoint).tag("status", Integer.toString(status))
        .register(metrics.registry()).increment();
  }

  void refused(String reason) {
    Counter.builder("chat.websocket.refused").description("WebSocket upgrades refused")
        .tag("reason", reason).register(metrics.registry()).increment();
  }

  /** Open WebSocket sessions. */
  public int sessionCount() {
    return sessions.size();
  }

  /** Waits up to {@code grace} for the WebSocket sessions to end, then closes every connection. */
  public void close(Duration grace) {
    sessions.newCloseFuture().awaitUninterruptibly(grace.toMillis());
    all.close().awaitUninterruptibly(grace.toMillis());
    fileReads.shutdownNow();
    health.close();
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(1));
  }
}
