package chat.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns a byte stream into {@link Frame}s and {@link FrameError}s.
 *
 * <p>An explicit state machine: LENGTH (2 bytes) then HEADER (H bytes) then CONTENT (C bytes).
 * It never buffers more than one header plus one content within the limits, however the bytes
 * are split or merged by TCP. Malformed input becomes a {@link FrameError} in the output list,
 * never an exception up the pipeline:
 *
 * <ul>
 *   <li>Content larger than the limit: an error, then the content is skipped as it arrives, so
 *       the stream stays in step and the connection usable.
 *   <li>A header that is not UTF-8, not JSON, not an object, or has no string {@code type}: an
 *       error; the frame is taken to have no content (it cannot be known) and decoding goes on.
 *       After {@link FrameLimits#maxConsecutiveErrors()} such frames in a row the stream is
 *       judged out of step: a fatal error.
 *   <li>A header length over the limit, or a {@code content-length} that is not a non-negative
 *       integer: the frame boundary is lost, so a fatal error; the decoder then discards
 *       everything and the handler closes the connection.
 * </ul>
 */
public final class FrameDecoder extends ByteToMessageDecoder {

  private enum State { LENGTH, HEADER, CONTENT, SKIP_CONTENT, FAILED }

  private final FrameLimits limits;
  private State state = State.LENGTH;
  private int headerLength;
  private ObjectNode header;
  private int contentLength;
  private long skipRemaining;
  private int consecutiveErrors;

  public FrameDecoder(FrameLimits limits) {
    this.limits = limits;
  }

  public FrameDecoder() {
    this(FrameLimits.DEFAULT);
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    while (true) {
      switch (state) {
        case LENGTH -> {
          if (in.readableBytes() < 2) {
            return;
          }
          headerLength = in.readUnsignedShort();
          if (headerLength > limits.maxHeaderBytes()) {
            fail(out, ErrorCodes.HEADER_TOO_LARGE, "header of " + headerLength
                + " bytes exceeds the limit of " + limits.maxHeaderBytes() + " bytes", null);
          } else {
            state = State.HEADER;
          }
        }
        case HEADER -> {
          if (in.readableBytes() < headerLength) {
            return;
          }
          ByteBuf bytes = in.readSlice(headerLength);
          readHeader(bytes, out);
        }
        case CONTENT -> {
          if (in.readableBytes() < contentLength) {
            return;
          }
          byte[] content = new byte[contentLength];
          in.readBytes(content);
          ObjectNode complete = header;
          header = null;
          state = State.LENGTH;
          consecutiveErrors = 0;
          out.add(new Frame(complete, content));
        }
        case SKIP_CONTENT -> {
          int n = (int) Math.min(in.readableBytes(), skipRemaining);
          in.skipBytes(n);
          skipRemaining -= n;
          if (skipRemaining > 0) {
            return;
          }
          state = State.LENGTH;
        }
        case FAILED -> {
          in.skipBytes(in.readableBytes());
          return;
        }
      }
    }
  }

  private void readHeader(ByteBuf bytes, List<Object> out) {
    if (!ByteBufUtil.isText(bytes, StandardCharsets.UTF_8)) {
      recoverable(out, ErrorCodes.BAD_UTF8, "header is not valid UTF-8", null);
      return;
    }
    JsonNode node;
    try {
      // Parse the decoded text, not the bytes: given bytes, Jackson detects UTF-16 and UTF-32 on
      // its own and would accept a header that is not UTF-8 JSON.
      node = Json.MAPPER.readTree(bytes.toString(StandardCharsets.UTF_8));
    } catch (JacksonException e) {
      recoverable(out, ErrorCodes.BAD_JSON, "header is not valid JSON: " + summary(e), null);
      return;
    }
    if (node == null || !node.isObject()) {
      recoverable(out, ErrorCodes.BAD_HEADER, "header must be a JSON object", null);
      return;
    }
    ObjectNode object = (ObjectNode) node;
    JsonNode idNode = object.get(Keys.ID);
    String id = idNode != null && idNode.isString() ? idNode.asString() : null;
    JsonNode lengthNode = object.get(Keys.CONTENT_LENGTH);
    long length = 0;
    if (lengthNode != null) {
      if (!lengthNode.isIntegralNumber() || !lengthNode.canConvertToLong()
          || lengthNode.asLong() < 0) {
        fail(out, ErrorCodes.BAD_HEADER,
            "content-length must be a non-negative integer, got " + lengthNode, id);
        return;
      }
      length = lengthNode.asLong();
    }
    JsonNode type = object.get(Keys.TYPE);
    if (type == null || !type.isString() || type.asString().isEmpty()) {
      skipContent(length);
      recoverable(out, ErrorCodes.MISSING_KEY, "header has no string \"type\"", id);
      return;
    }
    if (length > limits.maxContentBytes()) {
      skipContent(length);
      // The frame boundary is known, so the stream stays usable.
      out.add(new FrameError(ErrorCodes.CONTENT_TOO_LARGE, "content of " + length
          + " bytes exceeds the limit of " + limits.maxContentBytes() + " bytes", id, false));
      return;
    }
    header = object;
    contentLength = (int) length;
    state = State.CONTENT;
  }

  private void skipContent(long length) {
    skipRemaining = length;
    state = length > 0 ? State.SKIP_CONTENT : State.LENGTH;
  }

  private void recoverable(List<Object> out, String code, String message, String id) {
    if (state == State.HEADER) {
      state = State.LENGTH;
    }
    if (++consecutiveErrors >= limits.maxConsecutiveErrors()) {
      fail(out, ErrorCodes.TOO_MANY_ERRORS, message + "; " + consecutiveErrors
          + " malformed frames in a row, closing", id);
      return;
    }
    out.add(new FrameError(code, message, id, false));
  }

  private void fail(List<Object> out, String code, String message, String id) {
    state = State.FAILED;
    out.add(new FrameError(code, message, id, true));
  }

  private static String summary(JacksonException e) {
    String text = e.getOriginalMessage();
    if (text == null) {
      return "unreadable";
    }
    int newline = text.indexOf('\n');
    text = newline >= 0 ? text.substring(0, newline) : text;
    return text.length() > 160 ? text.substring(0, 160) + "..." : text;
  }
}
