package chat.cluster;

import chat.core.MessageKind;
import chat.core.Names;
import chat.core.cluster.Bus;
import chat.core.cluster.RoomEntry;
import chat.core.store.StoredMessage;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The bus on core NATS: each committed room entry is published on {@code chat.room.<room key>}
 * as a small JSON object; every server subscribes to {@code chat.room.>} and drops what it sent
 * itself. Core NATS delivers at most once and keeps each publisher's order per subject; what a
 * server misses (NATS restarted, a slow consumer) it reads from the store by seq, so the bus
 * needs no persistence of its own. The connection reconnects on its own (jnats), forever; once
 * its subscription is back, and whenever entries were dropped for a slow consumer,
 * {@link NatsEvents} tells the {@link #onLoss} handler, and the server compares its rooms with
 * the store. What is published while disconnected waits in jnats' reconnect buffer (8 MB) and
 * goes out after the reconnect; a publish the buffer cannot take is dropped (and logged), like
 * any lost entry.
 */
public final class NatsBus implements Bus {

  private static final Logger log = LoggerFactory.getLogger(NatsBus.class);
  static final String PREFIX = "chat.room.";

  private final ObjectMapper json = JsonMapper.builder().build();
  private final String nodeId = UUID.randomUUID().toString();
  private final Connection nats;
  private final NatsEvents events;
  /** {@link #PREFIX}, or {@code chat.<cluster>.room.} for a named cluster. */
  private final String prefix;
  private volatile Dispatcher dispatcher;

  private NatsBus(Connection nats, NatsEvents events, String prefix) {
    this.nats = nats;
    this.events = events;
    this.prefix = prefix;
  }

  /** Connects to NATS at {@code url} (e.g. {@code nats://127.0.0.1:4222}). */
  public static NatsBus connect(String url) throws IOException, InterruptedException {
    return connect(url, null);
  }

  /**
   * Connects to NATS at {@code url} for the servers of {@code cluster} (null: the default
   * subjects): its subjects are {@code chat.<cluster>.room.<room key>}, so clusters that share
   * one NATS (or tests that run at once) do not hear each other.
   */
  public static NatsBus connect(String url, String cluster)
      throws IOException, InterruptedException {
    if (cluster != null && !cluster.matches("[A-Za-z0-9_-]{1,64}")) {
      throw new IllegalArgumentException("a cluster name is 1 to 64 letters, digits, - or _");
    }
    String prefix = cluster == null ? PREFIX : "chat." + cluster + ".room.";
    Options.Builder options = new Options.Builder().server(url).connectionName("chat-server")
        .maxReconnects(-1).reconnectWait(Duration.ofMillis(500))
        .connectionTimeout(Duration.ofSeconds(5));
    NatsEvents events = new NatsEvents();
    options.connectionListener(events).errorListener(events);
    return new NatsBus(Nats.connect(options.build()), events, prefix);
  }

  @Override
  public String nodeId() {
    return nodeId;
  }

  @Override
  public void publish(RoomEntry entry) {
    StoredMessage m = entry.entry();
    ObjectNode o = json.createObjectNode();
    o.put("origin", entry.origin());
    o.put("msgid", m.msgId());
    o.put("room", m.room());
    o.put("seq", m.seq());
    o.put("ts", m.ts());
    o.put("from", m.from());
    o.put("fromAccount", m.fromAccount());
    o.put("to", m.to());
    o.put("kind", m.kind().wire());
    o.put("text", m.text());
    try {
      nats.publish(prefix + Names.fold(m.room()), json.writeValueAsBytes(o));
    } catch (RuntimeException e) {
      // Disconnected with a full reconnect buffer, or closed: the others read it from the store.
      events.publishFailed(e);
    }
  }

  @Override
  public void onLoss(Runnable handler) {
    events.onLoss(handler);
  }

  @Override
  public boolean connected() {
    return nats.getStatus() == Connection.Status.CONNECTED;
  }

  @Override
  public synchronized void onRemote(Consumer<RoomEntry> handler) {
    if (dispatcher != null) {
      throw new IllegalStateException("the handler is set once");
    }
    dispatcher = nats.createDispatcher(message -> {
      RoomEntry entry;
      try {
        entry = decode(json.readTree(message.getData()));
      } catch (RuntimeException e) {
        log.warn("unreadable room entry on {}", message.getSubject(), e);
        return;
      }
      if (entry != null && !entry.origin().equals(nodeId)) {
        handler.accept(entry);
      }
    });
    dispatcher.subscribe(prefix + ">");
  }

  static RoomEntry decode(JsonNode o) {
    MessageKind kind = MessageKind.ofWire(o.path("kind").asString(""));
    if (kind == null) {
      return null;
    }
    StoredMessage m = new StoredMessage(o.path("msgid").asString(null), o.path("room").asString(null),
        o.path("seq").asLong(0), o.path("ts").asLong(0), text(o, "from"), text(o, "fromAccount"),
        text(o, "to"), null, kind, text(o, "text"));
    return new RoomEntry(o.path("origin").asString(""), m);
  }

  private static String text(JsonNode o, String key) {
    JsonNode v = o.get(key);
    return v == null || v.isNull() ? null : v.asString();
  }

  /** Waits until what was published so far reached the NATS server (for tests and shutdown). */
  public void flush(Duration timeout) throws Exception {
    nats.flush(timeout);
  }

  @Override
  public void close() {
    try {
      nats.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
