package chat.server;

import static org.assertj.core.api.Assertions.assertThat;

import chat.core.Command;
import chat.core.CoreLimits;
import chat.core.Event;
import chat.core.EventSink;
import chat.core.FloodLimits;
import chat.core.Hub;
import chat.core.Reply;
import chat.core.Session;
import chat.protocol.Frame;
import chat.protocol.FrameEncoder;
import chat.protocol.Json;
import chat.protocol.Keys;
import chat.protocol.Types;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * JSON headers into requests: any header text either fails to parse as JSON (the decoder's
 * {@code bad-json}), or becomes a command or a {@code BadRequest} with a known code, never an
 * exception; and the command, handed to a real hub, gets answers that encode as frames.
 */
class NativeRequestsFuzzTest {

  static {
    // Millions of inputs: the door's one line per closed offender would drown the fuzzer.
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("chat"))
        .setLevel(ch.qos.logback.classic.Level.WARN);
  }

  private static final List<String> TYPES = List.of(Types.HELLO, Types.NICK, Types.JOIN,
      Types.LEAVE, Types.ROOMS, Types.WHO, Types.MSG, Types.PRIVMSG, Types.ACTION, Types.QUIT,
      Types.HISTORY, Types.REGISTER, Types.LOGIN, Types.PASSWD, "ping", "x");
  private static final List<String> KEYS = List.of(Keys.ID, Keys.VERSION, Keys.NICK, Keys.ROOM,
      Keys.TO, Keys.REASON, Keys.LIMIT, Keys.BEFORE, Keys.WITH, Keys.BEFORE_MSGID,
      Keys.PASSWORD, Keys.ACCOUNT, Keys.OLD_PASSWORD, Keys.NEW_PASSWORD, Keys.CONTENT_TYPE,
      Keys.CONTENT_ENCODING, Keys.CLIENT);
  private static final Set<String> CODES = Set.of("missing-key", "bad-content",
      "unsupported-version");

  @FuzzTest(maxDuration = "10s")
  void headersBecomeCommandsOrBadRequests(FuzzedDataProvider data) {
    ObjectNode header;
    if (data.consumeBoolean()) {
      JsonNode node;
      try {
        node = Json.MAPPER.readTree(data.consumeString(2000));
      } catch (JacksonException e) {
        return; // the decoder answers bad-json; nothing reaches the request table
      }
      if (node == null || !node.isObject() || !node.path(Keys.TYPE).isString()) {
        return; // bad-header or missing-key, also the decoder's
      }
      header = (ObjectNode) node;
    } else {
      header = Json.header(data.pickValue(TYPES));
      int keys = data.consumeInt(0, 8);
      for (int i = 0; i < keys; i++) {
        header.set(data.pickValue(KEYS), value(data, 0));
      }
    }
    byte[] content = data.consumeBytes(5000);
    Frame frame = new Frame(header, content);
    NativeRequests.Parser parser = NativeRequests.parser(frame.type());
    if (parser == null) {
      return; // unknown-type, answered by the session
    }
    Command command;
    try {
      command = parser.parse(frame);
    } catch (NativeRequests.BadRequest e) {
      assertThat(e.code).isIn(CODES);
      assertThat(e.getMessage()).isNotBlank();
      return;
    }
    assertThat(command).isNotNull();
    Hub hub = new Hub(CoreLimits.DEFAULT.withFlood(FloodLimits.OFF), Clock.systemUTC());
    EncodingSink sink = new EncodingSink();
    Session session = hub.open(sink, "192.0.2.1");
    if (!(command instanceof Command.Hello)) {
      hub.handle(session, "h", new Command.Hello("fuzzer"));
    }
    hub.handle(session, frame.id(), command);
    assertThat(sink.frames).isPositive();
  }

  private static JsonNode value(FuzzedDataProvider data, int depth) {
    return switch (data.consumeInt(0, depth < 3 ? 6 : 4)) {
      case 0 -> Json.MAPPER.getNodeFactory().stringNode(data.consumeString(100));
      case 1 -> Json.MAPPER.getNodeFactory().numberNode(data.consumeLong());
      case 2 -> Json.MAPPER.getNodeFactory().booleanNode(data.consumeBoolean());
      case 3 -> Json.MAPPER.getNodeFactory().nullNode();
      case 4 -> Json.MAPPER.getNodeFactory().numberNode(data.consumeDouble());
      case 5 -> {
        ArrayNode array = Json.MAPPER.createArrayNode();
        int n = data.consumeInt(0, 3);
        for (int i = 0; i < n; i++) {
          array.add(value(data, depth + 1));
        }
        yield array;
      }
      default -> {
        ObjectNode object = Json.object();
        int n = data.consumeInt(0, 3);
        for (int i = 0; i < n; i++) {
          object.set(data.consumeString(10), value(data, depth + 1));
        }
        yield object;
      }
    };
  }

  /** Encodes everything the hub says, as the native door would, and counts it. */
  private static final class EncodingSink implements EventSink {
    int frames;

    private void encode(Frame frame) {
      ByteBuf out = Unpooled.buffer();
      try {
        FrameEncoder.write(out, frame.header(), frame.content());
        assertThat(out.readableBytes()).isPositive();
      } finally {
        out.release();
      }
      frames++;
    }

    @Override
    public void event(Event event, String replyId) {
      encode(NativeFrames.event(event, replyId));
    }

    @Override
    public void reply(String replyId, Reply reply) {
      encode(NativeFrames.reply(replyId, reply, Json.object()));
    }

    @Override
    public void close(String reason) {
      frames++;
    }
  }
}
