package chat.server.irc;

import chat.core.Event;
import chat.core.Reply;
import java.util.List;

/**
 * One core request of an IRC command: renders its final reply (or, for messages, the sender's
 * copy of the message) and any events it claims as its own effects (its JOIN, its MODE line,
 * the history it asked for), into its command's {@link Pending} lines.
 */
abstract class Sub {
  Pending p;

  boolean claims(Event e) {
    return false;
  }

  void claimed(Event e) {}

  /** The final answer, when it is an event (a message sent). */
  void event(Event e) {}

  abstract void reply(Reply r);

  void out(IrcMessage line) {
    p.lines.add(line);
  }

  void outAll(List<IrcMessage> lines) {
    p.lines.addAll(lines);
  }
}
