package chat.core.store;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Files in memory, for tests and {@code --store memory}: nothing survives the process. */
public final class MemoryFileStore implements FileStore {

  private final Map<String, FileRecord> records = new LinkedHashMap<>();
  private final Map<String, byte[]> bytes = new LinkedHashMap<>();
  private final Map<String, Integer> lengths = new LinkedHashMap<>();
  private final java.util.Set<String> discarded = new java.util.HashSet<>();

  @Override
  public synchronized void begin(FileRecord upload) {
    records.put(upload.id(), upload);
    bytes.put(upload.id(), new byte[(int) Math.min(upload.size(), 1024)]);
    lengths.put(upload.id(), 0);
  }

  @Override
  public synchronized Optional<FileRecord> find(String id) {
    return Optional.ofNullable(records.get(id));
  }

  @Override
  public synchronized long received(String id) {
    Integer n = lengths.get(id);
    return n == null ? 0 : n;
  }

  @Override
  public synchronized void write(String id, long offset, byte[] data) throws IOException {
    FileRecord r = records.get(id);
    if (r == null || r.complete()) {
      throw new IOException("no upload " + id);
    }
    int have = lengths.get(id);
    if (offset > have || offset + data.length > r.size()) {
      throw new IOException("write at " + offset + " of " + data.length + " bytes does not fit");
    }
    byte[] buffer = bytes.get(id);
    int end = (int) offset + data.length;
    if (end > buffer.length) {
      buffer = Arrays.copyOf(buffer, (int) Math.min(r.size(), Math.max(end, buffer.length * 2L)));
      bytes.put(id, buffer);
    }
    System.arraycopy(data, 0, buffer, (int) offset, data.length);
    lengths.put(id, Math.max(have, end));
  }

  @Override
  public synchronized FileRecord complete(String id) throws IOException {
    FileRecord r = records.get(id);
    if (r == null) {
      throw new IOException("no upload " + id);
    }
    if (r.complete()) {
      return r;
    }
    int have = lengths.get(id);
    String sha = sha256(bytes.get(id), have);
    if (have != r.size() || !sha.equals(r.sha256())) {
      delete(id);
      throw new BadUploadException(have != r.size()
          ? "received " + have + " bytes of " + r.size()
          : "the SHA-256 of the bytes is " + sha + ", not " + r.sha256());
    }
    FileRecord done = r.completed();
    records.put(id, done);
    return done;
  }

  @Override
  public synchronized byte[] read(String id, long offset, int length) throws IOException {
    FileRecord r = records.get(id);
    if (r == null || !r.complete() || discarded.contains(id)) {
      throw new IOException("no file " + id);
    }
    int from = (int) Math.min(offset, r.size());
    int to = (int) Math.min(r.size(), from + (long) length);
    return Arrays.copyOfRange(bytes.get(id), from, to);
  }

  @Override
  public synchronized void delete(String id) {
    records.remove(id);
    bytes.remove(id);
    lengths.remove(id);
    discarded.remove(id);
  }

  @Override
  public synchronized void discard(String id) {
    if (records.containsKey(id)) {
      bytes.remove(id);
      discarded.add(id);
    }
  }

  @Override
  public synchronized List<FileRecord> recent(String roomKey, int limit) {
    return records.values().stream().filter(r -> r.complete() && roomKey.equals(r.room()))
        .sorted(Comparator.comparingLong(FileRecord::created).reversed()).limit(limit).toList();
  }

  @Override
  public synchronized long usage(String owner) {
    return records.values().stream().filter(r -> r.owner().equals(owner))
        .filter(r -> !discarded.contains(r.id())).mapToLong(FileRecord::size).sum();
  }

  @Override
  public synchronized long totalBytes() {
    return records.values().stream().filter(r -> !discarded.contains(r.id()))
        .mapToLong(FileRecord::size).sum();
  }

  @Override
  public synchronized List<FileRecord> all() {
    return new ArrayList<>(records.values());
  }

  @Override
  public void close() {}

  static String sha256(byte[] data, int length) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(data, 0, length);
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
