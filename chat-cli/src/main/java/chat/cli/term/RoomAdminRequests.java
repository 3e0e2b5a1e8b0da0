package chat.cli.term;

import chat.client.ChatClient;
import chat.protocol.Frame;
import chat.protocol.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code /room ...}: the request for it and its answer as lines for the user. */
final class RoomAdminRequests {
  private RoomAdminRequests() {}

  static CompletableFuture<Frame> send(ChatClient client, Input.RoomAdmin input, String room) {
    ObjectNode header = Json.header("room");
    header.put("action", input.action());
    if (room != null) {
      header.put("room", room);
    }
    if (input.arg() != null) {
      header.put(input.action().equals("transfer") ? "account" : "reason", input.arg());
    }
    return client.request(header, null);
  }

  /** What the reply says, one line per room. */
  static List<String> lines(Input.RoomAdmin input, Frame ok) {
    List<String> lines = new ArrayList<>();
    if (input.action().equals("list")) {
      JsonNode rooms = ok.content() == null ? null
          : Json.MAPPER.readTree(new String(ok.content(), StandardCharsets.UTF_8)).get("rooms");
      if (rooms != null) {
        for (JsonNode r : rooms) {
          lines.add(state(r));
        }
      }
      lines.add(lines.size() + " rooms");
      return lines;
    }
    String prefix = switch (input.action()) {
      case "register" -> "registered: ";
      case "unregister" -> "no longer registered: ";
      case "transfer" -> "transferred: ";
      case "close" -> "closed: ";
      default -> "";
    };
    lines.add(prefix + state(ok.header()));
    return lines;
  }

  private static String state(JsonNode r) {
    StringBuilder b = new StringBuilder("#").append(r.path("room").asString(""));
    String owner = r.path("owner").asString(null);
    b.append(owner == null ? " (not registered)" : " owned by " + owner);
    b.append(", ").append(r.path("member-count").asInt(0)).append(" present, ")
        .append(r.path("modes").asString("+nt"));
    JsonNode ops = r.get("op-accounts");
    if (ops != null && !ops.isEmpty()) {
      List<String> names = new ArrayList<>();
      ops.forEach(n -> names.add(n.asString("")));
      b.append(", operators ").append(String.join(" ", names));
    }
    String topic = r.path("topic").asString(null);
    if (topic != null) {
      b.append(", topic: ").append(topic);
    }
    return b.toString();
  }
}
