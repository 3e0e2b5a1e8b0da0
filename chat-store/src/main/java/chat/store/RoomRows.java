package chat.store;

import chat.core.RoomModes;
import chat.core.Topic;
import chat.core.store.RoomRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link RoomRecord} as rows: one in {@code rooms}, and its lists in {@code room_lists} under
 * IRC's mode letters. Writes run on the caller's connection inside its transaction.
 */
final class RoomRows {
  private RoomRows() {}

  /** The list codes, in the order of {@link #lists}. */
  private static final String CODES = "bqIov";

  private static final String UPSERT = "INSERT INTO rooms (room_key, name, owner, created_ts,"
      + " changed_ts, topic, topic_by, topic_ts, invite_only, moderated, topic_locked, join_key,"
      + " member_limit, no_external, secret) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
      + " ON CONFLICT (room_key) DO UPDATE SET name = excluded.name, owner = excluded.owner,"
      + " created_ts = excluded.created_ts, changed_ts = excluded.changed_ts,"
      + " topic = excluded.topic, topic_by = excluded.topic_by, topic_ts = excluded.topic_ts,"
      + " invite_only = excluded.invite_only, moderated = excluded.moderated,"
      + " topic_locked = excluded.topic_locked, join_key = excluded.join_key,"
      + " member_limit = excluded.member_limit, no_external = excluded.no_external,"
      + " secret = excluded.secret";
  private static final String DELETE_LISTS = "DELETE FROM room_lists WHERE room_key = ?";
  private static final String INSERT_LIST =
      "INSERT INTO room_lists (room_key, list, position, entry) VALUES (?, ?, ?, ?)";
  private static final String DELETE_ROOM = "DELETE FROM rooms WHERE room_key = ?";

  /**
   * Rooms with their list entries, one row per entry (or one with null entry for a room with
   * none): one statement, so a reader never sees a room's row and lists from different commits.
   */
  private static final String SELECT = "SELECT r.room_key, r.name, r.owner, r.created_ts,"
      + " r.changed_ts, r.topic, r.topic_by, r.topic_ts, r.invite_only, r.moderated,"
      + " r.topic_locked, r.join_key, r.member_limit, l.list, l.entry, r.no_external, r.secret"
      + " FROM rooms r LEFT JOIN room_lists l ON l.room_key = r.room_key";
  private static final String ORDER = " ORDER BY r.room_key, l.list, l.position";

  static final String SELECT_ALL = SELECT + ORDER;
  static final String SELECT_ONE = SELECT + " WHERE r.room_key = ?" + ORDER;

  private static List<List<String>> lists(RoomRecord room) {
    return List.of(room.bans(), room.mutes(), room.invites(), room.ops(), room.voiced());
  }

  /** Replaces the room's row and every one of its lists. */
  static void save(Connection c, RoomRecord room) throws SQLException {
    String key = room.key();
    try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
      Topic topic = room.topic();
      RoomModes modes = room.modes();
      ps.setString(1, key);
      ps.setString(2, room.name());
      ps.setString(3, room.owner());
      ps.setLong(4, room.createdTs());
      ps.setLong(5, room.changedTs());
      ps.setString(6, topic == null ? null : topic.text());
      ps.setString(7, topic == null ? null : topic.by());
      if (topic == null) {
        ps.setNull(8, Types.BIGINT);
      } else {
        ps.setLong(8, topic.ts());
      }
      ps.setBoolean(9, modes.inviteOnly());
      ps.setBoolean(10, modes.moderated());
      ps.setBoolean(11, modes.topicLocked());
      ps.setString(12, modes.key());
      ps.setInt(13, modes.limit());
      ps.setBoolean(14, modes.noExternal());
      ps.setBoolean(15, modes.secret());
      ps.executeUpdate();
    }
    deleteLists(c, key);
    List<List<String>> lists = lists(room);
    if (lists.stream().allMatch(List::isEmpty)) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(INSERT_LIST)) {
      for (int l = 0; l < lists.size(); l++) {
        List<String> entries = lists.get(l);
        for (int i = 0; i < entries.size(); i++) {
          ps.setString(1, key);
          ps.setString(2, String.valueOf(CODES.charAt(l)));
          ps.setInt(3, i);
          ps.setString(4, entries.get(i));
          ps.addBatch();
        }
      }
      ps.executeBatch();
    }
  }

  /** Removes the room's row and lists; its log in {@code messages} stays. */
  static void delete(Connection c, String roomKey) throws SQLException {
    deleteLists(c, roomKey);
    try (PreparedStatement ps = c.prepareStatement(DELETE_ROOM)) {
      ps.setString(1, roomKey);
      ps.executeUpdate();
    }
  }

  private static void deleteLists(Connection c, String roomKey) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(DELETE_LISTS)) {
      ps.setString(1, roomKey);
      ps.executeUpdate();
    }
  }

  /** The rooms in the rows of {@link #SELECT_ALL} or {@link #SELECT_ONE}, in row order. */
  static List<RoomRecord> read(PreparedStatement ps) throws SQLException {
    List<RoomRecord> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      String key = null;
      RoomRecord head = null; // the current room without its lists
      List<List<String>> lists = null;
      while (rs.next()) {
        if (!rs.getString(1).equals(key)) {
          if (head != null) {
            out.add(withLists(head, lists));
          }
          key = rs.getString(1);
          head = head(rs);
          lists = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
              new ArrayList<>(), new ArrayList<>());
        }
        String code = rs.getString(14);
        if (code != null) {
          int l = CODES.indexOf(code);
          if (code.length() != 1 || l < 0) {
            throw new IllegalStateException("unknown room list in the store: " + code);
          }
          lists.get(l).add(rs.getString(15));
        }
      }
      if (head != null) {
        out.add(withLists(head, lists));
      }
    }
    return List.copyOf(out);
  }

  private static RoomRecord head(ResultSet rs) throws SQLException {
    String topicText = rs.getString(6);
    Topic topic = topicText == null ? null
        : new Topic(topicText, rs.getString(7), rs.getLong(8));
    RoomModes modes = new RoomModes(rs.getBoolean(9), rs.getBoolean(10), rs.getBoolean(11),
        rs.getString(12), rs.getInt(13), rs.getBoolean(16), rs.getBoolean(17));
    List<String> none = List.of();
    return new RoomRecord(rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5), topic,
        modes, none, none, none, none, none);
  }

  private static RoomRecord withLists(RoomRecord r, List<List<String>> lists) {
    return new RoomRecord(r.name(), r.owner(), r.createdTs(), r.changedTs(), r.topic(),
        r.modes(), lists.get(0), lists.get(1), lists.get(2), lists.get(3), lists.get(4));
  }
}
