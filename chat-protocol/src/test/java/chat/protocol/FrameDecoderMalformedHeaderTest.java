package chat.protocol;

import static chat.protocol.Wire.bytes;
import static chat.protocol.Wire.concat;
import static chat.protocol.Wire.frame;
import static chat.protocol.Wire.rawFrame;
import static chat.protocol.Wire.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Headers that cannot be used: each gives a clear error and, where docs/PROTOCOL.md says the
 * connection stays usable, the next valid frame still decodes.
 */
class FrameDecoderMalformedHeaderTest extends CodecTestSupport {

  private static final String PING_HEADER = "{\"type\":\"ping\",\"id\":\"p\"}";
  private static final byte[] PING = frame(PING_HEADER);

  /** Writes the bad frame and a valid one in one read; returns the single error between them. */
  private FrameError recoverableError(byte[] badFrame, String code) {
    EmbeddedChannel channel = decoder();
    write(channel, concat(badFrame, PING));

    List<Object> out = drain(channel);
    assertThat(out).hasSize(2);
    FrameError error = assertError(out.get(0), code, false);
    assertFrame(out.get(1), PING_HEADER);
    assertFalse(channel.finish());
    return error;
  }

  /** Writes the bad frame then a valid one; returns the fatal error, after which nothing comes. */
  private FrameError fatalError(byte[] badFrame, String code) {
    EmbeddedChannel channel = decoder();
    write(channel, concat(badFrame, PING));
    write(channel, PING);

    List<Object> out = drain(channel);
    assertThat(out).hasSize(1);
    FrameError error = assertError(out.get(0), code, true);
    assertFalse(channel.finish());
    return error;
  }

