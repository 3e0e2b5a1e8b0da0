package chat.core.store;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Where shared files live: their records, and their bytes outside the message table. An upload
 * is begun (its record saved, not visible), written at increasing offsets (what was written
 * survives a kill -9: a resumed upload goes on from {@link #received}), then completed: the
 * bytes are checked against the declared size and SHA-256, made durable, and only then is the
 * file visible. Implementations are blocking and thread-safe; the core calls them off the I/O
 * threads. The embedded default keeps content-addressed files under the data directory; a
 * shared backend (several servers) implements the same port.
 */
public interface FileStore extends AutoCloseable {

  /** Saves the record of a new upload (not complete). */
  void begin(FileRecord upload) throws IOException;

  /** The file or upload with this id, complete or not. */
  Optional<FileRecord> find(String id);

  /** How many bytes of an upload are in (0 for a new one; the size for a complete file). */
  long received(String id) throws IOException;

  /** Writes bytes of an upload at {@code offset} (at most {@link #received}). */
  void write(String id, long offset, byte[] bytes) throws IOException;

  /**
   * Checks the upload's bytes against its size and SHA-256 and, if they match, makes it durable
   * and visible; returns the complete record. A mismatch removes the upload and throws
   * {@link BadUploadException}.
   */
  FileRecord complete(String id) throws IOException;

  /** Up to {@code length} bytes of a complete file from {@code offset}. */
  byte[] read(String id, long offset, int length) throws IOException;

  /** Removes a file or an upload and its bytes (shared bytes stay while another file has them). */
  void delete(String id) throws IOException;

  /** Removes the bytes of a complete file and keeps its record: it expired. */
  void discard(String id) throws IOException;

  /** The newest complete files shared to a room, newest first. */
  List<FileRecord> recent(String roomKey, int limit);

  /**
   * Bytes charged to an owner ({@link FileRecord#owner()}), uploads in progress included,
   * discarded files not.
   */
  long usage(String owner);

  /** Bytes of every file and upload. */
  long totalBytes();

  /** Every record, complete or not (for expiry; small enough to list). */
  List<FileRecord> all();

  @Override
  void close();

  /** The bytes do not match what the upload declared. */
  final class BadUploadException extends IOException {
    public BadUploadException(String message) {
      super(message);
    }
  }
}
