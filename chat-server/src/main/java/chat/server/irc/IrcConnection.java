package chat.server.irc;

import static chat.server.irc.Numeric.*;

import chat.core.Backlog;
import chat.core.Command;
import chat.core.CoreError;
import chat.core.Event;
import chat.core.EventSink;
import chat.core.Hub;
import chat.core.MessageKind;
import chat.core.ModeChange;
import chat.core.Names;
import chat.core.Reply;
import chat.core.RoomMode;
import chat.core.RoomModes;
import chat.core.Session;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.internal.PlatformDependent;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
 */
final class IrcConnection extends ChannelInboundHandlerAdapter
    implements EventSink, IrcContext {

  private static final Logger log = LoggerFactory.getLogger(IrcConnection.class);

  /** Stop reading from a client with this many commands unanswered; resume below the second. */
  static final int MAX_PENDING = 64;
  static final int RESUME_PENDING = 16;
  /** Events kept for a client that is logged in (SASL) but has not finished registering. */
  static final int MAX_EARLY = 256;
  private static final int SASL_CHUNK = 400;
  private static final int MAX_SASL_BYTES = 4 * SASL_CHUNK;

  /** The reason of the +I change an INVITE makes: it marks the change as an invitation. */
  static final String INVITATION = "invite";

  private static final Set<String> BEFORE_REGISTRATION = Set.of(
      "CAP", "NICK", "USER", "PASS", "PING", "PONG", "QUIT", "AUTHENTICATE");

  /** A core reply or event for this connection, or a request to close. */
  private record Delivery(Object what, String id) {}

  private record Close(String reason) {}

  /** The hub ends the session for breaking a limit. */
  private record Fatal(CoreError error, String message) {}

  /** Flood pushback from the hub. */
  private record Pause(long millis) {}

  private final Hub hub;
  private final Backlog backlog;
  private final IrcServerInfo info;
  private final String server;
  private final Queue<Delivery> inbox = PlatformDependent.newMpscQueue();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final Runnable drain = this::drain;
  private volatile Channel channel;

  // ---------------------------------------------------------------- event loop only

  private ChannelHandlerContext ctx;
  private Session session;
  private boolean closing;
  private boolean wrote;
  private boolean pingOutstanding;
  private String closeReason;
  private String quitReason;
  /** Flood pushback: reading is off until this System.nanoTime(). */
  private boolean paused;
  private long pausedUntil;
  private ScheduledFuture<?> helloTimer;
  private boolean overdueCheckScheduled;
  /** A fatal error that waits for the TLS-or-plaintext decision, so the peer can read it. */
  private String deferredFatal;

  /** The nick numerics are addressed to: "*" until registered. */
  private String nick = "*";
  /** The nick the core gave the session (it may differ from NICK after a SASL login). */
  private String coreNick;
  private String wantedNick;
  private String username;
  private String realname;
  private String pass;
  private String account;
  private boolean admin;
  private boolean invisible;
  private boolean registered;
  /** Recorded as gone (WHOWAS). */
  private boolean gone;
  /** The core has welcomed the session (after hello or a SASL login). */
  private boolean coreReady;
  private boolean helloInFlight;
  private boolean capNegotiating;
  private final EnumSet<Cap> caps = EnumSet.noneOf(Cap.class);
  private final MessageLines messageLines;
  private final IrcHistory history;
  private final IrcMarkers markers;
  private final IrcWho who;
  private final IrcInfo serverInfo;
  private final IrcMonitor monitor;
  /** User modes of the door's own: w (wallops), B (bot); i is {@link #invisible}. */
  private boolean wallops;
  private boolean bot;
  private boolean saslStarted;
  private boolean saslInFlight;
  private final StringBuilder saslData = new StringBuilder();

  private final ArrayDeque<Pending> pending = new ArrayDeque<>();
  private final Map<String, Sub> subs = new HashMap<>();
  private long requestIds;
  private long batchIds;
  /** The channels this user is in, by folded name: for JOIN 0. */
  private final Map<String, String> channels = new LinkedHashMap<>();
  private final List<IrcMessage> early = new ArrayList<>();
  /** The command whose lines carry 001 until they are written: live lines wait behind it. */
  private Pending registration;

  IrcConnection(Hub hub, IrcServerInfo info) {
    this.hub = hub;
    this.info = info;
    this.server = info.serverName();
    this.backlog = hub.newBacklog();
    this.history = new IrcHistory(this, info);
    this.markers = new IrcMarkers(this);
    this.who = new IrcWho(this);
    this.serverInfo = new IrcInfo(this);
    this.messageLines = new MessageLines(caps, info.files, info.users);
    this.monitor = new IrcMonitor(this);
  }

  // ---------------------------------------------------------------- Netty

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    this.channel = ctx.channel();
    session = hub.open(this, remoteHost(ctx.channel()));
    if (!session.isClosed()) {
      Session opened = session;
      // Registration (NICK, USER, CAP, SASL) must be over within the core's hello timeout.
      helloTimer = ctx.executor().schedule(() -> {
        if (!coreReady) {
          hub.helloDeadline(opened);
        }
      }, hub.limits().connections().helloTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }
    ctx.fireChannelActive();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (helloTimer != null) {
      helloTimer.cancel(false);
    }
    hub.disconnect(session, closeReason != null ? closeReason : "connection closed");
    gone();
    ctx.fireChannelInactive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    pingOutstanding = false;
    if (deferredFatal != null) {
      closeNow(deferredFatal); // the first line: TLS or not is decided, the peer can read it
    }
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
    if (evt instanceof SslHandshakeCompletionEvent done && done.isSuccess()
        && deferredFatal != null) {
      closeNow(deferredFatal);
    }
    if (evt instanceof IdleStateEvent) {
      if (paused) {
        return; // we are the ones not reading: that is no sign of a dead peer
      }
      if (pingOutstanding) {
        closeNow("Ping timeout");
        return;
      }
      pingOutstanding = true;
      write(IrcMessage.of(null, "PING", server));
      flushIfWritten();
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof SocketException || cause instanceof IOException) {
      closeReason = "connection reset";
      log.debug("{}: {}", ctx.channel().remoteAddress(), cause.toString());
    } else {
      closeReason = "server error";
      log.warn("closing {} after an unexpected error", ctx.channel().remoteAddress(), cause);
    }
    ctx.close();
  }

  // ---------------------------------------------------------------- EventSink (any thread)

  @Override
  public void event(Event event, String replyId) {
    offer(new Delivery(event, replyId));
  }

  @Override
  public void reply(String replyId, Reply reply) {
    offer(new Delivery(reply, replyId));
  }

  @Override
  public void close(String reason) {
    offer(new Delivery(new Close(reason), null));
  }

  @Override
  public void pause(long millis) {
    if (channel.eventLoop().inEventLoop()) {
      pauseReading(millis); // now: the lines after this one in the same read must wait
    } else {
      offer(new Delivery(new Pause(millis), null));
    }
  }

  @Override
  public void fatal(CoreError error, String message) {
    offer(new Delivery(new Fatal(error, message), null));
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    slowReaderCheck(backlog.check(pendingBytes()));
    ctx.fireChannelWritabilityChanged();
  }

  private void offer(Delivery delivery) {
    inbox.offer(delivery);
    if (scheduled.compareAndSet(false, true)) {
      channel.eventLoop().execute(drain);
    }
  }

  private void drain() {
    scheduled.set(false);
    deliverQueued();
    flushIfWritten();
  }

  /** Delivers everything in the inbox, in order (dropped once closing). Event loop only. */
  private void deliverQueued() {
    Delivery delivery;
    while ((delivery = inbox.poll()) != null) {
      if (!closing) {
        deliver(delivery);
      }
    }
  }

  // ---------------------------------------------------------------- pending commands

  /** A sub whose success needs no lines and whose failure is reported generically. */
  private class Quiet extends Sub {
    final String command;
    final String target;

    Quiet(String command, String target) {
      this.command = command;
      this.target = target;
    }

    @Override
    void reply(Reply r) {
      if (r instanceof Reply.Failed f) {
        out(failure(command, target, f));
      }
    }
  }

  private void command(IrcMessage m) {
    String label = caps.contains(Cap.LABELED_RESPONSE) ? m.tags().get("label") : null;
    Pending p = new Pending(label == null || label.isEmpty() ? null : label);
    pending.add(p);
    long before = requestIds;
    try {
      dispatch(p, m);
      // A command the door answers alone costs like any other; past the allowance, no answer.
      if (requestIds == before && !hub.charge(session, null)) {
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
    pending.add(p);
    release();
  }

  @Override
  public void request(Pending p, Sub sub, Command command) {
    String id = Long.toString(++requestIds);
    sub.p = p;
    p.outstanding++;
    p.subs.add(sub);
    subs.put(id, sub);
    hub.handle(session, id, command);
  }

  private void deliver(Delivery d) {
    switch (d.what()) {
      case Close c -> closeNow(c.reason());
      case Pause pause -> pauseReading(pause.millis());
      case Fatal f -> {
        closeReason = f.message();
        if (awaitingTls()) {
          // Written now, plaintext would reach a TLS client as garbage; wait for the decision.
          deferredFatal = f.message();
          channel.eventLoop().schedule(() -> {
            channel.close();
          }, hub.limits().connections().helloTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } else {
          closeNow(f.message());
        }
      }
      case Reply r -> {
        Sub sub = d.id() == null ? null : subs.remove(d.id());
        if (sub == null) {
          log.debug("reply without a request: {}", r);
          return;
        }
        sub.reply(r);
        finish(sub);
      }
      case Event e -> {
        Sub sub = d.id() == null ? null : subs.remove(d.id());
        if (sub != null) {
          sub.event(e);
          finish(sub);
          return;
        }
        for (Pending p : pending) {
          for (Sub s : p.subs) {
            if (s.claims(e)) {
              s.claimed(e);
              return;
            }
          }
        }
        live(e);
      }
      default -> throw new IllegalStateException("unexpected delivery " + d);
    }
  }

  private void finish(Sub sub) {
    sub.p.outstanding--;
    sub.p.subs.remove(sub);
    release();
  }

  private void release() {
    while (!closing && !pending.isEmpty() && pending.peek().done()) {
      Pending p = pending.poll();
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
    List<IrcMessage> lines = p.lines;
    if (p.label == null) {
      lines.forEach(this::write);
      return;
    }
    if (lines.isEmpty()) {
      write(IrcMessage.of(server, "ACK").withTag("label", p.label));
    } else if (lines.size() == 1 || !caps.contains(Cap.BATCH)) {
      write(lines.get(0).withTag("label", p.label));
      lines.subList(1, lines.size()).forEach(this::write);
    } else {
      String id = nextBatch();
      write(IrcMessage.of(server, "BATCH", "+" + id, "labeled-response")
          .withTag("label", p.label));
      for (IrcMessage line : lines) {
        write(line.tags().containsKey("batch") ? line : line.withTag("batch", id));
      }
      write(IrcMessage.of(server, "BATCH", "-" + id));
    }
  }

  @Override
  public String nextBatch() {
    return "b" + (++batchIds);
  }

  @Override
  public void requestUnasked(Sub sub, Command command) {
    Pending p = new Pending(null);
    pending.add(p);
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
    ctx.write(line, ctx.voidPromise());
    wrote = true;
  }

  // ---------------------------------------------------------------- limits

  /** Bytes written to the channel and not yet taken by the peer. */
  private long pendingBytes() {
    io.netty.channel.ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
    return buffer == null ? 0 : buffer.totalPendingWriteBytes();
  }

  private void slowReaderCheck(Backlog.Decision decision) {
    switch (decision.kind()) {
      case CAUGHT_UP -> {
        write(serverNotice(decision.notice().text()));
        flushIfWritten();
      }
      case DISCONNECT -> tooSlow(decision.reason());
      default -> scheduleOverdueCheck();
    }
  }

  /** While the peer is behind, a check when it will have been behind for too long. */
  private void scheduleOverdueCheck() {
    long wait = backlog.millisUntilOverdue();
    if (wait < 0 || overdueCheckScheduled) {
      return;
    }
    overdueCheckScheduled = true;
    channel.eventLoop().schedule(() -> {
      overdueCheckScheduled = false;
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
    closeReason = reason;
    hub.disconnect(session, reason);
    closing = true;
    // The peer does not read: no farewell can reach it.
    channel.close();
  }

  private void pauseReading(long millis) {
    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    if (paused) {
      pausedUntil = Math.max(pausedUntil, until); // the scheduled resume looks again
      return;
    }
    paused = true;
    pausedUntil = until;
    updateAutoRead();
    channel.eventLoop().schedule(this::resume, millis, TimeUnit.MILLISECONDS);
  }

  private void resume() {
    long left = pausedUntil - System.nanoTime();
    if (left > 0) {
      channel.eventLoop().schedule(this::resume, left, TimeUnit.NANOSECONDS);
      return;
    }
    paused = false;
    pingOutstanding = false;
    updateAutoRead();
  }

  /** Reads while neither the hub pushes back nor too many commands wait for their answers. */
  private void updateAutoRead() {
    if (channel == null || !channel.isActive() || closing) {
      return;
    }
    boolean read = !paused && pending.size() <= (channel.config().isAutoRead() ? MAX_PENDING
        : RESUME_PENDING);
    if (read != channel.config().isAutoRead()) {
      channel.config().setAutoRead(read);
    }
  }

  private boolean awaitingTls() {
    if (channel.pipeline().get(IrcTls.class) != null) {
      return true;
    }
    SslHandler tls = channel.pipeline().get(SslHandler.class);
    return tls != null && !tls.handshakeFuture().isDone();
  }

  private void flushIfWritten() {
    if (wrote && ctx != null) {
      wrote = false;
      ctx.flush();
    }
  }

  /** Writes what is waiting, then ERROR with the reason, then closes. */
  private void closeNow(String reason) {
    if (closing) {
      return;
    }
    closing = true;
    if (closeReason == null) {
      closeReason = reason;
    }
    // Now, not at channelInactive, which Netty fires after the close: a peer that sees the
    // connection closed must find the user gone (LUSERS, WHOWAS, the nick free).
    hub.disconnect(session, closeReason);
    gone();
    for (Pending p : pending) {
      p.lines.forEach(this::write);
      if (p.closeWith != null) {
        break;
      }
    }
    pending.clear();
    subs.clear();
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

  private IrcMessage serverNotice(String text) {
    return IrcMessage.of(server, "NOTICE", nick, text);
  }

  private boolean isMe(String other) {
    // Before 001 numerics go to "*", but the core has named the session already.
    String me = registered || coreNick == null ? nick : coreNick;
    return other != null && Names.fold(other).equals(Names.fold(me));
  }

  private String host() {
    return channel != null && channel.remoteAddress() instanceof InetSocketAddress a
        && a.getAddress() != null ? a.getAddress().getHostAddress() : "unknown";
  }

  static String remoteHost(Channel channel) {
    if (channel.remoteAddress() instanceof InetSocketAddress address
        && address.getAddress() != null) {
      return address.getAddress().getHostAddress();
    }
    return String.valueOf(channel.remoteAddress());
  }

  private static String upper(String s) {
    return s == null ? null : s.toUpperCase(Locale.ROOT);
  }

  private static String channelName(String room) {
    return "#" + room;
  }

  /** The core's room for an IRC channel name, or null when it does not start with '#'. */
  private static String roomOf(String target) {
    return target != null && target.length() > 1 && target.charAt(0) == '#'
        ? target.substring(1) : null;
  }

  static List<String> list(String commaSeparated) {
    List<String> items = new ArrayList<>();
    if (commaSeparated != null) {
      for (String item : commaSeparated.split(",")) {
        if (!item.isEmpty()) {
          items.add(item);
        }
      }
    }
    return items;
  }

  private IrcMessage joinLine(String who, String whoAccount, String whoRealname, String room) {
    String source = IrcServerInfo.source(who);
    if (caps.contains(Cap.EXTENDED_JOIN)) {
      return IrcMessage.of(source, "JOIN", channelName(room),
          whoAccount == null ? "*" : whoAccount, whoRealname == null ? who : whoRealname);
    }
    return IrcMessage.of(source, "JOIN", channelName(room));
  }

  private static IrcMessage withReason(String source, String command, String reason,
      String... params) {
    List<String> all = new ArrayList<>(Arrays.asList(params));
    if (reason != null && !reason.isEmpty()) {
      all.add(reason);
    }
    return IrcMessage.of(source, command, all);
  }

  // ---------------------------------------------------------------- live events

  private void live(Event e) {
    if (registered) {
      Backlog.Decision decision = backlog.offer(pendingBytes(), Backlog.droppable(e, null));
      switch (decision.kind()) {
        case DELIVER -> { }
        case DROP -> {
          scheduleOverdueCheck();
          return;
        }
        case CAUGHT_UP -> write(serverNotice(decision.notice().text()));
        case DISCONNECT -> {
          tooSlow(decision.reason());
          return;
        }
      }
    }
    List<IrcMessage> lines = renderLive(e);
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

  private List<IrcMessage> renderLive(Event e) {
    return switch (e) {
      case Event.RoomMessage m -> messageLines.render(m, Map.of());
      case Event.PrivateMessage m -> messageLines.render(m, Map.of());
      case Event.Joined j -> {
        if (isMe(j.nick())) {
          channels.put(Names.fold(j.room()), j.room());
          if (registered) { // another connection of the account joined it
            markers.joinedWithoutJoin(null, List.of(j.room()));
          }
        }
        yield List.of(joinLine(j.nick(), j.account(), j.realname(), j.room()));
      }
      case Event.Left l -> {
        if (isMe(l.nick())) {
          channels.remove(Names.fold(l.room()));
        }
        yield List.of(withReason(IrcServerInfo.source(l.nick()), "PART", l.reason(),
            channelName(l.room())));
      }
      case Event.NickChanged n -> List.of(IrcMessage.of(IrcServerInfo.source(n.oldNick()), "NICK",
          n.nick()));
      case Event.Quit q -> List.of(IrcMessage.of(IrcServerInfo.source(q.nick()), "QUIT",
          q.reason()));
      case Event.History h -> List.of();
      case Event.Notice n -> {
        List<IrcMessage> lines = new ArrayList<>();
        String target = n.room() == null ? nick : channelName(n.room());
        for (String piece : Text.split(n.text(), 400)) {
          lines.add(new IrcMessage(messageLines.tags(n.ts(), null, null), server, "NOTICE",
              List.of(target, piece)));
        }
        yield lines;
      }
      case Event.TopicChanged t -> List.of(IrcMessage.of(IrcServerInfo.source(t.by()), "TOPIC",
          channelName(t.room()), t.topic()));
      case Event.Kicked k -> List.of(kickLine(k));
      case Event.ModeChanged m -> isInvitation(m) ? List.of() : modeLines(m);
      case Event.Invited i -> List.of(IrcMessage.of(IrcServerInfo.source(i.by()), "INVITE",
          nick, channelName(i.room())));
      case Event.Killed k -> List.of(IrcMessage.of(IrcServerInfo.source(k.by()), "KILL", nick,
          k.reason().isEmpty() ? "Killed by " + k.by() : k.reason()));
      case Event.AwayChanged a -> !caps.contains(Cap.AWAY_NOTIFY) ? List.of()
          : List.of(a.message() == null ? IrcMessage.of(IrcServerInfo.source(a.nick()), "AWAY")
              : IrcMessage.of(IrcServerInfo.source(a.nick()), "AWAY", a.message()));
      case Event.RealnameChanged r -> !caps.contains(Cap.SETNAME) ? List.of()
          : List.of(IrcMessage.of(IrcServerInfo.source(r.nick()), "SETNAME",
              r.realname() == null ? r.nick() : r.realname()));
      case Event.MarkerMoved m -> markers.moved(m);
      case Event.Watched w -> monitor.render(w);
      case Event.Wallops w -> !wallops ? List.of()
          : List.of(IrcMessage.of(IrcServerInfo.source(w.from()), "WALLOPS", w.text()));
      case Event.StatusMessage m -> messageLines.render(m);
      case Event.AccountChanged a -> !caps.contains(Cap.ACCOUNT_NOTIFY) ? List.of()
          : List.of(IrcMessage.of(IrcServerInfo.source(a.nick()), "ACCOUNT",
              a.account() == null ? "*" : a.account()));
    };
  }

  private IrcMessage kickLine(Event.Kicked k) {
    if (isMe(k.nick())) {
      channels.remove(Names.fold(k.room()));
    }
    return IrcMessage.of(k.by() == null ? server : IrcServerInfo.source(k.by()), "KICK",
        channelName(k.room()), k.nick(), !k.reason().isEmpty() ? k.reason()
            : k.by() != null ? k.by() : k.nick()); // no comment: the kicker's nick (RFC 2812)
  }

  /**
   * An INVITE's +I change: other members are not told of an invitation (RFC 2812 3.2.7), the
   * invitee gets INVITE ({@code Event.Invited}), the inviter 341.
   */
  private static boolean isInvitation(Event.ModeChanged m) {
    return INVITATION.equals(m.reason())
        && m.changes().stream().allMatch(c -> c.add() && c.mode() == RoomMode.INVITE);
  }

  /** MODE lines for a change, a few changes per line so that each fits. */
  private List<IrcMessage> modeLines(Event.ModeChanged m) {
    String source = m.by() == null ? server : IrcServerInfo.source(m.by());
    List<IrcMessage> lines = new ArrayList<>();
    List<ModeChange> changes = m.changes();
    for (int from = 0; from < changes.size(); from += 6) {
      List<ModeChange> part = changes.subList(from, Math.min(changes.size(), from + 6));
      StringBuilder letters = new StringBuilder();
      List<String> params = new ArrayList<>();
      params.add(channelName(m.room()));
      params.add("");
      Boolean sign = null;
      for (ModeChange change : part) {
        if (sign == null || sign != change.add()) {
          letters.append(change.add() ? '+' : '-');
          sign = change.add();
        }
        letters.append(change.mode().letter());
        String arg = modeArg(change);
        if (arg != null) {
          params.add(arg);
        }
      }
      params.set(1, letters.toString());
      lines.add(IrcMessage.of(source, "MODE", params));
    }
    return lines;
  }

  /** A change's IRC argument: masks in IRC form, {@code *} for a key being removed. */
  private static String modeArg(ModeChange change) {
    return switch (change.mode()) {
      case KEY -> change.add() ? change.arg() : "*";
      case LIMIT -> change.add() ? change.arg() : null;
      case BAN, MUTE, INVITE -> Masks.toIrc(change.arg());
      case OP, VOICE -> change.arg();
      default -> null;
    };
  }

  // ---------------------------------------------------------------- failures

  /** The numeric (or notice) for a core refusal of {@code command} about {@code target}. */
  private IrcMessage failure(String command, String target, Reply.Failed f) {
    String t = target == null ? "*" : target;
    return switch (f.error()) {
      case INVALID_NICK -> numeric(ERR_ERRONEUSNICKNAME, t, f.message());
      case NICK_IN_USE, NICK_REGISTERED -> numeric(ERR_NICKNAMEINUSE, t, f.message());
      case INVALID_ROOM -> numeric(ERR_BADCHANNAME, t, f.message());
      case NO_SUCH_ROOM -> numeric(ERR_NOSUCHCHANNEL, t, f.message());
      case NOT_IN_ROOM -> numeric(ERR_NOTONCHANNEL, t, f.message());
      case NO_SUCH_NICK -> numeric(ERR_NOSUCHNICK, t, f.message());
      case EMPTY_MESSAGE -> numeric(ERR_NOTEXTTOSEND, "No text to send");
      case MUTED, MODERATED, MESSAGE_TOO_LONG -> numeric(ERR_CANNOTSENDTOCHAN, t, f.message());
      case NOT_OPERATOR -> numeric(ERR_CHANOPRIVSNEEDED, t, f.message());
      case NOT_ADMIN -> numeric(ERR_NOPRIVILEGES, "Permission Denied- " + f.message());
      case BANNED -> numeric(ERR_BANNEDFROMCHAN, t, f.message());
      case INVITE_ONLY -> numeric(ERR_INVITEONLYCHAN, t, f.message());
      case BAD_KEY -> numeric(ERR_BADCHANNELKEY, t, f.message());
      case ROOM_FULL -> numeric(ERR_CHANNELISFULL, t, f.message());
      case LOGIN_FAILED, LOGIN_THROTTLED -> numeric(ERR_PASSWDMISMATCH, f.message());
      case SERVER_BUSY, RATE_LIMITED -> numeric(RPL_TRYAGAIN, command, f.message());
      case TOO_MANY_ROOMS -> numeric(ERR_TOOMANYCHANNELS, t, f.message());
      default -> serverNotice(command + ": " + f.message());
    };
  }

  // ---------------------------------------------------------------- dispatch

  private void dispatch(Pending p, IrcMessage m) {
    String command = m.command();
    if (!registered && !BEFORE_REGISTRATION.contains(command)) {
      p.lines.add(IrcMessage.of(server, ERR_NOTREGISTERED, "*", "You have not registered"));
      return;
    }
    switch (command) {
      case "CAP" -> cap(p, m);
      case "PASS" -> pass(p, m);
      case "NICK" -> nick(p, m);
      case "USER" -> user(p, m);
      case "AUTHENTICATE" -> authenticate(p, m);
      case "PING" -> {
        if (m.params().isEmpty() || m.param(0).isEmpty()) {
          p.lines.add(numeric(ERR_NOORIGIN, "No origin specified"));
        } else {
          p.lines.add(IrcMessage.of(server, "PONG", server, m.param(0)));
        }
      }
      case "PONG" -> { }
      case "QUIT" -> quit(p, m);
      case "JOIN" -> join(p, m);
      case "PART" -> part(p, m);
      case "PRIVMSG", "NOTICE" -> message(p, m);
      case "TAGMSG" -> { } // client-only tags are not relayed (CLIENTTAGDENY=*)
      case "NAMES" -> names(p, m);
      case "TOPIC" -> topic(p, m);
      case "LIST" -> list(p, m);
      case "WHO" -> who.who(p, m);
      case "WHOIS" -> who.whois(p, m);
      case "WHOWAS" -> who.whowas(p, m);
      case "MODE" -> mode(p, m);
      case "KICK" -> kick(p, m);
      case "INVITE" -> invite(p, m);
      case "AWAY" -> away(p, m);
      case "SETNAME" -> setname(p, m);
      case "OPER" -> oper(p, m);
      case "KILL" -> kill(p, m);
      case "USERHOST" -> {
        if (needs(p, m, 1)) {
          who.userhost(p, m);
        }
      }
      case "ISON" -> {
        if (needs(p, m, 1)) {
          who.ison(p, m);
        }
      }
      case "TIME", "VERSION", "MOTD", "LUSERS", "INFO", "HELP", "HELPOP" ->
          p.lines.addAll(serverInfo.command(m));
      case "CHATHISTORY" -> history.command(p, m);
      case "MARKREAD" -> markers.command(p, m);
      case "CS", "CHANSERV" -> chanServ(p, m.params());
      case "MONITOR" -> {
        if (needs(p, m, 1)) {
          monitor.command(p, m);
        }
      }
      case "WALLOPS" -> {
        if (needs(p, m, 1)) {
          request(p, new Quiet("WALLOPS", null), new Command.Wallops(m.param(0)));
        }
      }
      case "LINKS" -> {
        p.lines.add(numeric(RPL_LINKS, server, server, "0 " + info.config.network()));
        p.lines.add(numeric(RPL_ENDOFLINKS, "*", "End of /LINKS list"));
      }
      default -> p.lines.add(numeric(ERR_UNKNOWNCOMMAND, command, "Unknown command"));
    }
  }

  private boolean needs(Pending p, IrcMessage m, int count) {
    if (m.params().size() < count || (count > 0 && m.param(0).isEmpty())) {
      p.lines.add(numeric(ERR_NEEDMOREPARAMS, m.command(), "Not enough parameters"));
      return false;
    }
    return true;
  }

  // ---------------------------------------------------------------- registration

  private void cap(Pending p, IrcMessage m) {
    if (!needs(p, m, 1)) {
      return;
    }
    String to = registered ? nick : "*";
    switch (upper(m.param(0))) {
      case "LS" -> {
        if (!registered) {
          capNegotiating = true;
        }
        int version = 0;
        try {
          version = m.param(1) == null ? 0 : Integer.parseInt(m.param(1));
        } catch (NumberFormatException ignored) {
          version = 0;
        }
        if (version >= 302) {
          caps.add(Cap.CAP_NOTIFY);
        }
        List<String> offered = new ArrayList<>();
        for (Cap cap : available()) {
          offered.add(cap == Cap.SASL && version >= 302 ? cap.wire + "=PLAIN" : cap.wire);
        }
        // One line holds them all today; continuation lines ("*") keep it so if more come.
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String cap : offered) {
          if (line.length() + cap.length() + 1 > 380) {
            lines.add(line.toString());
            line.setLength(0);
          }
          line.append(line.isEmpty() ? "" : " ").append(cap);
        }
        lines.add(line.toString());
        for (int i = 0; i < lines.size(); i++) {
          boolean more = i < lines.size() - 1;
          p.lines.add(more && version >= 302
              ? IrcMessage.of(server, "CAP", to, "LS", "*", lines.get(i))
              : IrcMessage.of(server, "CAP", to, "LS", lines.get(i)));
        }
      }
      case "LIST" -> {
        StringBuilder enabled = new StringBuilder();
        for (Cap cap : caps) {
          enabled.append(enabled.isEmpty() ? "" : " ").append(cap.wire);
        }
        p.lines.add(IrcMessage.of(server, "CAP", to, "LIST", enabled.toString()));
      }
      case "REQ" -> {
        if (!registered) {
          capNegotiating = true;
        }
        String requested = m.param(1) == null ? "" : m.param(1).strip();
        List<Cap> add = new ArrayList<>();
        List<Cap> remove = new ArrayList<>();
        boolean ok = !requested.isEmpty();
        for (String name : requested.split(" +")) {
          if (name.isEmpty()) {
            continue;
          }
          boolean minus = name.startsWith("-");
          Cap cap = Cap.of(minus ? name.substring(1) : name);
          if (cap == null || !available().contains(cap)) {
            ok = false;
            break;
          }
          (minus ? remove : add).add(cap);
        }
        if (ok) {
          caps.addAll(add);
          remove.forEach(caps::remove);
        }
        p.lines.add(IrcMessage.of(server, "CAP", to, ok ? "ACK" : "NAK", requested));
      }
      case "END" -> {
        if (!registered) {
          capNegotiating = false;
          tryRegister(p);
        }
      }
      default -> p.lines.add(numeric(ERR_INVALIDCAPCMD, m.param(0), "Invalid CAP command"));
    }
  }

  private EnumSet<Cap> available() {
    EnumSet<Cap> offered = EnumSet.allOf(Cap.class);
    if (!hub.accountsEnabled()) {
      offered.remove(Cap.SASL);
      offered.remove(Cap.READ_MARKER);
    }
    return offered;
  }

  private void pass(Pending p, IrcMessage m) {
    if (registered || coreReady) {
      p.lines.add(numeric(ERR_ALREADYREGISTERED, "You may not reregister"));
      return;
    }
    if (needs(p, m, 1)) {
      pass = m.param(0);
    }
  }

  private void nick(Pending p, IrcMessage m) {
    if (m.params().isEmpty() || m.param(0).isEmpty()) {
      p.lines.add(numeric(ERR_NONICKNAMEGIVEN, "No nickname given"));
      return;
    }
    String requested = m.param(0);
    if (!registered) {
      wantedNick = requested;
      tryRegister(p);
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
          case Reply.Failed f -> out(failure("NICK", requested, f));
          default -> { }
        }
      }
    }, new Command.SetNick(requested));
  }

  private void user(Pending p, IrcMessage m) {
    if (registered) {
      p.lines.add(numeric(ERR_ALREADYREGISTERED, "You may not reregister"));
      return;
    }
    if (!needs(p, m, 4) || m.param(3).isEmpty()) {
      if (m.params().size() >= 4) {
        p.lines.add(numeric(ERR_NEEDMOREPARAMS, m.command(), "Not enough parameters"));
      }
      return;
    }
    username = m.param(0);
    realname = m.param(3);
    tryRegister(p);
  }

  /** Registers once NICK, USER (and PASS) are in, capability negotiation and SASL are over. */
  private void tryRegister(Pending p) {
    if (registered || closing || helloInFlight || saslInFlight || capNegotiating
        || wantedNick == null || username == null) {
      return;
    }
    String serverPassword = info.config.password();
    if (serverPassword != null && !sameSecret(serverPassword, pass)) {
      p.lines.add(IrcMessage.of(server, ERR_PASSWDMISMATCH, "*", "Password incorrect"));
      closeAfter(p, "Bad password");
      return;
    }
    if (coreReady) {
      registerDone(p);
      return;
    }
    helloInFlight = true;
    String attempted = wantedNick;
    char[] password = serverPassword == null && pass != null ? pass.toCharArray() : null;
    request(p, new Sub() {
      @Override
      void reply(Reply r) {
        helloInFlight = false;
        switch (r) {
          case Reply.Welcome w -> {
            welcomed(w.nick(), w.account(), w.admin());
            if (w.account() != null) {
              out(loggedIn(w.nick()));
            }
            registerDone(p);
          }
          case Reply.Failed f -> {
            switch (f.error()) {
              case INVALID_NICK -> out(IrcMessage.of(server, ERR_ERRONEUSNICKNAME, "*", attempted,
                  f.message()));
              case NICK_IN_USE, NICK_REGISTERED -> out(IrcMessage.of(server, ERR_NICKNAMEINUSE,
                  "*", attempted, f.message()));
              case ACCOUNTS_DISABLED -> {
                pass = null; // a PASS meant for a server without accounts: go on as a guest
                tryRegister(p);
                return;
              }
              case LOGIN_FAILED, LOGIN_THROTTLED -> {
                out(IrcMessage.of(server, ERR_PASSWDMISMATCH, "*", f.message()));
                closeAfter(p, "Bad password");
                return;
              }
              default -> {
                out(IrcMessage.of(server, "NOTICE", "*", f.message()));
                closeAfter(p, f.message());
                return;
              }
            }
            if (attempted.equals(wantedNick)) {
              wantedNick = null;
            }
            tryRegister(p);
          }
          default -> { }
        }
      }
    }, new Command.Hello(attempted, password, false));
  }

  /** This user left: its nick goes to WHOWAS, once. */
  private void gone() {
    if (registered && !gone) {
      gone = true;
      info.users.left(nick, username, realname);
    }
  }

  /** The core renamed this registered session: the old nick goes to WHOWAS. */
  private void renamed(String newNick) {
    if (registered) {
      info.users.renamed(nick, newNick, username, realname);
    }
    nick = newNick;
  }

  private void welcomed(String welcomeNick, String welcomeAccount, boolean isAdmin) {
    coreReady = true;
    coreNick = welcomeNick;
    account = welcomeAccount;
    admin = isAdmin;
  }

  /** Closes once {@code p} and everything before it is written. */
  private void closeAfter(Pending p, String reason) {
    p.closeWith = reason;
  }

  private void registerDone(Pending p) {
    registered = true;
    registration = p;
    nick = coreNick;
    if (realname != null && !realname.isBlank()) {
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
    info.users.named(nick, username);
    p.lines.addAll(serverInfo.isupport());
    p.lines.addAll(serverInfo.lusers());
    p.lines.addAll(serverInfo.motd());
    p.lines.addAll(early);
    early.clear();
    markers.joinedWithoutJoin(p, List.copyOf(channels.values())); // the account's rooms
  }

  private IrcMessage loggedIn(String who) {
    return IrcMessage.of(server, RPL_LOGGEDIN, who, IrcServerInfo.source(who), account,
        "You are now logged in as " + account);
  }

  private static boolean sameSecret(String expected, String given) {
    if (given == null) {
      return false;
    }
    return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
        given.getBytes(StandardCharsets.UTF_8));
  }

  // ---------------------------------------------------------------- SASL

  private void authenticate(Pending p, IrcMessage m) {
    if (!needs(p, m, 1)) {
      return;
    }
    String arg = m.param(0);
    if (saslInFlight) {
      p.lines.add(numeric(ERR_SASLFAIL, "SASL authentication is already in progress"));
      return;
    }
    if (arg.equals("*")) {
      saslStarted = false;
      saslData.setLength(0);
      p.lines.add(numeric(ERR_SASLABORTED, "SASL authentication aborted"));
      return;
    }
    if (!saslStarted) {
      if (!caps.contains(Cap.SASL) || !hub.accountsEnabled()) {
        p.lines.add(numeric(ERR_SASLFAIL, "SASL authentication failed: request the sasl capability first"));
        return;
      }
      if (account != null) {
        p.lines.add(numeric(ERR_SASLALREADY, "You have already authenticated using SASL"));
        return;
      }
      if (!arg.equalsIgnoreCase("PLAIN")) {
        p.lines.add(numeric(RPL_SASLMECHS, "PLAIN", "are available SASL mechanisms"));
        p.lines.add(numeric(ERR_SASLFAIL, "SASL authentication failed"));
        return;
      }
      saslStarted = true;
      saslData.setLength(0);
      p.lines.add(IrcMessage.of(null, "AUTHENTICATE", "+"));
      return;
    }
    if (!arg.equals("+")) {
      saslData.append(arg);
    }
    if (saslData.length() > MAX_SASL_BYTES) {
      saslStarted = false;
      saslData.setLength(0);
      p.lines.add(numeric(ERR_SASLTOOLONG, "SASL message too long"));
      return;
    }
    if (arg.length() == SASL_CHUNK) {
      return; // more follows
    }
    saslStarted = false;
    String[] parts;
    try {
      byte[] decoded = Base64.getDecoder().decode(saslData.toString());
      parts = new String(decoded, StandardCharsets.UTF_8).split("\0", -1);
    } catch (IllegalArgumentException e) {
      parts = new String[0];
    } finally {
      saslData.setLength(0);
    }
    if (parts.length != 3 || parts[1].isEmpty()
        || (!parts[0].isEmpty() && !Names.fold(parts[0]).equals(Names.fold(parts[1])))) {
      p.lines.add(numeric(ERR_SASLFAIL, "SASL authentication failed"));
      return;
    }
    String authcid = parts[1];
    char[] password = parts[2].toCharArray();
    saslInFlight = true;
    request(p, new Sub() {
      @Override
      void reply(Reply r) {
        saslInFlight = false;
        switch (r) {
          case Reply.Welcome w -> {
            welcomed(w.nick(), w.account(), w.admin());
            out(loggedIn(w.nick()));
            out(IrcMessage.of(server, RPL_SASLSUCCESS, w.nick(), "SASL authentication successful"));
            tryRegister(p);
          }
          case Reply.LoggedIn l -> {
            account = l.account();
            admin = l.admin();
            if (!l.nick().equals(nick)) {
              out(IrcMessage.of(IrcServerInfo.source(nick), "NICK", l.nick()));
              renamed(l.nick());
            }
            out(loggedIn(nick));
            out(numeric(RPL_SASLSUCCESS, "SASL authentication successful"));
          }
          case Reply.Failed f -> {
            out(numeric(ERR_SASLFAIL, "SASL authentication failed: " + f.message()));
            tryRegister(p);
          }
          default -> { }
        }
      }
    }, coreReady ? new Command.Login(authcid, password)
        : new Command.Hello(authcid, password, false));
  }

  private void quit(Pending p, IrcMessage m) {
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

  // ---------------------------------------------------------------- channels

  private void join(Pending p, IrcMessage m) {
    if (!needs(p, m, 1)) {
      return;
    }
    if (m.param(0).equals("0")) {
      for (String room : List.copyOf(channels.values())) {
        request(p, new PartSub(channelName(room)), new Command.Leave(room, ""));
      }
      return;
    }
    List<String> targets = list(m.param(0));
    List<String> keys = list(m.param(1));
    IrcMarkers.Lookup marks = targets.isEmpty() ? null : markers.beforeJoins(p);
    for (int i = 0; i < targets.size(); i++) {
      String target = targets.get(i);
      String room = roomOf(target);
      if (room == null) {
        p.lines.add(numeric(ERR_NOSUCHCHANNEL, target, "No such channel"));
        continue;
      }
      String key = i < keys.size() ? keys.get(i) : null;
      request(p, new JoinSub(target, room, marks), new Command.Join(room, key));
    }
  }

  private final class JoinSub extends Sub {
    final String target;
    final String key;
    final IrcMarkers.Lookup marks;
    boolean joined;
    final List<Event.RoomMessage> history = new ArrayList<>();

    JoinSub(String target, String room, IrcMarkers.Lookup marks) {
      this.target = target;
      this.key = Names.fold(room);
      this.marks = marks;
    }

    @Override
    boolean claims(Event e) {
      return switch (e) {
        case Event.Joined j -> !joined && Names.fold(j.room()).equals(key) && isMe(j.nick());
        case Event.History h -> h.message() instanceof Event.RoomMessage m
            && Names.fold(m.room()).equals(key);
        default -> false;
      };
    }

    @Override
    void claimed(Event e) {
      if (e instanceof Event.Joined j) {
        joined = true;
        channels.put(key, j.room());
        out(joinLine(j.nick(), j.account(), j.realname(), j.room()));
      } else if (e instanceof Event.History h) {
        history.add((Event.RoomMessage) h.message());
      }
    }

    @Override
    void reply(Reply r) {
      switch (r) {
        case Reply.JoinedRoom j -> {
          if (!joined) {
            return; // already a member: IRC says nothing
          }
          if (j.topic() != null) {
            out(numeric(RPL_TOPIC, channelName(j.room()), j.topic().text()));
            out(numeric(RPL_TOPICWHOTIME, channelName(j.room()), j.topic().by(),
                Long.toString(j.topic().ts() / 1000)));
          }
          if (marks != null) {
            out(marks.line(j.room())); // draft/read-marker: before 366
          }
          outAll(namesLines(j.room(), j.members(), j.ops(), j.voiced()));
          replayOnJoin(this, j.room());
        }
        case Reply.Failed f -> out(failure("JOIN", target, f));
        default -> { }
      }
    }
  }

  /**
   * The history the core sends on join goes to clients that can tell it from live messages
   * (server-time) and do not fetch it themselves (chathistory), in a chathistory batch when they
   * know batches.
   */
  private void replayOnJoin(JoinSub sub, String room) {
    if (sub.history.isEmpty() || caps.contains(Cap.CHATHISTORY)
        || !caps.contains(Cap.SERVER_TIME)) {
      return;
    }
    sub.outAll(history.batch(channelName(room), sub.history.stream()
        .map(m -> (Event) m).toList()));
  }

  /** 353 lines (as many as needed to fit) and 366. */
  private List<IrcMessage> namesLines(String room, List<String> members, List<String> ops,
      List<String> voiced) {
    Set<String> opSet = IrcWho.folded(ops);
    Set<String> voiceSet = IrcWho.folded(voiced);
    boolean multi = caps.contains(Cap.MULTI_PREFIX);
    boolean hosts = caps.contains(Cap.USERHOST_IN_NAMES);
    List<IrcMessage> lines = new ArrayList<>();
    String channel = channelName(room);
    int overhead = 1 + server.length() + 5 + nick.length() + 3 + channel.length() + 2;
    StringBuilder names = new StringBuilder();
    for (String member : members) {
      String key = Names.fold(member);
      StringBuilder entry = new StringBuilder();
      if (opSet.contains(key)) {
        entry.append('@');
      }
      if (voiceSet.contains(key) && (multi || entry.isEmpty())) {
        entry.append('+');
      }
      entry.append(hosts ? IrcServerInfo.source(member) : member);
      if (!names.isEmpty() && overhead + names.length() + 1 + entry.length()
          > IrcMessage.MAX_BODY_BYTES) {
        lines.add(numeric(RPL_NAMREPLY, "=", channel, names.toString()));
        names.setLength(0);
      }
      names.append(names.isEmpty() ? "" : " ").append(entry);
    }
    if (!names.isEmpty()) {
      lines.add(numeric(RPL_NAMREPLY, "=", channel, names.toString()));
    }
    lines.add(numeric(RPL_ENDOFNAMES, channel, "End of /NAMES list"));
    return lines;
  }

  private void part(Pending p, IrcMessage m) {
    if (!needs(p, m, 1)) {
      return;
    }
    String reason = m.param(1);
    for (String target : list(m.param(0))) {
      String room = roomOf(target);
      if (room == null) {
        p.lines.add(numeric(ERR_NOSUCHCHANNEL, target, "No such channel"));
        continue;
      }
      request(p, new PartSub(target), new Command.Leave(room, reason));
    }
  }

  private final class PartSub extends Sub {
    final String target;
    final String key;

    PartSub(String target) {
      this.target = target;
      this.key = Names.fold(roomOf(target));
    }

    @Override
    boolean claims(Event e) {
      return e instanceof Event.Left l && Names.fold(l.room()).equals(key) && isMe(l.nick());
    }

    @Override
    void claimed(Event e) {
      Event.Left l = (Event.Left) e;
      channels.remove(key);
      out(withReason(IrcServerInfo.source(l.nick()), "PART", l.reason(), channelName(l.room())));
    }

    @Override
    void reply(Reply r) {
      if (r instanceof Reply.Failed f) {
        out(f.error() == CoreError.NOT_IN_ROOM || f.error() == CoreError.INVALID_ROOM
            ? numeric(ERR_NOTONCHANNEL, target, "You're not on that channel")
            : failure("PART", target, f));
      }
    }
  }

  private void names(Pending p, IrcMessage m) {
    if (m.params().isEmpty()) {
      p.lines.add(numeric(RPL_ENDOFNAMES, "*", "End of /NAMES list"));
      return;
    }
    String target = list(m.param(0)).stream().findFirst().orElse("*");
    String room = roomOf(target);
    if (room == null) {
      p.lines.add(numeric(RPL_ENDOFNAMES, target, "End of /NAMES list"));
      return;
    }
    request(p, new Sub() {
      @Override
      void reply(Reply r) {
        if (r instanceof Reply.Members members) {
          outAll(namesLines(members.room(), members.members(), members.ops(), members.voiced()));
        } else {
          out(numeric(RPL_ENDOFNAMES, target, "End of /NAMES list"));
        }
      }
    }, new Command.Who(room));
  }

  private void topic(Pending p, IrcMessage m) {
    if (!needs(p, m, 1)) {
      return;
    }
    String target = m.param(0);
    String room = roomOf(target);
    if (room == null) {
      p.lines.add(numeric(ERR_NOSUCHCHANNEL, target, "No such channel"));
      return;
    }
    boolean query = m.params().size() < 2;
    String key = Names.fold(room);
    request(p, new Sub() {
      @Override
      boolean claims(Event e) {
        return !query && e instanceof Event.TopicChanged t && Names.fold(t.room()).equals(key)
            && isMe(t.by());
      }

      @Override
      void claimed(Event e) {
        Event.TopicChanged t = (Event.TopicChanged) e;
        out(IrcMessage.of(IrcServerInfo.source(t.by()), "TOPIC", channelName(t.room()),
            t.topic()));
      }

      @Override
      void reply(Reply r) {
        switch (r) {
          case Reply.RoomTopic t when query -> {
            if (t.topic() == null) {
              out(numeric(RPL_NOTOPIC, channelName(t.room()), "No topic is set"));
            } else {
              out(numeric(RPL_TOPIC, channelName(t.room()), t.topic().text()));
              out(numeric(RPL_TOPICWHOTIME, channelName(t.room()), t.topic().by(),
                  Long.toString(t.topic().ts() / 1000)));
            }
          }
          case Reply.Failed f -> out(failure("TOPIC", target, f));
          default -> { }
        }
      }
    }, new Command.SetTopic(room, query ? null : m.param(1)));
  }

  /**
   * {@code LIST [#a,#b | filters]}: the rooms, or those named, or those passing every ELIST
   * filter ({@code >n} and {@code <n} members, a {@code *?} mask, {@code !mask} to exclude).
   */
  private void list(Pending p, IrcMessage m) {
    Set<String> only = new java.util.HashSet<>();
    List<java.util.function.Predicate<Reply.RoomInfo>> filters = new ArrayList<>();
    for (String target : list(m.param(0))) {
      if (roomOf(target) != null && target.indexOf('*') < 0 && target.indexOf('?') < 0) {
        only.add(Names.fold(roomOf(target)));
      } else if (target.length() > 1 && (target.charAt(0) == '>' || target.charAt(0) == '<')) {
        try {
          int n = Integer.parseInt(target.substring(1));
          filters.add(target.charAt(0) == '>' ? r -> r.members() > n : r -> r.members() < n);
        } catch (NumberFormatException e) {
          p.lines.add(numeric(ERR_UNKNOWNCOMMAND, "LIST", "Bad filter " + target));
          return;
        }
      } else if (target.startsWith("!")) {
        String mask = Names.fold(target.substring(1));
        filters.add(r -> !chat.core.Names.globMatches(mask, Names.fold("#" + r.room())));
      } else {
        String mask = Names.fold(target);
        filters.add(r -> chat.core.Names.globMatches(mask, Names.fold("#" + r.room())));
      }
    }
    request(p, new Sub() {
      @Override
      void reply(Reply r) {
        out(numeric(RPL_LISTSTART, "Channel", "Users  Name"));
        if (r instanceof Reply.RoomList rooms) {
          for (Reply.RoomInfo room : rooms.rooms()) {
            if ((only.isEmpty() || only.contains(Names.fold(room.room())))
                && filters.stream().allMatch(f -> f.test(room))) {
              out(numeric(RPL_LIST, channelName(room.room()), Integer.toString(room.members()),
                  room.topic() == null ? "" : room.topic()));
            }
          }
        }
        out(numeric(RPL_LISTEND, "End of /LIST"));
      }
    }, new Command.ListRooms());
  }


  // ---------------------------------------------------------------- users

  private void away(Pending p, IrcMessage m) {
    String message = m.param(0);
    request(p, new Sub() {
      @Override
      void reply(Reply r) {
        if (r instanceof Reply.AwaySet a) {
          out(a.message() == null
              ? numeric(RPL_UNAWAY, "You are no longer marked as being away")
              : numeric(RPL_NOWAWAY, "You have been marked as being away"));
        } else if (r instanceof Reply.Failed f) {
          out(failure("AWAY", null, f));
        }
      }
    }, new Command.SetAway(message));
  }

  private void setname(Pending p, IrcMessage m) {
    if (!needs(p, m, 1)) {
      return;
    }
    request(p, new Sub() {
      @Override
      void reply(Reply r) {
        if (r instanceof Reply.RealnameSet s) {
          realname = s.realname();
          if (caps.contains(Cap.SETNAME)) {
            out(IrcMessage.of(IrcServerInfo.source(nick), "SETNAME",
                s.realname() == null ? nick : s.realname()));
          }
        } else if (r instanceof Reply.Failed f) {
          out(failure("SETNAME", null, f));
        }
      }
    }, new Command.SetRealname(m.param(0)));
  }

  /**
   * {@code OPER name password}: operator status by an administrator account's credentials; the
   * nick and the account (if any) stay as they are.
   */
  private void oper(Pending p, IrcMessage m) {
    if (!needs(p, m, 2)) {
      return;
    }
    request(p, new Sub() {
      @Override
      void reply(Reply r) {
        switch (r) {
          case Reply.Operator o -> {
            admin = true;
            out(numeric(RPL_YOUREOPER, "You are now an IRC operator"));
            out(IrcMessage.of(IrcServerInfo.source(nick), "MODE", nick, "+o"));
          }
          case Reply.Failed f -> out(switch (f.error()) {
            case ACCOUNTS_DISABLED -> numeric(ERR_NOOPERHOST, "No operators on this server: "
                + f.message());
            case NOT_ADMIN -> numeric(ERR_NOOPERHOST, "Only server administrators may be "
                + "operators");
            default -> numeric(ERR_PASSWDMISMATCH, "Password incorrect");
          });
          default -> { }
        }
      }
    }, new Command.Oper(m.param(0), m.param(1).toCharArray()));
  }

  /** Room administration through the ChanServ of services: its answers are its notices. */
  private void chanServ(Pending p, List<String> words) {
    Command command = ChanServ.parse(words);
    if (command == null) {
      p.lines.add(IrcMessage.of(ChanServ.NICK + "!" + ChanServ.NICK + "@" + server, "NOTICE",
          nick, ChanServ.USAGE));
      return;
    }
    request(p, new Sub() {
      @Override
      void reply(Reply r) {
        for (String line : ChanServ.render(r)) {
          out(IrcMessage.of(ChanServ.NICK + "!" + ChanServ.NICK + "@" + server, "NOTICE", nick,
              line));
        }
      }
    }, command);
  }

  private void kill(Pending p, IrcMessage m) {
    if (!needs(p, m, 1)) {
      return;
    }
    request(p, new Quiet("KILL", m.param(0)), new Command.Kill(m.param(0), m.param(1)));
  }

  // ---------------------------------------------------------------- messages

  private void message(Pending p, IrcMessage m) {
    boolean notice = m.command().equals("NOTICE");
    if (m.params().isEmpty() || m.param(0).isEmpty()) {
      if (!notice) {
        p.lines.add(numeric(ERR_NORECIPIENT, "No recipient given (" + m.command() + ")"));
      }
      return;
    }
    if (!notice && m.param(0).equalsIgnoreCase(ChanServ.NICK) && m.param(1) != null) {
      chanServ(p, List.of(m.param(1).strip().split("\\s+")));
      return;
    }
    String text = m.param(1);
    if (text == null || text.isEmpty()) {
      if (!notice) {
        p.lines.add(numeric(ERR_NOTEXTTOSEND, "No text to send"));
      }
      return;
    }
    MessageKind kind = notice ? MessageKind.NOTICE : MessageKind.TEXT;
    String action = Text.ctcpAction(text);
    if (action != null) {
      kind = MessageKind.ACTION;
      text = action.isEmpty() ? " " : action;
    } else if (Text.isCtcp(text)) {
      return; // CTCP other than ACTION (VERSION, PING, DCC...) is not carried between doors
    }
    for (String target : list(m.param(0))) {
      String room = roomOf(target);
      String status = (target.startsWith("@#") || target.startsWith("+#"))
          ? roomOf(target.substring(1)) : null;
      if (status != null) {
        request(p, new MessageSub(target, notice), new Command.SayToOps(status,
            target.charAt(0) == '+', kind, text));
      } else if (room != null) {
        request(p, new MessageSub(target, notice), new Command.SayToRoom(room, kind, text));
      } else if (target.startsWith("#") || target.startsWith("$")) {
        if (!notice) {
          p.lines.add(numeric(ERR_NOSUCHCHANNEL, target, "No such channel"));
        }
      } else {
        request(p, new MessageSub(target, notice), new Command.SayToNick(target, kind, text));
        if (!notice) {
          request(p, new Sub() {
            @Override
            void reply(Reply r) {
              if (r instanceof Reply.Users users && !users.users().isEmpty()
                  && users.users().get(0).away() != null) {
                Reply.UserInfo u = users.users().get(0);
                out(numeric(RPL_AWAY, u.nick(), u.away()));
              }
            }
          }, new Command.Lookup(List.of(target)));
        }
      }
    }
  }

  private final class MessageSub extends Sub {
    final String target;
    final boolean notice;

    MessageSub(String target, boolean notice) {
      this.target = target;
      this.notice = notice;
    }

    @Override
    void event(Event e) {
      if (e instanceof Event.PrivateMessage m && isMe(m.to())) {
        live(m); // to oneself: the core's one copy is the delivery too, echo-message or not
      }
      if (!caps.contains(Cap.ECHO_MESSAGE)) {
        return;
      }
      switch (e) {
        case Event.RoomMessage m -> outAll(messageLines.render(m, Map.of()));
        case Event.PrivateMessage m -> outAll(messageLines.render(m, Map.of()));
        case Event.StatusMessage m -> outAll(messageLines.render(m));
        default -> { }
      }
    }

    @Override
    void reply(Reply r) {
      if (notice || !(r instanceof Reply.Failed f)) {
        return; // no automatic replies to a NOTICE, not even errors
      }
      boolean channel = target.startsWith("#") || target.startsWith("@#")
          || target.startsWith("+#");
      out(switch (f.error()) {
        case NOT_IN_ROOM, MUTED, MODERATED, MESSAGE_TOO_LONG, STORE_FAILED, STORE_UNKNOWN,
            INVALID_ROOM ->
            channel ? numeric(ERR_CANNOTSENDTOCHAN, target, "Cannot send to channel: "
                + f.message()) : failure("PRIVMSG", target, f);
        case NO_SUCH_NICK -> numeric(ERR_NOSUCHNICK, target, "No such nick/channel");
        default -> failure("PRIVMSG", target, f);
      });
    }
  }

  // ---------------------------------------------------------------- moderation

  private void mode(Pending p, IrcMessage m) {
    if (!needs(p, m, 1)) {
      return;
    }
    String target = m.param(0);
    String room = roomOf(target);
    if (room == null) {
      userMode(p, m);
      return;
    }
    if (m.params().size() == 1) {
      request(p, new ModeListSub(target, (char) 0), new Command.Mode(room, List.of(), null));
      return;
    }
    boolean add = true;
    int next = 2;
    List<ModeChange> changes = new ArrayList<>();
    List<Character> queries = new ArrayList<>();
    String letters = m.param(1);
    for (int i = 0; i < letters.length(); i++) {
      char c = letters.charAt(i);
      if (c == '+' || c == '-') {
        add = c == '+';
        continue;
      }
      RoomMode mode = RoomMode.of(c);
      if (mode == null) {
        p.lines.add(numeric(ERR_UNKNOWNMODE, String.valueOf(c), "is unknown mode char to me"));
        continue;
      }
      String arg = null;
      boolean takes = switch (mode) {
        case BAN, MUTE, INVITE, OP, VOICE -> true;
        case KEY -> true; // IRC clients send the key with -k too
        case LIMIT -> add;
        default -> false;
      };
      if (takes && next < m.params().size()) {
        arg = m.param(next++);
      }
      if (mode.isList()) {
        if (arg == null) {
          if (!queries.contains(c)) {
            queries.add(c);
          }
          continue;
        }
        String core = Masks.toCore(arg);
        if (core == null) {
          p.lines.add(numeric(ERR_INVALIDMODEPARAM, target, String.valueOf(c), arg,
              "Masks name a nick (nick, nick!*@*), or an account ($a:name, account:name)"));
          continue;
        }
        changes.add(new ModeChange(add, mode, core));
      } else if (takes && arg == null && (mode != RoomMode.KEY || add)) {
        p.lines.add(numeric(ERR_NEEDMOREPARAMS, "MODE", "Not enough parameters"));
      } else {
        changes.add(new ModeChange(add, mode, mode == RoomMode.KEY && !add ? null : arg));
      }
    }
    if (!changes.isEmpty()) {
      request(p, new ModeSub(target, room, changes), new Command.Mode(room, changes, null));
    }
    for (char c : queries) {
      request(p, new ModeListSub(target, c), new Command.Mode(room, List.of(), null));
    }
  }

  private final class ModeSub extends Sub {
    final String target;
    final String key;
    final List<ModeChange> changes;

    ModeSub(String target, String room, List<ModeChange> changes) {
      this.target = target;
      this.key = Names.fold(room);
      this.changes = changes;
    }

    @Override
    boolean claims(Event e) {
      return switch (e) {
        case Event.ModeChanged m -> Names.fold(m.room()).equals(key) && isMe(m.by());
        case Event.Kicked k -> Names.fold(k.room()).equals(key) && isMe(k.by());
        default -> false;
      };
    }

    @Override
    void claimed(Event e) {
      switch (e) {
        case Event.ModeChanged m -> outAll(modeLines(m));
        case Event.Kicked k -> out(kickLine(k));
        default -> { }
      }
    }

    @Override
    void reply(Reply r) {
      if (!(r instanceof Reply.Failed f)) {
        return;
      }
      ModeChange first = changes.get(0);
      out(switch (f.error()) {
        case INVALID_MODE -> numeric(ERR_INVALIDMODEPARAM, target,
            String.valueOf(first.mode().letter()), first.arg() == null ? "*" : first.arg(),
            f.message());
        case NO_SUCH_NICK -> numeric(ERR_USERNOTINCHANNEL, nickArg(), target, f.message());
        default -> failure("MODE", target, f);
      });
    }

    private String nickArg() {
      for (ModeChange change : changes) {
        if (change.mode() == RoomMode.OP || change.mode() == RoomMode.VOICE) {
          return change.arg();
        }
      }
      return "*";
    }
  }

  /** The channel's modes (letter 0) or one of its lists (b, q, I). */
  private final class ModeListSub extends Sub {
    final String target;
    final char letter;

    ModeListSub(String target, char letter) {
      this.target = target;
      this.letter = letter;
    }

    @Override
    void reply(Reply r) {
      switch (r) {
        case Reply.RoomModeList l -> {
          String channel = channelName(l.room());
          switch (letter) {
            case 'b' -> {
              l.bans().forEach(b -> out(numeric(RPL_BANLIST, channel, Masks.toIrc(b))));
              out(numeric(RPL_ENDOFBANLIST, channel, "End of channel ban list"));
            }
            case 'q' -> {
              l.mutes().forEach(q -> out(numeric(RPL_QUIETLIST, channel, "q", Masks.toIrc(q))));
              out(numeric(RPL_ENDOFQUIETLIST, channel, "q", "End of channel quiet list"));
            }
            case 'I' -> {
              l.invites().forEach(i -> out(numeric(RPL_INVITELIST, channel, Masks.toIrc(i))));
              out(numeric(RPL_ENDOFINVITELIST, channel, "End of channel invite list"));
            }
            default -> {
              RoomModes modes = l.modes();
              List<String> params = new ArrayList<>();
              params.add(channel);
              params.add(modes.flags());
              if (modes.key() != null) {
                params.add(modes.key());
              }
              if (modes.limit() > 0) {
                params.add(Integer.toString(modes.limit()));
              }
              out(numeric(RPL_CHANNELMODEIS, params.toArray(String[]::new)));
            }
          }
        }
        case Reply.Failed f -> out(failure("MODE", target, f));
        default -> { }
      }
    }
  }

  private void userMode(Pending p, IrcMessage m) {
    String target = m.param(0);
    if (!isMe(target)) {
      p.lines.add(numeric(m.params().size() == 1 ? ERR_NOSUCHNICK : ERR_USERSDONTMATCH,
          m.params().size() == 1 ? target : "Can't change mode for other users"));
      return;
    }
    if (m.params().size() == 1) {
      p.lines.add(numeric(RPL_UMODEIS, userModes()));
      return;
    }
    boolean add = true;
    StringBuilder applied = new StringBuilder();
    Boolean sign = null;
    for (char c : m.param(1).toCharArray()) {
      switch (c) {
        case '+', '-' -> add = c == '+';
        case 'i' -> {
          if (invisible != add) {
            invisible = add;
            if (sign == null || sign != add) {
              applied.append(add ? '+' : '-');
              sign = add;
            }
            applied.append('i');
          }
        }
        case 'w', 'B' -> {
          boolean now = c == 'w' ? wallops : bot;
          if (now != add) {
            if (c == 'w') {
              wallops = add;
            } else {
              bot = add;
            }
            if (sign == null || sign != add) {
              applied.append(add ? '+' : '-');
              sign = add;
            }
            applied.append(c);
          }
        }
        case 'o' -> { } // operator status comes from OPER (an admin account), not MODE
        default -> p.lines.add(numeric(ERR_UMODEUNKNOWNFLAG, "Unknown MODE flag"));
      }
    }
    info.users.modes(nick, (invisible ? "i" : "") + (bot ? "B" : "") + (wallops ? "w" : ""));
    if (!applied.isEmpty()) {
      p.lines.add(IrcMessage.of(IrcServerInfo.source(nick), "MODE", nick, applied.toString()));
    }
  }

  private String userModes() {
    return "+" + (bot ? "B" : "") + (invisible ? "i" : "") + (admin ? "o" : "")
        + (wallops ? "w" : "");
  }

  private void kick(Pending p, IrcMessage m) {
    if (!needs(p, m, 2)) {
      return;
    }
    String target = m.param(0);
    String room = roomOf(target);
    if (room == null) {
      p.lines.add(numeric(ERR_NOSUCHCHANNEL, target, "No such channel"));
      return;
    }
    String key = Names.fold(room);
    for (String victim : list(m.param(1))) {
      request(p, new Sub() {
        @Override
        boolean claims(Event e) {
          return e instanceof Event.Kicked k && Names.fold(k.room()).equals(key) && isMe(k.by())
              && Names.fold(k.nick()).equals(Names.fold(victim));
        }

        @Override
        void claimed(Event e) {
          out(kickLine((Event.Kicked) e));
        }

        @Override
        void reply(Reply r) {
          if (r instanceof Reply.Failed f) {
            out(f.error() == CoreError.NO_SUCH_NICK
                ? numeric(ERR_USERNOTINCHANNEL, victim, target, "They aren't on that channel")
                : failure("KICK", target, f));
          }
        }
      }, new Command.Kick(room, victim, m.param(2)));
    }
  }

  private void invite(Pending p, IrcMessage m) {
    if (!needs(p, m, 2)) {
      return;
    }
    String invitee = m.param(0);
    String target = m.param(1);
    String room = roomOf(target);
    if (room == null) {
      p.lines.add(numeric(ERR_NOSUCHCHANNEL, target, "No such channel"));
      return;
    }
    String key = Names.fold(room);
    // Only someone online can be invited (401), and not into a room they are in (443).
    request(p, new Sub() {
      @Override
      void reply(Reply r) {
        if (!(r instanceof Reply.Users users) || users.users().isEmpty()) {
          out(numeric(ERR_NOSUCHNICK, invitee, "No such nick/channel"));
        } else if (users.users().get(0).rooms().stream().anyMatch(
            joined -> Names.fold(joined).equals(key))) {
          out(numeric(ERR_USERONCHANNEL, invitee, target, "is already on channel"));
        } else {
          invitation(p, invitee, target, room);
        }
      }
    }, new Command.Lookup(List.of(invitee)));
  }

  private void invitation(Pending p, String invitee, String target, String room) {
    String key = Names.fold(room);
    request(p, new Sub() {
      @Override
      boolean claims(Event e) {
        return e instanceof Event.ModeChanged mc && Names.fold(mc.room()).equals(key)
            && isMe(mc.by());
      }

      @Override
      void claimed(Event e) {
        // The +I change is how the core records an invitation; IRC shows it as 341 alone.
      }

      @Override
      void reply(Reply r) {
        switch (r) {
          case Reply.ModesChanged c -> out(numeric(RPL_INVITING, invitee, channelName(c.room())));
          case Reply.Failed f -> out(failure("INVITE", f.error() == CoreError.NO_SUCH_NICK
              ? invitee : target, f));
          default -> { }
        }
      }
    }, new Command.Mode(room, List.of(ModeChange.set(RoomMode.INVITE, invitee)), INVITATION));
  }
}
