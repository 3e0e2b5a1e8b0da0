package chat.server.irc;

import static chat.server.irc.IrcRender.channelName;
import static chat.server.irc.IrcRender.roomOf;
import static chat.server.irc.Numeric.*;

import chat.core.Command;
import chat.core.Event;
import chat.core.ModeChange;
import chat.core.Names;
import chat.core.Reply;
import chat.core.RoomMode;
import chat.core.RoomModes;
import java.util.ArrayList;
import java.util.List;

/**
 * MODE: a channel's modes and lists (b, q, I) asked for or changed through the core, and the
 * connection's own user modes ({@link UserModes}), which the door keeps. Event loop only.
 */
final class IrcModes {

  private final IrcContext ctx;
  private final IrcRender render;
  private final UserModes modes;

  IrcModes(IrcContext ctx, IrcRender render, UserModes modes) {
    this.ctx = ctx;
    this.render = render;
    this.modes = modes;
  }

  void mode(Pending p, IrcMessage m) {
    String target = m.param(0);
    String room = roomOf(target);
    if (room == null) {
      userMode(p, m);
      return;
    }
    if (m.params().size() == 1) {
      ctx.request(p, new ModeListSub(target, (char) 0), new Command.Mode(room, List.of(), null));
      return;
    }
    boolean add = true;
    int next = 2;
    List<ModeChange> changes = new ArrayList<>();
    List<Character> queries = new ArrayList<>();
    String letters = m.param(1);
    for (int i = 0; i < letters.length(); i++) {
      char c = letters.charAt(i);
      if (c == '+' || c == '-') {
        add = c == '+';
        continue;
      }
      RoomMode mode = RoomMode.of(c);
      if (mode == null) {
        p.lines.add(ctx.numeric(ERR_UNKNOWNMODE, String.valueOf(c), "is unknown mode char to me"));
        continue;
      }
      String arg = null;
      boolean takes = switch (mode) {
        case BAN, MUTE, INVITE, OP, VOICE -> true;
        case KEY -> true; // IRC clients send the key with -k too
        case LIMIT -> add;
        default -> false;
      };
      if (takes && next < m.params().size()) {
        arg = m.param(next++);
      }
      if (mode.isList()) {
        if (arg == null) {
          if (!queries.contains(c)) {
            queries.add(c);
          }
          continue;
        }
        String core = Masks.toCore(arg);
        if (core == null) {
          p.lines.add(ctx.numeric(ERR_INVALIDMODEPARAM, target, String.valueOf(c), arg,
              "Masks name a nick (nick, nick!*@*), or an account ($a:name, account:name)"));
          continue;
        }
        changes.add(new ModeChange(add, mode, core));
      } else if (takes && arg == null && (mode != RoomMode.KEY || add)) {
        p.lines.add(ctx.numeric(ERR_NEEDMOREPARAMS, "MODE", "Not enough parameters"));
      } else {
        changes.add(new ModeChange(add, mode, mode == RoomMode.KEY && !add ? null : arg));
      }
    }
    if (!changes.isEmpty()) {
      ctx.request(p, new ModeSub(target, room, changes), new Command.Mode(room, changes, null));
    }
    for (char c : queries) {
      ctx.request(p, new ModeListSub(target, c), new Command.Mode(room, List.of(), null));
    }
  }

  private final class ModeSub extends Sub {
    final String target;
    final String key;
    final List<ModeChange> changes;

    ModeSub(String target, String room, List<ModeChange> changes) {
      this.target = target;
      this.key = Names.fold(room);
      this.changes = changes;
    }

    @Override
    boolean claims(Event e) {
      return switch (e) {
        case Event.ModeChanged m -> Names.fold(m.room()).equals(key) && ctx.isMe(m.by());
        case Event.Kicked k -> Names.fold(k.room()).equals(key) && ctx.isMe(k.by());
        default -> false;
      };
    }

    @Override
    void claimed(Event e) {
      switch (e) {
        case Event.ModeChanged m -> outAll(render.modeLines(m));
        case Event.Kicked k -> out(render.kickLine(k));
        default -> { }
      }
    }

