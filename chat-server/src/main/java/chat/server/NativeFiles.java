package chat.server;

import chat.core.Command;
import chat.core.FileRef;
import chat.core.Reply;
import chat.core.store.FileRecord;
import chat.protocol.ContentTypes;
import chat.protocol.ErrorCodes;
import chat.protocol.Frame;
import chat.protocol.Json;
import chat.protocol.Keys;
import chat.server.NativeRequests.BadRequest;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Files over the native protocol (docs/PROTOCOL.md, "Files"): {@code upload}, {@code chunk},
 * {@code download}, {@code link} and {@code files} requests, their replies, and the fields a file message
 * carries.
 */
final class NativeFiles {
  private NativeFiles() {}

  static Command upload(Frame f) throws BadRequest {
    String resume = NativeRequests.optional(f, Keys.FILE);
    if (resume != null) {
      return new Command.Upload(null, null, null, 0, null, null, resume);
    }
    return new Command.Upload(NativeRequests.optional(f, Keys.ROOM),
        NativeRequests.optional(f, Keys.TO), NativeRequests.required(f, Keys.NAME),
        NativeRequests.integer(f, Keys.SIZE), NativeRequests.optional(f, Keys.MEDIA_TYPE),
        NativeRequests.required(f, Keys.SHA256), null);
  }

  static Command chunk(Frame f) throws BadRequest {
    String encoding = f.string(Keys.CONTENT_ENCODING);
    if (encoding != null && !encoding.equalsIgnoreCase(ContentTypes.IDENTITY)) {
      throw new BadRequest(ErrorCodes.BAD_CONTENT, "a chunk's bytes are sent as they are");
    }
    return new Command.Chunk(NativeRequests.required(f, Keys.FILE),
        NativeRequests.integer(f, Keys.OFFSET), f.content());
  }

  static Command download(Frame f) throws BadRequest {
    long length = NativeRequests.integer(f, Keys.LENGTH);
    return new Command.Download(NativeRequests.required(f, Keys.FILE),
        NativeRequests.integer(f, Keys.OFFSET), (int) Math.min(Integer.MAX_VALUE, length));
  }

  static Command link(Frame f) throws BadRequest {
    return new Command.FileAccess(NativeRequests.required(f, Keys.FILE));
  }

  static Command list(Frame f) throws BadRequest {
    return new Command.ListFiles(NativeRequests.required(f, Keys.ROOM),
        (int) Math.min(Integer.MAX_VALUE, NativeRequests.integer(f, Keys.LIMIT)));
  }

  /** The reply frame, or null when {@code reply} is not about files. */
  static Frame reply(ObjectNode ok, Reply reply) {
    return switch (reply) {
      case Reply.UploadReady u -> Frame.of(describe(ok, u.file()).put(Keys.OFFSET, u.offset())
          .put(Keys.CHUNK_BYTES, u.chunkBytes()).put(Keys.WINDOW, u.window()));
      case Reply.ChunkStored c -> Frame.of(ok.put(Keys.FILE, c.file()).put(Keys.OFFSET, c.offset()));
      case Reply.FileVisible v -> Frame.of(describe(ok, v.file()));
      case Reply.FileBytes b -> {
        describe(ok, b.file()).put(Keys.OFFSET, b.offset());
        ok.put(Keys.CONTENT_TYPE, ContentTypes.OCTETS);
        yield new Frame(ok, b.bytes());
      }
      case Reply.FileList list -> {
        ObjectNode content = Json.object();
        ArrayNode files = content.putArray(Keys.FILES);
        for (FileRecord file : list.files()) {
          describe(files.addObject(), file).put(Keys.FROM, file.from()).put(Keys.TS, file.created());
        }
        yield Frame.json(ok.put(Keys.ROOM, list.room()).put(Keys.COUNT, list.files().size()),
            content);
      }
      default -> null;
    };
  }

  /** The link a {@code link} request is answered with: {@code url} (path and query), {@code expires}. */
  static void link(ObjectNode ok, FileRecord file, FileLinks links) {
    FileLinks.Link link = links.link(file.id(), file.name());
    ok.put(Keys.URL, link.path()).put(Keys.EXPIRES, link.expiresMillis());
  }

  private static ObjectNode describe(ObjectNode h, FileRecord file) {
    return h.put(Keys.FILE, file.id()).put(Keys.NAME, file.name()).put(Keys.SIZE, file.size())
        .put(Keys.MEDIA_TYPE, file.contentType()).put(Keys.SHA256, file.sha256());
  }

  /**
   * A file message: the file's fields in the header, a line a person can read as content.
   * Returns that line, or the text as it is when it is not a file.
   */
  static String fileMessage(ObjectNode h, String text) {
    FileRef file = FileRef.decode(text);
    if (file == null) {
      return text;
    }
    h.put(Keys.FILE, file.id()).put(Keys.NAME, file.name()).put(Keys.SIZE, file.size())
        .put(Keys.MEDIA_TYPE, file.contentType()).put(Keys.SHA256, file.sha256());
    return file.describe();
  }
}
