package chat.core;

import static org.assertj.core.api.Assertions.assertThat;

import chat.core.Command.Hello;
import chat.core.Command.Join;
import chat.core.Command.SayToRoom;
import chat.core.HubAccountsTest.TestClock;
import chat.core.Reply.Failed;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Flood control, connection limits, the hello deadline and rooms per session, on a hand-moved clock. */
class HubLimitsTest {

  private final TestClock clock = new TestClock();
  private static final FloodLimits FLOOD = new FloodLimits(10, 2, 20, 4, 2, 5,
      Duration.ofSeconds(20));

  private Hub hub(CoreLimits limits) {
    return new Hub(limits, clock);
  }

  private record User(Session session, RecordingSink sink) {}

  private static User connect(Hub hub, String nick, String remote) {
    RecordingSink sink = new RecordingSink();
    Session session = hub.open(sink, remote);
    hub.handle(session, "hello", new Hello(nick));
    return new User(session, sink);
  }

  private static void say(Hub hub, User user, String id) {
    hub.handle(user.session(), id, new SayToRoom("lobby", MessageKind.TEXT, id));
  }

  private static Failed lastFailure(User user) {
    return (Failed) user.sink().last();
  }

  @Test
  void aBurstPassesThenTheSenderIsPushedBackOnceNoticedThenRefused() {
    Hub hub = hub(CoreLimits.DEFAULT.withFlood(FLOOD));
    User alice = connect(hub, "alice", "10.0.0.1"); // hello costs 1: 9 tokens left
    for (int i = 0; i < 9; i++) {
      say(hub, alice, "m" + i);
    }
    assertThat(alice.sink().pauses).isEmpty();
    assertThat(alice.sink().of(Event.Notice.class)).isEmpty();

    say(hub, alice, "over"); // into debt: handled, but the door is asked to stop reading
    assertThat(alice.sink().pauses).hasSize(1);
    assertThat(alice.sink().pauses.get(0)).isPositive();
    assertThat(alice.sink().of(Event.Notice.class)).singleElement()
        .satisfies(n -> assertThat(n.text()).startsWith("slow down").contains("2 requests per second"));
    assertThat(alice.sink().of(Event.RoomMessage.class)).extracting(Event.RoomMessage::text)
        .contains("over");

    for (int i = 0; i < 9; i++) { // the rest of one burst of debt: still handled, no new notice
      say(hub, alice, "d" + i);
    }
    assertThat(alice.sink().of(Event.Notice.class)).hasSize(1);
    say(hub, alice, "refused");
    Failed refused = lastFailure(alice);
    assertThat(refused.error()).isEqualTo(CoreError.RATE_LIMITED);
    assertThat(refused.message()).contains("2 requests per second").contains("bursts of 10");
    assertThat(alice.sink().of(Event.RoomMessage.class)).extracting(Event.RoomMessage::text)
        .doesNotContain("refused");

    clock.millis.addAndGet(15_000); // the debt is paid and the bucket full again
    say(hub, alice, "later");
    assertThat(alice.sink().last()).isInstanceOf(Event.RoomMessage.class);
  }

  @Test
  void sustainedFloodingEndsInADisconnectWithAReason() {
    Hub hub = hub(CoreLimits.DEFAULT.withFlood(FLOOD));
    User bob = connect(hub, "bob", "10.0.0.2");
    User alice = connect(hub, "alice", "10.0.0.1");
    int sent = 0;
    while (alice.sink().fatal == null && sent < 10_000) {
      say(hub, alice, "f" + sent++);
      clock.millis.addAndGet(100); // 10 per second against an allowance of 2
    }
    assertThat(alice.sink().fatal).isEqualTo(CoreError.FLOODING);
    assertThat(alice.sink().closedWith).contains("excess flood");
    assertThat(alice.session().isClosed()).isTrue();
    assertThat(bob.sink().of(Event.Quit.class)).singleElement()
        .satisfies(q -> assertThat(q.reason()).contains("excess flood"));
    // pushed back for 20 s without a break: about 20 s of sending, not the first refusal
    assertThat(sent).isBetween(150, 260);
  }

  @Test
  void requestsThatCostWorkWeighMore() {
    Hub hub = hub(CoreLimits.DEFAULT.withFlood(FLOOD));
    User alice = connect(hub, "alice", "10.0.0.1"); // 9 left
    for (int i = 0; i < 4; i++) {
      hub.handle(alice.session(), "j" + i, new Join("r" + i)); // 2 each: 1 left
    }
    assertThat(alice.sink().pauses).isEmpty();
    hub.handle(alice.session(), "j4", new Join("r4"));
    assertThat(alice.sink().pauses).hasSize(1);
  }

