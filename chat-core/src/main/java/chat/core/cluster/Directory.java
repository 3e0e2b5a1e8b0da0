package chat.core.cluster;

import java.util.List;
import java.util.Set;

/**
 * What servers sharing rooms must agree on beyond the rooms' logs: which servers are alive, and
 * who holds each nick. A port beside the store and the bus, implemented on PostgreSQL
 * ({@code chat.store.PgDirectory}): a server is alive while its database session holds its
 * advisory lock (the session ends when the process dies, so a killed server's lock goes with
 * it), and a nick is held through its row in {@code nick_claims}, taken in one statement, so two
 * servers never give one nick to two different people. No consensus of our own.
 *
 * <p>Every method may block on the database: call them off the I/O threads.
 */
public interface Directory extends AutoCloseable {

  /** This server's number (the one its message ids carry). */
  long node();

  /** The numbers of the servers alive now, this one included (as of the last look). */
  Set<Long> live();

  /** {@link #live()}, looked up now. */
  Set<Long> liveNow();

  /**
   * Takes {@code nick} for this server. It is taken when nobody holds it, when this server
   * holds it already (this server's own registry decides between its sessions), when the holder
   * is the same account ({@code account} non-null: another device), when the holder's resume
   * token is {@code token} (a guest taking its nick back after its server died), or when the
   * holder's server died more than {@code graceMillis} ago.
   *
   * @return null when taken; otherwise who holds it
   */
  Holder claim(String nickKey, String nick, String account, String token, long graceMillis);

  /** Lets go of {@code nickKey} if this server holds it. */
  void release(String nickKey);

  /** The holder of a resume token's nick, or null (a guest resuming on another server). */
  Holder byToken(String token);

  /** The servers this directory knows, alive or not, newest first. */
  List<NodeStatus> nodes();

  @Override
  void close();

  /** Who holds a nick: the server, and the account or null for a guest. */
  record Holder(String nick, long node, String account) {}

  /**
   * A server of the cluster as the directory sees it.
   *
   * @param seenTs when it last said it was alive, UTC millis
   * @param alive whether its database session still holds its lock
   */
  record NodeStatus(long node, String address, long startedTs, long seenTs, boolean alive,
      int nicks) {}
}
