package chat.server.web;

import chat.core.Hub;
import chat.core.store.FileRecord;
import chat.server.FileLinks;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpChunkedInput;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.util.AttributeKey;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves shared files at their signed links, {@code GET /files/<id>/<name>?e=..&s=..} (and
 * HEAD): the signature is checked on the event loop, the file looked up and its bytes read on
 * a blocking executor, a chunk at a time ({@link FileBody}), with byte ranges. Every file is an
 * attachment, except an image whose declared type the server has checked against its first
 * bytes (PNG, JPEG, GIF, WebP), which is shown inline; either way in a sandbox with no
 * permission to run or load anything, never sniffed.
 */
final class FileServer {

  private static final Logger log = LoggerFactory.getLogger(FileServer.class);
  /** Set while a response streams: an idle reader is then no reason to close. */
  static final AttributeKey<Serving> SERVING = AttributeKey.valueOf("chat.web.serving");
  static final String CSP = "sandbox; default-src 'none'";
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final List<String> INLINE_TYPES =
      List.of("image/png", "image/jpeg", "image/gif", "image/webp");

  private final Hub hub;
  private final FileLinks links;
  private final Executor blocking;
  private final WebDoor door;

  FileServer(Hub hub, FileLinks links, Executor blocking, WebDoor door) {
    this.hub = hub;
    this.links = links;
    this.blocking = blocking;
    this.door = door;
  }

  /** Whether {@code path} is one of ours. */
  static boolean handles(String path) {
    return path.startsWith("/files/");
  }

  void serve(ChannelHandlerContext ctx, FullHttpRequest request, String path) {
    HttpMethod method = request.method();
    if (!method.equals(HttpMethod.GET) && !method.equals(HttpMethod.HEAD)) {
      FullHttpResponse response = Http.text(HttpResponseStatus.METHOD_NOT_ALLOWED,
          "method not allowed");
      response.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
      refuse(ctx, request, response);
      return;
    }
    String[] parts = path.split("/", -1); // "", "files", id, name
    if (parts.length != 4 || !ID.matcher(parts[2]).matches() || parts[3].isEmpty()) {
      refuse(ctx, request, Http.text(HttpResponseStatus.NOT_FOUND, "no such file"));
      return;
    }
    String id = parts[2];
    QueryStringDecoder query = new QueryStringDecoder(request.uri());
    switch (links.verify(id, first(query, "e"), first(query, "s"))) {
      case BAD -> {
        refuse(ctx, request, Http.text(HttpResponseStatus.FORBIDDEN, "this link is not valid"));
        return;
      }
      case EXPIRED -> {
        refuse(ctx, request, Http.text(HttpResponseStatus.GONE,
            "this link has expired; the chat gives you a new one"));
        return;
      }
      case VALID -> { }
    }
    // Looked up off the event loop; the next request on this connection waits meanwhile.
    ctx.channel().config().setAutoRead(false);
    ctx.channel().attr(SERVING).set(new Serving());
    request.retain(); // until the answer is written
    try {
      blocking.execute(() -> {
        FileRecord file = null;
        boolean inline = false;
        Exception failure = null;
        try {
          file = hub.servableFile(id);
          inline = file != null && showsInline(file);
        } catch (IOException | RuntimeException e) {
          failure = e;
        }
        FileRecord found = file;
        boolean asImage = inline;
        Exception failed = failure;
        ctx.executor().execute(() -> respond(ctx, request, found, asImage, failed));
      });
    } catch (RejectedExecutionException e) {
      respond(ctx, request, null, false, e);
    }
  }

  private void respond(ChannelHandlerContext ctx, FullHttpRequest request, FileRecord file,
      boolean inline, Exception failure) {
    try {
      if (failure != null) {
        log.warn("could not look up a file to serve", failure);
        refuse(ctx, request, Http.text(HttpResponseStatus.SERVICE_UNAVAILABLE,
            "could not read the file; try again"));
      } else if (file == null) {
        refuse(ctx, request, Http.text(HttpResponseStatus.NOT_FOUND,
            "no such file (or it has expired)"));
      } else {
        stream(ctx, request, file, inline);
      }
    } finally {
      request.release();
    }
  }

