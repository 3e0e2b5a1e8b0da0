package chat.core.store;

import chat.core.Names;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Keeps everything in memory, durable only for the life of the process. For tests and for
 * {@code --store memory}; the real stores live in chat-store. Each room keeps its newest
 * {@link #DEFAULT_MAX_ROOM_ENTRIES} entries (older ones are forgotten, as history past a
 * retention would be), so a long-running server on it does not grow without bound.
 */
public final class MemoryStore implements MessageStore, AccountStore {

  /** The entries each room keeps by default. */
  public static final int DEFAULT_MAX_ROOM_ENTRIES = 10_000; // Ergo keeps 2,048 in memory

  private final int maxRoomEntries;

  public MemoryStore() {
    this(DEFAULT_MAX_ROOM_ENTRIES);
  }

  /** A store whose rooms keep their newest {@code maxRoomEntries} entries. */
  public MemoryStore(int maxRoomEntries) {
    if (maxRoomEntries < 1) {
      throw new IllegalArgumentException("maxRoomEntries must be >= 1: " + maxRoomEntries);
    }
    this.maxRoomEntries = maxRoomEntries;
  }

  /**
   * Forgets a room's oldest entries past the limit; the caller holds the list's monitor. Trimmed
   * a tenth below the limit at a time, so the copy is paid once per that many appends.
   */
  private void trim(List<StoredMessage> list) {
    if (list.size() > maxRoomEntries) {
      list.subList(0, list.size() - (maxRoomEntries - maxRoomEntries / 10)).clear();
    }
  }

  /** Where the first entry with a seq >= {@code seq} is (the list is in seq order). */
  private static int indexOfSeq(List<StoredMessage> list, long seq) {
    int low = 0;
    int high = list.size();
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (list.get(mid).seq() < seq) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low;
  }

  private final Map<String, List<StoredMessage>> rooms = new ConcurrentHashMap<>();
  private final List<StoredMessage> privates = new ArrayList<>();
  private final Map<String, Account> accounts = new TreeMap<>();
  private final Map<String, RoomRecord> roomStates = new TreeMap<>();
  private final Map<String, Map<String, ReadMarker>> markers = new TreeMap<>();

  @Override
  public long lastSeq(String roomKey) {
    List<StoredMessage> list = rooms.get(roomKey);
    if (list == null) {
      return 0;
    }
    synchronized (list) {
      return list.isEmpty() ? 0 : list.get(list.size() - 1).seq();
    }
  }

  @Override
  public void append(StoredMessage message, Consumer<Throwable> onDurable) {
    if (message.isPrivate()) {
      synchronized (privates) {
        privates.add(message);
      }
    } else {
      List<StoredMessage> list = rooms.computeIfAbsent(Names.fold(message.room()),
          k -> new ArrayList<>());
      synchronized (list) {
        list.add(message);
        trim(list);
      }
    }
    onDurable.accept(null);
  }

  private final java.util.concurrent.atomic.AtomicLong nodes = new java.util.concurrent.atomic.AtomicLong();

  @Override
  public long nodeNumber() {
    return nodes.getAndIncrement();
  }

  @Override
  public void saveRoomNumbered(RoomRecord room, StoredMessage change,
      java.util.function.BiConsumer<Long, Throwable> onDurable) {
    List<StoredMessage> list = rooms.computeIfAbsent(Names.fold(change.room()),
        k -> new ArrayList<>());
    long seq;
    synchronized (list) {
      seq = (list.isEmpty() ? 0 : list.get(list.size() - 1).seq()) + 1;
    }
    long[] got = {seq};
    saveRoom(room, change.withSeq(seq), failure -> onDurable.accept(got[0], failure));
  }

  @Override
  public void appendNumbered(StoredMessage message,
      java.util.function.BiConsumer<Long, Throwable> onDurable) {
    List<StoredMessage> list = rooms.computeIfAbsent(Names.fold(message.room()),
        k -> new ArrayList<>());
    long seq;
    synchronized (list) {
      seq = (list.isEmpty() ? 0 : list.get(list.size() - 1).seq()) + 1;
      list.add(message.withSeq(seq));
      trim(list);
    }
    onDurable.accept(seq, null);
  }

