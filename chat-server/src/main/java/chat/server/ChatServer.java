package chat.server;

import chat.core.Hub;
import chat.core.PasswordHasher;
import chat.core.store.AccountStore;
import chat.core.store.MemoryStore;
import chat.core.store.MessageStore;
import chat.server.irc.IrcConfig;
import chat.server.irc.IrcInitializer;
import chat.server.metrics.ServerMetrics;
import chat.server.web.WebConfig;
import chat.server.web.WebDoor;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bootstrap and lifecycle of the server: start binds the listener, close tells every client,
 * drains and stops. A failed start releases what it had started.
 */
public final class ChatServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ChatServer.class);
  public static final String SHUTDOWN_NOTICE = "server is shutting down";
  /**
   * Every thread the server starts has a name beginning with this, so that a tool sharing the
   * process (the load generator's in-process mode) can tell the server's CPU time from its own.
   */
  public static final String THREAD_NAME_PREFIX = "chat-server-";
  private static final String BOSS_THREADS = THREAD_NAME_PREFIX + "accept";
  private static final String IO_THREADS = THREAD_NAME_PREFIX + "io";

  /**
   * Threads for a store's writer, which runs the append callbacks and with them the fan-out of
   * stored messages: Netty threads named like the server's, so that the native door's shared
   * encoding (one per event for all members, cached per thread) works there too and its cache
   * is released when the thread ends.
   */
  public static java.util.concurrent.ThreadFactory storeWriterThreads() {
    return new DefaultThreadFactory(THREAD_NAME_PREFIX + "store-writer", true);
  }

  /** Final but for {@link #withTls}, before start. */
  private volatile ServerConfig config;
  /** Password hashing and other slow work, off the event loops; bounded, so a login flood is refused, never queued without end. */
  private final ExecutorService blocking = new ThreadPoolExecutor(1, 2, 30, TimeUnit.SECONDS,
      new ArrayBlockingQueue<>(1024), Thread.ofPlatform().name(THREAD_NAME_PREFIX + "blocking-", 0).daemon()
          .factory(), new ThreadPoolExecutor.AbortPolicy());
  /** Checking whole uploaded files (hashing, syncing): slow, so apart from other slow work. */
  private final ExecutorService fileWork = java.util.concurrent.Executors.newFixedThreadPool(2,
      Thread.ofPlatform().name(THREAD_NAME_PREFIX + "files-", 0).daemon().factory());
  private final Hub hub;
  private final MessageStore store;
  private final ServerMetrics metrics = new ServerMetrics();
  private final Transport transport;
  private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private final ChannelGroup ircConnections =
      new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private EventLoopGroup bossGroup;
  private EventLoopGroup workerGroup;
  private Channel listener;
  private WebConfig webConfig;
  private WebDoor web;
  private Channel webListener;
  /** The IRC door, when {@link #irc} asked for one. */
  private IrcConfig irc;
  private Channel ircListener;
  private volatile boolean closed;
  /** Signs links to shared files (the web door serves them, the other doors hand them out). */
  private FileLinks fileLinks;
  /** Where people reach the web door (links in IRC messages); null: derived from its address. */
  private String publicUrl;
  /** The web door's base URL once started; null without the web door. */
  private volatile String webBase;

  public ChatServer(ServerConfig config) {
    this(config, Clock.systemUTC());
  }

  public ChatServer(ServerConfig config, Clock clock) {
    this(config, clock, new MemoryStore());
  }

  /** A server whose history goes to {@code store}; the caller owns and closes the store. */
  public ChatServer(ServerConfig config, Clock clock, MessageStore store) {
    this(config, clock, store, null, null);
  }

  /**
   * A server with history in {@code store} and accounts in {@code accounts} (null: none),
   * hashed by {@code hasher}. The caller owns and closes the stores.
   */
  public ChatServer(ServerConfig config, Clock clock, MessageStore store, AccountStore accounts,
      PasswordHasher hasher) {
    this(config, clock, store, accounts, hasher, new chat.core.store.MemoryFileStore());
  }

  /**
   * A server that also keeps shared files in {@code files} (the caller owns and closes it). The
   * largest chunk is the largest frame content.
   */
  public ChatServer(ServerConfig config, Clock clock, MessageStore store, AccountStore accounts,
      PasswordHasher hasher, chat.core.store.FileStore files) {
    this.config = config;
    this.transport = Transport.named(config.transport());
    this.store = store;
    chat.core.CoreLimits limits = config.coreLimits().withFiles(config.coreLimits().files()
        .withChunks(config.frameLimits().maxContentBytes(), config.coreLimits().files().window()));
    this.hub = new Hub(limits, clock, metrics.timed(store), accounts, hasher, blocking, files,
        fileWork);
    this.fileLinks = FileLinks.ephemeral(clock);
    metrics.connections("native", connections::size);
    metrics.connections("irc", ircConnections::size);
    metrics.counter("chat.slow.reader.drops", "Events not sent to members whose connection fell "
        + "behind (slow readers)", hub::slowReaderDrops);
    metrics.counter("chat.flood.pushbacks", "Requests slowed down (reading paused) or refused by "
        + "flood control", hub::floodPushbacks);
  }

  /**
   * Shares the rooms with the other servers on {@code bus}, whose store (PostgreSQL) they
   * share too (docs/ARCHITECTURE.md, "Several servers"); before start. The bus is the caller's
   * to close, after this server.
   */
  private chat.core.cluster.Bus bus; // guarded by this; null: one server alone
  private chat.core.cluster.Directory directory; // guarded by this; null: rooms shared only

  public synchronized ChatServer share(chat.core.cluster.Bus bus) {
    if (listener != null || closed) {
      throw new IllegalStateException("the rooms are shared before start");
    }
    hub.share(bus);
    this.bus = bus;
    return this;
  }

  /**
   * {@link #share(chat.core.cluster.Bus)}, and the users too: nicks held cluster-wide in
   * {@code directory}, every server's users members of the rooms on each; before start. Both are
   * the caller's to close, after this server.
   */
  public synchronized ChatServer share(chat.core.cluster.Bus bus,
      chat.core.cluster.Directory directory) {
    if (listener != null || closed) {
      throw new IllegalStateException("the rooms are shared before start");
    }
    hub.share(bus, directory);
    this.bus = bus;
    this.directory = directory;
    metrics.gauge("chat.cluster.servers.alive", "Servers of the cluster alive, this one"
        + " included, as its directory saw them at the last heartbeat",
        () -> directory.live().size());
    metrics.gauge("chat.cluster.remote.users", "Users of the other servers known here",
        hub::remoteUsers);
    return this;
  }

  /**
   * Serves TLS with {@code tls} (as {@link ServerConfig#withTls} would have), set after the
   * server was made and before start: a caller may make the hub, the meters and the store
   * while the certificate and OpenSSL are set up on another thread.
   */
  public synchronized ChatServer withTls(chat.server.tls.ServerTls tls,
      boolean allowRemotePlaintext) {
    if (listener != null || closed) {
      throw new IllegalStateException("TLS is configured before start");
    }
    this.config = config.withTls(tls, allowRemotePlaintext);
    return this;
  }

  /** Also serve the web door (browser client, WebSocket, health, metrics); before start. */
  public synchronized ChatServer withWeb(WebConfig web) {
    if (listener != null || closed) {
      throw new IllegalStateException("the web door is configured before start");
    }
    this.webConfig = web;
    return this;
  }

  /**
   * Signs file links with {@code links} (a persistent key, so links outlive a restart); by
   * default a key only this process knows. Before start.
   */
  public synchronized ChatServer withFileLinks(FileLinks links) {
    if (listener != null || closed) {
      throw new IllegalStateException("file links are configured before start");
    }
    this.fileLinks = java.util.Objects.requireNonNull(links, "links");
    return this;
  }

  /**
   * The web door's address as people reach it ({@code https://chat.example.org}, say, behind a
   * proxy): the base of the links the IRC door writes. By default it is derived from the web
   * door's address and TLS. Before start.
   */
  public synchronized ChatServer withPublicUrl(String url) {
    if (listener != null || closed) {
      throw new IllegalStateException("the public URL is configured before start");
    }
    this.publicUrl = url == null ? null : WebConfig.publicUrl(url);
    return this;
  }

  /** Also serve IRC clients (see docs/IRC.md); before start. */
  public synchronized ChatServer irc(IrcConfig config) {
    if (listener != null || closed) {
      throw new IllegalStateException("the IRC door is configured before start");
    }
    this.irc = config;
    return this;
  }

  /** How often the server looks for rooms whose state has expired. */
  static final long ROOM_EXPIRY_CHECK_MINUTES = 5;

  private void expireRooms() {
    try {
      int expired = hub.expireRooms();
      if (expired > 0) {
        log.info("{} empty rooms expired", expired);
      }
    } catch (RuntimeException e) {
      log.warn("room expiry failed", e);
    }
    fileWork.execute(() -> {
      try {
        int removed = hub.expireFiles();
        if (removed > 0) {
          log.info("{} abandoned uploads or expired files removed", removed);
        }
      } catch (RuntimeException e) {
        log.warn("file expiry failed", e);
      }
    });
  }

  /** Binds the listener; returns once it accepts connections. */
  public synchronized ChatServer start() throws InterruptedException {
    if (listener != null || closed) {
      throw new IllegalStateException("a server starts once");
    }
    bossGroup = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory(BOSS_THREADS),
        transport.ioHandlerFactory());
    workerGroup = new MultiThreadIoEventLoopGroup(config.ioThreads(),
        new DefaultThreadFactory(IO_THREADS), transport.ioHandlerFactory());
    try {
      listener = listenerBootstrap()
          .childOption(ChannelOption.SO_KEEPALIVE, true)
          .childHandler(new NativeInitializer(hub, config, connections, metrics.door("native"),
              fileLinks))
          .bind(config.host(), config.port())
          .sync()
          .channel();
      if (webConfig != null) {
        web = new WebDoor(hub, config, webConfig, metrics, store, () -> closed, fileLinks);
        if (bus != null) {
          web.bus(bus);
        }
        if (directory != null) {
          chat.core.cluster.Directory d = directory;
          web.cluster(() -> new chat.server.web.ClusterView(d.node(), d.live().size(),
              hub.remoteUsers()));
        }
        webListener = listenerBootstrap()
            .option(ChannelOption.SO_REUSEADDR, true)
            .childHandler(web.initializer())
            .bind(webConfig.host(), webConfig.port())
            .sync()
            .channel();
        web.bound(webAddress());
        webBase = publicUrl != null ? publicUrl
            : WebConfig.derivedUrl(webConfig.host(), webAddress().getPort(), config.tls() != null);
        log.info("web door on {}:{} (http{}; WebSocket at {})", webAddress().getHostString(),
            webAddress().getPort(),
            config.tls() == null ? "" : " and https", WebConfig.WS_PATH);
      }
      if (irc != null) {
        IrcInitializer ircDoor = new IrcInitializer(hub, config, irc, ircConnections,
            new chat.server.irc.IrcFiles(fileLinks, webBase));
        if (web != null) {
          web.irc(ircDoor.webSocket()); // IRC over WebSocket: the same door behind /irc
          log.info("IRC over WebSocket at {} on the web door", WebConfig.IRC_PATH);
        }
        ircListener = listenerBootstrap()
            .childOption(ChannelOption.SO_KEEPALIVE, true)
            .childHandler(ircDoor)
            .bind(irc.host(), irc.port())
            .sync()
            .channel();
        log.info("listening on {} for IRC clients", ircListener.localAddress());
      }
      // Empty unregistered rooms without history expire; checking every few minutes is plenty.
      bossGroup.next().scheduleAtFixedRate(this::expireRooms, ROOM_EXPIRY_CHECK_MINUTES,
          ROOM_EXPIRY_CHECK_MINUTES, java.util.concurrent.TimeUnit.MINUTES);
      // Dropped guests whose grace ended leave for good within a second of it.
      bossGroup.next().scheduleAtFixedRate(hub::tick, 1, 1, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException | RuntimeException e) {
      if (listener != null) {
        listener.close().awaitUninterruptibly();
      }
      if (webListener != null) {
        webListener.close().awaitUninterruptibly();
      }
      shutdownGroups();
      throw e;
    }
    log.info("listening on {} ({}) for native clients, {}", address(), transport.name(),
        config.tls() == null ? "plaintext only"
            : "TLS, plaintext " + (config.allowRemotePlaintext() ? "from anywhere" : "from loopback only"));
    if (config.tls() != null && config.allowRemotePlaintext()) {
      log.warn("plaintext is accepted from remote peers (--allow-plaintext): anyone on the path can read along");
    }
    return this;
  }

  /** What every listener shares: the event loops, the transport, TCP_NODELAY, the water marks. */
  private ServerBootstrap listenerBootstrap() {
    long mark = config.coreLimits().slowReaders().lowWaterBytes();
    return new ServerBootstrap()
        .group(bossGroup, workerGroup)
        .channel(transport.serverChannel())
        .option(ChannelOption.SO_BACKLOG, 1024)
        .childOption(ChannelOption.TCP_NODELAY, true)
        // Unwritable at half the slow-reader mark, writable again at a quarter: a peer that
        // fell behind flips back once it has caught up, and the outbox hears of it.
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(
            (int) Math.min(Integer.MAX_VALUE, mark / 2), (int) Math.min(Integer.MAX_VALUE, mark)));
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) listener.localAddress();
  }

  public int port() {
    return address().getPort();
  }

  public Hub hub() {
    return hub;
  }

  /** The web listener's address; null without the web door. */
  public InetSocketAddress webAddress() {
    return webListener == null ? null : (InetSocketAddress) webListener.localAddress();
  }

  /** The web door's base URL for links (the public URL); null without the web door. */
  public String webUrl() {
    return webBase;
  }

  /** Signs the links to shared files. */
  public FileLinks fileLinks() {
    return fileLinks;
  }

  /** The IRC listener's address; null without the IRC door. */
  public InetSocketAddress ircAddress() {
    return ircListener == null ? null : (InetSocketAddress) ircListener.localAddress();
  }

  /** The IRC listener's port; -1 without the IRC door. */
  public int ircPort() {
    return ircListener == null ? -1 : ircAddress().getPort();
  }

  /** The server's meters (what {@code /metrics} shows). */
  public ServerMetrics metrics() {
    return metrics;
  }

  /** The native door's live connections (tests, diagnostics). */
  java.util.List<NativeSession> nativeSessions() {
    return connections.stream().map(ch -> ch.pipeline().get(NativeSession.class))
        .filter(java.util.Objects::nonNull).toList();
  }

  /** The open IRC connections (plain, TLS and WebSocket) — tests, diagnostics. */
  public java.util.List<io.netty.channel.Channel> ircChannels() {
    return java.util.List.copyOf(ircConnections);
  }

  /** Stops accepting, sends every client the shutdown notice, waits for them to go, stops. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (listener != null) {
      listener.close().awaitUninterruptibly(config.shutdownGrace().toMillis());
    }
    if (webListener != null) {
      webListener.close().awaitUninterruptibly(config.shutdownGrace().toMillis());
    }
    if (ircListener != null) {
      ircListener.close().awaitUninterruptibly(config.shutdownGrace().toMillis());
    }
    hub.shutdown(SHUTDOWN_NOTICE);
    connections.newCloseFuture().awaitUninterruptibly(config.shutdownGrace().toMillis());
    ircConnections.newCloseFuture().awaitUninterruptibly(config.shutdownGrace().toMillis());
    connections.close().awaitUninterruptibly(config.shutdownGrace().toMillis());
    ircConnections.close().awaitUninterruptibly(config.shutdownGrace().toMillis());
    if (web != null) {
      web.close(config.shutdownGrace());
    }
    shutdownGroups();
    blocking.shutdown();
    fileWork.shutdown();
    metrics.close();
    log.info("stopped");
  }

  private void shutdownGroups() {
    for (EventLoopGroup group : new EventLoopGroup[] {workerGroup, bossGroup}) {
      if (group != null) {
        group.shutdownGracefully(0, config.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS)
            .awaitUninterruptibly(config.shutdownGrace().toMillis() + 1000);
      }
    }
  }
}
