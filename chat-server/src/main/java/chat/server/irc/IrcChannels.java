package chat.server.irc;

import static chat.server.irc.IrcRender.channelName;
import static chat.server.irc.IrcRender.list;
import static chat.server.irc.IrcRender.roomOf;
import static chat.server.irc.Numeric.*;

import chat.core.Command;
import chat.core.CoreError;
import chat.core.Event;
import chat.core.ModeChange;
import chat.core.Names;
import chat.core.Reply;
import chat.core.RoomMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The channel commands: JOIN (with the history and read marker a join brings), PART, NAMES,
 * TOPIC, LIST (with ELIST filters), KICK and INVITE. Each asks the core and renders its answer
 * and the events it caused into the command's {@link Pending} lines. Event loop only.
 */
final class IrcChannels {

  private final IrcContext ctx;
  private final IrcRender render;
  private final IrcMarkers markers;
  private final IrcHistory history;

  IrcChannels(IrcContext ctx, IrcRender render, IrcMarkers markers, IrcHistory history) {
    this.ctx = ctx;
    this.render = render;
    this.markers = markers;
    this.history = history;
  }

  void join(Pending p, IrcMessage m) {
    if (m.param(0).equals("0")) {
      for (String room : List.copyOf(ctx.channels())) {
        ctx.request(p, new PartSub(channelName(room)), new Command.Leave(room, ""));
      }
      return;
    }
    List<String> targets = list(m.param(0));
    List<String> keys = list(m.param(1));
    IrcMarkers.Lookup marks = targets.isEmpty() ? null : markers.beforeJoins(p);
    for (int i = 0; i < targets.size(); i++) {
      String target = targets.get(i);
      String room = roomOf(target);
      if (room == null) {
        p.lines.add(ctx.numeric(ERR_NOSUCHCHANNEL, target, "No such channel"));
        continue;
      }
      String key = i < keys.size() ? keys.get(i) : null;
      ctx.request(p, new JoinSub(target, room, marks), new Command.Join(room, key));
    }
  }

  private final class JoinSub extends Sub {
    final String target;
    final String key;
    final IrcMarkers.Lookup marks;
    boolean joined;
    final List<Event.RoomMessage> history = new ArrayList<>();

    JoinSub(String target, String room, IrcMarkers.Lookup marks) {
      this.target = target;
      this.key = Names.fold(room);
      this.marks = marks;
    }

    @Override
    boolean claims(Event e) {
      return switch (e) {
        case Event.Joined j -> !joined && Names.fold(j.room()).equals(key) && ctx.isMe(j.nick());
        case Event.History h -> h.message() instanceof Event.RoomMessage m
            && Names.fold(m.room()).equals(key);
        default -> false;
      };
    }

    @Override
    void claimed(Event e) {
      if (e instanceof Event.Joined j) {
        joined = true;
        out(render.joinLine(j.nick(), j.account(), j.realname(), j.room()));
      } else if (e instanceof Event.History h) {
        history.add((Event.RoomMessage) h.message());
      }
    }

    @Override
    void reply(Reply r) {
      switch (r) {
        case Reply.JoinedRoom j -> {
          if (!joined) {
            return; // already a member: IRC says nothing
          }
          if (j.topic() != null) {
            out(ctx.numeric(RPL_TOPIC, channelName(j.room()), j.topic().text()));
            out(ctx.numeric(RPL_TOPICWHOTIME, channelName(j.room()), j.topic().by(),
                Long.toString(j.topic().ts() / 1000)));
          }
          if (marks != null) {
            out(marks.line(j.room())); // draft/read-marker: before 366
          }
          outAll(render.namesLines(j.room(), j.members(), j.ops(), j.voiced(),
              j.modes() != null && j.modes().secret()));
          if (j.quiet()) {
            out(render.presenceNotice(j.room(), j.count(), true, System.currentTimeMillis()));
          }
          replayOnJoin(this, j.room());
        }
        case Reply.Failed f -> out(render.failure("JOIN", target, f));
        default -> { }
      }
    }
  }

  /**
   * The history the core sends on join goes to clients that can tell it from live messages
   * (server-time) and do not fetch it themselves (chathistory), in a chathistory batch when they
   * know batches.
   */
  private void replayOnJoin(JoinSub sub, String room) {
    if (sub.history.isEmpty() || ctx.has(Cap.CHATHISTORY)
        || !ctx.has(Cap.SERVER_TIME)) {
      return;
    }
    sub.outAll(history.batch(channelName(room), sub.history.stream()
        .map(m -> (Event) m).toList()));
  }

