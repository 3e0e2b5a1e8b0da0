package chat.cluster;

import chat.core.MessageKind;
import chat.core.Names;
import chat.core.cluster.Bus;
import chat.core.cluster.Note;
import chat.core.cluster.RoomEntry;
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
 * The bus on core NATS: each committed room entry is published on {@code chat.room.<room key>}
 * as a small JSON object; every server subscribes to {@code chat.room.>} and drops what it sent
 * itself. Core NATS delivers at most once and keeps each publisher's order per subject; what a
 * server misses (NATS restarted, a slow consumer) it reads from the store by seq, so the bus
 * needs no persistence of its own. The connection reconnects on its own (jnats), forever.
 */
public final class NatsBus implements Bus {

  private static final Logger log = LoggerFactory.getLogger(NatsBus.class);
  static final String PREFIX = "chat.room.";
  /** Where servers tell each other of their users (chat.core.cluster.Note). */
  static final String NOTES = "chat.users";

  private final ObjectMapper json = JsonMapper.builder().build();
  private final String nodeId = UUID.randomUUID().toString();
  private final Connection nats;
  private volatile Dispatcher dispatcher;
  private volatile Dispatcher notes;

  private NatsBus(Connection nats) {
    this.nats = nats;
  }

  /** Connects to NATS at {@code url} (e.g. {@code nats://127.0.0.1:4222}). */
  public static NatsBus connect(String url) throws IOException, InterruptedException {
    Options options = new Options.Builder().server(url).connectionName("chat-server")
        .maxReconnects(-1).reconnectWait(Duration.ofMillis(500))
        .connectionTimeout(Duration.ofSeconds(5)).build();
    return new NatsBus(Nats.connect(options));
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
    nats.publish(PREFIX + Names.fold(m.room()), json.writeValueAsBytes(o));
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
    dispatcher.subscribe(PREFIX + ">");
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
    nats.publish(NOTES, json.writeValueAsBytes(o));
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
    notes.subscribe(NOTES);
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
