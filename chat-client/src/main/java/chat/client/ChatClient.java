package chat.client;

import chat.protocol.ContentTypes;
import chat.protocol.Frame;
import chat.protocol.FrameError;
import chat.protocol.Json;
import chat.protocol.Keys;
import chat.protocol.ModeChanges;
import chat.protocol.Types;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * One connection to a chat server speaking the native protocol (docs/PROTOCOL.md).
 *
 * <p>{@link #connect} blocks until the server has answered {@code hello} with {@code welcome}.
 * Afterwards every method is thread-safe and non-blocking except {@link #close()}: requests
 * return futures that complete with the reply frame carrying the request's {@code id}, or
 * exceptionally with a {@link ChatErrorException} when the server answers with {@code error}, or
 * with a {@link ChatClientException} when the connection is lost first. Frames that are not
 * replies go to the {@link ClientListener}; see {@link ClientListener#onEvent} for the sender's
 * own messages, which are both.
 *
 * <p>The client follows its own nick ({@link #nick()}), its account ({@link #account()}) and the
 * rooms it is in ({@link #joinedRooms()}) from the server's replies and events, so that a caller
 * can rejoin after reconnecting.
 *
 * <p>It also keeps a {@link ResumeState}: per room the highest {@code seq} passed to the
 * listener, and the newest private message. Events passed on before are dropped, not passed on
 * again (a join's replay repeats what was seen live, for example). A client does not reconnect by
 * itself; connected with the state of the connection before
 * ({@link #connect(ClientOptions, ClientListener, ResumeState)}), it rejoins that connection's
 * rooms after {@code welcome}, each with {@code since} its last seq, and, logged in to the same
 * account, asks for the private messages after the newest one seen: the listener then gets what
 * it missed, in order, once, and hears of what was too much to replay through
 * {@link ClientListener#onResumed}. A guest (no password in the options) connected with a
 * state asks for a resume token in {@code hello} and keeps it in the state; the next connection
 * says hello with it, and within the server's grace gets the same nick and rooms back, unnoticed
 * by the others ({@link #resumed()}); its rooms are then resumed after their last seq all the
 * same.
 *
 * <p>TLS is decided by {@link ClientOptions#tls()}: by default every host but loopback gets TLS,
 * and the server's certificate is verified as {@link ClientTls} describes before anything is
 * sent. A certificate that is not trusted fails {@link #connect} with an
 * {@link UntrustedServerException}.
 *
 * <p>Futures complete on the connection's event loop thread: do not block in their callbacks.
 */
public final class ChatClient implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ChatClient.class);

  /** Protocol version spoken. */
  public static final int PROTOCOL_VERSION = 1;

  private final ClientOptions options;
  /** The address connected to: one of the options' servers, resolved. */
  private final InetSocketAddress server;
  private final ClientListener listener;
  private final EventLoopGroup ownGroup;
  /** By id, in the order sent: the server answers in that order. */
  private final ConcurrentSkipListMap<Long, PendingRequest> pending = new ConcurrentSkipListMap<>();
  private final AtomicLong ids = new AtomicLong();
  /** Lower-cased room name to the server's spelling. */
  private final Map<String, String> rooms = new ConcurrentHashMap<>();
  private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
  private final ResumeState resume;
  private final Resumption resumption;
  private volatile Channel channel;
  private volatile Frame welcome;
  private volatile String nick;
  private volatile String account;
  private volatile SSLSession tlsSession;
  private volatile boolean ready;
  /** The welcome said {@code "resumed": true}: a guest's nick and rooms were given back. */
  private volatile boolean resumed;
  /** Asks for (as a guest) and hands in a resume token. */
  private final boolean resumable;
  private volatile boolean closed;
  private volatile Throwable failure;

  private ChatClient(ClientOptions options, InetSocketAddress server, ClientListener listener,
      EventLoopGroup ownGroup, ResumeState resume, boolean resumable) {
    this.options = options;
    this.server = server;
    this.resumable = resumable;
    this.listener = listener == null ? ClientListener.NONE : listener;
    this.ownGroup = ownGroup;
    this.resume = resume == null ? new ResumeState() : resume;
    this.resumption = new Resumption(this.resume, this.listener, this::deliver,
        header -> send(header, null, true));
  }

  /**
   * Connects on an event loop group of its own (one daemon thread), shut down by {@link #close()},
   * to the first of the options' servers that answers (see {@link ClientOptions}).
   * Without a {@link ResumeState} to carry on, a guest asks for no resume token: when its
   * connection drops, the server lets its nick go at once.
   *
   * @throws ChatClientException with a message such as
   *     {@code could not connect to 127.0.0.1:7667: Connection refused}, or naming the server's
   *     error when it refused {@code hello} (then {@link ChatClientException#code()} is set)
   */
  public static ChatClient connect(ClientOptions options, ClientListener listener)
      throws ChatClientException {
    return connect(options, listener, (ResumeState) null);
  }

  /**
   * Connects like {@link #connect(ClientOptions, ClientListener)} and resumes where the last
   * connection with {@code resume} left off: after {@code welcome} it rejoins the state's rooms
   * (with their keys), each after the last seq passed on, and, when logged in to the account of
   * the state's private messages, asks for those after the newest one. Until a room's rejoin is
   * answered its entries are held back, then passed on in seq order, each once; the listener's
   * {@link ClientListener#onResumed} comes first. A rejoin the server refuses (banned meanwhile)
   * reaches the listener as an {@code error} event and the room is given up.
   *
   * <p>As a guest, the hello asks for a resume token ({@code "resume": ""}), kept in the state;
   * when the server drops the connection without a {@code quit}, it holds the guest's nick and
   * rooms for its grace (so a guest that closes without {@link #quit} keeps its nick taken that
   * long). The next hello with the state carries the token: within the grace the
   * welcome says {@code "resumed": true} ({@link #resumed()}), the nick is the one before and the
   * server puts the connection back in its rooms (a {@code joined} event for each, nobody else
   * hears of the drop); the rooms are still rejoined after their last seq, which catches up on
   * what was missed without a repeat. An unknown or expired token is no error: the hello goes on
   * as a new one (another nick, if the options name none), and the rooms are rejoined as after
   * any drop.
   *
   * <p>With several servers in the options, the one the state's last connection was on is tried
   * first ({@link ResumeState#server()}), then those after it in turn: a client whose server
   * died resumes on another.
   *
   * @param resume the state of the connection before ({@code new ResumeState()} for a first
   *     connection that a later one will resume), or null for one that will not be resumed (a
   *     guest then asks for no token); it goes on being updated, ready for the next connection
   */
  public static ChatClient connect(ClientOptions options, ClientListener listener,
      ResumeState resume) throws ChatClientException {
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(
        1, new DefaultThreadFactory("chat-client", true), NioIoHandler.newFactory());
    try {
      ChatClient client = Failover.connect(options.servers(),
          resume == null ? null : resume.server(), server -> {
            ChatClient c = new ChatClient(options, server, listener, group, resume, resume != null);
            c.start(group, null, null);
            return c;
          });
      client.resume.server(client.server);
      return client;
    } catch (ChatClientException | RuntimeException e) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw e;
    }
  }

  /**
   * Connects on a shared NIO or epoll event loop group (made with
   * {@link NioIoHandler#newFactory()} or epoll's), as a load generator running many clients does. {@link #close()} leaves the group running. Such a
   * connection does not resume: it asks for no resume token, so a guest that drops is gone at
   * once rather than held for the server's grace.
   */
  public static ChatClient connect(ClientOptions options, ClientListener listener,
      EventLoopGroup group) throws ChatClientException {
    return connect(options, listener, group, null, null);
  }

  /**
   * Like {@link #connect(ClientOptions, ClientListener, EventLoopGroup)}, with two hooks for
   * tools that run many connections, such as the load generator.
   *
   * @param localAddress the local address to bind before connecting (for example one of several
   *     127.0.0.x addresses, since each source address has its own ephemeral ports), or null for
   *     the system's choice
   * @param frontHandler makes a handler placed in the pipeline in front of the frame decoder, or
   *     null. It sees the plaintext byte stream from the first byte (behind TLS when the
   *     connection uses it) and may consume whole frames it
   *     reads on its own; whatever it passes on must be whole frames (or the untouched stream).
   *     Frames it consumes never reach the listener or complete a request.
   */
  public static ChatClient connect(ClientOptions options, ClientListener listener,
      EventLoopGroup group, InetAddress localAddress,
      Supplier<? extends ChannelHandler> frontHandler) throws ChatClientException {
    if (group instanceof IoEventLoopGroup io && !io.isIoType(NioIoHandler.class)
        && !io.isIoType(io.netty.channel.epoll.EpollIoHandler.class)) {
      throw new IllegalArgumentException("the event loop group must use NioIoHandler or "
          + "EpollIoHandler");
    }
    return Failover.connect(options.servers(), null, server -> {
      ChatClient client = new ChatClient(options, server, listener, null, null, false);
      client.start(group, localAddress, frontHandler);
      return client;
    });
  }

  private void start(EventLoopGroup group, InetAddress localAddress,
      Supplier<? extends ChannelHandler> frontHandler) throws ChatClientException {
    Dialer.Dialed dialed = Dialer.dial(options, server, group, localAddress, frontHandler,
        new Handler());
    channel = dialed.channel();
    tlsSession = dialed.tls();

    // A guest that will be resumed: "" asks for a token, the last connection's takes its place.
    String token = resumable && options.password() == null
        ? Objects.requireNonNullElse(resume.guestToken(), "") : null;
    welcome = Hello.welcome(request(Hello.header(options, token), null),
        options.connectTimeout(), address(), this::abandon);
  }

  /** Gives up on a connection that did not get its welcome: a late one is ignored. */
  private void abandon() {
    closed = true;
    channel.close();
  }

  private String address() {
    return ServerAddresses.format(server);
  }

  // ---------------------------------------------------------------- requests

  /**
   * Sends a request and returns the future of its reply.
   *
   * <p>Sets the header's {@code id} (a per-connection counter) and, through the encoder, its
   * {@code content-length}; the header must not be reused until the future completes. The
   * future completes with the frame carrying that id; exceptionally with
   * {@link ChatErrorException} on an {@code error} reply, or with {@link ChatClientException} if
   * the frame cannot be sent or the connection drops first. A future completed in any way
   * (including {@code cancel} or {@code orTimeout}) is forgotten at once.
   *
   * @param content content bytes, or null for none
   */
  public CompletableFuture<Frame> request(ObjectNode header, byte[] content) {
    return send(header, content, false);
  }

  /** @param resuming a request of the resume, whose reply the resume handles */
  private CompletableFuture<Frame> send(ObjectNode header, byte[] content, boolean resuming) {
    long id = ids.incrementAndGet();
    header.put(Keys.ID, Long.toString(id));
    PendingRequest future = new PendingRequest(id, header, resuming);
    Channel ch = channel;
    if (ch == null || closed) {
      future.completeExceptionally(lost(failure));
      return future;
    }
    pending.put(id, future);
    if (closed) { // Lost a race with the connection closing: it may not have seen this entry.
      future.completeExceptionally(lost(failure));
      return future;
    }
    ch.writeAndFlush(new Frame(header, content)).addListener(future);
    return future;
  }

  /** Asks to be known as {@code newNick}; {@link #nick()} follows once the server agrees. */
  public CompletableFuture<Frame> nick(String newNick) {
    ObjectNode header = Json.header(Types.NICK);
    header.put(Keys.NICK, newNick);
    return request(header, null);
  }

  public CompletableFuture<Frame> join(String room) {
    return join(room, null);
  }

  /**
   * Joins a room that may have a key ({@code +k}); the reply {@code ok} carries {@code modes}
   * and, when set, {@code topic} in its header, and {@code members}, {@code ops} and
   * {@code voiced} in its JSON content (read them with {@link Frame#field}).
   *
   * @param key the room's key, or null
   */
  public CompletableFuture<Frame> join(String room, String key) {
    return join(room, key, -1);
  }

  /**
   * Joins a room, or, a member already, stays, and asks for its log after {@code since}: the
   * entries with a greater seq arrive as events with {@code "history": true} (at most the
   * server's resume cap, the newest), instead of the latest messages. The reply carries
   * {@code last-seq} (the newest seq handed out in the room) and {@code skipped} (entries after
   * {@code since} left out for the cap) besides what {@link #join(String, String)}'s does.
   * Entries passed to the listener before are not passed again.
   *
   * @param since a seq of the room, or -1 for the latest messages
   */
  public CompletableFuture<Frame> join(String room, String key, long since) {
    return request(joinHeader(room, key, since), null);
  }

  static ObjectNode joinHeader(String room, String key, long since) {
    ObjectNode header = Json.header(Types.JOIN);
    header.put(Keys.ROOM, room);
    if (key != null) {
      header.put(Keys.KEY, key);
    }
    if (since >= 0) {
      header.put(Keys.SINCE, since);
    }
    return header;
  }

  /** @param reason shown to the room, or null */
  public CompletableFuture<Frame> leave(String room, String reason) {
    ObjectNode header = Json.header(Types.LEAVE);
    header.put(Keys.ROOM, room);
    if (reason != null) {
      header.put(Keys.REASON, reason);
    }
    return request(header, null);
  }

  /** The server's rooms; the reply's {@code rooms} is an array of {@code {room, members}}. */
  public CompletableFuture<Frame> rooms() {
    return request(Json.header(Types.ROOMS), null);
  }

  /** The members of a room; the reply's {@code members} is an array of nicks. */
  public CompletableFuture<Frame> who(String room) {
    ObjectNode header = Json.header(Types.WHO);
    header.put(Keys.ROOM, room);
    return request(header, null);
  }

  /** A message to a room; completes with the sender's own {@code message} event. */
  public CompletableFuture<Frame> say(String room, String text) {
    ObjectNode header = Json.header(Types.MSG);
    header.put(Keys.ROOM, room);
    return text(header, text);
  }

  /**
   * A typing notice to a room ({@code active}, {@code paused} or {@code done}): client-only
   * tags, never stored; completes with the sender's own {@code tags} event.
   */
  public CompletableFuture<Frame> typing(String room, String state) {
    ObjectNode header = Json.header(Types.TAGS);
    header.put(Keys.ROOM, room);
    header.putObject(Keys.TAGS).put("typing", state);
    return request(header, null);
  }

  /** An action (/me) in a room. */
  public CompletableFuture<Frame> action(String room, String text) {
    ObjectNode header = Json.header(Types.ACTION);
    header.put(Keys.ROOM, room);
    return text(header, text);
  }

  /** An action (/me) sent privately to one nick. */
  public CompletableFuture<Frame> actionTo(String toNick, String text) {
    ObjectNode header = Json.header(Types.ACTION);
    header.put(Keys.TO, toNick);
    return text(header, text);
  }

  /** A private message; completes with the sender's own {@code privmsg} event. */
  public CompletableFuture<Frame> privmsg(String toNick, String text) {
    ObjectNode header = Json.header(Types.PRIVMSG);
    header.put(Keys.TO, toNick);
    return text(header, text);
  }

  /** Says goodbye; the server replies {@code ok} and then closes the connection. */
  public CompletableFuture<Frame> quit(String reason) {
    ObjectNode header = Json.header(Types.QUIT);
    if (reason != null) {
      header.put(Keys.REASON, reason);
    }
    return request(header, null);
  }

  /**
   * Asks for a page of a room's stored messages: they arrive as {@code message} events with
   * {@code "history": true} (to the listener), then the reply {@code ok} with {@code count},
   * {@code first-seq} and {@code more}.
   *
   * @param before only messages with a smaller {@code seq}, or null for the newest page
   * @param limit at most this many messages, or 0 for the server's default
   */
  public CompletableFuture<Frame> history(String room, Long before, int limit) {
    ObjectNode header = Json.header(Types.HISTORY);
    header.put(Keys.ROOM, room);
    if (before != null) {
      header.put(Keys.BEFORE, before.longValue());
    }
    if (limit > 0) {
      header.put(Keys.LIMIT, limit);
    }
    return request(header, null);
  }

  /**
   * Registers the current nick as an account with this password; the reply {@code ok} carries
   * {@code account}, and the connection is logged in to it. The array is not cleared.
   */
  public CompletableFuture<Frame> register(char[] password) {
    ObjectNode header = Json.header(Types.REGISTER);
    header.put(Keys.PASSWORD, new String(password));
    return request(header, null);
  }

  /**
   * Logs in to an account; the reply {@code ok} carries {@code account} and {@code nick} (the
   * account's name, which becomes the nick; an older connection of the same account is
   * disconnected). The array is not cleared.
   */
  public CompletableFuture<Frame> login(String accountName, char[] password) {
    ObjectNode header = Json.header(Types.LOGIN);
    header.put(Keys.ACCOUNT, accountName);
    header.put(Keys.PASSWORD, new String(password));
    return request(header, null);
  }

  /** Changes the logged-in account's password; the reply is {@code ok}. Arrays are not cleared. */
  public CompletableFuture<Frame> passwd(char[] oldPassword, char[] newPassword) {
    ObjectNode header = Json.header(Types.PASSWD);
    header.put(Keys.OLD_PASSWORD, new String(oldPassword));
    header.put(Keys.NEW_PASSWORD, new String(newPassword));
    return request(header, null);
  }

  /**
   * Asks for a page of the private messages between the logged-in account and {@code with}:
   * they arrive as {@code privmsg} events with {@code "history": true} (to the listener), then
   * the reply {@code ok} with {@code with}, {@code count}, {@code first-msgid} (when the page
   * is not empty) and {@code more}.
   *
   * @param beforeMsgId only messages older than this one (the {@code first-msgid} of the last
   *     page), or null for the newest page
   * @param limit at most this many messages, or 0 for the server's default
   */
  public CompletableFuture<Frame> privateHistory(String with, String beforeMsgId, int limit) {
    ObjectNode header = Json.header(Types.HISTORY);
    header.put(Keys.WITH, with);
    if (beforeMsgId != null) {
      header.put(Keys.BEFORE_MSGID, beforeMsgId);
    }
    if (limit > 0) {
      header.put(Keys.LIMIT, limit);
    }
    return request(header, null);
  }

  /**
   * Asks for the logged-in account's private messages (every conversation) after
   * {@code afterMsgId}, oldest first: {@code privmsg} events with {@code "history": true}, at
   * most the server's resume cap (the newest), then the reply {@code ok} with {@code count},
   * {@code first-msgid} and {@code more} (true: older ones were left out). Messages passed to
   * the listener before are not passed again.
   *
   * @param afterMsgId the newest message already had, or null for the newest ones
   */
  public CompletableFuture<Frame> privateSince(String afterMsgId) {
    return request(privateSinceHeader(afterMsgId), null);
  }

  static ObjectNode privateSinceHeader(String afterMsgId) {
    ObjectNode header = Json.header(Types.HISTORY);
    header.put(Keys.AFTER_MSGID, afterMsgId == null ? "" : afterMsgId);
    return header;
  }

  // ---------------------------------------------------------------- moderation

  /** Asks for a room's topic: the reply's {@code topic} is empty when none is set. */
  public CompletableFuture<Frame> topic(String room) {
    return topic(room, null);
  }

  /**
   * Sets a room's topic (operators, or anyone in a room without {@code +t}); an empty
   * {@code topic} clears it, null only asks for it.
   */
  public CompletableFuture<Frame> topic(String room, String topic) {
    ObjectNode header = Json.header(Types.TOPIC);
    header.put(Keys.ROOM, room);
    if (topic != null) {
      header.put(Keys.TOPIC, topic);
    }
    return request(header, null);
  }

  /** Removes a member from a room (operators and admins). @param reason or null */
  public CompletableFuture<Frame> kick(String room, String nick, String reason) {
    ObjectNode header = target(Types.KICK, room, nick, reason);
    return request(header, null);
  }

  /**
   * Bans from a room and removes the banned if present. {@code target} is a nick (resolved by
   * the server to its account if the user is logged in), {@code account:NAME} or
   * {@code nick:NICK}.
   */
  public CompletableFuture<Frame> ban(String room, String target, String reason) {
    return listRequest(Types.BAN, room, target, reason);
  }

  public CompletableFuture<Frame> unban(String room, String target) {
    return listRequest(Types.UNBAN, room, target, null);
  }

  /** Mutes in a room: the muted can read, not send. {@code target} as for {@link #ban}. */
  public CompletableFuture<Frame> mute(String room, String target, String reason) {
    return listRequest(Types.MUTE, room, target, reason);
  }

  public CompletableFuture<Frame> unmute(String room, String target) {
    return listRequest(Types.UNMUTE, room, target, null);
  }

  /** Invites to a room (past {@code +i}, {@code +k} and {@code +l}); the invited hear of it. */
  public CompletableFuture<Frame> invite(String room, String target) {
    return listRequest(Types.INVITE, room, target, null);
  }

  /** Gives a member operator status. */
  public CompletableFuture<Frame> op(String room, String nick) {
    return request(target(Types.OP, room, nick, null), null);
  }

  public CompletableFuture<Frame> deop(String room, String nick) {
    return request(target(Types.DEOP, room, nick, null), null);
  }

  /**
   * Changes a room's modes, IRC style: {@code mode("dev", "+ik", "secret")},
   * {@code mode("dev", "-k")}, {@code mode("dev", "+l", "50")}, {@code mode("dev", "+v", "bob")}.
   * The reply's {@code changes} lists what changed (empty: nothing did).
   *
   * @throws IllegalArgumentException for modes that do not parse ({@link ModeChanges#parse})
   */
  public CompletableFuture<Frame> mode(String room, String modes, String... args) {
    return mode(room, ModeChanges.parse(modes, List.of(args)), null);
  }

  /** Changes a room's modes; {@code reason} (or null) is announced with them. */
  public CompletableFuture<Frame> mode(String room, List<ModeChanges.Change> changes,
      String reason) {
    ObjectNode header = Json.header(Types.MODE);
    header.put(Keys.ROOM, room);
    header.set(Keys.CHANGES, ModeChanges.toJson(changes));
    if (reason != null) {
      header.put(Keys.REASON, reason);
    }
    return request(header, null);
  }

  /**
   * A room's modes and lists: the reply carries {@code modes}, {@code key} and {@code limit}
   * when set, {@code bans}, {@code mutes} and {@code invites}.
   */
  public CompletableFuture<Frame> modes(String room) {
    ObjectNode header = Json.header(Types.MODE);
    header.put(Keys.ROOM, room);
    return request(header, null);
  }

  /** Disconnects a user from the server (admins only). @param reason or null */
  public CompletableFuture<Frame> kill(String nick, String reason) {
    ObjectNode header = Json.header(Types.KILL);
    header.put(Keys.NICK, nick);
    if (reason != null) {
      header.put(Keys.REASON, reason);
    }
    return request(header, null);
  }

  private CompletableFuture<Frame> listRequest(String type, String room, String target,
      String reason) {
    ObjectNode header = Json.header(type);
    header.put(Keys.ROOM, room);
    if (target.regionMatches(true, 0, "account:", 0, 8)) {
      header.put(Keys.ACCOUNT, target.substring(8));
    } else {
      header.put(Keys.NICK, target);
    }
    if (reason != null) {
      header.put(Keys.REASON, reason);
    }
    return request(header, null);
  }

  private static ObjectNode target(String type, String room, String nick, String reason) {
    ObjectNode header = Json.header(type);
    header.put(Keys.ROOM, room);
    header.put(Keys.NICK, nick);
    if (reason != null) {
      header.put(Keys.REASON, reason);
    }
    return header;
  }

  public CompletableFuture<Frame> ping() {
    return request(Json.header(Types.PING), null);
  }

  private CompletableFuture<Frame> text(ObjectNode header, String text) {
    header.put(Keys.CONTENT_TYPE, ContentTypes.TEXT_UTF8);
    return request(header, text.getBytes(StandardCharsets.UTF_8));
  }

  // ---------------------------------------------------------------- state

  /** The server's {@code welcome} frame (its {@code limits}, {@code server}, first nick). */
  public Frame welcome() {
    return welcome;
  }

  /** The current nick, as the server last confirmed it. */
  public String nick() {
    return nick;
  }

  /**
   * True when the server gave this guest connection the nick and rooms of the one before (its
   * welcome said {@code "resumed": true}); false for a new hello, also when a token was handed
   * in but had expired or was unknown.
   */
  public boolean resumed() {
    return resumed;
  }

  /** The account this connection is logged in to, or null for a guest. */
  public String account() {
    return account;
  }

  /** The TLS version in use, e.g. {@code TLSv1.3}, or null for a plaintext connection. */
  public String tlsProtocol() {
    SSLSession session = tlsSession;
    return session == null ? null : session.getProtocol();
  }

  /**
   * The SHA-256 fingerprint of the server's certificate ({@code SHA256:AB:...}), or null for a
   * plaintext connection.
   */
  public String serverFingerprint() {
    return KnownServers.fingerprint(tlsSession);
  }

  /** The rooms this client is in, spelled as the server spells them, in no particular order. */
  public List<String> joinedRooms() {
    return new ArrayList<>(rooms.values());
  }

  /** True when the client is in the room (ignoring ASCII case and a leading {@code #}). */
  public boolean isInRoom(String room) {
    return rooms.containsKey(roomKey(room));
  }

  public ClientOptions options() {
    return options;
  }

  /** The server this client connected to: one of the options' servers, resolved. */
  public InetSocketAddress server() {
    return server;
  }

  /** Where this client stands in its rooms and private messages; hand it to the next connection. */
  public ResumeState resumeState() {
    return resume;
  }

  public boolean isConnected() {
    Channel ch = channel;
    return ch != null && ch.isActive() && !closed;
  }

  /** Requests waiting for their reply; for tests and statistics. */
  public int pendingRequests() {
    return pending.size();
  }

  /**
   * Completes (normally, whatever the cause) once the connection is closed, every pending
   * request has failed and {@link ClientListener#onDisconnected} has returned.
   */
  public CompletableFuture<Void> closeFuture() {
    return closeFuture;
  }

  /**
   * Closes the connection (without {@code quit}: call {@link #quit} first for a polite goodbye)
   * and, if the client made its own event loop group, shuts it down. Waits a bounded time for
   * both, except when called on the event loop itself.
   */
  @Override
  public void close() {
    Channel ch = channel;
    boolean onLoop = ch != null && ch.eventLoop().inEventLoop();
    if (ch != null) {
      ch.close();
      if (!onLoop) {
        try {
          closeFuture.get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | CancellationException e) {
          log.debug("close did not finish cleanly", e);
        }
      }
    }
    if (ownGroup != null) {
      var terminated = ownGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      if (!onLoop) {
        terminated.awaitUninterruptibly(5, TimeUnit.SECONDS);
      }
    }
  }

  @Override
  public String toString() {
    return "ChatClient[" + address() + ", nick=" + nick + ", connected=" + isConnected()
        + "]";
  }

  // ---------------------------------------------------------------- inbound

  private void onFrame(Frame frame) {
    String type = frame.type();
    String id = frame.id();
    if (Types.PING.equals(type)) {
      // The server's keep-alive, never a reply (whatever its id): answering proves this end is
      // alive.
      ObjectNode pong = Json.header(Types.PONG);
      if (id != null) {
        pong.put(Keys.ID, id);
      }
      channel.writeAndFlush(Frame.of(pong), channel.voidPromise());
      return;
    }
    PendingRequest request = id == null ? null : pending.remove(parseId(id));
    track(type, frame, request);
    if (request == null) {
      if (id != null && (Types.OK.equals(type) || Types.PONG.equals(type)
          || Types.WELCOME.equals(type))) {
        log.debug("reply to a request no longer pending: {}", frame);
        return;
      }
      offer(frame);
      return;
    }
    switch (type) {
      case Types.ERROR -> request.completeExceptionally(new ChatErrorException(frame));
      case Types.MESSAGE, Types.PRIVMSG -> {
        offer(frame);
        request.complete(frame);
      }
      default -> request.complete(frame);
    }
  }

  private static long parseId(String id) {
    try {
      return Long.parseLong(id);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Passes an event on unless it was passed on before, or holds it while its room resumes. */
  private void offer(Frame frame) {
    boolean page = false;
    if (Resumption.isHistory(frame)) {
      // The server answers in order and sends a request's events just before its reply: replayed
      // entries while the oldest request waiting is a history page are that page.
      var oldest = pending.firstEntry();
      page = oldest != null && oldest.getValue().isPageOf(frame);
    }
    resumption.offer(frame, page, account);
  }

  /**
   * Follows the own nick and the joined rooms; runs before anyone sees the frame. Replayed
   * entries ({@code "history": true}) are old news: a replayed kick changes no membership.
   */
  private void track(String type, Frame frame, PendingRequest request) {
    boolean isReply = request != null;
    if (Resumption.isHistory(frame)) {
      return;
    }
    switch (type) {
      case Types.WELCOME -> {
        if (closed) {
          return; // Too late: the connection was given up (abandon).
        }
        nick = frame.string(Keys.NICK);
        account = frame.string(Keys.ACCOUNT);
        welcome = frame;
        resumed = frame.header().path(Keys.RESUMED).asBoolean(false);
        if (resumable) {
          resume.guestToken(account == null ? frame.string(Keys.RESUME_TOKEN) : null);
        }
        ready = true;
        try {
          listener.onConnected(this);
        } catch (RuntimeException e) {
          log.warn("client listener failed on connect", e);
        }
        resumption.start(account);
      }
      case Types.OK -> {
        if (isReply && request.joins() && frame.string(Keys.ROOM) != null) {
          resume.answered(frame.string(Keys.ROOM), request.key, frame.number(Keys.LAST_SEQ, -1));
        }
        String newNick = frame.string(Keys.NICK);
        if (isReply && newNick != null) {
          nick = newNick;
        }
        String newAccount = frame.string(Keys.ACCOUNT);
        if (isReply && newAccount != null) {
          account = newAccount;
          resume.guestToken(null); // An account is not held for a token.
        }
      }
      case Types.NICK_CHANGED -> {
        String old = frame.string(Keys.OLD);
        String newNick = frame.string(Keys.NICK);
        if (old != null && newNick != null && old.equalsIgnoreCase(nick)) {
          nick = newNick;
        }
      }
      case Types.JOINED -> {
        String room = frame.string(Keys.ROOM);
        if (room != null && isMe(frame.string(Keys.NICK))) {
          rooms.put(roomKey(room), room);
          resume.joined(room);
        }
      }
      case Types.LEFT, Types.KICKED -> {
        String room = frame.string(Keys.ROOM);
        if (room != null && isMe(frame.string(Keys.NICK))) {
          rooms.remove(roomKey(room));
          resume.left(room);
        }
      }
      default -> { }
    }
  }

  private boolean isMe(String who) {
    String me = nick;
    return who != null && me != null && who.equalsIgnoreCase(me);
  }

  /** A room's name folded as the server compares names, without a leading {@code #}. */
  static String roomKey(String room) {
    String name = room.startsWith("#") ? room.substring(1) : room;
    return name.toLowerCase(Locale.ROOT);
  }

  private void deliver(Frame frame) {
    try {
      listener.onEvent(frame);
    } catch (RuntimeException e) {
      log.warn("client listener failed on {}", frame, e);
    }
  }

  private void onFrameError(FrameError error) {
    ObjectNode header = Json.header(Types.ERROR);
    if (error.id() != null) {
      header.put(Keys.ID, error.id());
    }
    header.put(Keys.CODE, error.code());
    header.put(Keys.MESSAGE, "unreadable frame from the server: " + error.message());
    header.put(Keys.FATAL, error.fatal());
    onFrame(Frame.of(header));
    if (error.fatal()) {
      channel.close();
    }
  }

  private void onClosed() {
    closed = true;
    Throwable cause = failure;
    ChatClientException lost = lost(cause);
    for (PendingRequest request : pending.values()) {
      request.completeExceptionally(lost);
    }
    pending.clear();
    if (ready) {
      try {
        listener.onDisconnected(cause);
      } catch (RuntimeException e) {
        log.warn("client listener failed on disconnect", e);
      }
    }
    closeFuture.complete(null);
  }

  private ChatClientException lost(Throwable cause) {
    String message = "connection to " + address() + " lost";
    return new ChatClientException(
        cause == null ? message : message + ": " + describe(cause), cause);
  }

  /**
   * A short reason for people, e.g. {@code Connection refused}: the exception's message without
   * Netty's address suffix, or its class name when it has no message.
   */
  public static String describe(Throwable cause) {
    if (cause == null) {
      return "unknown error";
    }
    String message = cause.getMessage();
    if (message == null || message.isBlank()) {
      return cause.getClass().getSimpleName();
    }
    int address = message.indexOf(": /");
    if (address > 0) { // "Connection refused: /127.0.0.1:7667"
      message = message.substring(0, address);
    }
    return message;
  }

  private final class Handler extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof Frame frame) {
        onFrame(frame);
      } else if (msg instanceof FrameError error) {
        onFrameError(error);
      } else {
        ctx.fireChannelRead(msg);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      onClosed();
      ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      if (failure == null) {
        failure = cause;
      }
      log.debug("connection to {} failed", address(), cause);
      ctx.close();
    }
  }

  /** A request's future; also the listener of its write, so a failed send fails it. */
  private final class PendingRequest extends CompletableFuture<Frame>
      implements ChannelFutureListener {
    private final long id;
    private final String type;
    /** The folded room of a join or history request, or null. */
    private final String room;
    private final String key;
    private final boolean privatePage;
    private final boolean resuming;

    PendingRequest(long id, ObjectNode header, boolean resuming) {
      this.id = id;
      this.type = header.path(Keys.TYPE).asString(null);
      String named = header.path(Keys.ROOM).asString(null);
      this.room = named == null ? null : roomKey(named);
      this.key = header.path(Keys.KEY).asString(null);
      this.privatePage = header.has(Keys.WITH);
      this.resuming = resuming;
    }

    /** A join of the user's (a rejoin of the resume is the resume's business). */
    boolean joins() {
      return Types.JOIN.equals(type) && !resuming;
    }

    /** True when {@code event}, a replayed entry, answers this request as a page of history. */
    boolean isPageOf(Frame event) {
      if (!Types.HISTORY.equals(type) || resuming) {
        return false;
      }
      if (Types.PRIVMSG.equals(event.type())) {
        return privatePage;
      }
      String eventRoom = event.string(Keys.ROOM);
      return room != null && eventRoom != null && room.equals(roomKey(eventRoom));
    }

    @Override
    public void operationComplete(ChannelFuture future) {
      if (!future.isSuccess()) {
        Throwable cause = future.cause();
        completeExceptionally(closed ? lost(failure)
            : new ChatClientException("could not send request: " + describe(cause), cause));
      }
    }

    @Override
    public boolean complete(Frame value) {
      pending.remove(id, this);
      return super.complete(value);
    }

    @Override
    public boolean completeExceptionally(Throwable ex) {
      pending.remove(id, this);
      return super.completeExceptionally(ex);
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      pending.remove(id, this);
      return super.cancel(mayInterruptIfRunning);
    }
  }
}
