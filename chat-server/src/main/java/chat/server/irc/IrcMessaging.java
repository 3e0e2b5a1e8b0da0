package chat.server.irc;

import static chat.server.irc.IrcRender.list;
import static chat.server.irc.IrcRender.roomOf;
import static chat.server.irc.Numeric.*;

import chat.core.Command;
import chat.core.Event;
import chat.core.MessageKind;
import chat.core.Reply;
import java.util.List;
import java.util.Map;

/**
 * PRIVMSG and NOTICE to channels, nicks and a channel's operators or voiced ({@code @#room},
 * {@code +#room}), CTCP ACTION as the core's action, and ChanServ, whose answers are its
 * notices. Event loop only.
 */
final class IrcMessaging {

  private final IrcContext ctx;
  private final IrcRender render;

  IrcMessaging(IrcContext ctx, IrcRender render) {
    this.ctx = ctx;
    this.render = render;
  }


  /** Room administration through the ChanServ of services: its answers are its notices. */
  void chanServ(Pending p, List<String> words) {
    Command command = ChanServ.parse(words);
    if (command == null) {
      p.lines.add(IrcMessage.of(ChanServ.NICK + "!" + ChanServ.NICK + "@" + ctx.server(), "NOTICE",
          ctx.nick(), ChanServ.USAGE));
      return;
    }
    ctx.request(p, new Sub() {
      @Override
      void reply(Reply r) {
        for (String line : ChanServ.render(r)) {
          out(IrcMessage.of(ChanServ.NICK + "!" + ChanServ.NICK + "@" + ctx.server(), "NOTICE",
              ctx.nick(), line));
        }
      }
    }, command);
  }

  void message(Pending p, IrcMessage m) {
    boolean notice = m.command().equals("NOTICE");
    if (m.params().isEmpty() || m.param(0).isEmpty()) {
      if (!notice) {
        p.lines.add(ctx.numeric(ERR_NORECIPIENT, "No recipient given (" + m.command() + ")"));
      }
      return;
    }
    if (!notice && m.param(0).equalsIgnoreCase(ChanServ.NICK) && m.param(1) != null) {
      chanServ(p, List.of(m.param(1).strip().split("\\s+")));
      return;
    }
    String text = m.param(1);
    if (text == null || text.isEmpty()) {
      if (!notice) {
        p.lines.add(ctx.numeric(ERR_NOTEXTTOSEND, "No text to send"));
      }
      return;
    }
    MessageKind kind = notice ? MessageKind.NOTICE : MessageKind.TEXT;
    String action = Text.ctcpAction(text);
    if (action != null) {
      kind = MessageKind.ACTION;
      text = action.isEmpty() ? " " : action;
    } else if (Text.isCtcp(text)) {
      return; // CTCP other than ACTION (VERSION, PING, DCC...) is not carried between doors
    }
    for (String target : list(m.param(0))) {
      String room = roomOf(target);
      String status = (target.startsWith("@#") || target.startsWith("+#"))
          ? roomOf(target.substring(1)) : null;
      if (status != null) {
        ctx.request(p, new MessageSub(target, notice), new Command.SayToOps(status,
            target.charAt(0) == '+', kind, text));
      } else if (room != null) {
        ctx.request(p, new MessageSub(target, notice), new Command.SayToRoom(room, kind, text));
      } else if (target.startsWith("#") || target.startsWith("$")) {
        if (!notice) {
          p.lines.add(ctx.numeric(ERR_NOSUCHCHANNEL, target, "No such channel"));
        }
      } else {
        ctx.request(p, new MessageSub(target, notice), new Command.SayToNick(target, kind, text));
        if (!notice) {
          ctx.request(p, new Sub() {
            @Override
            void reply(Reply r) {
              if (r instanceof Reply.Users users && !users.users().isEmpty()
                  && users.users().get(0).away() != null) {
                Reply.UserInfo u = users.users().get(0);
                out(ctx.numeric(RPL_AWAY, u.nick(), u.away()));
              }
            }
          }, new Command.Lookup(List.of(target)));
        }
      }
    }
  }

  /**
   * The client-only tags relayed (without their {@code +}); any other is dropped, as
   * {@code CLIENTTAGDENY} says.
   */
  static final java.util.Set<String> RELAYED_TAGS =
      java.util.Set.of("typing", "draft/typing", "draft/react", "draft/reply");

  /** {@code TAGMSG <target>[,...]}: the relayed client-only tags, to a channel or a nick. */
  void tagmsg(Pending p, IrcMessage m) {
    if (m.params().isEmpty() || m.param(0).isEmpty()) {
      p.lines.add(ctx.numeric(ERR_NORECIPIENT, "No recipient given (TAGMSG)"));
      return;
    }
    Map<String, String> tags = new java.util.LinkedHashMap<>();
    m.tags().forEach((name, value) -> {
      if (name.startsWith("+") && RELAYED_TAGS.contains(name.substring(1))) {
        tags.put(name.substring(1), value == null ? "" : value);
      }
    });
    if (tags.isEmpty()) {
      return; // nothing this server relays: dropped, as any other client-only tag
    }
    for (String target : list(m.param(0))) {
      String room = roomOf(target);
      if (room != null) {
        ctx.request(p, new MessageSub(target, false), new Command.SendTags(room, null, tags));
      } else if (target.startsWith("#") || target.startsWith("@") || target.startsWith("+")) {
        p.lines.add(ctx.numeric(ERR_NOSUCHCHANNEL, target, "No such channel"));
      } else {
        ctx.request(p, new MessageSub(target, false), new Command.SendTags(null, target, tags));
      }
    }
  }

  private final class MessageSub extends Sub {
    final String target;
    final boolean notice;

    MessageSub(String target, boolean notice) {
      this.target = target;
      this.notice = notice;
    }

    @Override
    void event(Event e) {
      if (e instanceof Event.PrivateMessage m && ctx.isMe(m.to())) {
        ctx.deliverLive(m); // to oneself: the core's one copy is its delivery, echo or not
      }
      if (e instanceof Event.TagMessage t && t.room() == null && ctx.isMe(t.to())) {
        ctx.deliverLive(t);
      }
      if (!ctx.has(Cap.ECHO_MESSAGE)) {
        return;
      }
      switch (e) {
        case Event.RoomMessage m -> outAll(ctx.messageLines().render(m, Map.of()));
        case Event.PrivateMessage m -> outAll(ctx.messageLines().render(m, Map.of()));
        case Event.StatusMessage m -> outAll(ctx.messageLines().render(m));
        case Event.TagMessage t -> outAll(ctx.messageLines().render(t));
        default -> { }
      }
    }

    @Override
    void reply(Reply r) {
      if (notice || !(r instanceof Reply.Failed f)) {
        return; // no automatic replies to a NOTICE, not even errors
      }
      boolean channel = target.startsWith("#") || target.startsWith("@#")
          || target.startsWith("+#");
      out(switch (f.error()) {
        case NOT_IN_ROOM, MUTED, MODERATED, BANNED, MESSAGE_TOO_LONG, STORE_FAILED, STORE_UNKNOWN,
            INVALID_ROOM ->
            channel ? ctx.numeric(ERR_CANNOTSENDTOCHAN, target, "Cannot send to channel: "
                + f.message()) : render.failure("PRIVMSG", target, f);
        case NO_SUCH_NICK -> ctx.numeric(ERR_NOSUCHNICK, target, "No such nick/channel");
        default -> render.failure("PRIVMSG", target, f);
      });
    }
  }
}
