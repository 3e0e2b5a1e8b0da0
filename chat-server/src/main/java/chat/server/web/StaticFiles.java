package chat.server.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The browser client's files, read once from the class path ({@code web/} in the jar) into
 * memory, each with its content type and a strong ETag (a digest of its bytes). Only these
 * files are served: a request names a key of this map or gets 404, so no path ever reaches the
 * file system.
 */
final class StaticFiles {

  record File(String path, byte[] bytes, String contentType, String etag) {}

  private final Map<String, File> files;

  private StaticFiles(Map<String, File> files) {
    this.files = Map.copyOf(files);
  }

  /** Everything under {@code root} (such as {@code web/}) on the class path of {@code loader}. */
  static StaticFiles load(ClassLoader loader, String root) {
    Map<String, File> files = new HashMap<>();
    try {
      Enumeration<URL> roots = loader.getResources(root);
      while (roots.hasMoreElements()) {
        URL url = roots.nextElement();
        switch (url.getProtocol()) {
          case "file" -> fromDirectory(Path.of(url.toURI()), files);
          case "jar" -> fromJar(url, root, files);
          default -> throw new IllegalStateException("cannot list " + url);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    return new StaticFiles(files);
  }

  /** The file for a request path ("/" is index.html), or null. */
  File get(String path) {
    return files.get(path.equals("/") ? "/index.html" : path);
  }

  int size() {
    return files.size();
  }

  private static void fromDirectory(Path dir, Map<String, File> files) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
        String path = "/" + dir.relativize(p).toString().replace('\\', '/');
        files.putIfAbsent(path, file(path, Files.readAllBytes(p)));
      }
    }
  }

  private static void fromJar(URL url, String root, Map<String, File> files) throws IOException {
    JarURLConnection connection = (JarURLConnection) url.openConnection();
    connection.setUseCaches(false);
    try (JarFile jar = connection.getJarFile()) {
      Enumeration<JarEntry> entries = jar.entries();
      while (entries.hasMoreElements()) {
        JarEntry entry = entries.nextElement();
        if (entry.isDirectory() || !entry.getName().startsWith(root)) {
          continue;
        }
        String path = "/" + entry.getName().substring(root.length());
        try (InputStream in = jar.getInputStream(entry)) {
          files.putIfAbsent(path, file(path, in.readAllBytes()));
        }
      }
    }
  }

  private static File file(String path, byte[] bytes) {
    return new File(path, bytes, contentType(path), etag(bytes));
  }

  static String contentType(String path) {
    String name = path.toLowerCase(Locale.ROOT);
    int dot = name.lastIndexOf('.');
    return switch (dot < 0 ? "" : name.substring(dot + 1)) {
      case "html" -> "text/html; charset=utf-8";
      case "js", "mjs" -> "text/javascript; charset=utf-8";
      case "css" -> "text/css; charset=utf-8";
      case "svg" -> "image/svg+xml";
      case "png" -> "image/png";
      case "ico" -> "image/x-icon";
      case "json" -> "application/json";
      case "webmanifest" -> "application/manifest+json";
      case "txt" -> "text/plain; charset=utf-8";
      default -> "application/octet-stream";
    };
  }

  private static String etag(byte[] bytes) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
      return "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 22)
          + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
