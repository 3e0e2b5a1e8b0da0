package chat.store;

import chat.core.MessageKind;
import chat.core.Names;
import chat.core.store.StoredMessage;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Messages and room log entries as rows of {@code messages}: the statements that write and read
 * them. Reads select rows newest first (for LIMIT) and {@link #read} returns them oldest first.
 */
final class MessageRows {
  private MessageRows() {}

  private static final String COLUMNS =
      "msg_id, room, seq, ts, from_nick, from_account, to_nick, to_account, kind, text";

  static final String INSERT = "INSERT INTO messages (msg_id, room_key, room, seq, ts,"
      + " from_nick, from_account, to_nick, to_account, pair_key, from_key, to_key, kind, text)"
      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  /** Room key, before seq, limit. */
  static final String ROOM_HISTORY = "SELECT " + COLUMNS + " FROM messages"
      + " WHERE room_key = ? AND seq < ? ORDER BY seq DESC LIMIT ?";

  /**
   * Pair key, before msg id, limit. As in MemoryStore, a msg id that names no private message
   * sets no bound.
   */
  static final String PRIVATE_HISTORY = "SELECT " + COLUMNS + " FROM messages"
      + " WHERE pair_key = ? AND id < COALESCE("
      + "(SELECT id FROM messages WHERE msg_id = ? AND room_key IS NULL), " + Long.MAX_VALUE
      + ") ORDER BY id DESC LIMIT ?";

  /**
   * Account key, after msg id, limit; the three twice (sent, then received), then the limit.
   * Each side takes its newest by its own index, so the work is bounded by the limit and not by
   * how much the account ever sent or received. As above, an unknown msg id sets no bound.
   */
  static final String PRIVATE_SINCE = "SELECT " + COLUMNS + " FROM messages"
      + " WHERE id IN (SELECT id FROM (" + sinceSide("from_key") + ") f"
      + " UNION SELECT id FROM (" + sinceSide("to_key") + ") t) ORDER BY id DESC LIMIT ?";

  private static String sinceSide(String keyColumn) {
    return "SELECT id FROM messages WHERE " + keyColumn + " = ? AND room_key IS NULL"
        + " AND id > COALESCE((SELECT id FROM messages WHERE msg_id = ? AND room_key IS NULL), 0)"
        + " ORDER BY id DESC LIMIT ?";
  }

  /** Room key, after seq, before seq, limit: the entries between two seqs, newest or oldest. */
  static String roomSlice(boolean newest, boolean messagesOnly) {
    return "SELECT " + COLUMNS + " FROM messages WHERE room_key = ? AND seq > ? AND seq < ?"
        + (messagesOnly ? " AND kind NOT IN ('topic', 'mode', 'kick')" : "")
        + " ORDER BY seq " + (newest ? "DESC" : "ASC") + " LIMIT ?";
  }

  /** Room key, time: the newest entry at or before a time. */
  static final String ROOM_SEQ_AT =
      "SELECT COALESCE(MAX(seq), 0) FROM messages WHERE room_key = ? AND ts <= ?";

  /**
   * Pair key, after msg id (twice), before msg id (twice), after ts, before ts, limit. A msg id
   * bound that names no private message compares with NULL, which matches nothing.
   */
  static String privateSlice(boolean newest) {
    return "SELECT " + COLUMNS + " FROM messages WHERE pair_key = ?"
        + " AND (CAST(? AS TEXT) IS NULL OR id > (" + PRIVATE_ID + "))"
        + " AND (CAST(? AS TEXT) IS NULL OR id < (" + PRIVATE_ID + "))"
        + " AND ts > ? AND ts < ? ORDER BY id " + (newest ? "DESC" : "ASC") + " LIMIT ?";
  }

  private static final String PRIVATE_ID =
      "SELECT id FROM messages WHERE msg_id = ? AND room_key IS NULL";

  /** Msg id. */
  static final String PRIVATE_MESSAGE = "SELECT " + COLUMNS + " FROM messages"
      + " WHERE msg_id = ? AND room_key IS NULL";

  /**
   * Account key (twice), after ts, before ts, limit: the other account of each conversation
   * (between two accounts) with its name and its newest message's time, least recent first.
   */
  static final String CONVERSATIONS = "SELECT MAX(name), MAX(ts), partner FROM ("
      + "SELECT to_key AS partner, to_account AS name, ts FROM messages"
      + " WHERE from_key = ? AND room_key IS NULL AND to_key IS NOT NULL"
      + " UNION ALL SELECT from_key, from_account, ts FROM messages"
      + " WHERE to_key = ? AND room_key IS NULL AND from_key IS NOT NULL) c"
      + " GROUP BY partner HAVING MAX(ts) > ? AND MAX(ts) < ? ORDER BY 2, 3 LIMIT ?";

  /** Adds {@code m} to the batch of an {@link #INSERT} statement. */
  static void addInsert(PreparedStatement ps, StoredMessage m) throws SQLException {
    // A conversation with at least one account has a pair key; a guest's side is its nick
    // (StoredMessage.side), so an account finds its conversations with guests too.
    boolean accounts = m.isPrivate() && (m.fromAccount() != null || m.toAccount() != null);
    ps.setString(1, m.msgId());
    ps.setString(2, m.isPrivate() ? null : Names.fold(m.room()));
    ps.setString(3, m.room());
    ps.setLong(4, m.seq());
    ps.setLong(5, m.ts());
    ps.setString(6, m.from());
    ps.setString(7, m.fromAccount());
    ps.setString(8, m.to()); // a room's KICK entry has one too
    ps.setString(9, m.toAccount());
    ps.setString(10, accounts ? pairKey(m.fromSide(), m.toSide()) : null);
    ps.setString(11, m.isPrivate() ? foldOrNull(m.fromAccount()) : null);
    ps.setString(12, m.isPrivate() ? foldOrNull(m.toAccount()) : null);
    ps.setString(13, m.kind().wire());
    ps.setString(14, m.text());
    ps.addBatch();
  }

  private static String foldOrNull(String name) {
    return name == null ? null : Names.fold(name);
  }

  /**
   * The key of a conversation, the same in both directions: the two sides (an account's folded
   * name, or {@code ~} and a guest's folded nick) in order, each prefixed with its length so
   * that no two pairs share a key.
   */
  static String pairKey(String accountA, String accountB) {
    String a = Names.fold(accountA);
    String b = Names.fold(accountB);
    if (a.compareTo(b) > 0) {
      String t = a;
      a = b;
      b = t;
    }
    return a.length() + ":" + a + b.length() + ":" + b;
  }

  /** Runs a read and returns its rows (selected newest first) oldest first. */
  static List<StoredMessage> read(PreparedStatement ps) throws SQLException {
    return read(ps, true);
  }

  /** Runs a read whose rows come newest first or oldest first, and returns them oldest first. */
  static List<StoredMessage> read(PreparedStatement ps, boolean newestFirst) throws SQLException {
    List<StoredMessage> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(new StoredMessage(rs.getString(1), rs.getString(2), rs.getLong(3),
            rs.getLong(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8),
            kind(rs.getString(9)), rs.getString(10)));
      }
    }
    if (newestFirst) {
      Collections.reverse(out);
    }
    return List.copyOf(out);
  }

  private static MessageKind kind(String wire) {
    MessageKind k = MessageKind.ofWire(wire);
    if (k == null) {
      throw new IllegalStateException("unknown message kind in the store: " + wire);
    }
    return k;
  }
}
