package chat.core;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a shared file may be called and typed as. A name is only a name: no directory, no
 * {@code ..}, no control or bidirectional-override characters (a name that shows as
 * {@code report.pdf} but ends in {@code .exe}), nothing a common file system reserves.
 */
public final class FileNames {
  private FileNames() {}

  public static final int MAX_NAME_BYTES = 255;

  private static final Set<String> RESERVED = Set.of("CON", "PRN", "AUX", "NUL", "COM1", "COM2",
      "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9", "LPT1", "LPT2", "LPT3", "LPT4",
      "LPT5", "LPT6", "LPT7", "LPT8", "LPT9");
  private static final Pattern TYPE =
      Pattern.compile("[a-z0-9][a-z0-9!#$&^_.+-]{0,62}/[a-z0-9][a-z0-9!#$&^_.+-]{0,62}");
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  /** Why {@code name} cannot be a file's name, or null if it can. */
  public static String nameProblem(String name) {
    if (name == null || name.isEmpty()) {
      return "a file needs a name";
    }
    if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
      return "a file name is at most " + MAX_NAME_BYTES + " bytes";
    }
    if (name.equals(".") || name.equals("..")) {
      return "a file name cannot be " + name;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '/' || c == '\\') {
        return "a file name cannot hold a path separator";
      }
      if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
        return "a file name cannot hold control characters";
      }
      if ((c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c == 0x200e
          || c == 0x200f) {
        return "a file name cannot hold bidirectional controls";
      }
      if (":*?\"<>|".indexOf(c) >= 0) {
        return "a file name cannot hold any of :*?\"<>|";
      }
    }
    if (name.startsWith(" ") || name.endsWith(" ") || name.endsWith(".")) {
      return "a file name cannot start or end with a space, or end with a dot";
    }
    int dot = name.indexOf('.');
    String stem = (dot < 0 ? name : name.substring(0, dot)).toUpperCase(Locale.ROOT);
    if (RESERVED.contains(stem)) {
      return name + " is a reserved file name";
    }
    return null;
  }

  /** Why {@code type} is not a MIME type we accept, or null. */
  public static String typeProblem(String type) {
    return type != null && TYPE.matcher(type).matches() ? null
        : "the content type must be a lower-case MIME type such as image/png";
  }

  public static boolean isSha256(String hex) {
    return hex != null && SHA256.matcher(hex).matches();
  }
}
