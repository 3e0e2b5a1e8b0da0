package chat.core;

import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request-rate rule ({@link FloodLimits}): one token bucket per session and one per account;
 * the hub asks before it handles each request and applies the verdict. Sessions of one
 * connection call in order from one thread; accounts are shared, so their buckets are locked.
 */
final class FloodControl {

  private static final Logger log = LoggerFactory.getLogger(FloodControl.class);
  /** Past this many account buckets, idle (full) ones are forgotten. */
  private static final int MAX_ACCOUNTS = 10_000;

  enum Outcome { PASS, PAUSE, REFUSE, KICK }

  /**
   * @param waitMillis for PAUSE and REFUSE: how long the door should stop reading
   * @param notice for the first pushback of an episode: the "slow down" text, else null
   * @param message for REFUSE and KICK: why
   */
  record Verdict(Outcome outcome, long waitMillis, String notice, String message) {}

  static final Verdict PASS = new Verdict(Outcome.PASS, 0, null, null);

  private static final class Meter {
    final TokenBucket bucket;
    final LogLimiter logLimiter;
    /** Start of the current run of pushbacks, or -1. */
    long episodeStart = -1;
    long lastPushback;

    Meter(TokenBucket bucket, LogLimiter logLimiter) {
      this.bucket = bucket;
      this.logLimiter = logLimiter;
    }
  }

  private final FloodLimits limits;
  private final Clock clock;
  /** Pushbacks closer together than this belong to one episode: the time to refill a burst. */
  private final long episodeGapMillis;
  private final ConcurrentMap<Session, Meter> meters = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, TokenBucket> accounts = new ConcurrentHashMap<>();

  /**
   * On how many servers an account is connected, this one included (1 alone): its bucket here
   * is charged that many times over, so its connections on all servers together keep to its
   * rate (docs/ARCHITECTURE.md, "Several servers").
   */
  private volatile java.util.function.ToIntFunction<String> servers = account -> 1;

  FloodControl(FloodLimits limits, Clock clock) {
    this.limits = limits;
    this.clock = clock;
    this.episodeGapMillis = (long) Math.ceil(limits.burst() / limits.perSecond() * 1000);
  }

  void servers(java.util.function.ToIntFunction<String> count) {
    servers = count;
  }

  /** What {@code command} costs. */
  int cost(Command command) {
    return switch (command) {
      case Command.Hello h -> h.password() != null ? limits.authCost() : 1;
      case Command.Login c -> limits.authCost();
      case Command.Register c -> limits.authCost();
      case Command.ChangePassword c -> limits.authCost();
      case Command.Join c -> limits.heavyCost();
      case Command.SetNick c -> limits.heavyCost();
      case Command.RoomHistory c -> limits.heavyCost();
      case Command.PrivateHistory c -> limits.heavyCost();
      case Command.ReadHistory c -> limits.heavyCost();
      case Command.HistoryAround c -> limits.heavyCost();
      case Command.HistoryTargets c -> limits.heavyCost();
      case Command.Who c -> limits.heavyCost();
      case Command.ListRooms c -> limits.heavyCost();
      case Command.Quit c -> 0;
      // A file's chunks are bounded by the file limits and the window, not by the chat rate.
      case Command.Chunk c -> 0;
      case Command.Download c -> 0;
      case Command.Upload c -> limits.heavyCost();
      default -> 1;
    };
  }

  Verdict admit(Session session, int cost) {
    if (!limits.enabled() || cost <= 0) {
      return PASS;
    }
    long now = clock.millis();
    Meter meter = meters.computeIfAbsent(session, s -> new Meter(
        new TokenBucket(limits.burst(), limits.perSecond(), now), new LogLimiter(clock)));
    TokenBucket account = accountBucket(session.account(), now);
    synchronized (meter) {
      if (account == null) {
        return judge(session, meter, null, cost, 0, now);
      }
      int accountCost = cost * Math.max(1, servers.applyAsInt(session.account()));
      synchronized (account) {
        return judge(session, meter, account, cost, accountCost, now);
      }
    }
  }

  private Verdict judge(Session session, Meter meter, TokenBucket account, int cost,
      int accountCost, long now) {
    TokenBucket own = meter.bucket;
    if (own.level(now) >= cost && (account == null || account.level(now) >= accountCost)) {
      own.tryTake(cost, now);
      if (account != null) {
        account.tryTake(accountCost, now);
      }
      return PASS;
    }
    // Over the allowance: push back.
    boolean newEpisode = meter.episodeStart < 0 || now - meter.lastPushback > episodeGapMillis;
    if (newEpisode) {
      meter.episodeStart = now;
    }
    meter.lastPushback = now;
    if (now - meter.episodeStart >= limits.disconnectAfter().toMillis()) {
      String message = "excess flood: more than " + rate() + " for "
          + Durations.text(limits.disconnectAfter());
      log.info("disconnecting {}: {}", session, message);
      return new Verdict(Outcome.KICK, 0, null, message);
    }
    double ownDebt = limits.burst();
    double accountDebt = limits.accountBurst();
    boolean fits = own.level(now) - cost >= -ownDebt
        && (account == null || account.level(now) - accountCost >= -accountDebt);
    if (fits) {
      own.takeWithDebt(cost, ownDebt, now);
      if (account != null) {
        account.takeWithDebt(accountCost, accountDebt, now);
      }
    }
    long wait = Math.max(own.millisUntil(1, now), account == null ? 0 : account.millisUntil(1, now));
    wait = Math.max(wait, 1);
    String notice = null;
    if (newEpisode) {
      notice = "slow down: you are sending more than " + rate()
          + "; the server reads from you again in " + wait + " ms";
      long held = meter.logLimiter.permit();
      if (held >= 0) {
        log.info("{} is flooding; pushing back ({} similar lines held back)", session, held);
      }
    }
    if (fits) {
      return new Verdict(Outcome.PAUSE, wait, notice, null);
    }
    return new Verdict(Outcome.REFUSE, wait, notice, "too many requests: at most "
        + rate() + "; try again in " + wait + " ms");
  }

  private String rate() {
    return fmt(limits.perSecond()) + " requests per second (bursts of " + limits.burst() + ")";
  }

  private static String fmt(double value) {
    return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
  }

  private TokenBucket accountBucket(String account, long now) {
    if (account == null || !limits.accountsLimited()) {
      return null;
    }
    if (accounts.size() > MAX_ACCOUNTS) {
      for (String key : accounts.keySet()) {
        accounts.computeIfPresent(key, (k, bucket) -> {
          synchronized (bucket) {
            return bucket.isFull(now) ? null : bucket;
          }
        });
      }
    }
    return accounts.computeIfAbsent(Names.fold(account),
        k -> new TokenBucket(limits.accountBurst(), limits.accountPerSecond(), now));
  }

  /** The session is gone. */
  void forget(Session session) {
    meters.remove(session);
  }
}
