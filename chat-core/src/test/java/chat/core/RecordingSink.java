package chat.core;

import java.util.ArrayList;
import java.util.List;

/** A sink that remembers everything the hub handed it, in order. */
final class RecordingSink implements EventSink {

  /** One call on the sink. */
  record Call(Object what, String id) {}

  final List<Call> calls = new ArrayList<>();
  final List<Long> pauses = new ArrayList<>();
  String closedWith;
  CoreError fatal;

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
    calls.add(new Call(event, replyId));
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
  }
}
