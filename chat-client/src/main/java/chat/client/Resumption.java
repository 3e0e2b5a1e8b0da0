package chat.client;

import chat.protocol.Frame;
import chat.protocol.Keys;
import chat.protocol.Types;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * One connection's share of resuming: which of a client's events are new, and which wait.
 *
 * <p>Room entries ({@code message}, {@code topic}, {@code mode}, {@code kicked}) pass when their
 * seq is above the room's mark in the {@link ResumeState}; private messages pass when their
 * msgid was not passed before. While a room is being rejoined with {@code since}, its entries are
 * held until the join is answered: the server's automatic join of its default room replays the
 * latest messages and live ones flow before that reply, so only once the replay after
 * {@code since} is in can they be put in seq order, each once. The private catch-up holds private
 * messages the same way. Pages the user asked for ({@code history}) pass untouched and move no
 * mark: they are old on purpose, and a page of the newest entries may run ahead of live delivery.
 *
 * <p>Used on the connection's event loop only.
 */
final class Resumption {

  private static final Comparator<Frame> BY_SEQ =
      Comparator.comparingLong(f -> f.number(Keys.SEQ, 0));

  private static final Logger log = LoggerFactory.getLogger(Resumption.class);

  private final ResumeState state;
  private final ClientListener listener;
  /** To the listener, exceptions caught. */
  private final Consumer<Frame> deliver;
  /** Sends a request of the resume's own. */
  private final Function<ObjectNode, CompletableFuture<Frame>> send;
  /** Rooms (folded) being rejoined, with the entries that arrived meanwhile. */
  private final Map<String, List<Frame>> held = new HashMap<>();
  /** Private messages that arrived during the catch-up; null when none is running. */
  private List<Frame> heldPrivate;

  Resumption(ResumeState state, ClientListener listener, Consumer<Frame> deliver,
      Function<ObjectNode, CompletableFuture<Frame>> send) {
    this.state = state;
    this.listener = listener;
    this.deliver = deliver;
    this.send = send;
  }

  /**
   * After welcome, before anything else is sent: rejoins the rooms of the state, each after its
   * last seq, and asks for the private messages of {@code account} after the newest one seen.
   * What these rooms and the private messages bring is held from now until the replies.
   */
  void start(String account) {
    for (ResumeState.Rejoin rejoin : state.rejoins()) {
      held.put(ChatClient.roomKey(rejoin.room()), new ArrayList<>());
      send.apply(ChatClient.joinHeader(rejoin.room(), rejoin.key(), rejoin.since()))
          .whenComplete((ok, failure) -> {
            if (ok != null) {
              roomResumed(rejoin.room(), rejoin.since(), ok);
            } else {
              roomFailed(rejoin.room(), serverError(failure));
            }
          });
    }
    String after = state.privateResumePoint(account);
    if (after != null) {
      heldPrivate = new ArrayList<>();
      send.apply(ChatClient.privateSinceHeader(after)).whenComplete((ok, failure) ->
          privateResumed(ok, ok == null ? serverError(failure) : null, account));
    }
  }

  /** The server's error frame behind a failed request, or null when the connection failed it. */
  private static Frame serverError(Throwable failure) {
    Throwable cause = failure instanceof CompletionException c ? c.getCause() : failure;
    return cause instanceof ChatErrorException e ? e.frame() : null;
  }

  /**
   * An event for the listener.
   *
   * @param page it belongs to a {@code history} page the user asked for
   * @param account the account logged in to, or null
   */
  void offer(Frame frame, boolean page, String account) {
    switch (frame.type()) {
      case Types.MESSAGE, Types.TOPIC, Types.MODE, Types.KICKED -> {
        String room = frame.string(Keys.ROOM);
        long seq = frame.number(Keys.SEQ, 0);
        if (room == null || seq <= 0 || page) {
          deliver.accept(frame);
          return;
        }
        List<Frame> waiting = held.get(ChatClient.roomKey(room));
        if (waiting != null) {
          waiting.add(frame);
        } else if (state.advance(room, seq)) {
          deliver.accept(frame);
        }
      }
      case Types.PRIVMSG -> {
        String msgId = frame.string(Keys.MSGID);
        if (msgId == null || page || account == null) {
          deliver.accept(frame); // A guest's private messages are not kept, so never come twice.
        } else if (heldPrivate != null) {
          heldPrivate.add(frame);
        } else if (state.newPrivate(account, msgId)) {
          deliver.accept(frame);
        }
      }
      default -> deliver.accept(frame);
    }
  }

