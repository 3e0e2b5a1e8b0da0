package chat.server.irc;

import static org.assertj.core.api.Assertions.assertThat;

import chat.core.Event;
import chat.core.Reply;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Replies keep the commands' order whatever order the core answers in; no socket. */
class RepliesTest {

  private final Replies replies = new Replies();

  private static Sub sub(String line) {
    return new Sub() {
      @Override
      void reply(Reply r) {
        out(IrcMessage.of("srv", "NOTICE", "me", line));
      }
    };
  }

  private Pending command(String label) {
    Pending p = new Pending(label);
    replies.add(p);
    return p;
  }

  private List<String> released() {
    List<String> out = new ArrayList<>();
    Pending p;
    while ((p = replies.nextDone()) != null) {
      p.lines.forEach(l -> out.add(l.param(1)));
    }
    return out;
  }

  @Test
  void aLaterCommandAnsweredFirstWaitsForTheEarlierOne() {
    Pending first = command(null);
    String one = replies.request(first, sub("first"));
    first.sealed = true;
    Pending second = command(null);
    String two = replies.request(second, sub("second"));
    second.sealed = true;
    assertThat(replies.reply(two, new Reply.Done())).isTrue();
    assertThat(released()).as("the first is not answered yet").isEmpty();
    assertThat(replies.reply(one, new Reply.Done())).isTrue();
    assertThat(released()).containsExactly("first", "second");
    assertThat(replies.reply(one, new Reply.Done())).as("answered already").isFalse();
  }

  @Test
  void anEventAWaitingCommandClaimsIsItsAndAnyOtherIsLive() {
    Pending p = command(null);
    replies.request(p, new Sub() {
      @Override
      boolean claims(Event e) {
        return e instanceof Event.Quit q && q.nick().equals("bob");
      }

      @Override
      void claimed(Event e) {
        out(IrcMessage.of("srv", "NOTICE", "me", "claimed"));
      }

      @Override
      void reply(Reply r) {}
    });
    p.sealed = true;
    assertThat(replies.event(null, new Event.Quit("bob", "bye", 0))).isTrue();
    assertThat(replies.event(null, new Event.Quit("carol", "bye", 0))).as("live").isFalse();
    assertThat(p.lines).extracting(l -> l.param(1)).containsExactly("claimed");
  }

  @Test
  void closingWritesWhatEachWaitingCommandHasUpToTheOneThatCloses() {
    Pending a = command(null);
    a.lines.add(IrcMessage.of("srv", "NOTICE", "me", "a"));
    replies.request(a, sub("never"));
    Pending b = command(null);
    b.lines.add(IrcMessage.of("srv", "NOTICE", "me", "b"));
    b.closeWith = "quit";
    Pending c = command(null);
    c.lines.add(IrcMessage.of("srv", "NOTICE", "me", "c"));
    List<String> out = new ArrayList<>();
    replies.drainTo(l -> out.add(l.param(1)));
    assertThat(out).containsExactly("a", "b");
    assertThat(replies.size()).isZero();
  }
}
