package chat.cli.term;

import chat.core.Mentions;

import static org.assertj.core.api.Assertions.assertThat;

import chat.protocol.Frame;
import chat.protocol.Json;
import chat.protocol.Keys;
import chat.protocol.Types;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class LineFormatterTest {

  private static final ZoneId ZONE = ZoneId.of("Europe/Berlin");
  /** 14:30:45 local time in Berlin. */
  private static final long TS =
      ZonedDateTime.of(2025, 11, 21, 14, 30, 45, 0, ZONE).toInstant().toEpochMilli();
  private final LineFormatter format =
      new LineFormatter(Clock.fixed(Instant.ofEpochMilli(TS + 1000), ZONE));

  private static Frame frame(String type, String text, String... keyValues) {
    ObjectNode header = Json.header(type);
    header.put(Keys.TS, TS);
    for (int i = 0; i < keyValues.length; i += 2) {
      header.put(keyValues[i], keyValues[i + 1]);
    }
    return new Frame(header, text == null ? null : text.getBytes(StandardCharsets.UTF_8));
  }

  private String plain(Frame frame, String me) {
    return format.event(frame, me).plain();
  }

  @Test
  void roomMessagesAndActions() {
    assertThat(plain(frame(Types.MESSAGE, "hello", Keys.ROOM, "lobby", Keys.FROM, "alice",
        Keys.KIND, "text"), "bob")).isEqualTo("[14:30:45] #lobby <alice> hello");
    assertThat(plain(frame(Types.MESSAGE, "waves", Keys.ROOM, "lobby", Keys.FROM, "alice",
        Keys.KIND, "action"), "bob")).isEqualTo("[14:30:45] #lobby * alice waves");
  }

  @Test
  void privateMessagesBothWays() {
    assertThat(plain(frame(Types.PRIVMSG, "hi", Keys.FROM, "bob", Keys.TO, "alice",
        Keys.KIND, "text"), "alice")).isEqualTo("[14:30:45] *bob* hi");
    assertThat(plain(frame(Types.PRIVMSG, "hi", Keys.FROM, "alice", Keys.TO, "bob",
        Keys.KIND, "text"), "alice")).isEqualTo("[14:30:45] -> *bob* hi");
    assertThat(plain(frame(Types.PRIVMSG, "waves", Keys.FROM, "bob", Keys.TO, "alice",
        Keys.KIND, "action"), "alice")).isEqualTo("[14:30:45] *bob* * waves");
    assertThat(format.event(frame(Types.PRIVMSG, "hi", Keys.FROM, "bob", Keys.TO, "alice"),
        "alice").bell()).as("a private message from someone else rings").isTrue();
    assertThat(format.event(frame(Types.PRIVMSG, "hi", Keys.FROM, "alice", Keys.TO, "bob"),
        "alice").bell()).isFalse();
  }

  @Test
  void statusLines() {
    assertThat(plain(frame(Types.JOINED, null, Keys.ROOM, "lobby", Keys.NICK, "alice"), "bob"))
        .isEqualTo("[14:30:45] -- alice joined #lobby");
    assertThat(plain(frame(Types.LEFT, null, Keys.ROOM, "rust", Keys.NICK, "alice",
        Keys.REASON, "bye"), "bob")).isEqualTo("[14:30:45] -- alice left #rust (bye)");
    assertThat(plain(frame(Types.LEFT, null, Keys.ROOM, "rust", Keys.NICK, "alice"), "bob"))
        .isEqualTo("[14:30:45] -- alice left #rust");
    assertThat(plain(frame(Types.QUIT_EVENT, null, Keys.NICK, "alice",
        Keys.REASON, "connection closed"), "bob"))
        .isEqualTo("[14:30:45] -- alice quit (connection closed)");
    assertThat(plain(frame(Types.NICK_CHANGED, null, Keys.OLD, "alice", Keys.NICK, "alice2"),
        "bob")).isEqualTo("[14:30:45] -- alice is now known as alice2");
    assertThat(plain(frame(Types.NOTICE, "restarting in 5 s"), "bob"))
        .isEqualTo("[14:30:45] -- server: restarting in 5 s");
    assertThat(plain(frame(Types.NOTICE, "topic", Keys.ROOM, "rust"), "bob"))
        .isEqualTo("[14:30:45] -- #rust server: topic");
  }

  private static Frame mode(String by, String reason, String... changes) {
    Frame frame = frame(Types.MODE, null, Keys.ROOM, "dev");
    if (by != null) {
      frame.header().put(Keys.BY, by);
    }
    if (reason != null) {
      frame.header().put(Keys.REASON, reason);
    }
    var array = frame.header().putArray(Keys.CHANGES);
    for (String change : changes) {
      String[] parts = change.split(" ", 2);
      var o = array.addObject().put(Keys.MODE, parts[0]);
      if (parts.length == 2) {
        o.put(Keys.ARG, parts[1]);
      }
    }
    return frame;
  }

  @Test
  void moderationLines() {
    assertThat(plain(frame(Types.KICKED, null, Keys.ROOM, "dev", Keys.NICK, "bob",
        Keys.BY, "alice", Keys.REASON, "spam"), "carol"))
        .isEqualTo("[14:30:45] -- bob was kicked from #dev by alice (spam)");
    assertThat(plain(frame(Types.KICKED, null, Keys.ROOM, "dev", Keys.NICK, "bob",
        Keys.BY, "alice", Keys.REASON, ""), "carol"))
        .isEqualTo("[14:30:45] -- bob was kicked from #dev by alice");
    assertThat(plain(frame(Types.TOPIC, null, Keys.ROOM, "dev", Keys.TOPIC, "release friday",
        Keys.BY, "alice"), "carol"))
        .isEqualTo("[14:30:45] -- alice set the topic of #dev: release friday");
    assertThat(plain(frame(Types.TOPIC, null, Keys.ROOM, "dev", Keys.TOPIC, "",
        Keys.BY, "alice"), "carol")).isEqualTo("[14:30:45] -- alice cleared the topic of #dev");
    assertThat(plain(frame(Types.INVITED, null, Keys.ROOM, "dev", Keys.BY, "alice"), "carol"))
        .isEqualTo("[14:30:45] -- alice invites you to #dev (/join dev)");
    assertThat(plain(frame(Types.KILLED, null, Keys.BY, "root", Keys.REASON, "flooding"), "bob"))
        .isEqualTo("!! disconnected from the server by root (flooding)");
  }

  @Test
  void modeChangesInWords() {
    assertThat(plain(mode("alice", "spam", "+b nick:bob"), "carol"))
        .isEqualTo("[14:30:45] -- alice banned bob from #dev (spam)");
    assertThat(plain(mode("alice", null, "-b account:bob"), "carol"))
        .isEqualTo("[14:30:45] -- alice lifted the ban on account:bob in #dev");
    assertThat(plain(mode("alice", null, "+q nick:bob"), "carol"))
        .isEqualTo("[14:30:45] -- alice muted bob in #dev");
    assertThat(plain(mode("alice", null, "+o bob"), "carol"))
        .isEqualTo("[14:30:45] -- alice made bob an operator of #dev");
    assertThat(plain(mode(null, "the last operator left", "+o carol"), "carol"))
        .isEqualTo("[14:30:45] -- the server made carol an operator of #dev (the last operator left)");
    assertThat(plain(mode("alice", null, "-o bob"), "carol"))
        .isEqualTo("[14:30:45] -- alice took operator status on #dev from bob");
    assertThat(plain(mode("alice", null, "+v bob"), "carol"))
        .isEqualTo("[14:30:45] -- alice gave bob voice in #dev");
    assertThat(plain(mode("alice", null, "+i"), "carol"))
        .isEqualTo("[14:30:45] -- alice made #dev invite-only");
    assertThat(plain(mode("alice", null, "+k s3cret"), "carol"))
        .isEqualTo("[14:30:45] -- alice set the key of #dev to s3cret");
    assertThat(plain(mode("alice", null, "-k"), "carol"))
        .isEqualTo("[14:30:45] -- alice removed the key of #dev");
    assertThat(plain(mode("alice", null, "+l 20"), "carol"))
        .isEqualTo("[14:30:45] -- alice limited #dev to 20 members");
    assertThat(plain(mode("alice", null, "+m"), "carol"))
        .isEqualTo("[14:30:45] -- alice made #dev moderated (only operators and voiced members speak)");
    assertThat(plain(mode("alice", null, "-t"), "carol"))
        .isEqualTo("[14:30:45] -- alice let anyone set the topic of #dev");
    assertThat(plain(mode("alice", null, "+I nick:carol"), "bob"))
        .isEqualTo("[14:30:45] -- alice invited carol to #dev");
    assertThat(plain(mode("alice", "lockdown", "+i", "+k s3cret", "-v bob"), "carol"))
        .isEqualTo("[14:30:45] -- alice set modes on #dev: +i +k s3cret -v bob (lockdown)");
    assertThat(format.members("dev", List.of("alice", "bob", "carol"), List.of("alice"),
        List.of("bob"), "carol").plain()).isEqualTo("-- members of #dev: @alice +bob carol");
  }

  @Test
  void errorsAndNotices() {
    assertThat(plain(frame(Types.ERROR, null, Keys.CODE, "no-such-nick",
        Keys.MESSAGE, "nobody is called carol"), "bob")).isEqualTo("!! nobody is called carol");
    assertThat(plain(frame(Types.ERROR, null, Keys.CODE, "no-such-nick"), "bob"))
        .isEqualTo("!! no-such-nick");
    assertThat(format.notice("connection lost").plain()).isEqualTo("-- connection lost");
    assertThat(format.error("boom").plain()).isEqualTo("!! boom");
    assertThat(format.members("lobby", List.of("alice", "bob"), "bob").plain())
        .isEqualTo("-- members of #lobby: alice bob");
    assertThat(format.rooms(List.of(new LineFormatter.RoomCount("lobby", 3),
        new LineFormatter.RoomCount("rust", 1))).plain())
        .isEqualTo("-- rooms: #lobby (3), #rust (1)");
    assertThat(format.rooms(List.of()).plain()).isEqualTo("-- no rooms");
  }

  @Test
  void aMissingTimestampUsesTheClock() {
    ObjectNode header = Json.header(Types.JOINED);
    header.put(Keys.ROOM, "lobby");
    header.put(Keys.NICK, "alice");
    assertThat(format.event(Frame.of(header), "bob").plain())
        .isEqualTo("[14:30:46] -- alice joined #lobby");
  }

  @Test
  void framesThatAreNotShown() {
    assertThat(format.event(frame(Types.OK, null), "bob")).isNull();
    assertThat(format.event(frame(Types.PONG, null), "bob")).isNull();
  }

  @Test
  void nicksHaveTheirColourAndMineIsBold() {
    AttributedString line = format.event(frame(Types.MESSAGE, "hi", Keys.ROOM, "lobby",
        Keys.FROM, "alice"), "bob").text();
    int at = line.toString().indexOf("alice");
    assertThat(line.styleAt(at)).isEqualTo(NickColors.style("alice"));
    AttributedString own = format.event(frame(Types.MESSAGE, "hi", Keys.ROOM, "lobby",
        Keys.FROM, "bob"), "bob").text();
    assertThat(own.styleAt(own.toString().indexOf("bob"))).isEqualTo(NickColors.style("bob").bold());
  }

  @Test
  void aMentionOfMeIsHighlightedAndRings() {
    Line line = format.event(frame(Types.MESSAGE, "hey Bob: look, bob!", Keys.ROOM, "lobby",
        Keys.FROM, "alice"), "bob");
    assertThat(line.bell()).isTrue();
    String text = line.plain();
    AttributedStyle mention = AttributedStyle.DEFAULT.bold().inverse();
    int first = text.indexOf("Bob:");
    int second = text.lastIndexOf("bob!");
    assertThat(line.text().styleAt(first)).isEqualTo(mention);
    assertThat(line.text().styleAt(second + 2)).isEqualTo(mention);
    assertThat(line.text().styleAt(second + 3)).isEqualTo(AttributedStyle.DEFAULT);
    assertThat(line.text().styleAt(text.indexOf("look"))).isEqualTo(AttributedStyle.DEFAULT);

    Line none = format.event(frame(Types.MESSAGE, "bobby and bob_ are not me", Keys.ROOM,
        "lobby", Keys.FROM, "alice"), "bob");
    assertThat(none.bell()).isFalse();
    Line mine = format.event(frame(Types.MESSAGE, "I am bob", Keys.ROOM, "lobby",
        Keys.FROM, "bob"), "bob");
    assertThat(mine.bell()).as("my own message does not ring").isFalse();
  }

  @Test
  void aReplayedMentionDoesNotRing() {
    Frame replay = frame(Types.MESSAGE, "bob: earlier", Keys.ROOM, "lobby", Keys.FROM, "alice");
    replay.header().put(Keys.HISTORY, true);
    Line line = format.event(replay, "bob");
    assertThat(line.bell()).isFalse();
  }

  @Test
  void storedMessagesAreSetApartDimAndDated() {
    Frame replay = frame(Types.MESSAGE, "earlier", Keys.ROOM, "lobby", Keys.FROM, "alice");
    replay.header().put(Keys.HISTORY, true);
    Line line = format.event(replay, "bob");
    assertThat(line.plain()).isEqualTo("[2025-11-21 14:30:45] #lobby <alice> earlier");
    for (int i = 0; i < line.plain().length(); i++) {
      assertThat(line.text().styleAt(i)).isEqualTo(AttributedStyle.DEFAULT.faint());
    }
    Frame privately = frame(Types.PRIVMSG, "psst", Keys.FROM, "alice", Keys.TO, "bob");
    privately.header().put(Keys.HISTORY, true);
    Line stored = format.event(privately, "bob");
    assertThat(stored.plain()).isEqualTo("[2025-11-21 14:30:45] *alice* psst");
    assertThat(stored.bell()).as("a stored private message does not ring").isFalse();
  }

  @Test
  void mentionsAreWholeNicksIgnoringCase() {
    assertThat(Mentions.mentions("alice: hi", "alice")).isTrue();
    assertThat(Mentions.mentions("hi @ALICE.", "alice")).isTrue();
    assertThat(Mentions.mentions("alice", "alice")).isTrue();
    assertThat(Mentions.mentions("malice", "alice")).isFalse();
    assertThat(Mentions.mentions("alice_ is here", "alice")).isFalse();
    assertThat(Mentions.mentions("[alice]", "alice")).isFalse();
    assertThat(Mentions.mentions("anything", "")).isFalse();
    assertThat(Mentions.find("a alice alice", "alice")).containsExactly(2, 8);
  }

  private static Frame file(String type, String id, String... keyValues) {
    Frame f = frame(type, "report.pdf (2.4 MB, application/pdf)", keyValues);
    f.header().put(Keys.KIND, "file").put(Keys.FILE, id).put(Keys.NAME, "report.pdf")
        .put(Keys.SIZE, 2_400_000L).put(Keys.MEDIA_TYPE, "application/pdf")
        .put(Keys.SHA256, "ab".repeat(32));
    return f;
  }

  @Test
  void aSharedFileNamesItsSizeTypeAndHowToGetIt() {
    Line line = format.event(file(Types.MESSAGE, "7f3a3bQQkM2bW1cT5yE9Hg", Keys.ROOM, "lobby",
        Keys.FROM, "alice"), "bob");
    assertThat(line.plain()).isEqualTo(
        "[14:30:45] #lobby alice shared report.pdf (2.4 MB, application/pdf) — /get 7f3a3b");
    assertThat(line.bell()).isFalse();
    assertThat(format.files().get("7f3a3bQQkM2bW1cT5yE9Hg").name()).isEqualTo("report.pdf");

    // Another file starting the same way: both are shown by a longer start.
    assertThat(plain(file(Types.MESSAGE, "7f3a3bZZkM2bW1cT5yE9Hg", Keys.ROOM, "lobby",
        Keys.FROM, "bob"), "bob")).endsWith("— /get 7f3a3bZ");

    // Replayed: dim with its date, like other history.
    Frame old = file(Types.MESSAGE, "9c01deQQkM2bW1cT5yE9Hg", Keys.ROOM, "lobby",
        Keys.FROM, "alice");
    old.header().put(Keys.HISTORY, true);
    Line replayed = format.event(old, "bob");
    assertThat(replayed.plain()).isEqualTo("[2025-11-21 14:30:45] #lobby alice shared "
        + "report.pdf (2.4 MB, application/pdf) — /get 9c01de");
    assertThat(replayed.text().styleAt(0)).isEqualTo(AttributedStyle.DEFAULT.faint());
    assertThat(replayed.text().styleAt(replayed.text().length() - 1))
        .isEqualTo(AttributedStyle.DEFAULT.faint());

    // To or from one person.
    Line mine = format.event(file(Types.PRIVMSG, "aaaaaaQQkM2bW1cT5yE9Hg", Keys.FROM, "bob",
        Keys.TO, "alice"), "alice");
    assertThat(mine.plain()).isEqualTo(
        "[14:30:45] *bob* shared report.pdf (2.4 MB, application/pdf) — /get aaaaaa");
    assertThat(mine.bell()).isTrue();
    assertThat(plain(file(Types.PRIVMSG, "bbbbbbQQkM2bW1cT5yE9Hg", Keys.FROM, "alice",
        Keys.TO, "bob"), "alice")).isEqualTo(
        "[14:30:45] -> *bob* you shared report.pdf (2.4 MB, application/pdf) — /get bbbbbb");

    // A file message without its fields (an older server) shows its readable content.
    assertThat(plain(frame(Types.MESSAGE, "notes.txt (3 B, text/plain)", Keys.ROOM, "lobby",
        Keys.FROM, "alice", Keys.KIND, "file"), "bob"))
        .isEqualTo("[14:30:45] #lobby <alice> notes.txt (3 B, text/plain)");
  }

  @Test
  void listedFilesShowTheirIdStartWhoAndWhen() {
    Line line = format.listedFile(new FileIds.Info("7f3a3bQQkM2bW1cT5yE9Hg", "a b.txt", 999,
        "text/plain"), "alice", TS, "bob");
    assertThat(line.plain())
        .isEqualTo("--   7f3a3b  a b.txt (999 B, text/plain), alice, 2025-11-21 14:30");
    assertThat(format.files().matching("7f3a")).hasSize(1);
  }

  @Test
  void nickColoursAreStableAndSpread() {
    assertThat(NickColors.index("alice")).isEqualTo(NickColors.index("ALICE"));
    assertThat(NickColors.style("bob")).isEqualTo(NickColors.style("bob"));
    long distinct = List.of("alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi")
        .stream().map(NickColors::index).distinct().count();
    assertThat(distinct).isGreaterThanOrEqualTo(4);
    for (String nick : List.of("a", "zz", "Guest_1", "x[]{}")) {
      assertThat(NickColors.index(nick)).isBetween(0, NickColors.PALETTE.size() - 1);
    }
  }
}
