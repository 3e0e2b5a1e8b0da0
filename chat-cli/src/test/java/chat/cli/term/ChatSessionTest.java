package chat.cli.term;

import static org.assertj.core.api.Assertions.assertThat;

import chat.client.ClientOptions;
import chat.protocol.Frame;
import chat.protocol.Json;
import chat.protocol.Keys;
import chat.protocol.Types;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** The session's handling of events and input, without a connection. */
class ChatSessionTest {

  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final ChatSession session = new ChatSession(ClientOptions.of("127.0.0.1", 1, "me"),
      line -> lines.add(line.plain()), new LineFormatter(Clock.systemDefaultZone()),
      Backoff.DEFAULT);

  @AfterEach
  void end() {
    session.quit(null);
  }

  private static Frame message(String room, long seq, String text, boolean history) {
    ObjectNode header = Json.header(Types.MESSAGE);
    header.put(Keys.ROOM, room);
    header.put(Keys.SEQ, seq);
    header.put(Keys.FROM, "bob");
    header.put(Keys.TS, 0L);
    if (history) {
      header.put(Keys.HISTORY, true);
    }
    return new Frame(header, text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void whatAResumeLeftOutIsAnnouncedForHistory() {
    ObjectNode ok = Json.header(Types.OK).put(Keys.ROOM, "dev");
    session.onResumed("dev", 10, 900, Frame.of(ok));
    assertThat(lines).containsExactly("-- 900 more messages in #dev, /history to read them --");
  }

  @Test
  void inputThatNeedsNoServerIsAnsweredLocally() {
    session.input("/help");
    session.input("/dance");
    session.input("");
    assertThat(lines).hasSize(CommandParser.HELP.size() + 1);
    assertThat(lines.getLast()).startsWith("!! unknown command /dance");
    assertThat(session.prompt()).isEqualTo("#lobby> ");
  }

  @Test
  void topicAndModeRepliesInWords() {
    ObjectNode topic = Json.header(Types.OK).put(Keys.ROOM, "dev").put(Keys.TOPIC, "friday")
        .put(Keys.TOPIC_BY, "alice");
    assertThat(ModerationReplies.topicText(Frame.of(topic), "dev"))
        .isEqualTo("topic of #dev: friday (set by alice)");
    assertThat(ModerationReplies.topicText(Frame.of(Json.header(Types.OK).put(Keys.ROOM, "dev")
        .put(Keys.TOPIC, "")), "dev")).isEqualTo("#dev has no topic");
    ObjectNode modes = Json.header(Types.OK).put(Keys.ROOM, "dev").put(Keys.MODES, "+iklnt")
        .put(Keys.KEY, "s3cret").put(Keys.LIMIT, 5);
    modes.putArray(Keys.BANS).add("nick:bob").add("account:mallory");
    modes.putArray(Keys.MUTES);
    modes.putArray(Keys.INVITES).add("nick:carol");
    assertThat(ModerationReplies.modesText(Frame.of(modes), "dev")).isEqualTo("modes of #dev: +iklnt, "
        + "key s3cret, limit 5; bans: nick:bob account:mallory; invites: nick:carol");
  }

  @Test
  void aKickOfSomeoneElseUpdatesTheMembers() {
    ObjectNode joined = Json.header(Types.JOINED).put(Keys.ROOM, "dev").put(Keys.NICK, "bob");
    session.onEvent(Frame.of(joined));
    assertThat(session.knownNicks()).containsExactly("bob");
    ObjectNode kicked = Json.header(Types.KICKED).put(Keys.ROOM, "dev").put(Keys.NICK, "bob")
        .put(Keys.BY, "alice").put(Keys.REASON, "spam").put(Keys.TS, 0L);
    session.onEvent(Frame.of(kicked));
    assertThat(session.knownNicks()).isEmpty();
    assertThat(lines.getLast()).endsWith("-- bob was kicked from #dev by alice (spam)");
  }

  @Test
  void withoutAConnectionRequestsAreRefusedWithANote() {
    session.input("hello");
    assertThat(lines).containsExactly("!! not connected; reconnecting (/quit to give up)");
  }
}
