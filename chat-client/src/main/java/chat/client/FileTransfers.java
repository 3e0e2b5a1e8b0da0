package chat.client;

import chat.protocol.ContentTypes;
import chat.protocol.Frame;
import chat.protocol.Json;
import chat.protocol.Keys;
import chat.protocol.Types;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import tools.jackson.databind.node.ObjectNode;

/**
 * Files through the server (docs/PROTOCOL.md, "Files"): an upload is announced, then sent in
 * chunks with at most the server's window unconfirmed, so chat frames on the same connection go
 * between them; a download is read the same way, a chunk per request, checked against the
 * file's SHA-256 and only then given its name. Both go on from where they stopped: an upload by
 * its file id, a download from its {@code .part} file. Each transfer runs on a virtual thread.
 */
public final class FileTransfers {
  private FileTransfers() {}

  /** How far a transfer is; called from the transfer's thread. */
  @FunctionalInterface
  public interface Progress {
    void update(long done, long total);

    Progress NONE = (done, total) -> { };
  }

  /** The SHA-256 of a file, lower-case hex. */
  public static String sha256(Path file) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
      while (channel.read(buffer) > 0) {
        buffer.flip();
        digest.update(buffer);
        buffer.clear();
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /**
   * Shares {@code file} with a room ({@code to} null) or a person ({@code room} null). The
   * future completes with the file's message (the share's confirmation); {@code started} is
   * told the file id first, so an interrupted upload can be resumed with {@link #resumeUpload}.
   */
  public static CompletableFuture<Frame> upload(ChatClient client, String room, String to,
      Path file, String mediaType, java.util.function.Consumer<String> started,
      Progress progress) {
    return run(() -> {
      long size = Files.size(file);
      ObjectNode header = Json.header(Types.UPLOAD);
      if (room != null) {
        header.put(Keys.ROOM, room);
      } else {
        header.put(Keys.TO, to);
      }
      header.put(Keys.NAME, file.getFileName().toString());
      header.put(Keys.SIZE, size);
      header.put(Keys.MEDIA_TYPE, mediaType == null ? mediaType(file) : mediaType);
      header.put(Keys.SHA256, sha256(file));
      Frame ready = await(client.request(header, null));
      if (started != null) {
        started.accept(ready.string(Keys.FILE));
      }
      return send(client, ready, file, progress);
    });
  }

  /** Goes on with an interrupted upload of {@code file}, from where the server has it. */
  public static CompletableFuture<Frame> resumeUpload(ChatClient client, String fileId,
      Path file, Progress progress) {
    return run(() -> {
      ObjectNode header = Json.header(Types.UPLOAD);
      header.put(Keys.FILE, fileId);
      return send(client, await(client.request(header, null)), file, progress);
    });
  }

  private static Frame send(ChatClient client, Frame ready, Path file, Progress progress)
      throws Exception {
    String id = ready.string(Keys.FILE);
    long size = ready.number(Keys.SIZE, -1);
    long offset = ready.number(Keys.OFFSET, 0);
    int chunk = (int) Math.max(1, ready.number(Keys.CHUNK_BYTES, 64 * 1024));
    Semaphore window = new Semaphore((int) Math.max(1, ready.number(Keys.WINDOW, 8)));
    AtomicReference<Throwable> failed = new AtomicReference<>();
    AtomicLong confirmed = new AtomicLong(offset);
    CompletableFuture<Frame> last = null;
    progress.update(offset, size);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      if (channel.size() != size) {
        throw new IOException(file + " has " + channel.size() + " bytes; the upload has " + size);
      }
      while (offset < size) {
        window.acquire();
        if (failed.get() != null) {
          window.release();
          break;
        }
        ByteBuffer bytes = ByteBuffer.allocate((int) Math.min(chunk, size - offset));
        while (bytes.hasRemaining() && channel.read(bytes, offset + bytes.position()) > 0) {
          // read until full
        }
        ObjectNode header = Json.header(Types.CHUNK);
        header.put(Keys.FILE, id);
        header.put(Keys.OFFSET, offset);
        header.put(Keys.CONTENT_TYPE, ContentTypes.OCTETS);
        long end = offset + bytes.position();
        CompletableFuture<Frame> reply = client.request(header, bytes.array());
        reply.whenComplete((ok, error) -> {
          if (error != null) {
            failed.compareAndSet(null, error);
          } else {
            progress.update(confirmed.accumulateAndGet(end, Math::max), size);
          }
          window.release();
        });
        last = reply;
        offset = end;
      }
    }
    if (failed.get() != null) {
      throw unwrap(failed.get());
    }
    if (last == null) {
      throw new IOException("the upload " + id + " is complete already");
    }
    return await(last);
  }

