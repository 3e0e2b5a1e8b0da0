package chat.core;

import chat.core.store.FileRecord;
import chat.core.store.FileStore;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shared files: an upload is announced (checked against the limits), sent in chunks at
 * increasing offsets, checked whole (size and SHA-256) and only then shared: a
 * {@link MessageKind#FILE} entry in the room's log (or the conversation), durable before anyone
 * sees it, like any message. Downloads are read a chunk at a time by whoever may see the file.
 * Store work runs off the I/O thread; the check of a whole file runs outside the session's turn,
 * so chat on the same connection goes on meanwhile.
 */
final class Files {

  private static final Logger log = LoggerFactory.getLogger(Files.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Hub hub;
  private final Clock clock;
  private final FileStore store;
  private final Executor blocking;
  /** Per owner, when its last uploads were announced (the last minute's). */
  private final Map<String, Deque<Long>> announced = new ConcurrentHashMap<>();

  Files(Hub hub, Clock clock, FileStore store, Executor blocking) {
    this.hub = hub;
    this.clock = clock;
    this.store = store;
    this.blocking = blocking;
  }

  private FileLimits limits() {
    return hub.limits().files();
  }

  static String owner(Session session) {
    return session.account() != null ? Names.fold(session.account())
        : "~" + Names.fold(session.nick());
  }

  // ---------------------------------------------------------------- upload

  void upload(Session session, String requestId, Command.Upload c) {
    if (c.resume() != null) {
      resume(session, requestId, c.resume());
      return;
    }
    FileLimits limits = limits();
    String problem = FileNames.nameProblem(c.name());
    String type = c.contentType() == null ? "application/octet-stream" : c.contentType();
    if (problem == null) {
      problem = FileNames.typeProblem(type);
    }
    if (problem == null && !FileNames.isSha256(c.sha256())) {
      problem = "sha256 must be the file's SHA-256 in lower-case hex";
    }
    if (problem == null && c.size() < 1) {
      problem = "a file has at least one byte";
    }
    boolean toRoom = c.room() != null && !c.room().isEmpty();
    boolean toNick = c.to() != null && !c.to().isEmpty();
    if (problem == null && toRoom == toNick) {
      problem = "a file goes to a room or to a person";
    }
    if (problem != null) {
      hub.fail(session, requestId, CoreError.INVALID_FILE, problem);
      return;
    }
    if (c.size() > limits.maxFileBytes()) {
      hub.fail(session, requestId, CoreError.FILE_TOO_LARGE, "a file is at most "
          + FileRef.bytes(limits.maxFileBytes()) + "; this one is " + FileRef.bytes(c.size()));
      return;
    }
    String room = null;
    Session target = null;
    if (toRoom) {
      Room r = hub.rooms.memberRoom(session, c.room());
      if (r == null) {
        hub.fail(session, requestId, CoreError.NOT_IN_ROOM, "you are not in room " + c.room());
        return;
      }
      Moderation.Refusal refusal;
      synchronized (r) {
        refusal = hub.moderation.speech(r, session);
      }
      if (refusal != null) {
        hub.fail(session, requestId, refusal.error, refusal.getMessage());
        return;
      }
      room = r.key();
    } else {
      target = hub.identities.nicks.get(Names.fold(c.to()));
      if (target == null || !target.isReady()) {
        hub.fail(session, requestId, CoreError.NO_SUCH_NICK, "nobody is called " + c.to());
        return;
      }
    }
    String owner = owner(session);
    if (!announce(owner)) {
      hub.fail(session, requestId, CoreError.TOO_MANY_FILES, "at most "
          + limits.filesPerMinute() + " files a minute; wait a little");
      return;
    }
    FileRecord record = new FileRecord(newId(), c.name(), c.size(), type, c.sha256(), room,
        session.nick(), session.account() == null ? null : Names.fold(session.account()),
        target == null ? null : target.nick(),
        target == null || target.account() == null ? null : Names.fold(target.account()),
        clock.millis(), false);
    long quota = session.account() != null ? limits.accountQuota() : limits.guestQuota();
    hub.offload(session, requestId, () -> {
      long used = store.usage(owner);
      if (used + record.size() > quota) {
        hub.fail(session, requestId, CoreError.QUOTA_EXCEEDED, "your files may take "
            + FileRef.bytes(quota) + "; " + FileRef.bytes(used) + " are in use");
        return;
      }
      if (store.totalBytes() + record.size() > limits.diskBudget()) {
        hub.fail(session, requestId, CoreError.DISK_FULL,
            "the server has no room for more files now; try a smaller one later");
        return;
      }
      try {
        store.begin(record);
      } catch (IOException e) {
        log.warn("could not begin upload {}", record.id(), e);
        hub.fail(session, requestId, CoreError.STORE_FAILED, "the upload could not be started");
        return;
      }
      session.sink().reply(requestId,
          new Reply.UploadReady(record, 0, limits.chunkBytes(), limits.window()));
    });
  }

  /** Counts an announcement against the owner's files per minute; false past it. */
  private boolean announce(String owner) {
    long now = clock.millis();
    Deque<Long> times = announced.computeIfAbsent(owner, k -> new ArrayDeque<>());
    synchronized (times) {
      while (!times.isEmpty() && times.peekFirst() <= now - 60_000) {
        times.pollFirst();
      }
      if (times.size() >= limits().filesPerMinute()) {
        return false;
      }
      times.addLast(now);
      return true;
    }
  }

  private void resume(Session session, String requestId, String id) {
    hub.offload(session, requestId, () -> {
      FileRecord record = store.find(id).orElse(null);
      if (record == null || !record.owner().equals(owner(session))) {
        hub.fail(session, requestId, CoreError.NO_SUCH_FILE, "you have no upload " + id);
        return;
      }
      try {
        long offset = store.received(id);
        session.sink().reply(requestId, new Reply.UploadReady(record, offset,
            limits().chunkBytes(), limits().window()));
      } catch (IOException e) {
        hub.fail(session, requestId, CoreError.STORE_FAILED, "the upload could not be read");
      }
    });
  }

  void chunk(Session session, String requestId, Command.Chunk c) {
    byte[] bytes = c.bytes() == null ? new byte[0] : c.bytes();
    if (bytes.length == 0 || bytes.length > limits().chunkBytes()) {
      hub.fail(session, requestId, CoreError.BAD_CHUNK, "a chunk has 1 to "
          + limits().chunkBytes() + " bytes");
      return;
    }
    hub.offload(session, requestId, () -> {
      FileRecord record = c.file() == null ? null : store.find(c.file()).orElse(null);
      if (record == null || record.complete() || !record.owner().equals(owner(session))) {
        hub.fail(session, requestId, CoreError.NO_SUCH_FILE, "you have no upload " + c.file());
        return;
      }
      try {
        long have = store.received(record.id());
        if (c.offset() != have) {
          hub.fail(session, requestId, CoreError.BAD_CHUNK, "the upload goes on at offset "
              + have + ", not " + c.offset());
          return;
        }
        if (c.offset() + bytes.length > record.size()) {
          hub.fail(session, requestId, CoreError.BAD_CHUNK, "the chunk goes past the declared "
              + "size of " + record.size() + " bytes");
          return;
        }
        store.write(record.id(), c.offset(), bytes);
        long offset = c.offset() + bytes.length;
        if (offset < record.size()) {
          session.sink().reply(requestId, new Reply.ChunkStored(record.id(), offset));
        } else {
          // The whole file is checked outside the session's turn: chat goes on meanwhile.
          blocking.execute(() -> complete(session, requestId, record));
        }
      } catch (IOException e) {
        log.warn("could not write upload {}", record.id(), e);
        hub.fail(session, requestId, CoreError.STORE_FAILED, "the chunk could not be stored");
      }
    });
  }

  private void complete(Session session, String requestId, FileRecord record) {
    FileRecord done;
    try {
      done = store.complete(record.id());
    } catch (FileStore.BadUploadException e) {
      hub.fail(session, requestId, CoreError.UPLOAD_MISMATCH, e.getMessage()
          + "; the upload was removed");
      return;
    } catch (IOException e) {
      log.warn("could not complete upload {}", record.id(), e);
      hub.fail(session, requestId, CoreError.STORE_FAILED, "the file could not be stored");
      return;
    }
    String text = FileRef.of(done).encode();
    if (done.room() != null) {
      Room room = hub.rooms.byKey.get(done.room());
      hub.messages.postToRoom(session, requestId, room == null ? done.room() : room.name(),
          MessageKind.FILE, text);
    } else {
      hub.messages.postToNick(session, requestId, done.to(), MessageKind.FILE, text);
    }
  }

  // ---------------------------------------------------------------- download

  void download(Session session, String requestId, Command.Download c) {
    int length = Math.min(c.length() <= 0 ? limits().chunkBytes() : c.length(),
        limits().chunkBytes());
    hub.offload(session, requestId, () -> {
      FileRecord file = c.file() == null ? null : store.find(c.file()).orElse(null);
      if (file == null || !file.complete() || !maySee(session, file)) {
        hub.fail(session, requestId, CoreError.NO_SUCH_FILE, "no file " + c.file());
        return;
      }
      if (expired(file)) {
        hub.fail(session, requestId, CoreError.FILE_EXPIRED, "the file " + file.name()
            + " has expired: files are kept " + Durations.text(limits().retention()));
        return;
      }
      if (c.offset() < 0 || c.offset() > file.size()) {
        hub.fail(session, requestId, CoreError.BAD_CHUNK, "the file has " + file.size()
            + " bytes");
        return;
      }
      try {
        session.sink().reply(requestId,
            new Reply.FileBytes(file, c.offset(), store.read(file.id(), c.offset(), length)));
      } catch (IOException e) {
        log.warn("could not read file {}", file.id(), e);
        hub.fail(session, requestId, CoreError.STORE_FAILED, "the file could not be read");
      }
    });
  }

  /** Answers whether the session may see a file (for a door to link to it). */
  void access(Session session, String requestId, Command.FileAccess c) {
    hub.offload(session, requestId, () -> {
      FileRecord file = c.file() == null ? null : store.find(c.file()).orElse(null);
      if (file == null || !file.complete() || !maySee(session, file)) {
        hub.fail(session, requestId, CoreError.NO_SUCH_FILE, "no file " + c.file());
      } else if (expired(file)) {
        hub.fail(session, requestId, CoreError.FILE_EXPIRED, "the file " + file.name()
            + " has expired: files are kept " + Durations.text(limits().retention()));
      } else {
        session.sink().reply(requestId, new Reply.FileVisible(file));
      }
    });
  }

  /** A complete, unexpired file by id, for a door serving a signed link; blocking. */
  FileRecord servable(String id) {
    FileRecord file = id == null ? null : store.find(id).orElse(null);
    return file == null || !file.complete() || expired(file) ? null : file;
  }

  /** Room files: its members and the sender; private files: the two people. */
  private boolean maySee(Session session, FileRecord file) {
    if (owner(session).equals(file.owner())) {
      return true;
    }
    if (file.room() != null) {
      Room room = hub.rooms.byKey.get(file.room());
      return room != null && room.contains(session);
    }
    if (session.account() != null && file.toAccount() != null) {
      return Names.fold(session.account()).equals(file.toAccount());
    }
    return file.toAccount() == null && file.to() != null
        && Names.fold(file.to()).equals(Names.fold(session.nick()));
  }

  private boolean expired(FileRecord file) {
    return file.created() + limits().retention().toMillis() < clock.millis();
  }

  void list(Session session, String requestId, Command.ListFiles c) {
    Room room = hub.rooms.memberRoom(session, c.room());
    if (room == null) {
      hub.fail(session, requestId, CoreError.NOT_IN_ROOM, "you are not in room " + c.room());
      return;
    }
    int limit = Math.max(1, Math.min(c.limit() <= 0 ? 20 : c.limit(), hub.limits().maxHistoryPage()));
    hub.offload(session, requestId, () -> {
      List<FileRecord> files = store.recent(room.key(), limit).stream()
          .filter(f -> !expired(f)).toList();
      session.sink().reply(requestId, new Reply.FileList(room.name(), files));
    });
  }

  // ---------------------------------------------------------------- expiry

  /**
   * Removes uploads abandoned for {@link FileLimits#abandonAfter()} and the bytes of files kept
   * past {@link FileLimits#retention()} (their records stay: a download says they expired).
   * Blocking. Returns how many were removed.
   */
  int expire() {
    long now = clock.millis();
    int removed = 0;
    for (FileRecord f : store.all()) {
      boolean abandoned = !f.complete() && f.created() + limits().abandonAfter().toMillis() < now;
      if (abandoned || (f.complete() && expired(f))) {
        try {
          if (abandoned) {
            store.delete(f.id());
          } else {
            store.discard(f.id());
          }
          removed++;
        } catch (IOException e) {
          log.warn("could not remove file {}", f.id(), e);
        }
      }
    }
    return removed;
  }

  private static String newId() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
