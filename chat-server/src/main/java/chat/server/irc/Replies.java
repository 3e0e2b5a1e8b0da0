package chat.server.irc;

import chat.core.Event;
import chat.core.Reply;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * An IRC connection's commands in the order they came, each with the core requests it waits
 * for: a command's lines go out once it and every command before it are complete, so that replies
 * keep the commands' order whatever order the core answers in. Event loop only.
 */
final class Replies {

  private final ArrayDeque<Pending> pending = new ArrayDeque<>();
  private final Map<String, Sub> subs = new HashMap<>();
  private long requestIds;

  /** A command's entry, at the end of the line. */
  void add(Pending p) {
    pending.add(p);
  }

  /** Registers {@code sub}, a request of {@code p}: the id to send the core it with. */
  String request(Pending p, Sub sub) {
    String id = Long.toString(++requestIds);
    sub.p = p;
    p.outstanding++;
    p.subs.add(sub);
    subs.put(id, sub);
    return id;
  }

  /** How many requests were made so far (a command that made none is answered by the door). */
  long requests() {
    return requestIds;
  }

  /** The core's reply to request {@code id}: false when no request has that id. */
  boolean reply(String id, Reply r) {
    Sub sub = id == null ? null : subs.remove(id);
    if (sub == null) {
      return false;
    }
    sub.reply(r);
    finish(sub);
    return true;
  }

  /**
   * An event: the answer to request {@code id} (a message sent), or claimed as an effect by a
   * command still waiting. False when it is neither: a live event.
   */
  boolean event(String id, Event e) {
    Sub sub = id == null ? null : subs.remove(id);
    if (sub != null) {
      sub.event(e);
      finish(sub);
      return true;
    }
    for (Pending p : pending) {
      for (Sub s : p.subs) {
        if (s.claims(e)) {
          s.claimed(e);
          return true;
        }
      }
    }
    return false;
  }

  private static void finish(Sub sub) {
    sub.p.outstanding--;
    sub.p.subs.remove(sub);
  }

  /** The first command's entry if it is complete (taken off the line), else null. */
  Pending nextDone() {
    return !pending.isEmpty() && pending.peek().done() ? pending.poll() : null;
  }

  /** Commands waiting (for the read pushback). */
  int size() {
    return pending.size();
  }

  /**
   * Closing: the lines every waiting command has so far, in order, up to the one that asked to
   * close; nothing waits any more.
   */
  void drainTo(Consumer<IrcMessage> out) {
    for (Pending p : pending) {
      List<IrcMessage> lines = p.lines;
      lines.forEach(out);
      if (p.closeWith != null) {
        break;
      }
    }
    pending.clear();
    subs.clear();
  }
}
