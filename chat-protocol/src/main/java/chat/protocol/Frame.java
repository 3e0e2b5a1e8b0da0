package chat.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One protocol frame: a JSON header and its content bytes.
 *
 * <pre>
 *  0      1      2                         2+H                       2+H+C
 *  +------+------+-------------------------+--------------------------+
 *  |   H (u16 BE) |  header: UTF-8 JSON     |  content: C bytes        |
 *  +------+------+-------------------------+--------------------------+
 *                  {"type":"msg","id":"7",    C = header "content-length"
 *                   "room":"lobby",           (absent means 0)
 *                   "content-type":"text/plain; charset=utf-8",
 *                   "content-length":5}
 * </pre>
 *
 * The header always carries a string {@code type}; everything else depends on the type
 * (see docs/PROTOCOL.md).
 */
public record Frame(ObjectNode header, byte[] content) {

  public Frame {
    Objects.requireNonNull(header, "header");
    content = content == null ? new byte[0] : content;
  }

  public static Frame of(ObjectNode header) {
    return new Frame(header, new byte[0]);
  }

  /** A frame whose content is UTF-8 text, with content-type set accordingly. */
  public static Frame text(ObjectNode header, String text) {
    header.put(Keys.CONTENT_TYPE, ContentTypes.TEXT_UTF8);
    return new Frame(header, text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * A frame whose content is a JSON object: for lists that may be long (a room's members), so
   * that headers stay small whatever the room's size.
   */
  public static Frame json(ObjectNode header, ObjectNode content) {
    header.put(Keys.CONTENT_TYPE, ContentTypes.JSON);
    return new Frame(header, Json.MAPPER.writeValueAsBytes(content));
  }

  /**
   * A value by key: from the header, or else from JSON content (where replies carry lists such
   * as {@code members}, {@code ops}, {@code voiced} and {@code rooms}). Null when absent.
   */
  public JsonNode field(String key) {
    JsonNode node = header.get(key);
    if (node != null) {
      return node;
    }
    String type = string(Keys.CONTENT_TYPE);
    if (type == null || !type.startsWith(ContentTypes.JSON) || content.length == 0) {
      return null;
    }
    try {
      return Json.MAPPER.readTree(content).get(key);
    } catch (tools.jackson.core.JacksonException e) {
      return null;
    }
  }

  public String type() {
    return string(Keys.TYPE);
  }

  /** The client's correlation id, or null. */
  public String id() {
    return string(Keys.ID);
  }

  /** A header value as text if it is a JSON string, else null. */
  public String string(String key) {
    JsonNode node = header.get(key);
    return node != null && node.isString() ? node.asString() : null;
  }

  public long number(String key, long fallback) {
    JsonNode node = header.get(key);
    return node != null && node.isIntegralNumber() ? node.asLong() : fallback;
  }

  public String contentAsText() {
    return new String(content, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "Frame" + header + "+" + content.length + "B";
  }
}