  private void stream(ChannelHandlerContext ctx, FullHttpRequest request, FileRecord file,
      boolean inline) {
    boolean head = request.method().equals(HttpMethod.HEAD);
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    String rangeHeader = request.headers().get(HttpHeaderNames.RANGE);
    String ifRange = request.headers().get(HttpHeaderNames.IF_RANGE);
    String etag = "\"" + file.sha256() + "\"";
    long size = file.size();
    long start = 0;
    long end = size - 1;
    HttpResponseStatus status = HttpResponseStatus.OK;
    if (rangeHeader != null && (ifRange == null || ifRange.strip().equals(etag))) {
      long[] range = ByteRanges.parse(rangeHeader, size);
      if (range == ByteRanges.UNSATISFIABLE) {
        FullHttpResponse response = Http.text(HttpResponseStatus.REQUESTED_RANGE_NOT_SATISFIABLE,
            "the file has " + size + " bytes");
        response.headers().set(HttpHeaderNames.CONTENT_RANGE, "bytes */" + size);
        response.headers().set(HttpHeaderNames.ACCEPT_RANGES, HttpHeaderValues.BYTES);
        refuse(ctx, request, response);
        return;
      }
      if (range != null) {
        start = range[0];
        end = range[1];
        status = HttpResponseStatus.PARTIAL_CONTENT;
      }
    }
    long length = end - start + 1;
    HttpResponse response = new DefaultHttpResponse(request.protocolVersion(), status);
    HttpHeaders h = response.headers();
    h.set("Content-Security-Policy", CSP);
    Http.securityHeaders(h);
    h.set(HttpHeaderNames.CONTENT_TYPE, inline ? baseType(file.contentType()) : file.contentType());
    h.set(HttpHeaderNames.CONTENT_DISPOSITION, disposition(inline, file.name()));
    h.set(HttpHeaderNames.CACHE_CONTROL, "private");
    h.set(HttpHeaderNames.ETAG, etag);
    h.set(HttpHeaderNames.ACCEPT_RANGES, HttpHeaderValues.BYTES);
    if (status == HttpResponseStatus.PARTIAL_CONTENT) {
      h.set(HttpHeaderNames.CONTENT_RANGE, "bytes " + start + "-" + end + "/" + size);
    }
    HttpUtil.setContentLength(response, length);
    if (!keepAlive) {
      h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    } else if (request.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
      h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
    }
    door.requests("files", status.code());
    ctx.write(response);
    ChannelFuture last;
    if (head) {
      last = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
    } else {
      ChunkedWriteHandler writer = ctx.pipeline().get(ChunkedWriteHandler.class);
      FileBody body = new FileBody(hub, file.id(), start, length, blocking,
          ctx.channel().eventLoop(), writer);
      Serving serving = ctx.channel().attr(SERVING).get();
      if (serving != null) {
        serving.body = body;
      }
      last = ctx.writeAndFlush(new HttpChunkedInput(body));
    }
    last.addListener((ChannelFutureListener) f -> {
      if (!f.isSuccess() || !keepAlive) {
        if (!f.isSuccess()) {
          log.debug("{}: a download ended early: {}", ctx.channel().remoteAddress(),
              String.valueOf(f.cause()));
        }
        ctx.close();
        return;
      }
      done(ctx, true);
    });
  }

  /** The response is out: the connection reads its next request. */
  private static void done(ChannelHandlerContext ctx, boolean read) {
    ctx.channel().attr(SERVING).set(null);
    if (read) {
      ctx.channel().config().setAutoRead(true);
    }
  }

  /**
   * Whether the idle connection is still serving: looking a file up, or streaming one that got
   * on since the last idle tick (a peer that stopped reading is let go at the next one).
   */
  static boolean stillServing(ChannelHandlerContext ctx) {
    Serving serving = ctx.channel().attr(SERVING).get();
    if (serving == null) {
      return false;
    }
    if (serving.body == null) {
      return true;
    }
    long progress = serving.body.progress();
    boolean moved = progress != serving.seen;
    serving.seen = progress;
    return moved;
  }

  /** What a connection is serving (on its event loop only). */
  static final class Serving {
    FileBody body;
    long seen = -1;
  }

  /** A short answer; one of 400 and up closes the connection (Http.send). */
  private void refuse(ChannelHandlerContext ctx, FullHttpRequest request,
      FullHttpResponse response) {
    done(ctx, false);
    response.headers().set("Content-Security-Policy", CSP);
    door.requests("files", response.status().code());
    Http.send(ctx, request, response);
  }

  private static String first(QueryStringDecoder query, String name) {
    List<String> values = query.parameters().get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  /** Whether the file claims to be an image the browser may show and its bytes say so too. */
  private boolean showsInline(FileRecord file) throws IOException {
    String type = baseType(file.contentType());
    if (!INLINE_TYPES.contains(type) || file.size() < 12) {
      return false;
    }
    return type.equals(ImageTypes.detect(hub.readFile(file.id(), 0, 12)));
  }

  private static String baseType(String contentType) {
    int semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip()
        .toLowerCase(java.util.Locale.ROOT);
  }

  /** {@code attachment; filename="report.pdf"; filename*=UTF-8''report.pdf}. */
  static String disposition(boolean inline, String name) {
    StringBuilder ascii = new StringBuilder(name.length());
    for (char c : name.toCharArray()) {
      ascii.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '%' ? c : '_');
    }
    return (inline ? "inline" : "attachment") + "; filename=\"" + ascii + "\"; filename*=UTF-8''"
        + percentEncode(name);
  }

  /** RFC 8187's value characters kept, everything else as %XX of its UTF-8 bytes. */
  static String percentEncode(String s) {
    StringBuilder out = new StringBuilder(s.length() * 3);
    for (byte b : s.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || "!#$&+-.^_`|~".indexOf(c) >= 0) {
        out.append((char) c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return out.toString();
  }
}
