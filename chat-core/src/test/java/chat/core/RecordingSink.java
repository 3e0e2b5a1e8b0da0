package chat.core;

import java.util.ArrayList;
import java.util.List;

/** A sink that remembers everything the hub handed it, in order. */
final class RecordingSink implements EventSink {

  /** One call on the sink. */
  record Call(Object what, String id) {}

  final List<Call> calls = new ArrayList<>();
  /**
   * The events handed over as caused by a request ({@link EventSink#caused}), with its id; they
   * are in {@link #calls} too, without an id, as the default would record them.
   */
  final List<Call> caused = new ArrayList<>();
  final List<Long> pauses = new ArrayList<>();
  String closedWith;
  CoreError fatal;
  /**
   * Records room changes with seq 0, for tests about moderation rather than the log's order
   * (HubRoomLogTest checks the seqs).
   */
  boolean ignoreChangeSeq;

  @Override
  public synchronized void pause(long millis) {
    pauses.add(millis);
  }

  @Override
  public synchronized void fatal(CoreError error, String message) {
    fatal = error;
    EventSink.super.fatal(error, message);
  }

  @Override
  public synchronized void event(Event event, String replyId) {
    calls.add(new Call(ignoreChangeSeq ? withoutSeq(event) : event, replyId));
  }

  static Event withoutSeq(Event event) {
    return switch (event) {
      case Event.TopicChanged t -> new Event.TopicChanged(t.room(), t.topic(), t.by(), t.ts());
      case Event.ModeChanged m -> new Event.ModeChanged(m.room(), m.by(), m.changes(), m.reason(),
          m.ts());
      case Event.Kicked k -> new Event.Kicked(k.room(), k.nick(), k.by(), k.reason(), k.ts());
      default -> event;
    };
  }

  @Override
  public synchronized void caused(Event event, String requestId) {
    caused.add(new Call(event, requestId));
    event(event, null);
  }

  /** The events caused by request {@code requestId}, in order. */
  synchronized List<Object> causedBy(String requestId) {
    return caused.stream().filter(c -> requestId.equals(c.id())).map(Call::what).toList();
  }

  @Override
  public synchronized void reply(String replyId, Reply reply) {
    calls.add(new Call(reply, replyId));
  }

  @Override
  public synchronized void close(String reason) {
    closedWith = reason;
  }

  synchronized List<Object> all() {
    return calls.stream().map(Call::what).toList();
  }

  synchronized <T> List<T> of(Class<T> type) {
    return calls.stream().map(Call::what).filter(type::isInstance).map(type::cast).toList();
  }

  synchronized Object last() {
    return calls.isEmpty() ? null : calls.get(calls.size() - 1).what();
  }

  synchronized Call lastCall() {
    return calls.isEmpty() ? null : calls.get(calls.size() - 1);
  }

  synchronized void clear() {
    calls.clear();
    caused.clear();
  }
}
