package chat.cli.term;

import chat.core.store.FileRecord;
import chat.core.store.FileStore;
import chat.core.store.MemoryFileStore;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A server's file store in memory that can be slow: chunks written or read from
 * {@link #slowFrom} on take {@link #delayMillis} each, and {@link #reached} completes at the
 * first of them. Tests use it to watch a transfer while it goes, or to cut it in the middle.
 * It outlives the servers that use it, as a data directory would.
 */
final class SlowFileStore implements FileStore {

  private final MemoryFileStore files = new MemoryFileStore();
  volatile long delayMillis;
  volatile long slowFrom;
  volatile CompletableFuture<Long> reached = new CompletableFuture<>();

  /** From now on, chunks at or past {@code offset} take {@code millis} each. */
  SlowFileStore slow(long offset, long millis) {
    reached = new CompletableFuture<>();
    slowFrom = offset;
    delayMillis = millis;
    return this;
  }

  private void maybeWait(long offset) {
    if (offset >= slowFrom && delayMillis > 0) {
      reached.complete(offset);
      try {
        TimeUnit.MILLISECONDS.sleep(delayMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void begin(FileRecord upload) throws IOException {
    files.begin(upload);
  }

  @Override
  public Optional<FileRecord> find(String id) {
    return files.find(id);
  }

  @Override
  public long received(String id) throws IOException {
    return files.received(id);
  }

  @Override
  public void write(String id, long offset, byte[] bytes) throws IOException {
    maybeWait(offset);
    files.write(id, offset, bytes);
  }

  @Override
  public FileRecord complete(String id) throws IOException {
    return files.complete(id);
  }

  @Override
  public byte[] read(String id, long offset, int length) throws IOException {
    if (length > 1) { // Not the one-byte look at the file a download starts with.
      maybeWait(offset);
    }
    return files.read(id, offset, length);
  }

  @Override
  public void delete(String id) throws IOException {
    files.delete(id);
  }

  @Override
  public void discard(String id) throws IOException {
    files.discard(id);
  }

  @Override
  public List<FileRecord> recent(String roomKey, int limit) {
    return files.recent(roomKey, limit);
  }

  @Override
  public long usage(String owner) {
    return files.usage(owner);
  }

  @Override
  public long totalBytes() {
    return files.totalBytes();
  }

  @Override
  public List<FileRecord> all() {
    return files.all();
  }

  @Override
  public void close() {}
}
