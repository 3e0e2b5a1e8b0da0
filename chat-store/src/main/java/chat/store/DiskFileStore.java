package chat.store;

import chat.core.store.FileRecord;
import chat.core.store.FileStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Files on disk, the embedded default: under one directory (normally {@code <data-dir>/files}),
 *
 * <ul>
 *   <li>{@code records/<id>.properties}: each file's record, written to a temporary file, synced
 *       and renamed, so a record is whole or absent after a crash;
 *   <li>{@code uploads/<id>.part}: the bytes of an upload in progress. What was written survives
 *       a kill -9 (it is in the page cache), so an upload resumes from the part's length;
 *   <li>{@code blobs/<ab>/<sha256>}: complete files by content, synced before their record says
 *       complete; two shares of the same bytes keep one copy.
 * </ul>
 *
 * <p>The records are also held in memory (they are small), for listing and quotas.
 */
public final class DiskFileStore implements FileStore {

  private static final Logger log = LoggerFactory.getLogger(DiskFileStore.class);
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{8,64}");

  private final Path records;
  private final Path uploads;
  private final Path blobs;
  private final Map<String, FileRecord> byId = new ConcurrentHashMap<>();
  private final Set<String> discarded = ConcurrentHashMap.newKeySet();
  /**
   * Per upload, the SHA-256 of its bytes so far, while they came in order since this store was
   * opened; completing then needs no second read of the file. Otherwise it is read once.
   */
  private final Map<String, Hashing> hashing = new ConcurrentHashMap<>();

  private static final class Hashing {
    final MessageDigest digest = sha256();
    long upTo;
  }