  /**
   * Downloads a file into {@code dir} under its own name (never over an existing file: a
   * number is added), through {@code <name>.<id>.part}, which a later call goes on from. The
   * future completes with the file's path once its SHA-256 matched.
   */
  public static CompletableFuture<Path> download(ChatClient client, String fileId, Path dir,
      String name, Progress progress) {
    return run(() -> {
      Files.createDirectories(dir);
      Frame first = await(client.request(downloadHeader(fileId, 0, 1), null));
      long size = first.number(Keys.SIZE, -1);
      String sha = first.string(Keys.SHA256);
      String fileName = safeName(name != null ? name : first.string(Keys.NAME));
      Path part = dir.resolve(fileName + "." + fileId + ".part");
      int chunk = maxChunk(client);
      Semaphore window = new Semaphore(8);
      AtomicReference<Throwable> failed = new AtomicReference<>();
      try (FileChannel channel = FileChannel.open(part, StandardOpenOption.CREATE,
          StandardOpenOption.READ, StandardOpenOption.WRITE)) {
        long offset = Math.min(channel.size(), size);
        AtomicLong done = new AtomicLong(offset);
        progress.update(offset, size);
        CompletableFuture<?> last = CompletableFuture.completedFuture(null);
        while (offset < size) {
          window.acquire();
          if (failed.get() != null) {
            window.release();
            break;
          }
          long at = offset;
          int length = (int) Math.min(chunk, size - offset);
          CompletableFuture<Frame> reply = client.request(downloadHeader(fileId, at, length), null);
          last = reply.whenComplete((ok, error) -> {
            try {
              if (error != null) {
                failed.compareAndSet(null, error);
                return;
              }
              ByteBuffer bytes = ByteBuffer.wrap(ok.content());
              long pos = at;
              while (bytes.hasRemaining()) {
                pos += channel.write(bytes, pos);
              }
              progress.update(done.addAndGet(ok.content().length), size);
            } catch (IOException e) {
              failed.compareAndSet(null, e);
            } finally {
              window.release();
            }
          });
          offset += length;
        }
        try {
          last.get(5, TimeUnit.MINUTES);
        } catch (java.util.concurrent.ExecutionException e) {
          failed.compareAndSet(null, e.getCause());
        }
        window.acquire(8); // every write is done
        if (failed.get() != null) {
          throw unwrap(failed.get());
        }
        channel.force(true);
      }
      String got = sha256(part);
      if (!got.equals(sha)) {
        Files.delete(part);
        throw new IOException("the download of " + fileName + " does not match its SHA-256; "
            + "removed, try again");
      }
      return moveToFreeName(part, dir, fileName);
    });
  }

  private static ObjectNode downloadHeader(String fileId, long offset, int length) {
    ObjectNode header = Json.header(Types.DOWNLOAD);
    header.put(Keys.FILE, fileId);
    header.put(Keys.OFFSET, offset);
    header.put(Keys.LENGTH, length);
    return header;
  }

  private static int maxChunk(ChatClient client) {
    Frame welcome = client.welcome();
    long max = welcome == null ? 0
        : welcome.header().path("limits").path("max-content-bytes").asLong(0);
    return (int) (max > 0 ? max : 64 * 1024);
  }

  /** The name itself, whatever a server might send: never a path. */
  static String safeName(String name) {
    String n = name == null ? "" : name.replaceAll("[/\\\\\\p{Cntrl}]", "_");
    if (n.isBlank() || n.equals(".") || n.equals("..")) {
      return "download";
    }
    return n.startsWith(".") ? "_" + n.substring(1) : n;
  }

  /** {@code name}, else {@code name (1)}, {@code name (2)}...: an existing file stays. */
  static Path moveToFreeName(Path part, Path dir, String name) throws IOException {
    int dot = name.lastIndexOf('.');
    String stem = dot > 0 ? name.substring(0, dot) : name;
    String ext = dot > 0 ? name.substring(dot) : "";
    for (int i = 0; i < 10_000; i++) {
      Path target = dir.resolve(i == 0 ? name : stem + " (" + i + ")" + ext);
      try {
        Files.createLink(target, part); // fails if target exists: never overwrites
        Files.delete(part);
        return target;
      } catch (FileAlreadyExistsException e) {
        // try the next name
      } catch (UnsupportedOperationException | IOException e) {
        if (Files.exists(target)) {
          continue;
        }
        Files.move(part, target);
        return target;
      }
    }
    throw new IOException("no free name for " + name + " in " + dir);
  }

  /** A guess from the file name; the server checks images before showing them inline. */
  public static String mediaType(Path file) {
    String n = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
    String ext = n.lastIndexOf('.') < 0 ? "" : n.substring(n.lastIndexOf('.') + 1);
    return switch (ext) {
      case "png" -> "image/png";
      case "jpg", "jpeg" -> "image/jpeg";
      case "gif" -> "image/gif";
      case "webp" -> "image/webp";
      case "pdf" -> "application/pdf";
      case "txt", "log", "md" -> "text/plain";
      case "json" -> "application/json";
      case "zip" -> "application/zip";
      case "gz", "tgz" -> "application/gzip";
      case "mp4" -> "video/mp4";
      case "mp3" -> "audio/mpeg";
      default -> "application/octet-stream";
    };
  }

  // ---------------------------------------------------------------- plumbing

  @FunctionalInterface
  private interface Work<T> {
    T run() throws Exception;
  }

  private static <T> CompletableFuture<T> run(Work<T> work) {
    CompletableFuture<T> result = new CompletableFuture<>();
    Thread.ofVirtual().name("chat-transfer").start(() -> {
      try {
        result.complete(work.run());
      } catch (Throwable e) {
        result.completeExceptionally(unwrap(e));
      }
    });
    return result;
  }

  private static Frame await(CompletableFuture<Frame> reply) throws Exception {
    try {
      return reply.get(2, TimeUnit.MINUTES);
    } catch (java.util.concurrent.ExecutionException e) {
      throw unwrap(e.getCause());
    }
  }

  private static Exception unwrap(Throwable e) {
    Throwable t = e;
    while ((t instanceof CompletionException || t instanceof java.util.concurrent.ExecutionException
        || t instanceof UncheckedIOException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t instanceof Exception ex ? ex : new RuntimeException(t);
  }
}