  @Test
  void anAccountsConnectionsShareOneAllowance() {
    FloodControl flood = new FloodControl(FLOOD.withAccountRate(12, 1), clock);
    Hub hub = hub(CoreLimits.DEFAULT.withFlood(FloodLimits.OFF));
    Session one = hub.open(new RecordingSink(), "10.0.0.1");
    Session two = hub.open(new RecordingSink(), "10.0.0.2");
    one.account("carol", false);
    two.account("Carol", false);
    for (int i = 0; i < 6; i++) {
      assertThat(flood.admit(one, 1).outcome()).isEqualTo(FloodControl.Outcome.PASS);
      assertThat(flood.admit(two, 1).outcome()).isEqualTo(FloodControl.Outcome.PASS);
    }
    // each connection has 4 of its own 10 left, but the account's 12 are spent
    assertThat(flood.admit(one, 1).outcome()).isEqualTo(FloodControl.Outcome.PAUSE);
  }

  @Test
  void doorAnsweredRequestsCountToo() {
    Hub hub = hub(CoreLimits.DEFAULT.withFlood(FLOOD));
    User alice = connect(hub, "alice", "10.0.0.1");
    int charged = 0;
    while (hub.charge(alice.session(), "p" + charged) && charged < 100) {
      charged++;
    }
    assertThat(charged).isEqualTo(9 + 10); // the burst, then one burst of debt
    assertThat(lastFailure(alice).error()).isEqualTo(CoreError.RATE_LIMITED);
  }

  @Test
  void anAddressMayHoldSoManyConnectionsAndOpenThemSoFast() {
    Hub hub = hub(CoreLimits.DEFAULT.withConnections(new ConnectionLimits(3, 5, 1,
        Duration.ofSeconds(10))));
    RecordingSink[] sinks = new RecordingSink[4];
    Session[] sessions = new Session[4];
    for (int i = 0; i < 4; i++) {
      sinks[i] = new RecordingSink();
      sessions[i] = hub.open(sinks[i], "192.0.2.7");
    }
    assertThat(sessions[3].isClosed()).isTrue();
    assertThat(sinks[3].fatal).isEqualTo(CoreError.TOO_MANY_CONNECTIONS);
    assertThat(((Failed) sinks[3].last()).message()).contains("192.0.2.7").contains("limit per address is 3");
    assertThat(hub.sessionCount()).isEqualTo(3);
    assertThat(hub.open(new RecordingSink(), "192.0.2.8").isClosed()).isFalse();

    hub.disconnect(sessions[0], "gone"); // frees a place; the refused one never held one
    hub.disconnect(sessions[3], "gone");
    assertThat(hub.open(new RecordingSink(), "192.0.2.7").isClosed()).isFalse();
    hub.disconnect(sessions[1], "gone");
    assertThat(hub.open(new RecordingSink(), "192.0.2.7").isClosed()).isFalse();
    hub.disconnect(sessions[2], "gone");
    // 5 connects in the burst are used up (refusals take none): the next must wait a second
    RecordingSink fast = new RecordingSink();
    assertThat(hub.open(fast, "192.0.2.7").isClosed()).isTrue();
    assertThat(fast.fatal).isEqualTo(CoreError.CONNECTING_TOO_FAST);
    clock.millis.addAndGet(1000);
    assertThat(hub.open(new RecordingSink(), "192.0.2.7").isClosed()).isFalse();
  }

  @Test
  void ipv6AddressesCountByTheirSlash64() {
    assertThat(AddressLimits.key("2001:db8:1:2:aaaa::1")).isEqualTo("2001:db8:1:2::/64");
    assertThat(AddressLimits.key("2001:db8:1:2:bbbb::9")).isEqualTo("2001:db8:1:2::/64");
    assertThat(AddressLimits.key("2001:db8:1:3::1")).isEqualTo("2001:db8:1:3::/64");
    assertThat(AddressLimits.key("::ffff:192.0.2.1")).isEqualTo("192.0.2.1");
    assertThat(AddressLimits.key("192.0.2.1")).isEqualTo("192.0.2.1");
    assertThat(AddressLimits.key("embedded")).isEqualTo("embedded");
  }

