package chat.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Each room's last sequence number, kept in a row of {@code room_seqs} and moved in the same
 * transaction as the entry that takes it: the one place a room's order is decided when several
 * servers share the database. PostgreSQL holds the row's lock until the commit, so a second
 * server numbering the same room waits for the first and takes the next number.
 */
final class RoomSeqs {
  private RoomSeqs() {}

  /** Seeds a room's row from its log the first time the room is numbered here. */
  static final String SEED = "INSERT INTO room_seqs (room_key, last_seq) "
      + "SELECT ?, COALESCE(MAX(seq), 0) FROM messages WHERE room_key = ? "
      + "ON CONFLICT (room_key) DO NOTHING";

  static final String NEXT =
      "UPDATE room_seqs SET last_seq = last_seq + 1 WHERE room_key = ? RETURNING last_seq";

  /** A number for a server starting on a shared database (PostgreSQL only). */
  static final String NODE = "SELECT nextval('node_numbers')";

  /** The room's next sequence number, taken in {@code c}'s transaction. */
  static long next(Connection c, String roomKey) throws SQLException {
    long seq = bump(c, roomKey);
    if (seq > 0) {
      return seq;
    }
    try (PreparedStatement seed = c.prepareStatement(SEED)) {
      seed.setString(1, roomKey);
      seed.setString(2, roomKey);
      seed.executeUpdate();
    }
    seq = bump(c, roomKey);
    if (seq <= 0) {
      throw new SQLException("no sequence row for room " + roomKey);
    }
    return seq;
  }

  private static long bump(Connection c, String roomKey) throws SQLException {
    try (PreparedStatement next = c.prepareStatement(NEXT)) {
      next.setString(1, roomKey);
      try (ResultSet rs = next.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    }
  }
}
