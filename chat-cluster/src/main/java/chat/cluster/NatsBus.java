package chat.cluster;

import chat.core.MessageKind;
import chat.core.Names;
import chat.core.cluster.Bus;
import chat.core.cluster.Note;
import chat.core.cluster.RoomEntry;
import chat.core.cluster.RoomNote;
import chat.core.store.StoredMessage;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The bus on core NATS: each committed room entry is published on
 * {@code chat.<cluster>.room.<room key>} as a small JSON object; every server subscribes to
 * {@code chat.<cluster>.room.>} and drops what it sent itself. Notes about users go on
 * {@code chat.<cluster>.users}. {@code <cluster>} names the servers that share one store (so
 * clusters on one NATS never hear each other): {@link #clusterName} of the store's URL.
 * The connection reconnects on its own (jnats), forever; once its subscriptions are back, and
 * whenever entries were dropped for a slow consumer, {@link NatsEvents} tells the
 * {@link #onLoss} handler, and the server compares its rooms with the store. What is published
 * while disconnected waits in jnats' reconnect buffer (8 MB) and goes out after the reconnect;
 * a publish the buffer cannot take is dropped (and logged), like any lost entry. Core NATS delivers at most once and keeps each publisher's order per subject; what a
 * server misses (NATS restarted, a slow consumer) it reads from the store by seq, so the bus
 * needs no persistence of its own. The connection reconnects on its own (jnats), forever.
 */
public final class NatsBus implements Bus {

  private static final Logger log = LoggerFactory.getLogger(NatsBus.class);
  /** The namespace of servers that do not name their cluster. */
  public static final String DEFAULT_CLUSTER = "default";

  private final ObjectMapper json = JsonMapper.builder().build();
  private final String nodeId = UUID.randomUUID().toString();
  private final Connection nats;
  /** {@code chat.<cluster>.room.}: a room's subject is this and its key. */
  private final String rooms;
  /** Where servers tell each other of their users (chat.core.cluster.Note). */
  private final String users;
  private final NatsEvents events;
  private volatile Dispatcher dispatcher;
  private volatile Dispatcher notes;
  private volatile Consumer<RoomNote> noteHandler;

  private NatsBus(Connection nats, NatsEvents events, String cluster) {
    this.nats = nats;
    this.events = events;
    this.rooms = "chat." + cluster + ".room.";
    this.users = "chat." + cluster + ".users";
  }

  /** Connects to NATS at {@code url} (e.g. {@code nats://127.0.0.1:4222}), cluster "default". */
  public static NatsBus connect(String url) throws IOException, InterruptedException {
    return connect(url, DEFAULT_CLUSTER);
  }

  /**
   * Connects to NATS at {@code url} for the servers of {@code cluster} (letters, digits, '-'
   * and '_'), whose subjects no other cluster on that NATS hears.
   */
  public static NatsBus connect(String url, String cluster)
      throws IOException, InterruptedException {
    if (cluster == null || !cluster.matches("[A-Za-z0-9_-]{1,64}")) {
      throw new IllegalArgumentException("a cluster name is 1 to 64 letters, digits, - or _");
    }
    Options.Builder options = new Options.Builder().server(url).connectionName("chat-server")
        .maxReconnects(-1).reconnectWait(Duration.ofMillis(500))
        .connectionTimeout(Duration.ofSeconds(5));
    NatsEvents events = new NatsEvents();
    options.connectionListener(events).errorListener(events);
    return new NatsBus(Nats.connect(options.build()), events, cluster);
  }

  /**
   * The cluster name of servers sharing the store at {@code storeUrl}: its host, port, database
   * and schema, hashed (user and password left out, so servers with different credentials on
   * one database are one cluster).
   */
  public static String clusterName(String storeUrl) {
    String base = storeUrl;
    int query = base.indexOf('?');
    String schema = "public";
    if (query >= 0) {
      for (String pair : base.substring(query + 1).split("&")) {
        if (pair.startsWith("currentSchema=")) {
          schema = pair.substring("currentSchema=".length());
        }
      }
      base = base.substring(0, query);
    }
    byte[] digest;
    try {
      digest = java.security.MessageDigest.getInstance("SHA-256").digest(
          (base + "/" + schema).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    return "s" + java.util.HexFormat.of().formatHex(digest, 0, 8);
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
    send(rooms + Names.fold(m.room()), json.writeValueAsBytes(o));
  }

  /** A publish that fails (disconnected with a full reconnect buffer, or closed) is a loss. */
  private void send(String subject, byte[] data) {
    try {
      nats.publish(subject, data);
    } catch (RuntimeException e) {
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
        JsonNode o = json.readTree(message.getData());
        if (o.has("note")) {
          note(o);
          return;
        }
        entry = decode(o);
      } catch (RuntimeException e) {
        log.warn("unreadable room entry on {}", message.getSubject(), e);
        return;
      }
      if (entry != null && !entry.origin().equals(nodeId)) {
        handler.accept(entry);
      }
    });
    dispatcher.subscribe(rooms + ">");
  }

  @Override
  public void publish(Note note) {
    ObjectNode o = json.createObjectNode();
    o.put("origin", note.origin());
    o.put("node", note.node());
    o.put("kind", note.kind().name());
    o.put("nick", note.nick());
    o.put("account", note.account());
    o.put("text", note.text());
    o.put("room", note.room());
    ArrayNode extra = o.putArray("extra");
    note.extra().forEach(extra::add);
    o.put("flag", note.flag());
    send(users, json.writeValueAsBytes(o));
  }

  @Override
  public synchronized void onNote(Consumer<Note> handler) {
    if (notes != null) {
      throw new IllegalStateException("the handler is set once");
    }
    notes = nats.createDispatcher(message -> {
      Note note;
      try {
        note = decodeNote(json.readTree(message.getData()));
      } catch (RuntimeException e) {
        log.warn("unreadable note on {}", message.getSubject(), e);
        return;
      }
      if (note != null && !note.origin().equals(nodeId)) {
        handler.accept(note);
      }
    });
    notes.subscribe(users);
  }

  static Note decodeNote(JsonNode o) {
    Note.Kind kind;
    try {
      kind = Note.Kind.valueOf(o.path("kind").asString(""));
    } catch (IllegalArgumentException e) {
      return null; // a kind from a newer server
    }
    List<String> extra = new ArrayList<>();
    for (JsonNode x : o.path("extra")) {
      extra.add(x.asString());
    }
    String origin = o.path("origin").asString("");
    if (origin.isEmpty()) {
      return null;
    }
    return new Note(origin, o.path("node").asLong(-1), kind, text(o, "nick"),
        text(o, "account"), text(o, "text"), text(o, "room"), extra,
        o.path("flag").asBoolean(false));
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

  /**
   * A note goes on the room's own subject, so it keeps its place among this server's entries of
   * the room; it has no {@code kind}, so a server that does not know notes drops it.
   */
  @Override
  public void publishNote(RoomNote note) {
    ObjectNode o = json.createObjectNode();
    o.put("origin", note.origin());
    o.put("note", "room");
    o.put("room", note.room());
    o.put("owner", note.owner());
    o.put("opGranted", note.opGranted());
    o.put("notice", note.notice());
    o.put("ts", note.ts());
    if (note.closed()) {
      o.put("closed", true);
    }
    send(rooms + Names.fold(note.room()), json.writeValueAsBytes(o));
  }

  @Override
  public void onRemoteNote(Consumer<RoomNote> handler) {
    noteHandler = handler;
  }

  private void note(JsonNode o) {
    Consumer<RoomNote> handler = noteHandler;
    String origin = o.path("origin").asString("");
    if (handler != null && !origin.equals(nodeId) && "room".equals(o.path("note").asString(""))) {
      handler.accept(new RoomNote(origin, o.path("room").asString(null), text(o, "owner"),
          text(o, "opGranted"), text(o, "notice"), o.path("ts").asLong(0),
          o.path("closed").asBoolean(false)));
    }
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
