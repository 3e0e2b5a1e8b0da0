package chat.bench;

import org.HdrHistogram.Histogram;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** JSON output helpers. */
final class JsonOut {
  private JsonOut() {}

  static final JsonMapper MAPPER = JsonMapper.builder()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .build();

  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /** count, p50, p90, p99, p99.9, max and mean of a histogram. */
  static ObjectNode histogram(Histogram h) {
    ObjectNode o = object();
    o.put("count", h.getTotalCount());
    if (h.getTotalCount() > 0) {
      o.put("p50", h.getValueAtPercentile(50));
      o.put("p90", h.getValueAtPercentile(90));
      o.put("p99", h.getValueAtPercentile(99));
      o.put("p99_9", h.getValueAtPercentile(99.9));
      o.put("max", h.getMaxValue());
      o.put("mean", Math.round(h.getMean() * 10) / 10.0);
    }
    return o;
  }

  /** Puts a value that may be unknown (negative): null then. */
  static void putKnown(ObjectNode o, String key, long value) {
    if (value < 0) {
      o.putNull(key);
    } else {
      o.put(key, value);
    }
  }

  static void putKnown(ObjectNode o, String key, double value) {
    if (value < 0 || Double.isNaN(value) || Double.isInfinite(value)) {
      o.putNull(key);
    } else {
      o.put(key, Math.round(value * 1000) / 1000.0);
    }
  }
}