  // ---- not JSON ----

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"type\":",
      "{\"type\":\"msg\"",
      "{type:\"msg\"}",
      "{'type':'msg'}",
      "{\"type\":\"msg\",}",
      "hello",
      "{\"type\":\"msg\"} {\"type\":\"ping\"}",
      "{\"type\":\"msg\"}x",
  })
  void invalidJsonIsBadJson(String header) {
    FrameError error = recoverableError(frame(header), ErrorCodes.BAD_JSON);
    assertThat(error.message()).startsWith("header is not valid JSON");
    assertThat(error.id()).isNull();
  }

  @Test
  void badJsonMessageIsShortAndOnOneLine() {
    String header = "{\"type\":\"msg\",\"x\":\"" + "y".repeat(500) + "\" oops}";
    FrameError error = recoverableError(frame(header), ErrorCodes.BAD_JSON);
    assertThat(error.message()).doesNotContain("\n").hasSizeLessThan(250);
  }

  // ---- JSON but not an object ----

  @ParameterizedTest
  @ValueSource(strings = {"[]", "[{\"type\":\"msg\"}]", "42", "-1.5", "\"msg\"", "true", "null"})
  void jsonThatIsNotAnObjectIsBadHeader(String header) {
    FrameError error = recoverableError(frame(header), ErrorCodes.BAD_HEADER);
    assertThat(error.message()).contains("JSON object");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "\n\t "})
  void emptyOrBlankHeaderIsRejectedAndTheStreamStaysUsable(String header) {
    EmbeddedChannel channel = decoder();
    write(channel, concat(frame(header), PING));

    assertError(channel.readInbound(), ErrorCodes.BAD_HEADER, false);
    assertFrame(channel.readInbound(), PING_HEADER);
    assertFalse(channel.finish());
  }

  // ---- not UTF-8 ----

  static Stream<Arguments> invalidUtf8() {
    return Stream.of(
        Arguments.of("2-byte lead followed by ASCII (C3 28)", bytes(0xC3, 0x28)),
        Arguments.of("lone continuation byte", bytes(0x80)),
        Arguments.of("lone continuation byte at the end", bytes(0xBF)),
        Arguments.of("overlong '/' in 2 bytes (C0 AF)", bytes(0xC0, 0xAF)),
        Arguments.of("overlong C1", bytes(0xC1, 0x81)),
        Arguments.of("overlong '/' in 3 bytes (E0 80 AF)", bytes(0xE0, 0x80, 0xAF)),
        Arguments.of("overlong in 4 bytes (F0 80 80 AF)", bytes(0xF0, 0x80, 0x80, 0xAF)),
        Arguments.of("UTF-16 surrogate (ED A0 80)", bytes(0xED, 0xA0, 0x80)),
        Arguments.of("beyond U+10FFFF (F4 90 80 80)", bytes(0xF4, 0x90, 0x80, 0x80)),
        Arguments.of("F5 lead byte", bytes(0xF5, 0x80, 0x80, 0x80)),
        Arguments.of("FF byte", bytes(0xFF)),
        Arguments.of("truncated 3-byte sequence (E2 82)", bytes(0xE2, 0x82)),
        Arguments.of("Latin-1 é", bytes(0xE9)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidUtf8")
  void invalidUtf8InsideAStringIsBadUtf8(String description, byte[] bad) {
    // Everything else is valid JSON, so only the UTF-8 check can catch it.
    byte[] header = concat(utf8("{\"type\":\"msg\",\"id\":\"3\",\"room\":\""), bad, utf8("\"}"));
    FrameError error = recoverableError(rawFrame(header, Wire.NO_CONTENT), ErrorCodes.BAD_UTF8);
    assertThat(error.message()).contains("UTF-8");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidUtf8")
  void invalidUtf8AtTheEndOfTheHeaderIsBadUtf8(String description, byte[] bad) {
    byte[] header = concat(utf8("{\"type\":\"msg\"}"), bad);
    recoverableError(rawFrame(header, Wire.NO_CONTENT), ErrorCodes.BAD_UTF8);
  }

  @ParameterizedTest
  @ValueSource(strings = {"UTF-16LE", "UTF-16BE", "UTF-16", "UTF-32LE", "UTF-32BE"})
  void headerInAnotherUnicodeEncodingIsRejected(String charset) {
    // These byte sequences can be valid UTF-8 (ASCII and NULs) but are not JSON text in UTF-8.
    byte[] header = "{\"type\":\"ping\",\"id\":\"u\"}".getBytes(Charset.forName(charset));
    EmbeddedChannel channel = decoder();
    write(channel, concat(rawFrame(header, Wire.NO_CONTENT), PING));

    List<Object> out = drain(channel);
    assertThat(out).hasSize(2);
    assertError(out.get(0), charset.equals("UTF-16") ? ErrorCodes.BAD_UTF8 : ErrorCodes.BAD_JSON,
        false);
    assertFrame(out.get(1), PING_HEADER);
    assertFalse(channel.finish());
  }

  @Test
  void headerStartingWithAByteOrderMarkIsBadJson() {
    // RFC 8259 forbids sending a BOM; the header is JSON text in UTF-8 and U+FEFF is not JSON.
    recoverableError(rawFrame(concat(bytes(0xEF, 0xBB, 0xBF), utf8(PING_HEADER)), Wire.NO_CONTENT),
        ErrorCodes.BAD_JSON);
  }

  @Test
  void validMultiByteUtf8IsAccepted() {
    EmbeddedChannel channel = decoder();
    // Boundary code points: U+0080, U+07FF, U+0800, U+FFFD, U+10000, U+10FFFF.
    String text = "\u0080\u07FF\u0800\uFFFD\uD800\uDC00\uDBFF\uDFFF";
    String header = "{\"type\":\"msg\",\"room\":\"" + text + "\"}";
    write(channel, frame(header));

    Frame frame = assertFrame(channel.readInbound(), header);
    assertThat(frame.string("room")).isEqualTo(text);
    assertFalse(channel.finish());
  }

  @Test
  void escapedUnicodeInTheHeaderIsDecoded() {
    EmbeddedChannel channel = decoder();
    write(channel, frame("{\"type\":\"msg\",\"room\":\"caf\\u00e9 \\ud83d\\ude00\"}"));

    Frame frame = (Frame) channel.readInbound();
    assertThat(frame.string("room")).isEqualTo("café 😀");
    assertFalse(channel.finish());
  }

  // ---- missing or invalid type ----

  @ParameterizedTest
  @ValueSource(strings = {
      "{}",
      "{\"id\":\"5\"}",
      "{\"id\":\"5\",\"type\":null}",
      "{\"id\":\"5\",\"type\":1}",
      "{\"id\":\"5\",\"type\":true}",
      "{\"id\":\"5\",\"type\":[\"msg\"]}",
      "{\"id\":\"5\",\"type\":{\"name\":\"msg\"}}",
      "{\"id\":\"5\",\"type\":\"\"}",
      "{\"id\":\"5\",\"TYPE\":\"msg\"}",
  })
  void headerWithoutAStringTypeIsMissingKey(String header) {
    FrameError error = recoverableError(frame(header), ErrorCodes.MISSING_KEY);
    assertThat(error.message()).contains("type");
    assertThat(error.id()).isEqualTo(header.contains("\"5\"") ? "5" : null);
  }

  @Test
  void missingKeyErrorHasNoIdWhenTheIdIsNotAString() {
    FrameError error = recoverableError(frame("{\"id\":5}"), ErrorCodes.MISSING_KEY);
    assertThat(error.id()).isNull();
  }

  @Test
  void contentOfAFrameWithoutTypeIsSkipped() {
    // The content-length is valid, so the frame boundary is known: its content (which here
    // looks like a frame) is skipped rather than decoded.
    EmbeddedChannel channel = decoder();
    byte[] content = frame("{\"type\":\"smuggled\"}");
    write(channel, concat(
        frame("{\"id\":\"5\",\"content-length\":" + content.length + "}", content), PING));

    FrameError error = assertError(channel.readInbound(), ErrorCodes.MISSING_KEY, false);
    assertThat(error.id()).isEqualTo("5");
    assertFrame(channel.readInbound(), PING_HEADER);
    assertThat(channel.<Object>readInbound()).isNull();
    assertFalse(channel.finish());
  }

  @Test
  void contentOfAFrameWithoutTypeIsSkippedAcrossReads() {
    EmbeddedChannel channel = decoder();
    byte[] stream = concat(frame("{\"content-length\":10}", "0123456789"), PING);
    writeByteByByte(channel, stream);

    List<Object> out = drain(channel);
    assertThat(out).hasSize(2);
    assertError(out.get(0), ErrorCodes.MISSING_KEY, false);
    assertFrame(out.get(1), PING_HEADER);
    assertFalse(channel.finish());
  }

  // ---- content-length ----

  @ParameterizedTest
  @ValueSource(strings = {
      "-1", "-9223372036854775808", "1.5", "0.0", "5.0", "1e3", "\"5\"", "\"\"", "true", "null",
      "[5]", "{\"n\":5}", "9223372036854775808", "123456789012345678901234567890",
  })
  void contentLengthThatIsNotANonNegativeIntegerIsFatalBadHeader(String value) {
    FrameError error = fatalError(
        frame("{\"type\":\"msg\",\"id\":\"9\",\"content-length\":" + value + "}", "hello"),
        ErrorCodes.BAD_HEADER);
    assertThat(error.message()).contains("content-length");
    assertThat(error.id()).isEqualTo("9");
  }

  @Test
  void badContentLengthIsFatalEvenWithoutType() {
    fatalError(frame("{\"content-length\":-3}"), ErrorCodes.BAD_HEADER);
  }

  @Test
  void explicitContentLengthNegativeZeroIsZero() {
    EmbeddedChannel channel = decoder();
    write(channel, concat(frame("{\"type\":\"msg\",\"content-length\":-0}"), PING));

    Frame frame = (Frame) channel.readInbound();
    assertThat(frame.content()).isEmpty();
    assertFrame(channel.readInbound(), PING_HEADER);
    assertFalse(channel.finish());
  }

  // ---- duplicate keys ----

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"type\":\"msg\",\"type\":\"ping\"}",
      "{\"type\":\"msg\",\"id\":\"1\",\"id\":\"2\"}",
      "{\"type\":\"msg\",\"content-length\":0,\"content-length\":0}",
      "{\"type\":\"msg\",\"limits\":{\"a\":1,\"a\":2}}",
  })
  void duplicateKeysAreBadJson(String header) {
    FrameError error = recoverableError(frame(header), ErrorCodes.BAD_JSON);
    assertThat(error.message()).containsIgnoringCase("duplicate");
  }

  @Test
  void sameKeyInDifferentObjectsIsNotADuplicate() {
    EmbeddedChannel channel = decoder();
    String header = "{\"type\":\"msg\",\"a\":{\"type\":1},\"b\":{\"type\":2}}";
    write(channel, frame(header));

    assertFrame(channel.readInbound(), header);
    assertFalse(channel.finish());
  }

  // ---- nesting depth ----

  /** A header whose deepest value sits at {@code depth} levels, the header object being 1. */
  private static String nestedObjects(int depth) {
    return "{\"type\":\"msg\",\"n\":" + "{\"a\":".repeat(depth - 2) + "{}" + "}".repeat(depth - 2)
        + "}";
  }

  private static String nestedArrays(int depth) {
    return "{\"type\":\"msg\",\"n\":" + "[".repeat(depth - 1) + "]".repeat(depth - 1) + "}";
  }

  @Test
  void nestingUpToTheLimitIsAccepted() {
    EmbeddedChannel channel = decoder();
    String objects = nestedObjects(Json.MAX_NESTING_DEPTH);
    String arrays = nestedArrays(Json.MAX_NESTING_DEPTH);
    write(channel, concat(frame(objects), frame(arrays)));

    assertFrame(channel.readInbound(), objects);
    assertFrame(channel.readInbound(), arrays);
    assertFalse(channel.finish());
  }

  @Test
  void objectsNestedBeyondTheLimitAreBadJson() {
    FrameError error = recoverableError(
        frame(nestedObjects(Json.MAX_NESTING_DEPTH + 1)), ErrorCodes.BAD_JSON);
    assertThat(error.message()).containsIgnoringCase("depth");
  }

  @Test
  void arraysNestedBeyondTheLimitAreBadJson() {
    FrameError error = recoverableError(
        frame(nestedArrays(Json.MAX_NESTING_DEPTH + 1)), ErrorCodes.BAD_JSON);
    assertThat(error.message()).containsIgnoringCase("depth");
  }

  @Test
  void veryDeepNestingIsRejectedCheaply() {
    // 4000 levels fit in a default-size header; they must not reach a recursive parser.
    FrameError error = recoverableError(frame("{\"type\":\"msg\",\"n\":" + "[".repeat(4000)),
        ErrorCodes.BAD_JSON);
    assertThat(error.message()).containsIgnoringCase("depth");
  }

  // ---- after an error ----

  @Test
  void frameAfterRecoverableErrorsDecodesWithItsContent() {
    EmbeddedChannel channel = decoder();
    String header = "{\"type\":\"msg\",\"content-length\":3}";
    write(channel, concat(frame("[]"), frame("{\"type\":1}"),
        rawFrame(bytes(0x80), Wire.NO_CONTENT), frame(header, "abc")));

    assertError(channel.readInbound(), ErrorCodes.BAD_HEADER, false);
    assertError(channel.readInbound(), ErrorCodes.MISSING_KEY, false);
    assertError(channel.readInbound(), ErrorCodes.BAD_UTF8, false);
    assertFrame(channel.readInbound(), header, "abc".getBytes(StandardCharsets.US_ASCII));
    assertFalse(channel.finish());
  }
}