  /** The rejoin of {@code room} after {@code since} is answered: what was held goes out, in order. */
  private void roomResumed(String room, long since, Frame reply) {
    List<Frame> waiting = held.remove(ChatClient.roomKey(room));
    long last = reply.number(Keys.LAST_SEQ, -1);
    String name = reply.string(Keys.ROOM) == null ? room : reply.string(Keys.ROOM);
    if (last >= 0 && last < since) {
      // The server lost entries it had not confirmed (a memory store restarted): its numbers
      // start again below ours. What this connection brought is all new.
      state.reset(name, -1);
    }
    long skipped = reply.number(Keys.SKIPPED, 0);
    if (waiting != null) {
      waiting.sort(BY_SEQ);
      skipped = stillSkipped(waiting, since, skipped);
    }
    try {
      listener.onResumed(name, since, skipped, reply);
    } catch (RuntimeException e) {
      log.warn("client listener failed on the resume of {}", name, e);
    }
    if (waiting != null) {
      for (Frame frame : waiting) {
        if (state.advance(name, frame.number(Keys.SEQ, 0))) {
          deliver.accept(frame);
        }
      }
    }
    state.advanceTo(name, last);
  }

  /**
   * How many of the {@code skipped} entries after {@code since} are still missing once the held
   * entries (sorted) are passed on. The rejoin's replay is the newest entries, up to the cap; a
   * join of the server's own that came first (its default room, or a guest's rooms given back)
   * replays the newest entries too, up to its own count, and what both bring is one run up to
   * the newest. Where that run reaches below the rejoin's, fewer are missing: only those between
   * {@code since} and the run's first seq.
   */
  static long stillSkipped(List<Frame> sorted, long since, long skipped) {
    if (skipped <= 0) {
      return 0;
    }
    for (Frame frame : sorted) {
      long seq = frame.number(Keys.SEQ, 0);
      if (seq > since) {
        return Math.min(skipped, Math.max(0, seq - since - 1));
      }
    }
    return skipped;
  }

  /**
   * The rejoin failed: with {@code error} from the server (banned meanwhile, a new key), the room
   * is given up; without, the connection went and the room waits for the next one.
   */
  private void roomFailed(String room, Frame error) {
    List<Frame> waiting = held.remove(ChatClient.roomKey(room));
    if (error == null) {
      return;
    }
    state.left(room);
    deliver.accept(error);
    if (waiting != null) {
      waiting.sort(BY_SEQ);
      for (Frame frame : waiting) {
        if (state.advance(room, frame.number(Keys.SEQ, 0))) {
          deliver.accept(frame);
        }
      }
    }
  }

  /**
   * The private catch-up is over ({@code reply} null: it failed, {@code error} then says why, or
   * is null when the connection went): the caught-up messages go out, then the live ones.
   */
  private void privateResumed(Frame reply, Frame error, String account) {
    List<Frame> waiting = heldPrivate;
    heldPrivate = null;
    if (waiting == null || (reply == null && error == null)) {
      return;
    }
    if (reply != null) {
      try {
        listener.onPrivateResumed(reply);
      } catch (RuntimeException e) {
        log.warn("client listener failed on the private catch-up", e);
      }
    } else {
      deliver.accept(error);
    }
    // The catch-up is oldest first and older than anything live that came meanwhile.
    for (boolean history : new boolean[] {true, false}) {
      for (Frame frame : waiting) {
        if (isHistory(frame) == history && state.newPrivate(account, frame.string(Keys.MSGID))) {
          deliver.accept(frame);
        }
      }
    }
  }

  static boolean isHistory(Frame frame) {
    return frame.header().path(Keys.HISTORY).asBoolean(false);
  }
}
