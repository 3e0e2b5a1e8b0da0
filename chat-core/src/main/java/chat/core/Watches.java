package chat.core;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who watches which nicks (IRC's {@code MONITOR}): a watcher is told when a watched nick comes
 * online or goes offline, on any server, whichever door either came through. Online means what
 * every other command means by it: a ready session (or another server's user) holds the nick.
 *
 * <p>The places where a nick's holder changes call {@link #changed(String)}; it compares the
 * nick's state now with what each watcher was last told, so a call that changes nothing (a
 * second device of the same person, a resume) tells nobody anything. One lock guards the lists:
 * watching is rare next to messages, and a change only enqueues events.
 */
final class Watches {

  /** One watcher's view of one nick. */
  private static final class Watch {
    final boolean extended;
    boolean online;

    Watch(boolean extended, boolean online) {
      this.extended = extended;
      this.online = online;
    }
  }

  private final Hub hub;
  private final Clock clock;
  /** Folded nick to its watchers. */
  private final Map<String, Map<Session, Watch>> byNick = new HashMap<>();
  /** Watcher to the folded nicks it watches, in the order added. */
  private final Map<Session, Map<String, String>> bySession = new HashMap<>();
  private volatile boolean any;

  Watches(Hub hub, Clock clock) {
    this.hub = hub;
    this.clock = clock;
  }

  void watch(Session session, String requestId, Command.Watch c) {
    List<String> online = new ArrayList<>();
    List<String> offline = new ArrayList<>();
    List<String> refused = new ArrayList<>();
    List<String> watched;
    synchronized (this) {
      if (c.clear()) {
        forgetLocked(session);
      }
      for (String nick : c.remove() == null ? List.<String>of() : c.remove()) {
        unwatchLocked(session, Names.fold(nick));
      }
      for (String nick : c.add() == null ? List.<String>of() : c.add()) {
        if (nick == null || nick.isEmpty()) {
          continue;
        }
        String key = Names.fold(nick);
        Map<String, String> mine = bySession.computeIfAbsent(session, s -> new LinkedHashMap<>());
        if (!mine.containsKey(key) && mine.size() >= Hub.MAX_WATCHED) {
          refused.add(nick);
          continue;
        }
        Session holder = hub.presence.online(nick);
        mine.put(key, nick);
        byNick.computeIfAbsent(key, k -> new LinkedHashMap<>())
            .put(session, new Watch(c.extended(), holder != null));
        if (holder != null) {
          online.add(holder.nick());
        } else {
          offline.add(nick);
        }
      }
      Map<String, String> mine = bySession.get(session);
      watched = mine == null ? List.of() : List.copyOf(mine.values());
      any = !byNick.isEmpty();
    }
    session.sink().reply(requestId, new Reply.Watching(List.copyOf(online),
        List.copyOf(offline), List.copyOf(refused), watched));
  }

  /**
   * The holder of {@code nick} may have changed: watchers whose view differs from the nick's
   * state now are told. A nick that went offline is told as {@code nick} is written here (the
   * way its last holder wrote it), not as the watcher wrote it.
   */
  void changed(String nick) {
    if (!any || nick == null) {
      return;
    }
    String key = Names.fold(nick);
    synchronized (this) {
      Map<Session, Watch> watchers = byNick.get(key);
      if (watchers == null) {
        return;
      }
      Session holder = hub.presence.online(nick);
      boolean online = holder != null;
      long now = clock.millis();
      for (Map.Entry<Session, Watch> e : watchers.entrySet()) {
        Watch w = e.getValue();
        if (w.online != online) {
          w.online = online;
          e.getKey().sink().event(online
              ? new Event.Watched(holder.nick(), true, holder.account(), now)
              : new Event.Watched(nick, false, null, now), null);
        }
      }
    }
  }

  /** Watchers of {@code nick} that asked for its away, real name and account changes. */
  void extendedWatchers(String nick, Set<Session> into) {
    if (!any || nick == null) {
      return;
    }
    synchronized (this) {
      Map<Session, Watch> watchers = byNick.get(Names.fold(nick));
      if (watchers != null) {
        watchers.forEach((session, w) -> {
          if (w.extended && w.online) {
            into.add(session);
          }
        });
      }
    }
  }

  /** The session is gone: its watches go with it. */
  void forget(Session session) {
    if (!any) {
      return;
    }
    synchronized (this) {
      forgetLocked(session);
      any = !byNick.isEmpty();
    }
  }

  private void forgetLocked(Session session) {
    Map<String, String> mine = bySession.remove(session);
    if (mine != null) {
      for (String key : mine.keySet()) {
        dropLocked(session, key);
      }
    }
  }

  private void unwatchLocked(Session session, String key) {
    Map<String, String> mine = bySession.get(session);
    if (mine != null && mine.remove(key) != null) {
      dropLocked(session, key);
      if (mine.isEmpty()) {
        bySession.remove(session);
      }
    }
  }

  private void dropLocked(Session session, String key) {
    Map<Session, Watch> watchers = byNick.get(key);
    if (watchers != null) {
      watchers.remove(session);
      if (watchers.isEmpty()) {
        byNick.remove(key);
      }
    }
  }
}