  private DiskFileStore(Path dir) throws IOException {
    this.records = Files.createDirectories(dir.resolve("records"));
    this.uploads = Files.createDirectories(dir.resolve("uploads"));
    this.blobs = Files.createDirectories(dir.resolve("blobs"));
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(records, "*.properties")) {
      for (Path p : stream) {
        try {
          Properties props = new Properties();
          try (InputStream in = Files.newInputStream(p)) {
            props.load(in);
          }
          FileRecord r = record(props);
          byId.put(r.id(), r);
          if (Boolean.parseBoolean(props.getProperty("discarded"))) {
            discarded.add(r.id());
          }
        } catch (IOException | RuntimeException e) {
          log.warn("skipping unreadable file record {}", p, e);
        }
      }
    }
  }

  /** Opens (creating) the store in {@code dir}. */
  public static DiskFileStore open(Path dir) {
    try {
      return new DiskFileStore(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("could not open the file store in " + dir, e);
    }
  }

  private static String id(String id) throws IOException {
    if (id == null || !ID.matcher(id).matches()) {
      throw new NoSuchFileException(String.valueOf(id));
    }
    return id;
  }

  @Override
  public void begin(FileRecord upload) throws IOException {
    String id = id(upload.id());
    Files.newByteChannel(uploads.resolve(id + ".part"), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE).close();
    save(upload, false);
    byId.put(id, upload);
  }

  @Override
  public Optional<FileRecord> find(String id) {
    return id == null ? Optional.empty() : Optional.ofNullable(byId.get(id));
  }

  @Override
  public long received(String id) throws IOException {
    FileRecord r = byId.get(id);
    if (r == null) {
      return 0;
    }
    if (r.complete()) {
      return r.size();
    }
    Path part = uploads.resolve(id(id) + ".part");
    return Files.exists(part) ? Math.min(Files.size(part), r.size()) : 0;
  }

  @Override
  public void write(String id, long offset, byte[] bytes) throws IOException {
    FileRecord r = byId.get(id);
    if (r == null || r.complete()) {
      throw new NoSuchFileException(id);
    }
    try (FileChannel channel = FileChannel.open(uploads.resolve(id(id) + ".part"),
        StandardOpenOption.WRITE)) {
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      long at = offset;
      while (buffer.hasRemaining()) {
        at += channel.write(buffer, at);
      }
      // No sync here: syncing every few MB kept the disk busy with the upload, and the message
      // store's syncs (every chat commit) waited behind it for seconds (docs/BENCHMARKS.md,
      // "Files"). The whole file is synced once, when it is complete.
      hash(id, offset, bytes);
    }
  }

  private void hash(String id, long offset, byte[] bytes) {
    Hashing h = offset == 0 ? hashing.computeIfAbsent(id, k -> new Hashing()) : hashing.get(id);
    if (h == null) {
      return;
    }
    synchronized (h) {
      if (h.upTo == offset) {
        h.digest.update(bytes);
        h.upTo += bytes.length;
      } else {
        hashing.remove(id); // out of order: hash the file when it is complete
      }
    }
  }

  @Override
  public FileRecord complete(String id) throws IOException {
    FileRecord r = byId.get(id);
    if (r == null) {
      throw new NoSuchFileException(id);
    }
    if (r.complete()) {
      return r;
    }
    Path part = uploads.resolve(id(id) + ".part");
    Hashing hashed = hashing.remove(id);
    String sha;
    long length;
    try (FileChannel channel = FileChannel.open(part, StandardOpenOption.READ,
        StandardOpenOption.WRITE)) {
      length = channel.size();
      if (hashed != null && hashed.upTo == length) {
        synchronized (hashed) {
          sha = HexFormat.of().formatHex(hashed.digest.digest());
        }
      } else {
        MessageDigest digest = sha256();
        ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
        while (channel.read(buffer) > 0) {
          buffer.flip();
          digest.update(buffer);
          buffer.clear();
        }
        sha = HexFormat.of().formatHex(digest.digest());
      }
      channel.force(true);
    }
    if (length != r.size() || !sha.equals(r.sha256())) {
      delete(id);
      throw new BadUploadException(length != r.size() ? "received " + length + " bytes of "
          + r.size() : "the SHA-256 of the bytes is " + sha + ", not " + r.sha256());
    }
    Path blob = blob(sha);
    Files.createDirectories(blob.getParent());
    if (Files.exists(blob)) {
      Files.delete(part); // The same bytes are here already.
    } else {
      move(part, blob);
      sync(blob.getParent());
    }
    FileRecord done = r.completed();
    save(done, false);
    byId.put(id, done);
    return done;
  }

  @Override
  public byte[] read(String id, long offset, int length) throws IOException {
    FileRecord r = byId.get(id);
    if (r == null || !r.complete() || discarded.contains(id)) {
      throw new NoSuchFileException(id);
    }
    try (FileChannel channel = FileChannel.open(blob(r.sha256()), StandardOpenOption.READ)) {
      long from = Math.min(offset, r.size());
      ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(length, r.size() - from));
      while (buffer.hasRemaining()) {
        int n = channel.read(buffer, from + buffer.position());
        if (n < 0) {
          break;
        }
      }
      return buffer.position() == buffer.capacity() ? buffer.array()
          : java.util.Arrays.copyOf(buffer.array(), buffer.position());
    }
  }

  /** The path of a complete file's bytes (for serving over HTTP), or null. */
  public Path path(String id) {
    FileRecord r = byId.get(id);
    return r == null || !r.complete() || discarded.contains(id) ? null : blob(r.sha256());
  }

  @Override
  public synchronized void delete(String id) throws IOException {
    FileRecord r = byId.remove(id);
    hashing.remove(id);
    discarded.remove(id);
    Files.deleteIfExists(records.resolve(id(id) + ".properties"));
    Files.deleteIfExists(uploads.resolve(id + ".part"));
    if (r != null && r.complete()) {
      dropBlobIfUnused(r.sha256());
    }
  }

  @Override
  public synchronized void discard(String id) throws IOException {
    FileRecord r = byId.get(id);
    if (r == null || !r.complete() || discarded.contains(id)) {
      return;
    }
    save(r, true);
    discarded.add(id);
    dropBlobIfUnused(r.sha256());
  }

  private void dropBlobIfUnused(String sha) throws IOException {
    boolean used = byId.values().stream().anyMatch(o -> o.complete() && o.sha256().equals(sha)
        && !discarded.contains(o.id()));
    if (!used) {
      Files.deleteIfExists(blob(sha));
    }
  }

  @Override
  public List<FileRecord> recent(String roomKey, int limit) {
    return byId.values().stream().filter(r -> r.complete() && roomKey.equals(r.room())
        && !discarded.contains(r.id()))
        .sorted(Comparator.comparingLong(FileRecord::created).reversed()).limit(limit).toList();
  }

  @Override
  public long usage(String owner) {
    return byId.values().stream().filter(r -> r.owner().equals(owner)
        && !discarded.contains(r.id())).mapToLong(FileRecord::size).sum();
  }

  @Override
  public long totalBytes() {
    return byId.values().stream().filter(r -> !discarded.contains(r.id()))
        .mapToLong(FileRecord::size).sum();
  }

  @Override
  public List<FileRecord> all() {
    return new ArrayList<>(byId.values());
  }

  @Override
  public void close() {}

  // ---------------------------------------------------------------- on disk

  private Path blob(String sha) {
    return blobs.resolve(sha.substring(0, 2)).resolve(sha);
  }

  private void save(FileRecord r, boolean isDiscarded) throws IOException {
    Properties props = new Properties();
    put(props, "id", r.id());
    put(props, "name", r.name());
    put(props, "size", Long.toString(r.size()));
    put(props, "type", r.contentType());
    put(props, "sha256", r.sha256());
    put(props, "room", r.room());
    put(props, "from", r.from());
    put(props, "fromAccount", r.fromAccount());
    put(props, "to", r.to());
    put(props, "toAccount", r.toAccount());
    put(props, "created", Long.toString(r.created()));
    put(props, "complete", Boolean.toString(r.complete()));
    put(props, "discarded", Boolean.toString(isDiscarded));
    Path target = records.resolve(id(r.id()) + ".properties");
    Path temp = records.resolve(r.id() + ".tmp");
    try (OutputStream out = Files.newOutputStream(temp)) {
      props.store(out, null);
    }
    try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
    move(temp, target);
    sync(records);
  }

  private static void put(Properties props, String key, String value) {
    if (value != null) {
      props.setProperty(key, value);
    }
  }

  private static FileRecord record(Properties p) {
    return new FileRecord(p.getProperty("id"), p.getProperty("name"),
        Long.parseLong(p.getProperty("size")), p.getProperty("type"), p.getProperty("sha256"),
        p.getProperty("room"), p.getProperty("from"), p.getProperty("fromAccount"),
        p.getProperty("to"), p.getProperty("toAccount"), Long.parseLong(p.getProperty("created")),
        Boolean.parseBoolean(p.getProperty("complete")));
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Makes a rename in {@code dir} durable (where the platform allows opening a directory). */
  private static void sync(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      log.debug("cannot sync directory {}", dir, e);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
