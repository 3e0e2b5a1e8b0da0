package chat.server.metrics;

import chat.core.store.MessageStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The server's meters, one registry per server, scraped by {@code /metrics} in Prometheus' text
 * format. Meter names are Micrometer's dotted names; Prometheus sees {@code chat_frames_in_total}
 * for {@code chat.frames.in} and so on (docs/ARCHITECTURE.md lists them).
 */
public final class ServerMetrics implements AutoCloseable {

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private final Map<String, DoorMeter> doors = new ConcurrentHashMap<>();
  private final java.util.List<Object> sources = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final Timer durable;
  private final Counter roomMessages;
  private final Counter privateMessages;
  private final Counter storeFailures;

  public ServerMetrics() {
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    durable = Timer.builder("chat.store.durable")
        .description("Time from handing a message to the store until it is durable (committed)")
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(10))
        .register(registry);
    roomMessages = Counter.builder("chat.room.messages")
        .description("Room messages stored (and so delivered)").register(registry);
    privateMessages = Counter.builder("chat.private.messages")
        .description("Private messages stored (and so delivered)").register(registry);
    storeFailures = Counter.builder("chat.store.failures")
        .description("Messages the store could not make durable (not delivered)").register(registry);
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** Everything, in Prometheus' text exposition format (version 0.0.4). */
  public String scrape() {
    return registry.scrape();
  }

  /** The meters of one door ({@code native}, {@code websocket}), made on first use. */
  public DoorMeter door(String name) {
    return doors.computeIfAbsent(name, n -> new DoorMeter(registry, n));
  }

  /** A gauge of a door's open connections. */
  public void connections(String door, Supplier<Number> count) {
    sources.add(count);
    Gauge.builder("chat.connections", count).description("Open connections")
        .tag("door", door).register(registry);
  }

  /** A gauge read from {@code value} at each scrape (such as the cluster's live servers). */
  public void gauge(String name, String description, Supplier<Number> value) {
    sources.add(value); // the registry holds it weakly only
    Gauge.builder(name, value).description(description).register(registry);
  }

  /** A counter read from {@code count} (such as the hub's slow-reader drops) at each scrape. */
  public void counter(String name, String description, java.util.function.LongSupplier count) {
    sources.add(count); // the registry holds it weakly only
    io.micrometer.core.instrument.FunctionCounter.builder(name, count,
        c -> (double) c.getAsLong()).description(description).register(registry);
  }

  /** {@code store} with its appends timed until durable and counted by kind. */
  public MessageStore timed(MessageStore store) {
    return new TimedStore(store, this);
  }

  void durable(long nanos, boolean room, Throwable failure) {
    durable.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    if (failure != null) {
      storeFailures.increment();
    } else if (room) {
      roomMessages.increment();
    } else {
      privateMessages.increment();
    }
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
