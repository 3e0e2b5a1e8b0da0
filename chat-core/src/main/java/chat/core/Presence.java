package chat.core;

import chat.core.Command.SayToNick;
import chat.core.Command.SayToRoom;
import chat.core.store.Account;
import chat.core.store.StoredMessage;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What others may know of an online user and how changes reach them: away messages, real
 * names, lookups, and the set of roommates every such change goes to.
 */
final class Presence {

  private final Hub hub;
  private final Clock clock;

  Presence(Hub hub, Clock clock) {
    this.hub = hub;
    this.clock = clock;
  }

  void setAway(Session session, String requestId, String message) {
    String away = oneLine(message, hub.limits().sizes().maxAwayLength());
    session.away(away);
    if (hub.peers != null) {
      hub.peers.away(session);
    }
    Event event = new Event.AwayChanged(session.nick(), away, clock.millis());
    for (Session other : concerned(session)) {
      other.sink().event(event, null);
    }
    session.sink().reply(requestId, new Reply.AwaySet(away));
  }

  void setRealname(Session session, String requestId, String realname) {
    String name = oneLine(realname, hub.limits().sizes().maxRealnameLength());
    session.realname(name);
    if (hub.peers != null) {
      hub.peers.realname(session);
    }
    Event event = new Event.RealnameChanged(session.nick(), name, clock.millis());
    for (Session other : concerned(session)) {
      other.sink().event(event, null);
    }
    session.sink().reply(requestId, new Reply.RealnameSet(name));
  }

  void lookup(Session session, String requestId, List<String> nicks) {
    List<Reply.UserInfo> found = new ArrayList<>();
    int asked = 0;
    for (String nick : nicks == null ? List.<String>of() : nicks) {
      if (++asked > hub.limits().sizes().maxLookup()) {
        break;
      }
      Session user = online(nick);
      if (user != null) {
        found.add(info(session, user));
      }
    }
    session.sink().reply(requestId, new Reply.Users(List.copyOf(found)));
  }

  /** The online users whose nick matches the glob {@code mask}, in nick order. */
  void find(Session session, String requestId, String mask, int limit) {
    int max = Math.max(0, Math.min(limit <= 0 ? Hub.MAX_FOUND : limit, Hub.MAX_FOUND));
    String pattern = Names.fold(mask == null || mask.isEmpty() ? "*" : mask);
    List<Session> found = new ArrayList<>();
    Set<Identity> seen = new java.util.HashSet<>();
    for (Session user : hub.identities.nicks.values()) {
      if (user.isReady() && user.nick() != null && Names.globMatches(pattern, Names.fold(user.nick()))
          && seen.add(user.identity())) {
        found.add(user);
      }
    }
    found.sort(Comparator.comparing(u -> Names.fold(u.nick())));
    List<Reply.UserInfo> users = new ArrayList<>();
    for (Session user : found.subList(0, Math.min(max, found.size()))) {
      users.add(info(session, user));
    }
    session.sink().reply(requestId, new Reply.Users(List.copyOf(users)));
  }

  /** What {@code viewer} may know of {@code user}: its rooms without the secret ones it shares not. */
  static Reply.UserInfo info(Session viewer, Session user) {
    List<String> in = new ArrayList<>();
    for (Room room : user.rooms()) {
      synchronized (room) {
        if (room.visibleTo(viewer)) {
          in.add(room.name());
        }
      }
    }
    in.sort(Comparator.comparing(Names::fold));
    return new Reply.UserInfo(user.nick(), user.account(), user.realname(), user.away(),
        user.isAdmin(), List.copyOf(in));
  }

  /**
   * Text for one line: control characters become spaces, cut to {@code max} characters; null
   * when nothing is left.
   */
  static String oneLine(String text, int max) {
    if (text == null) {
      return null;
    }
    StringBuilder b = new StringBuilder(Math.min(text.length(), max));
    for (int i = 0; i < text.length() && b.length() < max; i++) {
      char c = text.charAt(i);
      b.append(Character.isISOControl(c) ? ' ' : c);
    }
    String line = b.toString().strip();
    return line.isEmpty() ? null : line;
  }

  /**
   * Who hears of a change to {@code session}'s away message, real name or account: its
   * roommates and those who watch it with {@code extended} set.
   */
  Set<Session> concerned(Session session) {
    Set<Session> told = roommates(session);
    hub.watches.extendedWatchers(session.nick(), told);
    told.remove(session);
    return told;
  }

  /**
   * Everyone sharing at least one room with {@code session} that is not quiet, once each,
   * without it: a quiet room's members hear of nobody's changes.
   */
  Set<Session> roommates(Session session) {
    Set<Session> others = new LinkedHashSet<>();
    for (Room room : session.rooms()) {
      synchronized (room) {
        if (room.quiet()) {
          continue;
        }
        for (Session member : room.members()) {
          if (member != session) {
            others.add(member);
          }
        }
      }
    }
    return others;
  }

  /** The ready session called {@code nick}, or null. */
  Session online(String nick) {
    Session session = nick == null ? null : hub.identities.nicks.get(Names.fold(nick));
    return session != null && session.isReady() ? session : null;
  }

  /** Every ready session the mask matches. */
  List<Session> onlineMatching(Mask mask) {
    List<Session> found = new ArrayList<>();
    for (Session session : hub.identities.nicks.values()) {
      if (session.isReady() && mask.matches(session) && !found.contains(session)) {
        found.add(session);
      }
    }
    return found;
  }
}
