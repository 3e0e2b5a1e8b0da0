package chat.server;

import chat.core.EventSink;
import chat.core.Hub;
import chat.core.Session;
import chat.server.tls.PlaintextOrTls;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every door's connection does with its channel, whatever it speaks: opening the core's
 * session under the peer's address, the hello (registration) deadline, flood pushback (reading
 * off for a while), the keepalive ping and its timeout, a fatal error held until the peer's
 * TLS-or-plaintext choice is made (written earlier, it would reach a TLS client as garbage), and
 * why the connection ended. The native door ({@link NativeSession}) and the IRC door each hold
 * one and say only how their own protocol writes a ping or an error.
 *
 * <p>Event loop only, except {@link #pause}, {@link #sendOrHold} and {@link #closeReason}, which
 * may be called from any thread.
 */
public final class DoorChannel {

  private static final Logger log = LoggerFactory.getLogger(DoorChannel.class);

  /** What to do when the connection has been idle for the ping interval. */
  public enum Idle {
    /** Nothing: reading is off by our own pushback, silence is no sign of a dead peer. */
    IGNORE,
    /** Send a ping. */
    PING,
    /** The last ping went unanswered: end the connection. */
    TIMEOUT
  }

  private final Hub hub;
  private final Channel channel;
  /** Called when the pushback starts or ends: the door decides whether to read. */
  private final Runnable readingChanged;
  private ScheduledFuture<?> helloTimer;
  private boolean pingOutstanding;
  private boolean paused;
  private long pausedUntil;
  private Runnable deferredFatal;
  /** Set from any thread (the hub closes sessions from its own). */
  private volatile String closeReason;

  /**
   * @param readingChanged run (on the event loop) when {@link #paused()} changes, for a door
   *     with reasons of its own not to read; null: read whenever not paused
   */
  public DoorChannel(Hub hub, Channel channel, Runnable readingChanged) {
    this.hub = hub;
    this.channel = channel;
    this.readingChanged = readingChanged != null ? readingChanged : this::readWhenNotPaused;
  }

  /**
   * Opens the core's session for {@code sink} and starts the hello deadline: the session ends
   * if {@code registering} still holds after the core's hello timeout.
   */
  public Session open(EventSink sink, BooleanSupplier registering) {
    Session session = hub.open(sink, remoteHost(channel));
    if (!session.isClosed()) {
      helloTimer = channel.eventLoop().schedule(() -> {
        if (registering.getAsBoolean()) {
          hub.helloDeadline(session);
        }
      }, hub.limits().connections().helloTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }
    return session;
  }

  /** The session said hello (registered): the deadline is off. */
  public void helloDone() {
    if (helloTimer != null) {
      helloTimer.cancel(false);
      helloTimer = null;
    }
  }

  /** The channel closed. */
  public void closed() {
    if (helloTimer != null) {
      helloTimer.cancel(false);
    }
  }

  // ---------------------------------------------------------------- keepalive

  /** The peer sent something: it is alive. */
  public void heard() {
    pingOutstanding = false;
  }

  /** The idle timer fired: what to do. After {@link Idle#PING} a ping is outstanding. */
  public Idle idle() {
    if (paused) {
      return Idle.IGNORE;
    }
    if (pingOutstanding) {
      return Idle.TIMEOUT;
    }
    pingOutstanding = true;
    return Idle.PING;
  }

  // ---------------------------------------------------------------- flood pushback

  /** Stops reading for {@code millis} (longer if already paused for longer). Any thread. */
  public void pause(long millis) {
    if (!channel.eventLoop().inEventLoop()) {
      channel.eventLoop().execute(() -> pause(millis));
      return;
    }
    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    if (paused) {
      pausedUntil = Math.max(pausedUntil, until); // the scheduled resume looks again
      return;
    }
    paused = true;
    pausedUntil = until;
    readingChanged.run();
    channel.eventLoop().schedule(this::resume, millis, TimeUnit.MILLISECONDS);
  }

  private void resume() {
    long left = pausedUntil - System.nanoTime();
    if (left > 0) {
      channel.eventLoop().schedule(this::resume, left, TimeUnit.NANOSECONDS);
      return;
    }
    paused = false;
    pingOutstanding = false; // we did not read its answer meanwhile
    readingChanged.run();
  }

  public boolean paused() {
    return paused;
  }

  private void readWhenNotPaused() {
    if (channel.isActive() && channel.config().isAutoRead() == paused) {
      channel.config().setAutoRead(!paused); // frames held meanwhile are handed on first
    }
  }

  // ---------------------------------------------------------------- fatal errors and TLS

  /**
   * Whether the peer's first bytes are still awaited to choose TLS or plaintext, or its TLS
   * handshake is not done: nothing written now could be read by it.
   */
  public boolean awaitingTls() {
    if (channel.pipeline().get(PlaintextOrTls.class) != null) {
      return true;
    }
    SslHandler tls = channel.pipeline().get(SslHandler.class);
    return tls != null && !tls.handshakeFuture().isDone();
  }

  /**
   * Writes a fatal error with {@code send} now, or, while {@link #awaitingTls()}, once the peer's
   * choice is made ({@link #decided()}); a peer that never makes it is closed after the hello
   * timeout. Returns whether it was held.
   */
  public boolean sendOrHold(Runnable send) {
    if (channel.eventLoop().inEventLoop() && awaitingTls()) {
      deferredFatal = send;
      channel.eventLoop().schedule(() -> {
        channel.close();
      }, hub.limits().connections().helloTimeout().toMillis(), TimeUnit.MILLISECONDS);
      return true;
    }
    send.run();
    return false;
  }

  /**
   * The peer's first bytes arrived or its TLS handshake completed: a held fatal error goes out.
   * Returns whether there was one (the connection is ending: ignore what was read).
   */
  public boolean decided() {
    Runnable send = deferredFatal;
    if (send == null) {
      return false;
    }
    deferredFatal = null;
    send.run();
    return true;
  }

  public boolean holdingFatal() {
    return deferredFatal != null;
  }

  // ---------------------------------------------------------------- why it ended

  /** Why the connection ended, when the door knows better than "connection closed"; or null. */
  public String closeReason() {
    return closeReason;
  }

  public void closeReason(String reason) {
    closeReason = reason;
  }

  /** {@link #closeReason()}, or {@code fallback}. */
  public String closeReasonOr(String fallback) {
    return closeReason != null ? closeReason : fallback;
  }

  /** An exception reached the door: the connection ends, saying which kind it was. */
  public void failed(Throwable cause) {
    if (cause instanceof SocketException || cause instanceof IOException) {
      closeReason = "connection reset";
      log.debug("{}: {}", channel.remoteAddress(), cause.toString());
    } else {
      closeReason = "server error";
      log.warn("closing {} after an unexpected error", channel.remoteAddress(), cause);
    }
    channel.close();
  }

  /** The peer's address without the port: the key for per-address limits. */
  public static String remoteHost(Channel channel) {
    if (channel.remoteAddress() instanceof InetSocketAddress address
        && address.getAddress() != null) {
      return address.getAddress().getHostAddress();
    }
    return String.valueOf(channel.remoteAddress());
  }
}
