package chat.store;

import chat.core.Names;
import chat.core.store.Conversation;
import chat.core.store.MessageStore.Bound;
import chat.core.store.StoredMessage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The history reads of a {@link JdbcStore}: pages, slices between places, where a time falls in
 * a room's log, conversations. Each is one auto-committed statement on the read pool, never on
 * the writer's connection.
 */
final class HistoryReads {

  private final DataSource readPool;
  private final String description;

  HistoryReads(DataSource readPool, String description) {
    this.readPool = readPool;
    this.description = description;
  }

  long lastSeq(String roomKey) {
    return query("SELECT MAX(seq) FROM messages WHERE room_key = ?", ps -> {
      ps.setString(1, roomKey);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0L;
      }
    });
  }

  List<StoredMessage> roomHistory(String roomKey, long beforeSeq, int limit) {
    if (limit <= 0) {
      return List.of();
    }
    return query(MessageRows.ROOM_HISTORY, ps -> {
      ps.setString(1, roomKey);
      ps.setLong(2, beforeSeq);
      ps.setInt(3, limit);
      return MessageRows.read(ps);
    });
  }

  List<StoredMessage> privateHistory(String accountA, String accountB, String beforeMsgId,
      int limit) {
    if (limit <= 0) {
      return List.of();
    }
    return query(MessageRows.PRIVATE_HISTORY, ps -> {
      ps.setString(1, MessageRows.pairKey(accountA, accountB));
      ps.setString(2, beforeMsgId);
      ps.setInt(3, limit);
      return MessageRows.read(ps);
    });
  }

  List<StoredMessage> privateSince(String account, String afterMsgId, int limit) {
    if (limit <= 0) {
      return List.of();
    }
    String key = Names.fold(account);
    return query(MessageRows.PRIVATE_SINCE, ps -> {
      for (int side = 0; side < 2; side++) {
        ps.setString(side * 3 + 1, key);
        ps.setString(side * 3 + 2, afterMsgId);
        ps.setInt(side * 3 + 3, limit);
      }
      ps.setInt(7, limit);
      return MessageRows.read(ps);
    });
  }

  List<StoredMessage> roomSlice(String roomKey, long afterSeq, long beforeSeq, int limit,
      boolean newest, boolean messagesOnly) {
    if (limit <= 0 || afterSeq >= beforeSeq) {
      return List.of();
    }
    return query(MessageRows.roomSlice(newest, messagesOnly), ps -> {
      ps.setString(1, roomKey);
      ps.setLong(2, afterSeq);
      ps.setLong(3, beforeSeq);
      ps.setInt(4, limit);
      return MessageRows.read(ps, newest);
    });
  }

  long roomSeqAt(String roomKey, long ts) {
    return query(MessageRows.ROOM_SEQ_AT, ps -> {
      ps.setString(1, roomKey);
      ps.setLong(2, ts);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0L;
      }
    });
  }

  List<StoredMessage> privateSlice(String accountA, String accountB, Bound after, Bound before,
      int limit, boolean newest) {
    if (limit <= 0) {
      return List.of();
    }
    String afterId = after == null ? null : after.msgId();
    String beforeId = before == null ? null : before.msgId();
    return query(MessageRows.privateSlice(newest), ps -> {
      ps.setString(1, MessageRows.pairKey(accountA, accountB));
      ps.setString(2, afterId);
      ps.setString(3, afterId);
      ps.setString(4, beforeId);
      ps.setString(5, beforeId);
      ps.setLong(6, after == null || afterId != null ? Long.MIN_VALUE : after.ts());
      ps.setLong(7, before == null || beforeId != null ? Long.MAX_VALUE : before.ts());
      ps.setInt(8, limit);
      return MessageRows.read(ps, newest);
    });
  }

  Optional<StoredMessage> privateMessage(String msgId) {
    return query(MessageRows.PRIVATE_MESSAGE, ps -> {
      ps.setString(1, msgId);
      return MessageRows.read(ps).stream().findFirst();
    });
  }

  List<Conversation> conversations(String account, long afterTs, long beforeTs, int limit) {
    if (limit <= 0) {
      return List.of();
    }
    String key = Names.fold(account);
    return query(MessageRows.CONVERSATIONS, ps -> {
      ps.setString(1, key);
      ps.setString(2, key);
      ps.setLong(3, afterTs);
      ps.setLong(4, beforeTs);
      ps.setInt(5, limit);
      List<Conversation> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new Conversation(rs.getString(1), rs.getLong(2)));
        }
      }
      return List.copyOf(out);
    });
  }

  private interface Statement<T> {
    T run(PreparedStatement ps) throws SQLException;
  }

  private <T> T query(String sql, Statement<T> body) {
    try (Connection c = readPool.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      return body.run(ps);
    } catch (SQLException e) {
      throw new StoreException(description + ": " + e.getMessage(), e);
    }
  }
}
