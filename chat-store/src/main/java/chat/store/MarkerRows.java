package chat.store;

import chat.core.store.ReadMarker;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Read markers as rows of {@code read_markers}, one per account and target. */
final class MarkerRows {
  private MarkerRows() {}

  static final String UPSERT = "INSERT INTO read_markers (name_key, target, seq, msg_id, ts)"
      + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (name_key, target) DO UPDATE"
      + " SET seq = excluded.seq, msg_id = excluded.msg_id, ts = excluded.ts";
  static final String SELECT =
      "SELECT target, seq, msg_id, ts FROM read_markers WHERE name_key = ? ORDER BY target";
  static final String DELETE_ALL = "DELETE FROM read_markers WHERE name_key = ?";

  static void bindUpsert(PreparedStatement ps, String nameKey, ReadMarker m)
      throws SQLException {
    ps.setString(1, nameKey);
    ps.setString(2, m.target());
    ps.setLong(3, m.seq());
    ps.setString(4, m.msgId());
    ps.setLong(5, m.ts());
  }

  static List<ReadMarker> read(PreparedStatement ps) throws SQLException {
    List<ReadMarker> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(new ReadMarker(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getLong(4)));
      }
    }
    return List.copyOf(out);
  }
}
