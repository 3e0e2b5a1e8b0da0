package chat.protocol;

import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The one JSON mapper for headers, with constraints that bound what a hostile header costs. */
public final class Json {
  private Json() {}

  /** Headers are flat objects; a little nesting is allowed for structured values. */
  public static final int MAX_NESTING_DEPTH = 8;

  public static final JsonMapper MAPPER = JsonMapper.builder(
          JsonFactory.builder()
              .streamReadConstraints(StreamReadConstraints.builder()
                  .maxNestingDepth(MAX_NESTING_DEPTH)
                  .maxNumberLength(32)
                  .maxStringLength(FrameLimits.DEFAULT_MAX_HEADER_BYTES * 8)
                  .build())
              .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
              .build())
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /** A header with its type set. */
  public static ObjectNode header(String type) {
    ObjectNode header = MAPPER.createObjectNode();
    header.put(Keys.TYPE, type);
    return header;
  }
}
