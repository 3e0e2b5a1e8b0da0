package chat.server.irc;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class IrcLineDecoderTest {

  private final IrcLineDecoder decoder = new IrcLineDecoder();
  private final EmbeddedChannel channel = new EmbeddedChannel(decoder);

  private List<Object> feed(byte[]... chunks) {
    for (byte[] chunk : chunks) {
      channel.writeInbound(Unpooled.wrappedBuffer(chunk));
    }
    List<Object> out = new ArrayList<>();
    Object o;
    while ((o = channel.readInbound()) != null) {
      out.add(o);
    }
    return out;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  @Test
  void splitsOnCrLfAndLfAndSkipsEmptyLines() {
    assertThat(feed(ascii("NICK a\r\nUSER a 0 * :A\n\r\n\nPING x\r"), ascii("\n")))
        .containsExactly("NICK a", "USER a 0 * :A", "PING x");
  }

  @Test
  void aLineMayBeCutAnywhere() {
    byte[] bytes = ascii("PRIVMSG #dev :hello\r\nPING y\n");
    List<Object> out = new ArrayList<>();
    for (byte b : bytes) {
      out.addAll(feed(new byte[] {b}));
    }
    assertThat(out).containsExactly("PRIVMSG #dev :hello", "PING y");
  }

  @Test
  void bodiesBeyond510BytesAreTooLongAndSkipped() {
    String ok = "PRIVMSG #a :" + "x".repeat(510 - 12);
    String tooLong = ok + "y";
    assertThat(feed(ascii(ok + "\r\n" + tooLong + "\r\nPING z\r\n")))
        .containsExactly(ok, IrcLineDecoder.TOO_LONG, "PING z");
  }

  @Test
  void aClientsTagsMayAdd4094Bytes() {
    String tags = "@" + "+t=" + "v".repeat(4094 - 5);
    assertThat(tags.length() + 1).isEqualTo(4094);
    String body = "PRIVMSG #a :" + "x".repeat(498);
    assertThat(feed(ascii(tags + " " + body + "\r\n"))).containsExactly(tags + " " + body);
    assertThat(feed(ascii(tags + "v " + body + "\r\n"))).containsExactly(IrcLineDecoder.TOO_LONG);
    assertThat(feed(ascii(tags + " " + body + "x\r\n"))).containsExactly(IrcLineDecoder.TOO_LONG);
  }

  @Test
  void anUnterminatedFloodIsReportedOnceAndNeverBuffered() {
    byte[] chunk = ascii("z".repeat(1000));
    List<Object> out = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      out.addAll(feed(chunk));
      assertThat(decoder.buffered()).isLessThanOrEqualTo(4094 + 512);
    }
    assertThat(out).containsExactly(IrcLineDecoder.TOO_LONG);
    assertThat(feed(ascii("tail\nPING ok\n"))).containsExactly("PING ok");
  }

  @Test
  void invalidUtf8BecomesReplacementCharacters() {
    byte[] bytes = {'P', 'I', 'N', 'G', ' ', (byte) 0xC3, (byte) 0x28, ' ', (byte) 0xE2, '\n'};
    assertThat(feed(bytes)).containsExactly("PING \uFFFD( \uFFFD");
    assertThat(feed("PING ünïcödé ✓\n".getBytes(StandardCharsets.UTF_8)))
        .containsExactly("PING ünïcödé ✓");
  }
}
