package chat.server.irc;

import chat.core.Command;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a command's handler outside {@link IrcConnection} (CHATHISTORY, MARKREAD, WHO, LUSERS...)
 * needs of its connection. Event loop only, like the connection.
 */
interface IrcContext {

  /** Hands {@code command} to the hub as part of {@code p}; {@code sub} renders the answer. */
  void request(Pending p, Sub sub, Command command);

  /**
   * The same for work no client command asked for (a MARKREAD after a JOIN that another
   * connection of the account made): its lines are written in turn with the commands' replies.
   */
  void requestUnasked(Sub sub, Command command);

  boolean has(Cap cap);

  /** The server's name: the source of its own lines. */
  String server();

  /** A new batch reference tag. */
  String nextBatch();

  /** The session's account, or null for a guest. */
  String account();

  MessageLines messageLines();

  /** The nick numerics are addressed to ("*" before registration). */
  String nick();

  /** Whether this client is in the core's room {@code room}. */
  boolean inChannel(String room);

  /** Whether {@code other} names this client (its nick, or the core's before 001). */
  boolean isMe(String other);

  /** The core's names of the rooms this client is in. */
  java.util.Collection<String> channels();

  /** Writes an event as if no command had caused it (a message to oneself is its delivery). */
  void deliverLive(chat.core.Event e);

  /** The door's fixed information and its shared record of users. */
  IrcServerInfo info();

  /** A numeric from the server to this client: {@code :server CODE nick params...}. */
  default IrcMessage numeric(String code, String... params) {
    List<String> all = new ArrayList<>(params.length + 1);
    all.add(nick());
    all.addAll(Arrays.asList(params));
    return IrcMessage.of(server(), code, all);
  }
}
