package chat.protocol;

/**
 * A decoding failure, emitted by {@link FrameDecoder} in place of a frame so that the handler
 * can answer the one connection that sent it.
 *
 * @param code one of {@link ErrorCodes}
 * @param message human-readable, names the limit or the fault
 * @param id the request id, when the header could be read far enough to know it; else null
 * @param fatal true when the byte stream can no longer be trusted: the decoder has stopped and
 *     the connection should be closed after this error is sent
 */
public record FrameError(String code, String message, String id, boolean fatal) {}