  void part(Pending p, IrcMessage m) {
    String reason = m.param(1);
    for (String target : list(m.param(0))) {
      String room = roomOf(target);
      if (room == null) {
        p.lines.add(ctx.numeric(ERR_NOSUCHCHANNEL, target, "No such channel"));
        continue;
      }
      ctx.request(p, new PartSub(target), new Command.Leave(room, reason));
    }
  }

  private final class PartSub extends Sub {
    final String target;
    final String key;

    PartSub(String target) {
      this.target = target;
      this.key = Names.fold(roomOf(target));
    }

    @Override
    boolean claims(Event e) {
      return e instanceof Event.Left l && Names.fold(l.room()).equals(key) && ctx.isMe(l.nick());
    }

    @Override
    void claimed(Event e) {
      out(IrcRender.partLine((Event.Left) e));
    }

    @Override
    void reply(Reply r) {
      if (r instanceof Reply.Failed f) {
        out(f.error() == CoreError.NOT_IN_ROOM || f.error() == CoreError.INVALID_ROOM
            ? ctx.numeric(ERR_NOTONCHANNEL, target, "You're not on that channel")
            : render.failure("PART", target, f));
      }
    }
  }

  void names(Pending p, IrcMessage m) {
    if (m.params().isEmpty()) {
      p.lines.add(ctx.numeric(RPL_ENDOFNAMES, "*", "End of /NAMES list"));
      return;
    }
    String target = list(m.param(0)).stream().findFirst().orElse("*");
    String room = roomOf(target);
    if (room == null) {
      p.lines.add(ctx.numeric(RPL_ENDOFNAMES, target, "End of /NAMES list"));
      return;
    }
    ctx.request(p, new Sub() {
      @Override
      void reply(Reply r) {
        if (r instanceof Reply.Members members) {
          outAll(render.namesLines(members.room(), members.members(), members.ops(), members.voiced(),
              members.secret()));
        } else {
          out(ctx.numeric(RPL_ENDOFNAMES, target, "End of /NAMES list"));
        }
      }
    }, new Command.Who(room));
  }

  void topic(Pending p, IrcMessage m) {
    String target = m.param(0);
    String room = roomOf(target);
    if (room == null) {
      p.lines.add(ctx.numeric(ERR_NOSUCHCHANNEL, target, "No such channel"));
      return;
    }
    boolean query = m.params().size() < 2;
    String key = Names.fold(room);
    ctx.request(p, new Sub() {
      @Override
      boolean claims(Event e) {
        return !query && e instanceof Event.TopicChanged t && Names.fold(t.room()).equals(key)
            && ctx.isMe(t.by());
      }

      @Override
      void claimed(Event e) {
        Event.TopicChanged t = (Event.TopicChanged) e;
        out(IrcRender.topicLine((Event.TopicChanged) e));
      }

      @Override
      void reply(Reply r) {
        switch (r) {
          case Reply.RoomTopic t when query -> {
            if (t.topic() == null) {
              out(ctx.numeric(RPL_NOTOPIC, channelName(t.room()), "No topic is set"));
            } else {
              out(ctx.numeric(RPL_TOPIC, channelName(t.room()), t.topic().text()));
              out(ctx.numeric(RPL_TOPICWHOTIME, channelName(t.room()), t.topic().by(),
                  Long.toString(t.topic().ts() / 1000)));
            }
          }
          case Reply.Failed f -> out(render.failure("TOPIC", target, f));
          default -> { }
        }
      }
    }, new Command.SetTopic(room, query ? null : m.param(1)));
  }

  /**
   * {@code LIST [#a,#b | filters]}: the rooms, or those named, or those passing every ELIST
   * filter ({@code >n} and {@code <n} members, a {@code *?} mask, {@code !mask} to exclude).
   */
  void listRooms(Pending p, IrcMessage m) {
    Set<String> only = new java.util.HashSet<>();
    List<java.util.function.Predicate<Reply.RoomInfo>> filters = new ArrayList<>();
    for (String target : list(m.param(0))) {
      if (roomOf(target) != null && target.indexOf('*') < 0 && target.indexOf('?') < 0) {
        only.add(Names.fold(roomOf(target)));
      } else if (target.length() > 1 && (target.charAt(0) == '>' || target.charAt(0) == '<')) {
        try {
          int n = Integer.parseInt(target.substring(1));
          filters.add(target.charAt(0) == '>' ? r -> r.members() > n : r -> r.members() < n);
        } catch (NumberFormatException e) {
          p.lines.add(ctx.numeric(ERR_UNKNOWNCOMMAND, "LIST", "Bad filter " + target));
          return;
        }
      } else if (target.startsWith("!")) {
        String mask = Names.fold(target.substring(1));
        filters.add(r -> !chat.core.Names.globMatches(mask, Names.fold("#" + r.room())));
      } else {
        String mask = Names.fold(target);
        filters.add(r -> chat.core.Names.globMatches(mask, Names.fold("#" + r.room())));
      }
    }
    ctx.request(p, new Sub() {
      @Override
      void reply(Reply r) {
        out(ctx.numeric(RPL_LISTSTART, "Channel", "Users  Name"));
        if (r instanceof Reply.RoomList rooms) {
          for (Reply.RoomInfo room : rooms.rooms()) {
            if ((only.isEmpty() || only.contains(Names.fold(room.room())))
                && filters.stream().allMatch(f -> f.test(room))) {
              out(ctx.numeric(RPL_LIST, channelName(room.room()), Integer.toString(room.members()),
                  room.topic() == null ? "" : room.topic()));
            }
          }
        }
        out(ctx.numeric(RPL_LISTEND, "End of /LIST"));
      }
    }, new Command.ListRooms());
  }



