package chat.store;

import static chat.store.StoreContractTest.privateMessage;
import static chat.store.StoreContractTest.roomMessage;
import static org.assertj.core.api.Assertions.assertThat;

import chat.core.store.StoredMessage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The store contract for private history: pages of a conversation between two accounts, and
 * what one account sent and received after a message. Mixed into {@link StoreContractTest}, so
 * it runs on every store.
 */
interface PrivateHistoryContract {

  Store store();

  void appendAll(List<StoredMessage> messages) throws Exception;

  @Test
  default void privateHistoryIsByAccountPairInBothDirections() throws Exception {
    StoredMessage a1 = privateMessage("Alice", "Alice", "Bob", "Bob", "hi bob");
    StoredMessage b1 = privateMessage("Bob", "bob", "alice", "ALICE", "hi alice");
    StoredMessage c1 = privateMessage("Alice", "Alice", "Carol", "Carol", "hi carol");
    StoredMessage guest = privateMessage("Guest", null, "Bob", "Bob", "from a guest");
    StoredMessage toGuest = privateMessage("Bob", "Bob", "Guest", null, "to a guest");
    StoredMessage a2 = privateMessage("Alice", "Alice", "Bob", "Bob", "again");
    StoredMessage inRoom = roomMessage("Lobby", 1, "not private");
    StoredMessage b2 = privateMessage("bob", "Bob", "Alice", "Alice", "and again");
    appendAll(List.of(a1, b1, c1, guest, toGuest, a2, inRoom, b2));

    assertThat(store().privateHistory("alice", "bob", null, 10)).containsExactly(a1, b1, a2, b2);
    assertThat(store().privateHistory("BOB", "Alice", null, 10)).containsExactly(a1, b1, a2, b2);
    assertThat(store().privateHistory("Alice", "Carol", null, 10)).containsExactly(c1);
    assertThat(store().privateHistory("Carol", "Bob", null, 10)).isEmpty();

    // Paging backwards by message id.
    assertThat(store().privateHistory("alice", "bob", null, 2)).containsExactly(a2, b2);
    assertThat(store().privateHistory("alice", "bob", a2.msgId(), 2)).containsExactly(a1, b1);
    assertThat(store().privateHistory("alice", "bob", b1.msgId(), 2)).containsExactly(a1);
    assertThat(store().privateHistory("alice", "bob", a1.msgId(), 2)).isEmpty();
    // A message of another conversation still bounds by its position.
    assertThat(store().privateHistory("alice", "bob", toGuest.msgId(), 10)).containsExactly(a1, b1);
    // An id that names no private message sets no bound.
    assertThat(store().privateHistory("alice", "bob", "no-such-id", 10))
        .containsExactly(a1, b1, a2, b2);
    assertThat(store().privateHistory("alice", "bob", inRoom.msgId(), 10))
        .containsExactly(a1, b1, a2, b2);
    assertThat(store().privateHistory("alice", "bob", null, 0)).isEmpty();
  }

  @Test
  default void privateSinceIsWhatOneAccountSentAndReceivedAfterAMessage() throws Exception {
    StoredMessage a1 = privateMessage("Alice", "Alice", "Bob", "Bob", "hi bob");
    StoredMessage b1 = privateMessage("Bob", "bob", "alice", "ALICE", "hi alice");
    StoredMessage cd = privateMessage("Carol", "Carol", "Dave", "Dave", "not alice's");
    StoredMessage fromGuest = privateMessage("Guest", null, "Alice", "Alice", "from a guest");
    StoredMessage inRoom = roomMessage("Lobby", 1, "Alice in a room is not private");
    StoredMessage a2 = privateMessage("Alice", "Alice", "Carol", "Carol", "hi carol");
    StoredMessage toGuest = privateMessage("Alice", "Alice", "Guest", null, "to a guest");
    StoredMessage self = privateMessage("Alice", "Alice", "alice", "ALICE", "a note to self");
    StoredMessage b2 = privateMessage("Bob", "Bob", "Alice", "Alice", "again");
    appendAll(List.of(a1, b1, cd, fromGuest, inRoom, a2, toGuest, self, b2));

    List<StoredMessage> alice = List.of(a1, b1, fromGuest, a2, toGuest, self, b2);
    assertThat(store().privateSince("alice", null, 100)).containsExactlyElementsOf(alice);
    assertThat(store().privateSince("ALICE", null, 100)).as("the account is folded by the store")
        .containsExactlyElementsOf(alice);
    assertThat(store().privateSince("alice", null, 3)).as("the newest, oldest first")
        .containsExactly(toGuest, self, b2);
    assertThat(store().privateSince("alice", a2.msgId(), 100)).containsExactly(toGuest, self, b2);
    assertThat(store().privateSince("alice", b1.msgId(), 2)).containsExactly(self, b2);
    assertThat(store().privateSince("alice", b2.msgId(), 100)).isEmpty();
    // A message of another conversation still bounds by its position.
    assertThat(store().privateSince("alice", cd.msgId(), 100))
        .containsExactly(fromGuest, a2, toGuest, self, b2);
    // An id that names no private message sets no bound.
    assertThat(store().privateSince("alice", "no-such-id", 100)).containsExactlyElementsOf(alice);
    assertThat(store().privateSince("alice", inRoom.msgId(), 100)).containsExactlyElementsOf(alice);

    assertThat(store().privateSince("Bob", null, 100)).containsExactly(a1, b1, b2);
    assertThat(store().privateSince("carol", null, 100)).containsExactly(cd, a2);
    assertThat(store().privateSince("dave", null, 100)).containsExactly(cd);
    assertThat(store().privateSince("guest", null, 100)).as("guests have no account").isEmpty();
    assertThat(store().privateSince("nobody", null, 100)).isEmpty();
    assertThat(store().privateSince("alice", null, 0)).isEmpty();
  }

  @Test
  default void privateSinceTakesTheNewestWhicheverWayTheyWent() throws Exception {
    List<StoredMessage> sent = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      sent.add(privateMessage("Alice", "Alice", "Bob", "Bob", "sent " + i));
    }
    List<StoredMessage> received = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      received.add(privateMessage("Bob", "Bob", "Alice", "Alice", "received " + i));
    }
    StoredMessage late1 = privateMessage("Alice", "Alice", "Bob", "Bob", "late 1");
    StoredMessage late2 = privateMessage("Alice", "Alice", "Bob", "Bob", "late 2");
    appendAll(sent);
    appendAll(received);
    appendAll(List.of(late1, late2));

    assertThat(store().privateSince("alice", null, 4))
        .containsExactly(received.get(4), received.get(5), late1, late2);
    assertThat(store().privateSince("bob", sent.get(5).msgId(), 3))
        .containsExactly(received.get(5), late1, late2);
    assertThat(store().privateSince("alice", received.get(5).msgId(), 10))
        .containsExactly(late1, late2);
    assertThat(store().privateSince("alice", null, 100)).hasSize(14);
  }
}
