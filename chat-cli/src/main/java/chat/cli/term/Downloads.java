package chat.cli.term;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Where /get saves files: {@code --downloads DIR}, else {@code CHAT_DOWNLOADS}, else
 * {@code chat} in the XDG download directory ({@code XDG_DOWNLOAD_DIR}, or its line in
 * {@code user-dirs.dirs}), else {@code ~/Downloads/chat}. Created when the first file comes.
 */
final class Downloads {
  private Downloads() {}

  static final String ENV = "CHAT_DOWNLOADS";

  static Path folder(Path option, Map<String, String> env, Path home) {
    if (option != null) {
      return TypedPaths.expand(option.toString(), home);
    }
    String fromEnv = env.get(ENV);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return TypedPaths.expand(fromEnv, home);
    }
    Path xdg = xdgDownloads(env, home);
    return (xdg != null ? xdg : home.resolve("Downloads")).resolve("chat");
  }

  static Path folder(Map<String, String> env) {
    return folder(null, env, Path.of(System.getProperty("user.home")));
  }

  /** The XDG download directory, if one is set; never the home directory itself. */
  static Path xdgDownloads(Map<String, String> env, Path home) {
    String dir = env.get("XDG_DOWNLOAD_DIR");
    if (dir == null || dir.isBlank()) {
      String config = env.get("XDG_CONFIG_HOME");
      Path dirs = (config == null || config.isBlank() ? home.resolve(".config") : Path.of(config))
          .resolve("user-dirs.dirs");
      dir = fromUserDirs(dirs);
    }
    if (dir == null || dir.isBlank()) {
      return null;
    }
    String expanded = dir.replace("${HOME}", home.toString()).replace("$HOME", home.toString());
    Path path = TypedPaths.expand(expanded, home);
    return path.equals(home) ? null : path; // xdg-user-dirs' way of saying "none"
  }

  /** {@code XDG_DOWNLOAD_DIR="$HOME/Downloads"} from a user-dirs.dirs file, or null. */
  private static String fromUserDirs(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      return null;
    }
    for (String line : lines) {
      String l = line.strip();
      if (l.startsWith("XDG_DOWNLOAD_DIR=")) {
        String value = l.substring("XDG_DOWNLOAD_DIR=".length()).strip();
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
          value = value.substring(1, value.length() - 1);
        }
        return value;
      }
    }
    return null;
  }
}
