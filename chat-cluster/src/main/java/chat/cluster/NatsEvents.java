package chat.cluster;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Consumer;
import io.nats.client.ErrorListener;
import io.nats.client.Message;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the NATS connection says about itself, turned into what the server needs: "entries may
 * have been lost" (after the subscription is back from a reconnect; when the client dropped
 * entries for a slow consumer) for {@link NatsBus#onLoss}, and log lines that do not flood the
 * log while NATS is away (a failed reconnect every half second).
 */
final class NatsEvents implements ConnectionListener, ErrorListener {

  private static final Logger log = LoggerFactory.getLogger(NatsBus.class);
  /** At most one line per kind in this time while something keeps failing. */
  static final long LOG_EVERY_MILLIS = 10_000;

  private final java.util.List<Runnable> lossHandlers =
      new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile boolean away;
  private final AtomicLong lastException = new AtomicLong();
  private final AtomicLong lastPublishFailure = new AtomicLong();
  private final AtomicLong lastDiscard = new AtomicLong();

  /** Adds a handler: the rooms' catch-up, and the users' resync. */
  void onLoss(Runnable handler) {
    lossHandlers.add(handler);
  }

  private void lost(String why) {
    for (Runnable handler : lossHandlers) {
      try {
        handler.run();
      } catch (RuntimeException e) {
        log.warn("a loss handler failed after {}", why, e);
      }
    }
  }

  @Override
  public void connectionEvent(Connection conn, Events type) {
    switch (type) {
      case DISCONNECTED -> {
        if (!away) { // jnats says so again after every failed attempt
          away = true;
          log.warn("NATS disconnected; reconnecting every half second");
        }
      }
      case RECONNECTED -> {
        away = false;
        log.info("NATS reconnected to {}", conn.getConnectedUrl());
      }
      case RESUBSCRIBED -> lost("a reconnect"); // subscriptions are back: what did we miss?
      case CLOSED -> log.info("NATS connection closed");
      default -> log.debug("NATS {}", type);
    }
  }

  @Override
  public void errorOccurred(Connection conn, String error) {
    log.warn("NATS error: {}", error);
  }

  @Override
  public void exceptionOccurred(Connection conn, Exception exp) {
    if (due(lastException)) {
      log.warn("NATS: {}", exp.toString());
    }
  }

  @Override
  public void slowConsumerDetected(Connection conn, Consumer consumer) {
    log.warn("NATS: entries dropped for a slow consumer; reading them from the store");
    lost("a slow consumer");
  }

  @Override
  public void messageDiscarded(Connection conn, Message msg) {
    if (due(lastDiscard)) {
      log.warn("NATS discarded entries (the client's pending limits)");
    }
    lost("a discarded entry");
  }

  void publishFailed(RuntimeException e) {
    if (due(lastPublishFailure)) {
      log.warn("could not publish a room entry (the others read it from the store): {}",
          e.toString());
    }
  }

  private static boolean due(AtomicLong last) {
    long now = System.currentTimeMillis();
    long before = last.get();
    return now - before >= LOG_EVERY_MILLIS && last.compareAndSet(before, now);
  }
}
