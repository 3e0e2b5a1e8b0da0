package chat.core;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Who is behind one nick: a guest's one connection, or every connection of one account (a
 * laptop, a phone, an IRC client at once). The nick, account, away message and real name are
 * the identity's, so all its connections share them; room membership is the identity's too
 * (joining or leaving from one connection does it for all), while each connection is a member
 * session of its own so that each gets every event, in the room's order.
 */
final class Identity {

  private final List<Session> sessions = new CopyOnWriteArrayList<>();
  private volatile String nick;
  private volatile String account;
  private volatile boolean admin;
  /** Operator status given by an administrator's credentials (OPER), whatever the account. */
  private volatile boolean operator;
  private volatile String away;
  private volatile String realname;
  /**
   * A guest's read markers (rooms only), by target: kept here, in memory, as long as the guest
   * is (its connections and its resume grace); an account's are in the store. Guarded by this.
   */
  private java.util.Map<String, chat.core.store.ReadMarker> guestMarkers;

  Identity(Session first) {
    sessions.add(first);
  }

  /** A guest's markers, in the order set. Under this identity's monitor. */
  java.util.List<chat.core.store.ReadMarker> guestMarkers() {
    return guestMarkers == null ? java.util.List.of() : java.util.List.copyOf(guestMarkers.values());
  }

  /** Keeps a guest's marker. Under this identity's monitor. */
  void guestMarker(chat.core.store.ReadMarker marker) {
    if (guestMarkers == null) {
      guestMarkers = new java.util.LinkedHashMap<>();
    }
    guestMarkers.put(marker.target(), marker);
  }

  /** The connections, oldest first. */
  List<Session> sessions() {
    return sessions;
  }

  void add(Session session) {
    sessions.add(session);
  }

  /** True if {@code session} was the last connection. */
  boolean remove(Session session) {
    sessions.remove(session);
    return sessions.isEmpty();
  }

  int size() {
    return sessions.size();
  }

  String nick() {
    return nick;
  }

  void nick(String nick) {
    this.nick = nick;
  }

  String account() {
    return account;
  }

  boolean admin() {
    return admin || operator;
  }

  void operator(boolean on) {
    this.operator = on;
  }

  void account(String account, boolean admin) {
    this.account = account;
    this.admin = admin;
  }

  String away() {
    return away;
  }

  void away(String away) {
    this.away = away;
  }

  String realname() {
    return realname;
  }

  void realname(String realname) {
    this.realname = realname;
  }
}