  @Override
  public List<StoredMessage> privateSince(String account, String afterMsgId, int limit) {
    if (limit <= 0) {
      return List.of();
    }
    String a = Names.fold(account);
    List<StoredMessage> found = new ArrayList<>();
    synchronized (privates) {
      int start = 0;
      if (afterMsgId != null) {
        for (int i = 0; i < privates.size(); i++) {
          if (privates.get(i).msgId().equals(afterMsgId)) {
            start = i + 1;
            break;
          }
        }
      }
      for (StoredMessage m : privates.subList(start, privates.size())) {
        if (a.equals(fold(m.fromAccount())) || a.equals(fold(m.toAccount()))) {
          found.add(m);
        }
      }
    }
    return List.copyOf(found.subList(Math.max(0, found.size() - limit), found.size()));
  }

  private static String fold(String name) {
    return name == null ? null : Names.fold(name);
  }

  @Override
  public synchronized List<RoomRecord> rooms() {
    return List.copyOf(roomStates.values());
  }

  @Override
  public synchronized Optional<RoomRecord> room(String roomKey) {
    return Optional.ofNullable(roomStates.get(roomKey));
  }

  @Override
  public void saveRoom(RoomRecord room, StoredMessage change, Consumer<Throwable> onDurable) {
    synchronized (this) {
      roomStates.put(room.key(), room);
    }
    if (change != null) {
      append(change, ignored -> { });
    }
    onDurable.accept(null);
  }

  @Override
  public void deleteRoom(String roomKey, Consumer<Throwable> onDurable) {
    synchronized (this) {
      roomStates.remove(roomKey);
    }
    onDurable.accept(null);
  }

  @Override
  public synchronized void setMarker(String nameKey, ReadMarker marker) {
    markers.computeIfAbsent(nameKey, k -> new TreeMap<>()).put(marker.target(), marker);
  }

  @Override
  public synchronized List<ReadMarker> markers(String nameKey) {
    Map<String, ReadMarker> of = markers.get(nameKey);
    return of == null ? List.of() : List.copyOf(of.values());
  }

  @Override
  public List<StoredMessage> roomHistory(String roomKey, long beforeSeq, int limit) {
    List<StoredMessage> list = rooms.get(roomKey);
    if (list == null || limit <= 0) {
      return List.of();
    }
    synchronized (list) {
      int end = indexOfSeq(list, beforeSeq);
      return List.copyOf(list.subList(Math.max(0, end - limit), end));
    }
  }

  @Override
  public List<StoredMessage> privateHistory(String accountA, String accountB, String beforeMsgId,
      int limit) {
    if (limit <= 0) {
      return List.of();
    }
    String a = Names.fold(accountA);
    String b = Names.fold(accountB);
    List<StoredMessage> between = new ArrayList<>();
    synchronized (privates) {
      for (StoredMessage m : privates) {
        if (beforeMsgId != null && m.msgId().equals(beforeMsgId)) {
          break;
        }
        String from = m.fromSide();
        String to = m.toSide();
        if ((a.equals(from) && b.equals(to)) || (b.equals(from) && a.equals(to))) {
          between.add(m);
        }
      }
    }
    return List.copyOf(between.subList(Math.max(0, between.size() - limit), between.size()));
  }

  @Override
  public List<StoredMessage> roomSlice(String roomKey, long afterSeq, long beforeSeq, int limit,
      boolean newest, boolean messagesOnly) {
    List<StoredMessage> list = rooms.get(roomKey);
    if (list == null || limit <= 0) {
      return List.of();
    }
    List<StoredMessage> in = new ArrayList<>();
    synchronized (list) {
      for (StoredMessage m : list) {
        if (m.seq() > afterSeq && m.seq() < beforeSeq
            && !(messagesOnly && m.kind().isRoomChange())) {
          in.add(m);
        }
      }
    }
    return end(in, limit, newest);
  }

  /** The newest or the oldest {@code limit} of {@code in} (oldest first), oldest first. */
  private static List<StoredMessage> end(List<StoredMessage> in, int limit, boolean newest) {
    int n = Math.min(limit, in.size());
    return List.copyOf(newest ? in.subList(in.size() - n, in.size()) : in.subList(0, n));
  }

  @Override
  public long roomSeqAt(String roomKey, long ts) {
    List<StoredMessage> list = rooms.get(roomKey);
    if (list == null) {
      return 0;
    }
    long seq = 0;
    synchronized (list) {
      for (StoredMessage m : list) {
        if (m.ts() <= ts) {
          seq = Math.max(seq, m.seq());
        }
      }
    }
    return seq;
  }

