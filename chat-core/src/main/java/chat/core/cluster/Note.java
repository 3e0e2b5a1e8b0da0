package chat.core.cluster;

import java.util.List;

/**
 * What one server tells the others of its own users, on the bus beside the rooms' entries: who
 * is online here and how that changes (joins, parts, nick and away changes, quits), private
 * messages for users wherever they are, and kills. Each server publishes only about the users
 * connected to it, in the order things happened; the others keep a stand-in for each such user
 * (its rooms, nick, away message) and tell their own members of the changes. Nothing here is
 * durable: what must survive is in the store; a server that missed notes asks for everyone's
 * again ({@link Kind#SYNC}).
 *
 * @param origin the bus id of the server the note is about (and from)
 * @param node that server's number
 * @param kind what happened
 * @param nick the user it is about (for {@link Kind#NICK}, the old nick)
 * @param account the user's account, or null for a guest
 * @param text the new nick, the away message, the real name, the part or quit reason, or a
 *     private message's text
 * @param room the room of a join or part
 * @param extra per kind: for {@link Kind#ONLINE} the real name and away message; for
 *     {@link Kind#ROSTER} every nick of the server; for {@link Kind#PRIVATE} the message's id,
 *     target nick, target account, kind and timestamp
 * @param flag for {@link Kind#ONLINE} and {@link Kind#JOIN}, whether it came back after a drop
 *     (the others show nothing); for {@link Kind#ONLINE}, also whether it is an admin
 */
public record Note(String origin, long node, Kind kind, String nick, String account,
    String text, String room, List<String> extra, boolean flag) {

  public Note {
    extra = extra == null ? List.of() : List.copyOf(extra);
  }

  public enum Kind {
    /** A user is online on the origin (after hello, resume, or again in a roster). */
    ONLINE,
    /** A user is now called {@code text} (the old nick in {@code nick}). */
    NICK,
    /** A user joined {@code room}. */
    JOIN,
    /** A user left {@code room}, saying {@code text}. */
    PART,
    /** A user is gone, saying {@code text}. */
    QUIT,
    /** A user's away message is {@code text} (null: back). */
    AWAY,
    /** A user's real name is {@code text}. */
    REALNAME,
    /** A user logged in to {@code account}. */
    ACCOUNT,
    /** A private message to {@code extra[1]}, delivered by each server to its connections. */
    PRIVATE,
    /** {@code extra[0]} killed user {@code nick}, saying {@code text}; its server ends it. */
    KILL,
    /** A server asks every other for its users again (it started, or it missed notes). */
    SYNC,
    /** The end of a server's users: {@code extra} holds their nicks; others it had are gone. */
    ROSTER,
    /** Administrator {@code nick} sent everyone who wants them the line {@code text}. */
    WALLOPS,
    /**
     * A message of user {@code nick} for the operators of {@code room} (and voiced members when
     * {@code flag}): {@code extra} holds its id, kind and timestamp.
     */
    STATUS
  }
}