    @Override
    void reply(Reply r) {
      if (!(r instanceof Reply.Failed f)) {
        return;
      }
      ModeChange refused = changes.stream().filter(c -> c.sign().equals(f.about()))
          .findFirst().orElse(changes.get(0));
      out(switch (f.error()) {
        // A refused key is not echoed (it is meant to be secret, and may be long): "*".
        case INVALID_MODE -> ctx.numeric(ERR_INVALIDMODEPARAM, target,
            String.valueOf(refused.mode().letter()),
            refused.arg() == null || refused.mode() == RoomMode.KEY ? "*" : refused.arg(),
            f.message());
        case NO_SUCH_NICK -> ctx.numeric(ERR_NOSUCHNICK, nickArg(), "No such nick/channel");
        case NOT_A_MEMBER -> ctx.numeric(ERR_USERNOTINCHANNEL, nickArg(), target, f.message());
        default -> render.failure("MODE", target, f);
      });
    }

    private String nickArg() {
      for (ModeChange change : changes) {
        if (change.mode() == RoomMode.OP || change.mode() == RoomMode.VOICE) {
          return change.arg();
        }
      }
      return "*";
    }
  }

  /** The channel's modes (letter 0) or one of its lists (b, q, I). */
  private final class ModeListSub extends Sub {
    final String target;
    final char letter;

    ModeListSub(String target, char letter) {
      this.target = target;
      this.letter = letter;
    }

    @Override
    void reply(Reply r) {
      switch (r) {
        case Reply.RoomModeList l -> {
          String channel = channelName(l.room());
          switch (letter) {
            case 'b' -> {
              l.bans().forEach(b -> out(ctx.numeric(RPL_BANLIST, channel, Masks.toIrc(b))));
              out(ctx.numeric(RPL_ENDOFBANLIST, channel, "End of channel ban list"));
            }
            case 'q' -> {
              l.mutes().forEach(q -> out(ctx.numeric(RPL_QUIETLIST, channel, "q", Masks.toIrc(q))));
              out(ctx.numeric(RPL_ENDOFQUIETLIST, channel, "q", "End of channel quiet list"));
            }
            case 'I' -> {
              l.invites().forEach(i -> out(ctx.numeric(RPL_INVITELIST, channel, Masks.toIrc(i))));
              out(ctx.numeric(RPL_ENDOFINVITELIST, channel, "End of channel invite list"));
            }
            default -> {
              RoomModes modes = l.modes();
              List<String> params = new ArrayList<>();
              params.add(channel);
              params.add(modes.flags());
              if (modes.key() != null) {
                params.add(modes.key());
              }
              if (modes.limit() > 0) {
                params.add(Integer.toString(modes.limit()));
              }
              out(ctx.numeric(RPL_CHANNELMODEIS, params.toArray(String[]::new)));
              if (l.createdTs() > 0) {
                out(ctx.numeric(RPL_CREATIONTIME, channel, Long.toString(l.createdTs() / 1000)));
              }
            }
          }
        }
        case Reply.Failed f -> out(render.failure("MODE", target, f));
        default -> { }
      }
    }
  }

  void userMode(Pending p, IrcMessage m) {
    String target = m.param(0);
    if (!ctx.isMe(target)) {
      p.lines.add(ctx.numeric(m.params().size() == 1 ? ERR_NOSUCHNICK : ERR_USERSDONTMATCH,
          m.params().size() == 1 ? target : "Can't change mode for other users"));
      return;
    }
    if (m.params().size() == 1) {
      p.lines.add(ctx.numeric(RPL_UMODEIS, modes.shown()));
      return;
    }
    boolean add = true;
    StringBuilder applied = new StringBuilder();
    Boolean sign = null;
    for (char c : m.param(1).toCharArray()) {
      switch (c) {
        case '+', '-' -> add = c == '+';
        case 'i' -> {
          if (modes.invisible != add) {
            modes.invisible = add;
            if (sign == null || sign != add) {
              applied.append(add ? '+' : '-');
              sign = add;
            }
            applied.append('i');
          }
        }
        case 'w', 'B' -> {
          boolean now = c == 'w' ? modes.wallops : modes.bot;
          if (now != add) {
            if (c == 'w') {
              modes.wallops = add;
            } else {
              modes.bot = add;
            }
            if (sign == null || sign != add) {
              applied.append(add ? '+' : '-');
              sign = add;
            }
            applied.append(c);
          }
        }
        case 'o' -> { } // operator status comes from OPER (an admin account), not MODE
        default -> p.lines.add(ctx.numeric(ERR_UMODEUNKNOWNFLAG, "Unknown MODE flag"));
      }
    }
    ctx.info().users.modes(ctx.nick(), modes.shared());
    if (!applied.isEmpty()) {
      p.lines.add(IrcMessage.of(IrcServerInfo.source(ctx.nick()), "MODE", ctx.nick(),
          applied.toString()));
    }
  }
}
