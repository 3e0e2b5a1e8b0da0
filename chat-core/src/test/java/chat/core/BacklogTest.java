package chat.core;

import static org.assertj.core.api.Assertions.assertThat;

import chat.core.Backlog.Kind;
import chat.core.HubAccountsTest.TestClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The slow-reader rule: drop room traffic past the mark, count it, tell, and cut off laggards. */
class BacklogTest {

  private final TestClock clock = new TestClock();
  private final Backlog backlog = new Backlog(
      new SlowReaderLimits(10_000, 50_000, Duration.ofSeconds(30)), clock);

  @Test
  void belowTheMarkEverythingIsDelivered() {
    assertThat(backlog.offer(9_999, true).kind()).isEqualTo(Kind.DELIVER);
    assertThat(backlog.millisUntilOverdue()).isEqualTo(-1);
  }

  @Test
  void pastTheMarkRoomTrafficIsDroppedRepliesAreNotAndCatchingUpTellsHowMany() {
    assertThat(backlog.offer(10_000, true).kind()).isEqualTo(Kind.DROP);
    assertThat(backlog.offer(12_000, true).kind()).isEqualTo(Kind.DROP);
    assertThat(backlog.offer(12_000, false).kind()).isEqualTo(Kind.DELIVER);
    assertThat(backlog.offer(7_000, true).kind()).as("above half the mark: still behind")
        .isEqualTo(Kind.DROP);
    Backlog.Decision caughtUp = backlog.check(5_000);
    assertThat(caughtUp.kind()).isEqualTo(Kind.CAUGHT_UP);
    assertThat(caughtUp.notice().text()).startsWith("3 messages were not sent to you");
    assertThat(backlog.offer(5_000, true).kind()).isEqualTo(Kind.DELIVER);
    assertThat(backlog.dropped()).isZero();
  }

  @Test
  void dropsAreAlsoCountedForTheWholeServer() {
    java.util.concurrent.atomic.LongAdder total = new java.util.concurrent.atomic.LongAdder();
    Backlog one = new Backlog(new SlowReaderLimits(10_000, 50_000, Duration.ofSeconds(30)), clock, total);
    Backlog two = new Backlog(new SlowReaderLimits(10_000, 50_000, Duration.ofSeconds(30)), clock, total);
    one.offer(10_000, true);
    one.offer(10_000, true);
    two.offer(10_000, true);
    two.offer(10_000, false);
    assertThat(total.sum()).isEqualTo(3);
    one.check(0); // caught up: the member's own count starts again, the server's does not
    assertThat(total.sum()).isEqualTo(3);
  }

  @Test
  void behindForTooLongOrTooFarIsDisconnected() {
    assertThat(backlog.offer(20_000, true).kind()).isEqualTo(Kind.DROP);
    assertThat(backlog.millisUntilOverdue()).isEqualTo(30_000);
    clock.millis.addAndGet(29_999);
    assertThat(backlog.check(20_000).kind()).isEqualTo(Kind.DELIVER);
    clock.millis.addAndGet(1);
    Backlog.Decision late = backlog.check(20_000);
    assertThat(late.kind()).isEqualTo(Kind.DISCONNECT);
    assertThat(late.reason()).isEqualTo("too slow: behind for 30 s");

    Backlog other = new Backlog(new SlowReaderLimits(10_000, 50_000, Duration.ofSeconds(30)), clock);
    Backlog.Decision far = other.offer(50_001, false);
    assertThat(far.kind()).isEqualTo(Kind.DISCONNECT);
    assertThat(far.reason()).contains("50000 bytes");
  }

  @Test
  void onlyRoomTrafficMayBeDropped() {
    Event message = new Event.RoomMessage("lobby", "m1", 1, 0, "a", MessageKind.TEXT, "x");
    assertThat(Backlog.droppable(message, null)).isTrue();
    assertThat(Backlog.droppable(message, "7")).isFalse();
    assertThat(Backlog.droppable(new Event.History(message), null)).isFalse();
    assertThat(Backlog.droppable(new Event.Notice(null, "x", 0), null)).isFalse();
    assertThat(Backlog.droppable(new Event.Quit("a", "r", 0), null)).isTrue();
    assertThat(Backlog.droppable(new Event.Killed("root", "bye", 0), null)).isFalse();
    assertThat(Backlog.droppable(new Event.TopicChanged("lobby", "t", "a", 0), null)).isFalse();
  }

  @Test
  void theTokenBucketRefillsWithTheClockAndAllowsBoundedDebt() {
    TokenBucket bucket = new TokenBucket(4, 2, clock.millis());
    assertThat(bucket.tryTake(4, clock.millis())).isTrue();
    assertThat(bucket.tryTake(1, clock.millis())).isFalse();
    assertThat(bucket.takeWithDebt(3, 4, clock.millis())).isTrue();
    assertThat(bucket.takeWithDebt(2, 4, clock.millis())).isFalse();
    assertThat(bucket.millisUntil(1, clock.millis())).isEqualTo(2000);
    clock.millis.addAndGet(10_000);
    assertThat(bucket.isFull(clock.millis())).isTrue();
  }
}