  /**
   * {@code KICK #room nick[,nick2]} or {@code KICK #a,#b nick1,nick2} (each channel with the nick
   * in the same place); one refusal per kick.
   */
  void kick(Pending p, IrcMessage m) {
    List<String> targets = list(m.param(0));
    List<String> victims = list(m.param(1));
    if (targets.isEmpty() || victims.isEmpty()
        || (targets.size() > 1 && targets.size() != victims.size())) {
      p.lines.add(ctx.numeric(ERR_NEEDMOREPARAMS, "KICK", "Not enough parameters"));
      return;
    }
    for (int i = 0; i < victims.size(); i++) {
      String target = targets.size() == 1 ? targets.get(0) : targets.get(i);
      String room = roomOf(target);
      if (room == null) {
        p.lines.add(ctx.numeric(ERR_NOSUCHCHANNEL, target, "No such channel"));
        continue;
      }
      kickOne(p, target, room, victims.get(i), m.param(2));
    }
  }

  private void kickOne(Pending p, String target, String room, String victim, String reason) {
    String key = Names.fold(room);
    {
      ctx.request(p, new Sub() {
        @Override
        boolean claims(Event e) {
          return e instanceof Event.Kicked k && Names.fold(k.room()).equals(key) && ctx.isMe(k.by())
              && Names.fold(k.nick()).equals(Names.fold(victim));
        }

        @Override
        void claimed(Event e) {
          out(render.kickLine((Event.Kicked) e));
        }

        @Override
        void reply(Reply r) {
          if (r instanceof Reply.Failed f) {
            out(switch (f.error()) {
              case NO_SUCH_NICK -> ctx.numeric(ERR_NOSUCHNICK, victim, "No such nick/channel");
              case NOT_A_MEMBER -> ctx.numeric(ERR_USERNOTINCHANNEL, victim, target,
                  "They aren't on that channel");
              default -> render.failure("KICK", target, f);
            });
          }
        }
      }, new Command.Kick(room, victim, reason));
    }
  }

  void invite(Pending p, IrcMessage m) {
    String invitee = m.param(0);
    String target = m.param(1);
    String room = roomOf(target);
    if (room == null) {
      p.lines.add(ctx.numeric(ERR_NOSUCHCHANNEL, target, "No such channel"));
      return;
    }
    String key = Names.fold(room);
    // Only someone online can be invited (401), and not into a room they are in (443).
    ctx.request(p, new Sub() {
      @Override
      void reply(Reply r) {
        if (!(r instanceof Reply.Users users) || users.users().isEmpty()) {
          out(ctx.numeric(ERR_NOSUCHNICK, invitee, "No such nick/channel"));
        } else if (users.users().get(0).rooms().stream().anyMatch(
            joined -> Names.fold(joined).equals(key))) {
          out(ctx.numeric(ERR_USERONCHANNEL, invitee, target, "is already on channel"));
        } else {
          invitation(p, invitee, target, room);
        }
      }
    }, new Command.Lookup(List.of(invitee)));
  }

  private void invitation(Pending p, String invitee, String target, String room) {
    String key = Names.fold(room);
    ctx.request(p, new Sub() {
      @Override
      boolean claims(Event e) {
        return e instanceof Event.ModeChanged mc && Names.fold(mc.room()).equals(key)
            && ctx.isMe(mc.by());
      }

      @Override
      void claimed(Event e) {
        // The +I change is how the core records an invitation; IRC shows it as 341 alone.
      }

      @Override
      void reply(Reply r) {
        switch (r) {
          case Reply.ModesChanged c -> out(ctx.numeric(RPL_INVITING, invitee,
              channelName(c.room())));
          case Reply.Failed f -> out(render.failure("INVITE", f.error() == CoreError.NO_SUCH_NICK
              ? invitee : target, f));
          default -> { }
        }
      }
    }, new Command.Mode(room, List.of(ModeChange.set(RoomMode.INVITE, invitee)),
        IrcRender.INVITATION));
  }
}
