package chat.protocol;

/**
 * Limits the decoder enforces while reading, before any memory is committed to a frame.
 *
 * @param maxHeaderBytes largest accepted header, at most 65535 (the length prefix is 16 bits)
 * @param maxContentBytes largest accepted content; larger content is skipped as it arrives
 * @param maxConsecutiveErrors malformed frames in a row after which the stream is considered
 *     out of step and the connection is closed
 */
public record FrameLimits(int maxHeaderBytes, int maxContentBytes, int maxConsecutiveErrors) {

  public static final int DEFAULT_MAX_HEADER_BYTES = 8 * 1024;
  public static final int DEFAULT_MAX_CONTENT_BYTES = 64 * 1024;
  public static final int DEFAULT_MAX_CONSECUTIVE_ERRORS = 10;

  public static final FrameLimits DEFAULT =
      new FrameLimits(DEFAULT_MAX_HEADER_BYTES, DEFAULT_MAX_CONTENT_BYTES,
          DEFAULT_MAX_CONSECUTIVE_ERRORS);

  public FrameLimits {
    if (maxHeaderBytes < 16 || maxHeaderBytes > 0xFFFF) {
      throw new IllegalArgumentException("maxHeaderBytes must be in [16, 65535]: " + maxHeaderBytes);
    }
    if (maxContentBytes < 0) {
      throw new IllegalArgumentException("maxContentBytes must be >= 0: " + maxContentBytes);
    }
    if (maxConsecutiveErrors < 1) {
      throw new IllegalArgumentException("maxConsecutiveErrors must be >= 1: " + maxConsecutiveErrors);
    }
  }
}