  @Override
  public List<StoredMessage> privateSlice(String accountA, String accountB, Bound after,
      Bound before, int limit, boolean newest) {
    if (limit <= 0) {
      return List.of();
    }
    String a = Names.fold(accountA);
    String b = Names.fold(accountB);
    long afterTs = after == null || after.msgId() != null ? Long.MIN_VALUE : after.ts();
    long beforeTs = before == null || before.msgId() != null ? Long.MAX_VALUE : before.ts();
    List<StoredMessage> in = new ArrayList<>();
    synchronized (privates) {
      int from = 0;
      int to = privates.size();
      if (after != null && after.msgId() != null) {
        from = indexOf(after.msgId()) + 1;
      }
      if (before != null && before.msgId() != null) {
        to = indexOf(before.msgId());
      }
      if (from == 0 && after != null && after.msgId() != null || to < 0) {
        return List.of(); // a bound that names no private message
      }
      for (StoredMessage m : privates.subList(from, Math.max(from, to))) {
        String x = m.fromSide();
        String y = m.toSide();
        if (((a.equals(x) && b.equals(y)) || (b.equals(x) && a.equals(y)))
            && m.ts() > afterTs && m.ts() < beforeTs) {
          in.add(m);
        }
      }
    }
    return end(in, limit, newest);
  }

  /** The index of a private message by id, or -1; the caller holds the list's monitor. */
  private int indexOf(String msgId) {
    for (int i = 0; i < privates.size(); i++) {
      if (privates.get(i).msgId().equals(msgId)) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public Optional<StoredMessage> privateMessage(String msgId) {
    synchronized (privates) {
      int i = indexOf(msgId);
      return i < 0 ? Optional.empty() : Optional.of(privates.get(i));
    }
  }

  @Override
  public List<Conversation> conversations(String account, long afterTs, long beforeTs,
      int limit) {
    if (limit <= 0) {
      return List.of();
    }
    String a = Names.fold(account);
    Map<String, Conversation> latest = new TreeMap<>();
    synchronized (privates) {
      for (StoredMessage m : privates) {
        if (m.fromAccount() == null || m.toAccount() == null) {
          continue;
        }
        String other = a.equals(fold(m.fromAccount())) ? m.toAccount()
            : a.equals(fold(m.toAccount())) ? m.fromAccount() : null;
        if (other != null) {
          latest.merge(Names.fold(other), new Conversation(other, m.ts()),
              (x, y) -> y.lastTs() >= x.lastTs() ? y : x);
        }
      }
    }
    return latest.entrySet().stream()
        .filter(e -> e.getValue().lastTs() > afterTs && e.getValue().lastTs() < beforeTs)
        .sorted(Map.Entry.<String, Conversation>comparingByValue(
            java.util.Comparator.comparingLong(Conversation::lastTs))
            .thenComparing(Map.Entry.comparingByKey()))
        .limit(limit)
        .map(Map.Entry::getValue)
        .toList();
  }

  @Override
  public synchronized Optional<Account> find(String nameKey) {
    return Optional.ofNullable(accounts.get(nameKey));
  }

  @Override
  public synchronized boolean create(Account account) {
    return accounts.putIfAbsent(Names.fold(account.name()), account) == null;
  }

  @Override
  public synchronized boolean updatePassword(String nameKey, String passwordHash) {
    Account a = accounts.get(nameKey);
    if (a == null) {
      return false;
    }
    accounts.put(nameKey, new Account(a.name(), passwordHash, a.admin(), a.createdTs()));
    return true;
  }

  @Override
  public synchronized boolean setAdmin(String nameKey, boolean admin) {
    Account a = accounts.get(nameKey);
    if (a == null) {
      return false;
    }
    accounts.put(nameKey, new Account(a.name(), a.passwordHash(), admin, a.createdTs()));
    return true;
  }

  @Override
  public synchronized boolean delete(String nameKey) {
    markers.remove(nameKey);
    return accounts.remove(nameKey) != null;
  }

  @Override
  public synchronized List<Account> list() {
    return List.copyOf(accounts.values());
  }

  @Override
  public void close() {}
}