  @Test
  void aSessionThatDoesNotSayHelloInTimeIsClosed() {
    Hub hub = hub(CoreLimits.DEFAULT);
    RecordingSink sink = new RecordingSink();
    Session silent = hub.open(sink, "10.0.0.1");
    User alice = connect(hub, "alice", "10.0.0.2");
    hub.helloDeadline(silent);
    hub.helloDeadline(alice.session());
    assertThat(sink.fatal).isEqualTo(CoreError.HELLO_TIMEOUT);
    assertThat(sink.closedWith).isEqualTo("no hello within 15 s");
    assertThat(silent.isClosed()).isTrue();
    assertThat(alice.session().isReady()).isTrue();
    assertThat(alice.sink().fatal).isNull();
    assertThat(hub.sessionCount()).isEqualTo(1);
  }

  @Test
  void joiningMoreRoomsThanTheLimitIsRefusedPolitely() {
    Hub hub = hub(CoreLimits.DEFAULT.withFlood(FloodLimits.OFF).withMaxRoomsPerSession(5));
    User alice = connect(hub, "alice", "10.0.0.1"); // in lobby
    for (int i = 1; i < 5; i++) {
      hub.handle(alice.session(), "j" + i, new Join("room" + i));
      assertThat(alice.sink().last()).isInstanceOf(Reply.JoinedRoom.class);
    }
    hub.handle(alice.session(), "x", new Join("room5"));
    Failed refused = lastFailure(alice);
    assertThat(refused.error()).isEqualTo(CoreError.TOO_MANY_ROOMS);
    assertThat(refused.message()).contains("limit per session is 5");
    hub.handle(alice.session(), "again", new Join("room1")); // already in: still fine
    assertThat(alice.sink().last()).isInstanceOf(Reply.JoinedRoom.class);
    hub.handle(alice.session(), "l", new Command.Leave("room1", null));
    hub.handle(alice.session(), "y", new Join("room5"));
    assertThat(alice.sink().last()).isInstanceOf(Reply.JoinedRoom.class);
  }

  @Test
  void theSizeLimitsAreTheHubsOwnAndConfigurable() {
    Hub hub = hub(CoreLimits.DEFAULT.withSizes(new SizeLimits(5, 4, 3, 2, 1, 1, 1, 1)));
    User alice = connect(hub, "alice", "10.0.0.1");
    hub.handle(alice.session(), "j", new Join("dev")); // made: its operator
    hub.handle(alice.session(), "a", new Command.SetAway("gone fishing"));
    assertThat(alice.sink().last()).isEqualTo(new Reply.AwaySet("gone"));
    hub.handle(alice.session(), "r", new Command.SetRealname("Alice Liddell"));
    assertThat(alice.sink().last()).isEqualTo(new Reply.RealnameSet("Ali"));
    hub.handle(alice.session(), "k", new Command.Mode("dev",
        List.of(ModeChange.set(RoomMode.KEY, "abc")), null));
    assertThat(lastFailure(alice).error()).isEqualTo(CoreError.INVALID_MODE);
    hub.handle(alice.session(), "m", new Command.Mode("dev",
        List.of(ModeChange.set(RoomMode.MODERATED, null), ModeChange.set(RoomMode.INVITE_ONLY,
            null)), null));
    assertThat(lastFailure(alice).message()).contains("at most 1 changes");
    hub.handle(alice.session(), "b1", new Command.Mode("dev",
        List.of(ModeChange.set(RoomMode.BAN, "bob")), null));
    hub.handle(alice.session(), "b2", new Command.Mode("dev",
        List.of(ModeChange.set(RoomMode.BAN, "carol")), null));
    assertThat(lastFailure(alice).message()).contains("is full (1)");
    assertThat(CoreLimits.DEFAULT.sizes()).isEqualTo(SizeLimits.DEFAULT);
  }

  @Test
  void theTopicLimitIsConfigurable() {
    assertThat(CoreLimits.DEFAULT.maxTopicLength()).isEqualTo(Moderation.MAX_TOPIC_LENGTH);
    assertThat(Moderation.topicProblem("12345678", 8)).isNull();
    assertThat(Moderation.topicProblem("123456789", 8)).isEqualTo("topic is longer than 8 characters");
  }

  @Test
  void theLogLimiterLetsOneLineAMinuteThroughAndCountsTheRest() {
    LogLimiter limiter = new LogLimiter(clock);
    assertThat(limiter.permit()).isZero();
    assertThat(limiter.permit()).isEqualTo(-1);
    assertThat(limiter.permit()).isEqualTo(-1);
    clock.millis.addAndGet(60_000);
    assertThat(limiter.permit()).isEqualTo(2);
  }
}
