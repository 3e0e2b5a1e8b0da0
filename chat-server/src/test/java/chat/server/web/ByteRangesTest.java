package chat.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ByteRangesTest {

  @Test
  void oneRangeOfBytesIsReadAndClampedAndAnythingElseMeansTheWholeFile() {
    assertThat(ByteRanges.parse("bytes=0-99", 1000)).containsExactly(0, 99);
    assertThat(ByteRanges.parse("bytes=900-", 1000)).containsExactly(900, 999);
    assertThat(ByteRanges.parse("bytes=900-5000", 1000)).containsExactly(900, 999);
    assertThat(ByteRanges.parse("bytes=-100", 1000)).containsExactly(900, 999);
    assertThat(ByteRanges.parse("bytes=-5000", 1000)).containsExactly(0, 999);
    assertThat(ByteRanges.parse("BYTES = 1-2", 1000)).isNull(); // "bytes=" exactly
    assertThat(ByteRanges.parse("Bytes=1-2", 1000)).containsExactly(1, 2);
    assertThat(ByteRanges.parse("bytes=1000-", 1000)).isSameAs(ByteRanges.UNSATISFIABLE);
    assertThat(ByteRanges.parse("bytes=-0", 1000)).isSameAs(ByteRanges.UNSATISFIABLE);
    assertThat(ByteRanges.parse("bytes=5-1", 1000)).isNull();
    assertThat(ByteRanges.parse("bytes=0-1,3-4", 1000)).isNull();
    assertThat(ByteRanges.parse("bytes=a-b", 1000)).isNull();
    assertThat(ByteRanges.parse("bytes=+1-2", 1000)).isNull();
    assertThat(ByteRanges.parse("bytes=99999999999999999999-", 1000)).isNull();
    assertThat(ByteRanges.parse("items=0-1", 1000)).isNull();
  }

  @Test
  void imagesAreKnownByTheirFirstBytes() {
    assertThat(ImageTypes.detect(FileServingTest.png())).isEqualTo("image/png");
    assertThat(ImageTypes.detect(new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff, 0}))
        .isEqualTo("image/jpeg");
    assertThat(ImageTypes.detect("GIF89a......".getBytes())).isEqualTo("image/gif");
    assertThat(ImageTypes.detect("RIFF\0\0\0\0WEBPVP8 ".getBytes())).isEqualTo("image/webp");
    assertThat(ImageTypes.detect("RIFF\0\0\0\0WAVEfmt ".getBytes())).isNull();
    assertThat(ImageTypes.detect("<svg>".getBytes())).isNull();
    assertThat(ImageTypes.detect(new byte[0])).isNull();
  }

  @Test
  void aDispositionNamesTheFileInAsciiAndInUtf8() {
    assertThat(FileServer.disposition(false, "a\"b\\c%d é.txt")).isEqualTo(
        "attachment; filename=\"a_b_c_d _.txt\"; filename*=UTF-8''a%22b%5Cc%25d%20%C3%A9.txt");
    assertThat(FileServer.disposition(true, "x.png"))
        .isEqualTo("inline; filename=\"x.png\"; filename*=UTF-8''x.png");
  }
}
