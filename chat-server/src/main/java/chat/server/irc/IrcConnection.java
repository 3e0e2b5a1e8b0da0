package chat.server.irc;

import static chat.server.irc.Numeric.*;

import chat.core.Backlog;
import chat.core.Command;
import chat.core.CoreError;
import chat.core.Event;
import chat.core.EventSink;
import chat.core.Hub;
import chat.core.Names;
import chat.core.Reply;
import chat.core.Session;
import chat.server.DoorChannel;
import chat.server.WriteCoalescing;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One IRC connection: IRC commands to core commands, core events and replies to IRC lines. It
 * holds no chat rules (the hub does) and never sees bytes (the line codec does).
 *
 * <h2>Threads and order</h2>
 *
 * The hub calls the {@link EventSink} methods from any thread; they only enqueue into one MPSC
 * queue, drained on the connection's event loop, for the same reason as the native door's
 * outbox: a room's order, established under the room's monitor, must survive the hop to this
 * connection. Everything else here runs on the event loop, so the connection's state needs no
 * locks. The inbox is also drained before each line read is handled: Netty runs a loop's I/O
 * before its tasks, so when a drain and a readable socket are both waiting, a PING's PONG would
 * otherwise overtake events queued before the PING arrived (irctest syncs on PONG).
 *
 * <h2>Replies in command order</h2>
 *
 * Every IRC command becomes a {@link Pending} entry, in the order received; the lines it causes
 * (numerics, the echo of a message, its own JOIN or MODE line) collect there, and an entry is
 * written only when it and every entry before it are complete. So the replies to a command are
 * written before the replies to any later command, even when the core answers later (a message
 * is confirmed after the store commits; a login after password hashing), and even for answers
 * the door gives itself (PONG, CAP). The same entries carry IRCv3 labels: a labeled command's
 * lines are sent with its label, in a {@code labeled-response} batch when there are several, or
 * as an {@code ACK} when there are none. Events that no command caused (other members' messages)
 * are written as they come.
 *
 * <h2>Commands</h2>
 *
 * A line is run by its entry in {@link IrcCommands}, the one table of commands (parameters
 * needed, before registration or not, target limit, help, handler); the handlers live by topic
 * ({@link IrcChannels}, {@link IrcModes}, {@link IrcMessaging}, {@link IrcWho}, {@link IrcInfo},
 * {@link IrcHistory}, {@link IrcMarkers}, {@link IrcMonitor}) and reach the connection through
 * {@link IrcContext}; {@link IrcRender} turns core events into lines; {@link IrcRegistration}
 * runs CAP, PASS, NICK, USER and SASL until the core's hello. What stays here is the socket, the
 * order of replies, the welcome, and the session's own state.
 */
final class IrcConnection extends ChannelInboundHandlerAdapter
    implements EventSink, IrcContext {

  private static final Logger log = LoggerFactory.getLogger(IrcConnection.class);

  /** Stop reading from a client with this many commands unanswered; resume below the second. */
  static final int MAX_PENDING = 64;
  static final int RESUME_PENDING = 16;
  /** Events kept for a client that is logged in (SASL) but has not finished registering. */
  static final int MAX_EARLY = 256;
  /** A live message's line beyond its text, as estimated while it waits in the inbox. */
  private static final int LINE_OVERHEAD = 160;


  private record Close(String reason) {}

  /** The hub ends the session for breaking a limit. */
  private record Fatal(CoreError error, String message) {}

  /** Flood pushback from the hub. */
  private record Pause(long millis) {}

  /** A live room message with its lines already formatted (shared with the fan-out's members). */
  private record Formatted(Event.RoomMessage event, byte[][] lines) {}

  /** The slow-reader rule, decided when a message was offered: the peer has caught up. */
  private record CaughtUp(String notice) {}

  /** The slow-reader rule, decided when a message was offered: cut the peer off. */
  private record TooSlow(String reason) {}

  private final Hub hub;
  /** A byte stream (the IRC port): formatted lines are joined into one write per drain. */
  private final boolean byteStream;
  private final LineBatch batch = new LineBatch();
  private final Backlog backlog;
  private final IrcServerInfo info;
  private final String server;
  /** What the core handed over, for the event loop (a core reply or event, or a request). */
  private final Inbox inbox = new Inbox();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final long coalesceNanos;
  /** When the last drain began (System.nanoTime), written by the event loop. */
  private volatile long lastDrain;
  private final Runnable drain = this::drain;
  private volatile Channel channel;
  /** Which tags this client's room messages carry ({@link SharedLines#variant}). */
  private volatile int tagVariant;
  /** Registered: live messages meet the slow-reader rule as they are offered. */
  private volatile boolean admitting;
  /** Bytes of the live messages in the inbox (estimated before they are rendered). */
  private final AtomicLong queuedBytes = new AtomicLong();
  private final AtomicBoolean overdueCheckScheduled = new AtomicBoolean();
  private final AtomicBoolean cutOff = new AtomicBoolean();

  // ---------------------------------------------------------------- event loop only

  private ChannelHandlerContext ctx;
  private Session session;
  private boolean closing;
  private boolean wrote;
  private DoorChannel door;
  private String quitReason;

  /** The nick numerics are addressed to: "*" until registered. */
  private String nick = "*";
  /** The nick the core gave the session (it may differ from NICK after a SASL login). */
  private String coreNick;
  private String realname;
  private boolean realnameSent;
  private String account;
  private boolean registered;
  /** Recorded as gone (WHOWAS). */
  private boolean gone;
  /** The core has welcomed the session (after hello or a SASL login). */
  private boolean coreReady;
  private final EnumSet<Cap> caps = EnumSet.noneOf(Cap.class);
  private final MessageLines messageLines;
  private final IrcHistory history;
  private final IrcMarkers markers;
  private final IrcWho who;
  private final IrcInfo serverInfo;
  private final IrcMonitor monitor;
  private final UserModes modes = new UserModes();
  private final IrcRender render;
  private final IrcHandlers handlers;
  private final IrcRegistration reg;

  private final Replies replies = new Replies();
  private long batchIds;
  /** The channels this user is in, by folded name: for JOIN 0. */
  private final Map<String, String> channels = new LinkedHashMap<>();
  private final List<IrcMessage> early = new ArrayList<>();
  /** The command whose lines carry 001 until they are written: live lines wait behind it. */
  private Pending registration;

  IrcConnection(Hub hub, IrcServerInfo info) {
    this(hub, info, true);
  }

  /**
   * @param byteStream false where every written buffer is a message of its own (IRC over
   *     WebSocket: one line per message)
   */
  IrcConnection(Hub hub, IrcServerInfo info, boolean byteStream) {
    this(hub, info, byteStream, 0);
  }

  /** @param coalesceNanos under load, the least time between two writes ({@link WriteCoalescing}) */
  IrcConnection(Hub hub, IrcServerInfo info, boolean byteStream, long coalesceNanos) {
    this.coalesceNanos = coalesceNanos;
    this.lastDrain = WriteCoalescing.never(coalesceNanos);
    this.hub = hub;
    this.byteStream = byteStream;
    this.info = info;
    this.server = info.serverName();
    this.backlog = hub.newBacklog();
    this.history = new IrcHistory(this, info);
    this.markers = new IrcMarkers(this);
    this.who = new IrcWho(this);
    this.serverInfo = new IrcInfo(this);
    this.messageLines = new MessageLines(caps, info.files, info.users);
    this.monitor = new IrcMonitor(this);
    this.render = new IrcRender(this, modes, markers, monitor);
    this.reg = new IrcRegistration(this, hub, caps);
    this.handlers = new IrcHandlers(this, reg, new IrcChannels(this, render, markers, history),
        new IrcModes(this, render, modes), new IrcMessaging(this, render), who, serverInfo,
        history, markers, monitor, new IrcSelf(this, render, modes));
  }

  // ---------------------------------------------------------------- Netty

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    this.channel = ctx.channel();
    door = new DoorChannel(hub, channel, this::updateAutoRead);
    // Registration (NICK, USER, CAP, SASL) must be over within the core's hello timeout.
    session = door.open(this, () -> !coreReady);
    ctx.fireChannelActive();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    door.closed();
    batch.discard();
    hub.disconnect(session, door.closeReasonOr("connection closed"));
    gone();
    ctx.fireChannelInactive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    door.heard();
    door.decided(); // a held fatal error: TLS or not is decided now, the peer can read it
    if (closing) {
      ReferenceCountUtil.release(msg);
      return;
    }
    // Whatever reached this connection before the line did comes first: its drain task may
    // still wait behind this read on the event loop, and a reply (a PONG) must not overtake it.
    deliverQueued();
    if (closing) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg == IrcLineDecoder.TOO_LONG) {
      respond(null, numeric(ERR_INPUTTOOLONG, "Input line was too long"));
      return;
    }
    if (!(msg instanceof String line)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    IrcMessage message;
    try {
      message = IrcMessage.parse(line);
    } catch (IrcMessage.ParseException e) {
      log.debug("{} sent an unparsable line: {}", channel.remoteAddress(), e.getMessage());
      if (e.unknown() != null) {
        command(e.unknown()); // no such command: 421, labeled if the line was
      }
      return;
    }
    command(message);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    flushIfWritten();
    ctx.fireChannelReadComplete();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof SslHandshakeCompletionEvent done && done.isSuccess()) {
      door.decided();
    }
    if (evt instanceof IdleStateEvent) {
      switch (door.idle()) {
        case TIMEOUT -> closeNow("Ping timeout");
        case PING -> {
          write(IrcMessage.of(null, "PING", server));
          flushIfWritten();
        }
        case IGNORE -> { }
      }
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    door.failed(cause);
  }

  // ---------------------------------------------------------------- EventSink (any thread)

  @Override
  public void event(Event event, String replyId) {
    Channel ch = channel;
    long bytes = replyId == null && ch != null && admitting ? liveBytes(event) : 0;
    if (bytes == 0) {
      offer(new Inbox.Item(event, replyId));
      return;
    }
    // A live message nothing waits for: the slow-reader rule decides now, counting what waits in
    // the inbox too, so a peer that does not keep up costs no formatting and holds no memory.
    Backlog.Decision decision = backlog.offer(pendingBytes() + bytes, true);
    switch (decision.kind()) {
      case DELIVER -> { }
      case DROP -> {
        scheduleOverdueCheck();
        return;
      }
      case CAUGHT_UP -> offer(new Inbox.Item(new CaughtUp(decision.notice().text()), null));
      case DISCONNECT -> {
        if (cutOff.compareAndSet(false, true)) {
          offer(new Inbox.Item(new TooSlow(decision.reason()), null));
        }
        return;
      }
    }
    queuedBytes.addAndGet(bytes);
    if (event instanceof Event.RoomMessage m) {
      byte[][] lines = SharedLines.forMember(m, tagVariant, info);
      offer(new Inbox.Item(new Formatted(m, lines), null, bytes));
      return;
    }
    offer(new Inbox.Item(event, null, bytes));
  }

  /**
   * What a live message will take to write, estimated from its text; 0 for events the rule
   * decides on the event loop (those that a pending command may claim or that change state).
   */
  private static long liveBytes(Event event) {
    return switch (event) {
      case Event.RoomMessage m -> LINE_OVERHEAD + m.text().length();
      case Event.PrivateMessage m -> LINE_OVERHEAD + m.text().length();
      default -> 0;
    };
  }

  @Override
  public void reply(String replyId, Reply reply) {
    offer(new Inbox.Item(reply, replyId));
  }

  @Override
  public void close(String reason) {
    offer(new Inbox.Item(new Close(reason), null));
  }

  @Override
  public void pause(long millis) {
    if (channel.eventLoop().inEventLoop()) {
      door.pause(millis); // now: the lines after this one in the same read must wait
    } else {
      offer(new Inbox.Item(new Pause(millis), null));
    }
  }

  @Override
  public void fatal(CoreError error, String message) {
    offer(new Inbox.Item(new Fatal(error, message), null));
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    slowReaderCheck(backlog.check(pendingBytes()));
    ctx.fireChannelWritabilityChanged();
  }

  private void offer(Inbox.Item delivery) {
    inbox.offer(delivery);
    if (scheduled.compareAndSet(false, true)) {
      WriteCoalescing.schedule(channel.eventLoop(), drain, lastDrain, coalesceNanos);
    }
  }

  private void drain() {
    scheduled.set(false);
    if (coalesceNanos > 0) {
      lastDrain = System.nanoTime();
    }
    deliverQueued();
    flushIfWritten();
  }

  /** Delivers everything in the inbox, in order (dropped once closing). Event loop only. */
  private void deliverQueued() {
    Inbox.Item delivery;
    while ((delivery = inbox.poll()) != null) {
      if (delivery.bytes() > 0) {
        queuedBytes.addAndGet(-delivery.bytes());
      }
      try {
        if (!closing) {
          deliver(delivery);
        }
      } finally {
        delivery.clear();
      }
    }
  }

  // ---------------------------------------------------------------- pending commands

  private void command(IrcMessage m) {
    String label = caps.contains(Cap.LABELED_RESPONSE) ? m.tags().get("label") : null;
    Pending p = new Pending(label == null || label.isEmpty() ? null : label);
    replies.add(p);
    long before = replies.requests();
    try {
      dispatch(p, m);
      // A command the door answers alone costs like any other; past the allowance, no answer.
      if (replies.requests() == before && !hub.charge(session, null)) {
        p.lines.clear();
      }
    } finally {
      p.sealed = true;
      release();
    }
    updateAutoRead();
  }

  /** Answers with lines of the door's own, in order with everything else. */
  private void respond(String label, IrcMessage... lines) {
    if (!hub.charge(session, null)) {
      return;
    }
    Pending p = new Pending(label);
    p.lines.addAll(Arrays.asList(lines));
    p.sealed = true;
    replies.add(p);
    release();
  }

  @Override
  public void request(Pending p, Sub sub, Command command) {
    hub.handle(session, replies.request(p, sub), command);
  }

  private void deliver(Inbox.Item d) {
    switch (d.what()) {
      case Close c -> closeNow(c.reason());
      case Pause pause -> door.pause(pause.millis());
      case Formatted f -> live(f);
      case CaughtUp c -> write(render.serverNotice(c.notice()));
      case TooSlow t -> tooSlow(t.reason());
      case Fatal f -> {
        door.closeReason(f.message());
        door.sendOrHold(() -> closeNow(f.message()));
      }
      case Reply r -> {
        if (replies.reply(d.id(), r)) {
          release();
        } else {
          log.debug("reply without a request: {}", r);
        }
      }
      case Event e -> {
        track(e);
        if (replies.event(d.id(), e)) {
          release();
        } else {
          live(e, d.bytes() > 0);
        }
      }
      default -> throw new IllegalStateException("unexpected delivery " + d);
    }
  }

  /** Writes the commands that are complete, in order. */
  private void release() {
    Pending p;
    while (!closing && (p = replies.nextDone()) != null) {
      emit(p);
      if (p == registration) {
        registration = null;
      }
      if (p.closeWith != null) {
        closeNow(p.closeWith);
      }
    }
    updateAutoRead();
  }

  private void emit(Pending p) {
    LabeledResponse.write(p.label, p.lines, server, caps.contains(Cap.BATCH), this::nextBatch,
        this::write);
  }

  @Override
  public String nextBatch() {
    return "b" + (++batchIds);
  }

  @Override
  public void requestUnasked(Sub sub, Command command) {
    Pending p = new Pending(null);
    replies.add(p);
    request(p, sub, command);
    p.sealed = true;
    release();
  }

  @Override
  public boolean has(Cap cap) {
    return caps.contains(cap);
  }

  @Override
  public String server() {
    return server;
  }

  @Override
  public String account() {
    return account;
  }

  @Override
  public boolean inChannel(String room) {
    return channels.containsKey(Names.fold(room));
  }

  @Override
  public MessageLines messageLines() {
    return messageLines;
  }

  private void write(IrcMessage line) {
    if (ctx == null) {
      return;
    }
    batch.writeTo(ctx); // what was batched goes first
    ctx.write(line, ctx.voidPromise());
    wrote = true;
  }

  /** Writes a line formatted already (CR LF included); the channel releases it. */
  private void write(ByteBuf line) {
    if (ctx == null) {
      line.release();
      return;
    }
    batch.writeTo(ctx); // what was batched goes first
    ctx.write(line, ctx.voidPromise());
    wrote = true;
  }

  // ---------------------------------------------------------------- limits

  /** Bytes for the peer not yet taken by it: in the inbox and in the channel. Any thread. */
  long pendingBytes() {
    io.netty.channel.ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
    return queuedBytes.get() + (buffer == null ? 0 : buffer.totalPendingWriteBytes());
  }

  /** Messages dropped since the peer fell behind (tests, diagnostics). */
  long droppedMessages() {
    return backlog.dropped();
  }

  private void slowReaderCheck(Backlog.Decision decision) {
    switch (decision.kind()) {
      case CAUGHT_UP -> {
        write(render.serverNotice(decision.notice().text()));
        flushIfWritten();
      }
      case DISCONNECT -> tooSlow(decision.reason());
      default -> scheduleOverdueCheck();
    }
  }

  /** While the peer is behind, a check when it will have been behind for too long. Any thread. */
  private void scheduleOverdueCheck() {
    long wait = backlog.millisUntilOverdue();
    if (wait < 0 || !overdueCheckScheduled.compareAndSet(false, true)) {
      return;
    }
    channel.eventLoop().schedule(() -> {
      overdueCheckScheduled.set(false);
      if (channel.isActive() && !closing) {
        slowReaderCheck(backlog.check(pendingBytes()));
      }
    }, wait + 1, TimeUnit.MILLISECONDS);
  }

  private void tooSlow(String reason) {
    if (closing) {
      return;
    }
    log.info("closing {}: {}", channel.remoteAddress(), reason);
    door.closeReason(reason);
    hub.disconnect(session, reason);
    closing = true;
    // The peer does not read: no farewell can reach it.
    batch.discard();
    channel.close();
  }

  /** Reads while neither the hub pushes back nor too many commands wait for their answers. */
  private void updateAutoRead() {
    if (channel == null || door == null || !channel.isActive() || closing) {
      return;
    }
    boolean read = !door.paused()
        && replies.size() <= (channel.config().isAutoRead() ? MAX_PENDING : RESUME_PENDING);
    if (read != channel.config().isAutoRead()) {
      channel.config().setAutoRead(read);
    }
  }

  private void flushIfWritten() {
    if (wrote && ctx != null) {
      wrote = false;
      batch.writeTo(ctx);
      ctx.flush();
    }
  }

  /** Writes what is waiting, then ERROR with the reason, then closes. */
  private void closeNow(String reason) {
    if (closing) {
      return;
    }
    closing = true;
    if (door.closeReason() == null) {
      door.closeReason(reason);
    }
    // Now, not at channelInactive, which Netty fires after the close: a peer that sees the
    // connection closed must find the user gone (LUSERS, WHOWAS, the nick free).
    hub.disconnect(session, door.closeReason());
    gone();
    replies.drainTo(this::write);
    String why = quitReason != null && "quit".equals(reason) ? "Quit: " + quitReason
        : "quit".equals(reason) ? "Quit" : reason;
    write(IrcMessage.of(null, "ERROR", "Closing Link: " + host() + " (" + why + ")"));
    wrote = false;
    ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
  }

  // ---------------------------------------------------------------- helpers

  @Override
  public String nick() {
    return nick;
  }

  @Override
  public IrcServerInfo info() {
    return info;
  }

  @Override
  public boolean isMe(String other) {
    // Before 001 numerics go to "*", but the core has named the session already.
    String me = registered || coreNick == null ? nick : coreNick;
    return other != null && Names.fold(other).equals(Names.fold(me));
  }

  private String host() {
    return channel != null && channel.remoteAddress() instanceof InetSocketAddress a
        && a.getAddress() != null ? a.getAddress().getHostAddress() : "unknown";
  }


  /** A room message formatted on the fan-out's thread: written as is once registered. */
  private void live(Formatted f) {
    if (!registered || registration != null) {
      live(f.event(), true); // its lines wait with the registration's: render them
      return;
    }
    if (ctx == null) {
      return;
    }
    for (byte[] line : f.lines()) {
      if (byteStream) {
        batch.add(ctx, line);
      } else {
        write(Unpooled.wrappedBuffer(line));
      }
    }
    wrote = true;
  }

  /** Whether a live event is written, by the slow-reader backlog (a registered client's). */
  private boolean admitted(Event e) {
    if (!registered) {
      return true;
    }
    Backlog.Decision decision = backlog.offer(pendingBytes(), Backlog.droppable(e, null));
    switch (decision.kind()) {
      case DELIVER -> { }
      case DROP -> {
        scheduleOverdueCheck();
        return false;
      }
      case CAUGHT_UP -> write(render.serverNotice(decision.notice().text()));
      case DISCONNECT -> {
        tooSlow(decision.reason());
        return false;
      }
    }
    return true;
  }

  private void live(Event e) {
    live(e, false);
  }

  /** A live event; {@code admitted}: the slow-reader rule let it through when it was offered. */
  private void live(Event e, boolean admitted) {
    if (!admitted && !admitted(e)) {
      return;
    }
    if (registered && e instanceof Event.Joined j && isMe(j.nick())) {
      markers.joinedWithoutJoin(null, List.of(j.room())); // another connection of the account
    }
    List<IrcMessage> lines = render.render(e);
    if (lines.isEmpty()) {
      return;
    }
    if (!registered) {
      for (IrcMessage line : lines) {
        if (early.size() < MAX_EARLY) {
          early.add(line);
        }
      }
      return;
    }
    if (registration != null) {
      registration.lines.addAll(lines); // 001 is not out yet (its command waits for the core)
      return;
    }
    lines.forEach(this::write);
  }

  /** Which channels this client is in, as the core's events about it say. */
  private void track(Event e) {
    switch (e) {
      case Event.Joined j when isMe(j.nick()) -> channels.put(Names.fold(j.room()), j.room());
      case Event.Left l when isMe(l.nick()) -> channels.remove(Names.fold(l.room()));
      case Event.Kicked k when isMe(k.nick()) -> channels.remove(Names.fold(k.room()));
      default -> { }
    }
  }

  @Override
  public java.util.Collection<String> channels() {
    return channels.values();
  }

  @Override
  public void deliverLive(Event e) {
    live(e);
  }

  // ---------------------------------------------------------------- dispatch

  /** Runs {@code m} by the command table: registration first, enough parameters, targets. */
  private void dispatch(Pending p, IrcMessage m) {
    IrcCommands.Spec spec = IrcCommands.of(m.command());
    if (!registered && (spec == null || !spec.early())) {
      p.lines.add(IrcMessage.of(server, ERR_NOTREGISTERED, "*", "You have not registered"));
      return;
    }
    if (spec == null) {
      p.lines.add(numeric(ERR_UNKNOWNCOMMAND, m.command(), "Unknown command"));
      return;
    }
    if (!needs(p, m, spec.params()) || !withinTargets(p, m, spec.targets())) {
      return;
    }
    spec.handler().handle(handlers, p, m);
  }

  boolean needs(Pending p, IrcMessage m, int count) {
    if (m.params().size() < count || (count > 0 && m.param(0).isEmpty())) {
      p.lines.add(numeric(ERR_NEEDMOREPARAMS, m.command(), "Not enough parameters"));
      return false;
    }
    return true;
  }

  /** 407 when a command names more targets than its TARGMAX entry allows. */
  private boolean withinTargets(Pending p, IrcMessage m, IrcCommands.Targets targets) {
    if (targets.param() < 0 || m.param(targets.param()) == null) {
      return true;
    }
    int limit = targets.limit().applyAsInt(hub.limits());
    List<String> named = IrcRender.list(m.param(targets.param()));
    if (limit > 0 && named.size() > limit) {
      p.lines.add(numeric(ERR_TOOMANYTARGETS, named.get(limit),
          "Too many targets (at most " + limit + "); nothing was done"));
      return false;
    }
    return true;
  }

  void ping(Pending p, IrcMessage m) {
    if (m.params().isEmpty() || m.param(0).isEmpty()) {
      p.lines.add(numeric(ERR_NOORIGIN, "No origin specified"));
    } else {
      p.lines.add(IrcMessage.of(server, "PONG", server, m.param(0)));
    }
  }

  // ---------------------------------------------------------------- registration

  void nick(Pending p, IrcMessage m) {
    if (m.params().isEmpty() || m.param(0).isEmpty()) {
      p.lines.add(numeric(ERR_NONICKNAMEGIVEN, "No nickname given"));
      return;
    }
    String requested = m.param(0);
    if (!registered) {
      reg.wanted(p, requested);
      return;
    }
    if (requested.equals(nick)) {
      return;
    }
    request(p, new Sub() {
      @Override
      void reply(Reply r) {
        switch (r) {
          case Reply.NickSet n -> {
            if (!n.nick().equals(nick)) {
              out(IrcMessage.of(IrcServerInfo.source(nick), "NICK", n.nick()));
              renamed(n.nick());
            }
          }
          case Reply.Failed f -> out(render.failure("NICK", requested, f));
          default -> { }
        }
      }
    }, new Command.SetNick(requested));
  }

  /** This user left: its nick goes to WHOWAS, once. */
  private void gone() {
    if (registered && !gone) {
      gone = true;
      info.users.left(nick, reg.username(), realname);
    }
  }

  /** The core renamed this registered session: the old nick goes to WHOWAS. */
  void renamed(String newNick) {
    if (registered) {
      info.users.renamed(nick, newNick, reg.username(), realname);
    }
    nick = newNick;
  }

  void welcomed(String welcomeNick, String welcomeAccount, boolean isAdmin) {
    coreReady = true;
    door.helloDone();
    coreNick = welcomeNick;
    account = welcomeAccount;
    modes.admin = isAdmin;
  }

  /** Closes once {@code p} and everything before it is written. */
  void closeAfter(Pending p, String reason) {
    p.closeWith = reason;
  }

  void registerDone(Pending p) {
    registered = true;
    admitting = true;
    registration = p;
    nick = coreNick;
    if (!realnameSent && realname != null && !realname.isBlank()) {
      request(p, new Sub() {
        @Override
        void reply(Reply r) {}
      }, new Command.SetRealname(realname));
    }
    p.lines.add(numeric(RPL_WELCOME, "Welcome to the " + info.config.network()
        + " IRC network, " + IrcServerInfo.source(nick)));
    p.lines.add(numeric(RPL_YOURHOST, "Your host is " + server + ", running version "
        + IrcServerInfo.VERSION));
    p.lines.add(numeric(RPL_CREATED, "This server was created " + info.created));
    p.lines.add(numeric(RPL_MYINFO, server, IrcServerInfo.VERSION, "Biow", "Iiklmnoqtv",
        "Ibkloqv"));
    info.users.named(nick, reg.username());
    p.lines.addAll(serverInfo.isupport());
    p.lines.addAll(serverInfo.lusers());
    p.lines.addAll(serverInfo.motd());
    p.lines.addAll(early);
    early.clear();
    markers.joinedWithoutJoin(p, List.copyOf(channels.values())); // the account's rooms
  }

  boolean registered() {
    return registered;
  }

  /** The core said welcome (the session has its nick), whether or not 001 is out. */
  /** The nick the core gave the session, or null before it did. */
  String coreNick() {
    return coreNick;
  }

  boolean isAdmin() {
    return modes.admin;
  }

  boolean coreReady() {
    return coreReady;
  }

  boolean closing() {
    return closing;
  }

  /** CAP REQ changed the capabilities: the tags its room messages carry may differ. */
  void capsChanged() {
    tagVariant = SharedLines.variant(caps);
  }

  void realname(String name) {
    realname = name;
  }

  String realname() {
    return realname;
  }

  /** The hello carried the real name: registration need not set it after. */
  void realnameSent() {
    realnameSent = true;
  }

  /** SASL after the hello logged the session in. */
  void loggedInAs(String newAccount, boolean isAdmin) {
    account = newAccount;
    modes.admin = isAdmin;
  }

  IrcMessage loggedIn(String who) {
    return IrcMessage.of(server, RPL_LOGGEDIN, who, IrcServerInfo.source(who), account,
        "You are now logged in as " + account);
  }

  void quit(Pending p, IrcMessage m) {
    quitReason = m.param(0);
    if (!coreReady) {
      closeAfter(p, "quit");
      return;
    }
    request(p, new Sub() {
      @Override
      void reply(Reply r) {}
    }, new Command.Quit(quitReason));
  }
}
