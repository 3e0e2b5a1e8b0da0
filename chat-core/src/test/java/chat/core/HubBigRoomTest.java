package chat.core;

import static org.assertj.core.api.Assertions.assertThat;

import chat.core.Command.Hello;
import chat.core.Command.Join;
import chat.core.Command.Leave;
import chat.core.Command.SayToRoom;
import chat.core.Command.SetAway;
import chat.core.Command.Who;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Big rooms (docs/ARCHITECTURE.md, "Big rooms"): above the presence limit a room is quiet, so a
 * join costs the same however many people are there.
 */
class HubBigRoomTest {

  private static final int LIMIT = 10;

  private record User(Session session, RecordingSink sink) {}

  private final Hub hub = new Hub(CoreLimits.DEFAULT.withPresenceLimit(LIMIT),
      java.time.Clock.systemUTC());
  private final List<User> users = new ArrayList<>();

  private User connect(String nick) {
    RecordingSink sink = new RecordingSink();
    Session session = hub.open(sink, "10.0.0." + (users.size() + 1));
    hub.handle(session, "hello", new Hello(nick));
    hub.handle(session, "j", new Join("big", null, -1));
    User user = new User(session, sink);
    users.add(user);
    return user;
  }

  private static Reply.JoinedRoom joinReply(User user) {
    return user.sink().of(Reply.JoinedRoom.class).getLast();
  }

  @Test
  void aRoomAboveTheLimitGoesQuietAndAJoinNamesOnlyTheJoiner() {
    for (int i = 0; i < LIMIT; i++) {
      connect("u" + i);
    }
    User first = users.get(0);
    assertThat(first.sink().of(Event.Joined.class).stream().filter(j -> j.room().equals("big")).toList()).hasSize(LIMIT); // itself and nine others
    assertThat(joinReply(users.get(LIMIT - 1)).members()).hasSize(LIMIT);
    assertThat(joinReply(users.get(LIMIT - 1)).quiet()).isFalse();

    User over = connect("over");
    Reply.JoinedRoom reply = joinReply(over);
    assertThat(reply.quiet()).isTrue();
    assertThat(reply.count()).isEqualTo(LIMIT + 1);
    assertThat(reply.members()).containsExactly("over");
    // Everyone else hears the room went quiet instead of the arrival; the joiner hears its own.
    assertThat(first.sink().of(Event.Joined.class).stream().filter(j -> j.room().equals("big")).toList()).extracting(Event.Joined::nick)
        .doesNotContain("over");
    assertThat(first.sink().of(Event.RoomPresence.class).stream().filter(p -> p.room().equals("big")).toList()).singleElement()
        .satisfies(p -> {
          assertThat(p.quiet()).isTrue();
          assertThat(p.count()).isEqualTo(LIMIT + 1);
          assertThat(p.members()).isEmpty();
        });
    assertThat(over.sink().of(Event.RoomPresence.class).stream().filter(p -> p.room().equals("big")).toList()).isEmpty();
    assertThat(over.sink().of(Event.Joined.class).stream().filter(j -> j.room().equals("big")).toList()).extracting(Event.Joined::nick)
        .containsExactly("over");

    User later = connect("later");
    assertThat(first.sink().of(Event.Joined.class).stream().filter(j -> j.room().equals("big")).toList()).hasSize(LIMIT);
    assertThat(first.sink().of(Event.RoomPresence.class).stream().filter(p -> p.room().equals("big")).toList()).hasSize(1);
    assertThat(joinReply(later).count()).isEqualTo(LIMIT + 2);

    // Messages still reach everyone.
    hub.handle(later.session(), "m", new SayToRoom("big", MessageKind.TEXT, "hello all"));
    for (User user : users) {
      assertThat(user.sink().of(Event.RoomMessage.class)).extracting(Event.RoomMessage::text)
          .contains("hello all");
    }
    // Who lists every member, on demand.
    hub.handle(first.session(), "w", new Who("big"));
    assertThat(first.sink().of(Reply.Members.class).getLast().members()).hasSize(LIMIT + 2);
  }

  @Test
  void departuresNickAndAwayChangesInAQuietRoomAreToldToNobodyElse() {
    for (int i = 0; i < LIMIT + 3; i++) {
      connect("u" + i);
    }
    User first = users.get(0);
    int before = first.sink().all().size();
    User leaver = users.get(5);
    hub.handle(leaver.session(), "l", new Leave("big", "bye"));
    assertThat(leaver.sink().of(Event.Left.class)).singleElement()
        .satisfies(l -> assertThat(l.nick()).isEqualTo("u5"));
    hub.handle(users.get(6).session(), "n", new Command.SetNick("renamed"));
    hub.handle(users.get(7).session(), "a", new SetAway("lunch"));
    hub.disconnect(users.get(8).session(), "gone");
    assertThat(first.sink().all().subList(before, first.sink().all().size())).isEmpty();
  }

  @Test
  void aQuietRoomSpeaksAgainAtNineTenthsOfTheLimitWithTheMembersNow() {
    for (int i = 0; i < LIMIT + 1; i++) {
      connect("u" + i);
    }
    User first = users.get(0);
    hub.handle(users.get(10).session(), "l", new Leave("big", null)); // 10: still quiet
    assertThat(first.sink().of(Event.RoomPresence.class).stream().filter(p -> p.room().equals("big")).toList()).hasSize(1);
    hub.handle(users.get(9).session(), "l", new Leave("big", null)); // 9: speaks again
    List<Event.RoomPresence> presence = first.sink().of(Event.RoomPresence.class).stream()
        .filter(p -> p.room().equals("big")).toList();
    assertThat(presence).hasSize(2);
    assertThat(presence.get(1).quiet()).isFalse();
    assertThat(presence.get(1).count()).isEqualTo(LIMIT - 1);
    assertThat(presence.get(1).members()).containsExactly("u0", "u1", "u2", "u3", "u4", "u5",
        "u6", "u7", "u8");
    assertThat(presence.get(1).ops()).containsExactly("u0"); // the room's creator
    assertThat(first.sink().of(Event.Left.class).stream().filter(l -> l.room().equals("big")).toList()).isEmpty();

    hub.handle(users.get(8).session(), "l", new Leave("big", null));
    assertThat(first.sink().of(Event.Left.class).stream().filter(l -> l.room().equals("big")).toList()).extracting(Event.Left::nick)
        .containsExactly("u8");
    User back = connect("back");
    assertThat(first.sink().of(Event.Joined.class).stream().filter(j -> j.room().equals("big")).toList()).extracting(Event.Joined::nick)
        .contains("back");
    assertThat(joinReply(back).quiet()).isFalse();
    assertThat(joinReply(back).members()).hasSize(LIMIT - 1);
  }
}
