package chat.core;

import static org.assertj.core.api.Assertions.assertThat;

import chat.core.Command.Hello;
import chat.core.Command.Join;
import chat.core.Command.Leave;
import chat.core.Command.SayToNick;
import chat.core.Command.SayToRoom;
import chat.core.Command.SetNick;
import chat.core.Reply.Failed;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HubTest {

  private static final long NOW = 1_763_721_045_000L;
  // Flood control is tested on its own (HubLimitsTest); here a fixed clock would starve it.
  private final Hub hub = new Hub(CoreLimits.DEFAULT.withFlood(FloodLimits.OFF),
      Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC));

  private record User(Session session, RecordingSink sink) {}

  private User connect(String nick) {
    RecordingSink sink = new RecordingSink();
    Session session = hub.open(sink, "test");
    hub.handle(session, "hello", new Hello(nick));
    return new User(session, sink);
  }

  private static Failed failure(User user) {
    return (Failed) user.sink().last();
  }

  @Test
  void helloWelcomesAndJoinsTheDefaultRoom() {
    User alice = connect("alice");
    assertThat(alice.sink().all()).containsExactly(
        new Reply.Welcome("alice"),
        new Event.Joined("lobby", "alice", NOW));
    assertThat(alice.sink().calls.get(0).id()).isEqualTo("hello");
  }

  @Test
  void noNickOrEmptyNickGetsAGuestNick() {
    User first = connect(null);
    User second = connect("");
    assertThat(first.session().nick()).matches("Guest_\\d+");
    assertThat(second.session().nick()).matches("Guest_\\d+").isNotEqualTo(first.session().nick());
  }

  @Test
  void nicksAreUniqueIgnoringCase() {
    connect("alice");
    User other = connect("ALICE");
    assertThat(failure(other).error()).isEqualTo(CoreError.NICK_IN_USE);
    assertThat(other.session().isReady()).isFalse();
  }

  @Test
  void invalidNickIsRefusedAndTheSessionMayTryAgain() {
    User user = connect("1bad");
    assertThat(failure(user).error()).isEqualTo(CoreError.INVALID_NICK);
    hub.handle(user.session(), "2", new Hello("good"));
    assertThat(user.session().nick()).isEqualTo("good");
  }

  @Test
  void commandsBeforeHelloAreRefused() {
    RecordingSink sink = new RecordingSink();
    Session session = hub.open(sink, "test");
    hub.handle(session, "1", new Join("x"));
    assertThat(((Failed) sink.last()).error()).isEqualTo(CoreError.NOT_READY);
    assertThat(sink.lastCall().id()).isEqualTo("1");
  }

  @Test
  void secondHelloIsRefused() {
    User alice = connect("alice");
    hub.handle(alice.session(), "2", new Hello("alice2"));
    assertThat(failure(alice).error()).isEqualTo(CoreError.ALREADY_READY);
  }

  @Test
  void joinNoticesGoToEveryMemberAndTheReplyListsMembers() {
    User alice = connect("alice");
    User bob = connect("bob");
    alice.sink().clear();
    bob.sink().clear();
    hub.handle(bob.session(), "j", new Join("#Rust"));
    assertThat(bob.sink().all()).containsExactly(
        new Event.Joined("Rust", "bob", NOW),
        new Reply.JoinedRoom("Rust", List.of("bob"), List.of("bob"), List.of(), null,
            RoomModes.DEFAULT));
    hub.handle(alice.session(), "j", new Join("rust"));
    assertThat(bob.sink().last()).isEqualTo(new Event.Joined("Rust", "alice", NOW));
    assertThat(alice.sink().last()).isEqualTo(new Reply.JoinedRoom("Rust",
        List.of("bob", "alice"), List.of("bob"), List.of(), null, RoomModes.DEFAULT));
  }

  @Test
  void leaveNotifiesMembersAndEmptyRoomsDisappear() {
    User alice = connect("alice");
    User bob = connect("bob");
    hub.handle(alice.session(), "1", new Join("rust"));
    hub.handle(bob.session(), "1", new Join("rust"));
    hub.handle(alice.session(), "2", new Leave("rust", "bye"));
    assertThat(bob.sink().all()).endsWith(new Event.Left("rust", "alice", "bye", NOW),
        new Event.ModeChanged("rust", null, List.of(ModeChange.set(RoomMode.OP, "bob")),
            Moderation.SUCCESSION_REASON, NOW, 1));
    assertThat(alice.sink().all()).endsWith(
        new Event.Left("rust", "alice", "bye", NOW), new Reply.LeftRoom("rust"));
    hub.handle(bob.session(), "3", new Leave("rust", null));
    hub.handle(bob.session(), "4", new Command.ListRooms());
    assertThat(bob.sink().last()).isEqualTo(new Reply.RoomList(List.of(
        new Reply.RoomInfo("lobby", 2))));
  }

  @Test
  void leavingARoomOneIsNotInIsAnError() {
    User alice = connect("alice");
    hub.handle(alice.session(), "1", new Leave("nowhere", null));
    assertThat(failure(alice).error()).isEqualTo(CoreError.NOT_IN_ROOM);
  }

  @Test
  void roomsListsMemberCountsAndWhoListsMembers() {
    User alice = connect("alice");
    User bob = connect("bob");
    hub.handle(alice.session(), "1", new Join("zeta"));
    hub.handle(alice.session(), "2", new Command.ListRooms());
    assertThat(alice.sink().last()).isEqualTo(new Reply.RoomList(List.of(
        new Reply.RoomInfo("lobby", 2), new Reply.RoomInfo("zeta", 1))));
    hub.handle(bob.session(), "3", new Command.Who("#lobby"));
    assertThat(bob.sink().last()).isEqualTo(new Reply.Members("lobby", List.of("alice", "bob"),
        List.of(), List.of(), List.of(
            new Reply.UserInfo("alice", null, null, null, false, List.of()),
            new Reply.UserInfo("bob", null, null, null, false, List.of())), false));
    hub.handle(bob.session(), "4", new Command.Who("nope"));
    assertThat(failure(bob).error()).isEqualTo(CoreError.NO_SUCH_ROOM);
  }

  @Test
  void roomMessageReachesEveryMemberAndTheSendersCopyIsTheReply() {
    User alice = connect("alice");
    User bob = connect("bob");
    User carol = connect("carol");
    hub.handle(carol.session(), "x", new Leave("lobby", null));
    hub.handle(alice.session(), "m1", new SayToRoom("lobby", MessageKind.TEXT, "hi"));
    Event.RoomMessage seen = (Event.RoomMessage) bob.sink().last();
    assertThat(seen.room()).isEqualTo("lobby");
    assertThat(seen.from()).isEqualTo("alice");
    assertThat(seen.text()).isEqualTo("hi");
    assertThat(seen.seq()).isEqualTo(1);
    assertThat(seen.ts()).isEqualTo(NOW);
    assertThat(alice.sink().lastCall()).isEqualTo(new RecordingSink.Call(seen, "m1"));
    assertThat(bob.sink().lastCall().id()).isNull();
    assertThat(carol.sink().of(Event.RoomMessage.class)).isEmpty();
  }

  @Test
  void theSenderIsConfirmedOnlyOnceEveryOtherMemberHasTheMessage() {
    // alice joins first, so she comes first in the room's members: her confirmation still comes
    // last, and a client that syncs after her echo finds the message queued for everyone
    List<Integer> othersHoldingIt = new ArrayList<>();
    List<User> others = new ArrayList<>();
    EventSink aliceSink = new EventSink() {
      @Override
      public void event(Event event, String replyId) {
        if ("m1".equals(replyId)) {
          for (User other : others) {
            othersHoldingIt.add(other.sink().of(Event.RoomMessage.class).size());
          }
        }
      }

      @Override
      public void reply(String replyId, Reply reply) {}

      @Override
      public void close(String reason) {}
    };
    Session alice = hub.open(aliceSink, "test");
    hub.handle(alice, "hello", new Hello("alice"));
    others.add(connect("bob"));
    others.add(connect("carol"));
    others.add(connect("dave"));
    hub.handle(alice, "m1", new SayToRoom("lobby", MessageKind.TEXT, "hi"));
    assertThat(othersHoldingIt).containsExactly(1, 1, 1);
  }

  @Test
  void sequenceCountsUpPerRoomAndMessageIdsAreUnique() {
    User alice = connect("alice");
    hub.handle(alice.session(), "j", new Join("other"));
    for (int i = 0; i < 3; i++) {
      hub.handle(alice.session(), "a" + i, new SayToRoom("lobby", MessageKind.TEXT, "l" + i));
      hub.handle(alice.session(), "b" + i, new SayToRoom("other", MessageKind.ACTION, "o" + i));
    }
    List<Event.RoomMessage> messages = alice.sink().of(Event.RoomMessage.class);
    assertThat(messages.stream().filter(m -> m.room().equals("lobby")).map(Event.RoomMessage::seq))
        .containsExactly(1L, 2L, 3L);
    assertThat(messages.stream().filter(m -> m.room().equals("other")).map(Event.RoomMessage::seq))
        .containsExactly(1L, 2L, 3L);
    assertThat(messages.stream().map(Event.RoomMessage::msgId).distinct()).hasSize(6);
    assertThat(messages.get(1).kind()).isEqualTo(MessageKind.ACTION);
  }

  @Test
  void messagesToARoomOneIsNotInAreRefused() {
    User alice = connect("alice");
    User bob = connect("bob");
    hub.handle(bob.session(), "j", new Join("secret"));
    hub.handle(alice.session(), "m", new SayToRoom("secret", MessageKind.TEXT, "hi"));
    assertThat(failure(alice).error()).isEqualTo(CoreError.NOT_IN_ROOM);
    assertThat(bob.sink().of(Event.RoomMessage.class)).isEmpty();
  }

  @Test
  void emptyAndOverlongMessagesAreRefusedNamingTheLimit() {
    User alice = connect("alice");
    hub.handle(alice.session(), "1", new SayToRoom("lobby", MessageKind.TEXT, ""));
    assertThat(failure(alice).error()).isEqualTo(CoreError.EMPTY_MESSAGE);
    hub.handle(alice.session(), "2", new SayToRoom("lobby", MessageKind.TEXT, "\u00e9".repeat(2049)));
    assertThat(failure(alice).error()).isEqualTo(CoreError.MESSAGE_TOO_LONG);
    assertThat(failure(alice).message()).contains("4098").contains("4096");
    hub.handle(alice.session(), "3", new SayToRoom("lobby", MessageKind.TEXT, "\u00e9".repeat(2048)));
    assertThat(alice.sink().last()).isInstanceOf(Event.RoomMessage.class);
  }

  @Test
  void privateMessageGoesToRecipientAndSenderOnly() {
    User alice = connect("alice");
    User bob = connect("bob");
    User carol = connect("carol");
    hub.handle(alice.session(), "p", new SayToNick("BOB", MessageKind.TEXT, "psst"));
    Event.PrivateMessage got = (Event.PrivateMessage) bob.sink().last();
    assertThat(got.from()).isEqualTo("alice");
    assertThat(got.to()).isEqualTo("bob");
    assertThat(got.text()).isEqualTo("psst");
    assertThat(alice.sink().lastCall()).isEqualTo(new RecordingSink.Call(got, "p"));
    assertThat(carol.sink().of(Event.PrivateMessage.class)).isEmpty();
    hub.handle(alice.session(), "q", new SayToNick("nobody", MessageKind.TEXT, "x"));
    assertThat(failure(alice).error()).isEqualTo(CoreError.NO_SUCH_NICK);
  }

  @Test
  void nickChangeIsAnnouncedOnceToEveryoneSharingARoom() {
    User alice = connect("alice");
    User bob = connect("bob");
    User carol = connect("carol");
    hub.handle(carol.session(), "l", new Leave("lobby", null));
    hub.handle(alice.session(), "j", new Join("two"));
    hub.handle(bob.session(), "j", new Join("two"));
    hub.handle(alice.session(), "n", new SetNick("alicia"));
    assertThat(alice.sink().last()).isEqualTo(new Reply.NickSet("alicia"));
    assertThat(bob.sink().of(Event.NickChanged.class))
        .containsExactly(new Event.NickChanged("alice", "alicia", NOW));
    assertThat(carol.sink().of(Event.NickChanged.class)).isEmpty();
    // the old nick is free again, the new one is taken
    User newAlice = connect("alice");
    assertThat(newAlice.session().isReady()).isTrue();
    hub.handle(bob.session(), "n", new SetNick("ALICIA"));
    assertThat(failure(bob).error()).isEqualTo(CoreError.NICK_IN_USE);
  }

  @Test
  void changingOnlyTheCaseOfOnesOwnNickIsAllowed() {
    User alice = connect("alice");
    hub.handle(alice.session(), "n", new SetNick("Alice"));
    assertThat(alice.sink().last()).isEqualTo(new Reply.NickSet("Alice"));
    assertThat(alice.session().nick()).isEqualTo("Alice");
  }

  @Test
  void quitIsAnnouncedOnceWithItsReasonAndFreesTheNick() {
    User alice = connect("alice");
    User bob = connect("bob");
    hub.handle(alice.session(), "j", new Join("two"));
    hub.handle(bob.session(), "j", new Join("two"));
    hub.handle(alice.session(), "q", new Command.Quit("dinner"));
    assertThat(alice.sink().closedWith).isEqualTo("quit");
    assertThat(bob.sink().of(Event.Quit.class)).containsExactly(new Event.Quit("alice", "dinner", NOW));
    hub.handle(bob.session(), "w", new Command.Who("two"));
    // bob is operator now: status passed on when alice, the last one, left.
    assertThat(bob.sink().last()).isEqualTo(
        new Reply.Members("two", List.of("bob"), List.of("bob"), List.of(),
            List.of(new Reply.UserInfo("bob", null, null, null, false, List.of())), false));
    hub.disconnect(alice.session(), "again");
    assertThat(bob.sink().of(Event.Quit.class)).hasSize(1);
    assertThat(connect("alice").session().isReady()).isTrue();
    assertThat(hub.sessionCount()).isEqualTo(2);
  }

  @Test
  void vanishedConnectionIsAnnouncedWithTheDoorsReason() {
    User alice = connect("alice");
    User bob = connect("bob");
    hub.disconnect(alice.session(), "connection reset");
    assertThat(bob.sink().last()).isEqualTo(new Event.Quit("alice", "connection reset", NOW));
  }

  @Test
  void shutdownNoticesAndClosesEverySession() {
    User alice = connect("alice");
    User bob = connect("bob");
    hub.shutdown("going down");
    for (User user : List.of(alice, bob)) {
      assertThat(user.sink().last()).isEqualTo(new Event.Notice(null, "going down", NOW));
      assertThat(user.sink().closedWith).isEqualTo("going down");
    }
    hub.disconnect(alice.session(), "closed");
    assertThat(bob.sink().of(Event.Quit.class)).as("no quit storm during shutdown").isEmpty();
    User late = connect("late");
    assertThat(failure(late).error()).isEqualTo(CoreError.SHUTTING_DOWN);
  }

  @Test
  void concurrentSendersProduceOneOrderSeenByEveryMember() throws Exception {
    int senders = 4;
    int perSender = 500;
    List<User> users = new ArrayList<>();
    for (int i = 0; i < senders + 2; i++) {
      users.add(connect("u" + i));
    }
    ExecutorService pool = Executors.newFixedThreadPool(senders);
    CountDownLatch start = new CountDownLatch(1);
    try {
      for (int s = 0; s < senders; s++) {
        User sender = users.get(s);
        pool.submit(() -> {
          start.await();
          for (int i = 0; i < perSender; i++) {
            hub.handle(sender.session(), null, new SayToRoom("lobby", MessageKind.TEXT, "m" + i));
          }
          return null;
        });
      }
      start.countDown();
      pool.shutdown();
      assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      pool.shutdownNow();
    }
    List<String> reference = null;
    for (User user : users) {
      List<Event.RoomMessage> got = user.sink().of(Event.RoomMessage.class);
      assertThat(got).hasSize(senders * perSender);
      for (int i = 0; i < got.size(); i++) {
        assertThat(got.get(i).seq()).isEqualTo(i + 1);
      }
      List<String> ids = got.stream().map(Event.RoomMessage::msgId).toList();
      if (reference == null) {
        reference = ids;
      } else {
        assertThat(ids).isEqualTo(reference);
      }
    }
  }
}
