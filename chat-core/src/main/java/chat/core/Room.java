package chat.core;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One room: its members and its message sequence. Every change and every delivery happens under
 * the room's monitor, so each member's sink is handed the room's events in one order: the order
 * of {@code seq}. Sinks only enqueue, so the monitor is held for the fan-out loop only.
 */
final class Room {

  private final String name;
  private final String key;
  private final Set<Session> members = new LinkedHashSet<>();
  private long lastSeq;
  /** Set when the last member left and the room was removed from the hub. */
  private boolean closed;

  Room(String name, long lastSeq) {
    this.name = name;
    this.key = Names.fold(name);
    this.lastSeq = lastSeq;
  }

  String name() {
    return name;
  }

  String key() {
    return key;
  }

  boolean closed() {
    return closed;
  }

  void close() {
    closed = true;
  }

  boolean isEmpty() {
    return members.isEmpty();
  }

  int size() {
    return members.size();
  }

  boolean contains(Session session) {
    return members.contains(session);
  }

  boolean add(Session session) {
    return members.add(session);
  }

  boolean remove(Session session) {
    return members.remove(session);
  }

  long nextSeq() {
    return ++lastSeq;
  }

  Iterable<Session> members() {
    return members;
  }

  List<String> nicks() {
    List<String> nicks = new ArrayList<>(members.size());
    for (Session member : members) {
      nicks.add(member.nick());
    }
    return nicks;
  }

  /** Hands {@code event} to every member; the one with {@code replyTo} gets it as its reply. */
  void broadcast(Event event, Session replyTo, String replyId) {
    for (Session member : members) {
      member.sink().event(event, member == replyTo ? replyId : null);
    }
  }
}
