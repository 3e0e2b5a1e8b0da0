package chat.server.web;

/**
 * What an image's first bytes say it is: only these four kinds are shown inline, and only when
 * the sender's media type agrees, so a file cannot pass for an image it is not (an SVG, which
 * can hold script, never does).
 */
final class ImageTypes {
  private ImageTypes() {}

  /** {@code image/png}, {@code image/jpeg}, {@code image/gif}, {@code image/webp}, or null. */
  static String detect(byte[] b) {
    if (b == null) {
      return null;
    }
    if (starts(b, 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a)) {
      return "image/png";
    }
    if (starts(b, 0xff, 0xd8, 0xff)) {
      return "image/jpeg";
    }
    if (starts(b, 'G', 'I', 'F', '8', '7', 'a') || starts(b, 'G', 'I', 'F', '8', '9', 'a')) {
      return "image/gif";
    }
    if (b.length >= 12 && starts(b, 'R', 'I', 'F', 'F') && b[8] == 'W' && b[9] == 'E'
        && b[10] == 'B' && b[11] == 'P') {
      return "image/webp";
    }
    return null;
  }

  private static boolean starts(byte[] b, int... magic) {
    if (b.length < magic.length) {
      return false;
    }
    for (int i = 0; i < magic.length; i++) {
      if ((b[i] & 0xff) != magic[i]) {
        return false;
      }
    }
    return true;
  }
}
