package chat.bench;

import java.util.Locale;
import org.HdrHistogram.Histogram;

/** Human-readable numbers. */
final class Text {
  private Text() {}

  static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  static String rate(double perSecond) {
    if (perSecond >= 1e6) {
      return String.format(Locale.ROOT, "%.2fM", perSecond / 1e6);
    }
    if (perSecond >= 1e3) {
      return String.format(Locale.ROOT, "%.1fk", perSecond / 1e3);
    }
    return String.format(Locale.ROOT, "%.1f", perSecond);
  }

  static String bytes(long b) {
    if (b < 0) {
      return "?";
    }
    if (b >= 1L << 30) {
      return String.format(Locale.ROOT, "%.2f GiB", b / (double) (1L << 30));
    }
    if (b >= 1L << 20) {
      return String.format(Locale.ROOT, "%.1f MiB", b / (double) (1L << 20));
    }
    if (b >= 1L << 10) {
      return String.format(Locale.ROOT, "%.1f KiB", b / 1024.0);
    }
    return b + " B";
  }

  static String signedBytes(double b) {
    return (b < 0 ? "-" : "+") + bytesFraction(Math.abs(b));
  }

  static String bytesFraction(double b) {
    if (b >= 1 << 20) {
      return String.format(Locale.ROOT, "%.1f MiB", b / (1 << 20));
    }
    if (b >= 1024) {
      return String.format(Locale.ROOT, "%.2f KiB", b / 1024.0);
    }
    return String.format(Locale.ROOT, "%.0f B", b);
  }

  /** A duration in microseconds, in the unit that reads best. */
  static String micros(long us) {
    if (us >= 10_000_000) {
      return String.format(Locale.ROOT, "%.1f s", us / 1e6);
    }
    if (us >= 10_000) {
      return String.format(Locale.ROOT, "%.1f ms", us / 1e3);
    }
    if (us >= 1_000) {
      return String.format(Locale.ROOT, "%.2f ms", us / 1e3);
    }
    return us + " µs";
  }

  static String histogram(Histogram h) {
    if (h.getTotalCount() == 0) {
      return "no samples";
    }
    return "p50 " + micros(h.getValueAtPercentile(50))
        + ", p90 " + micros(h.getValueAtPercentile(90))
        + ", p99 " + micros(h.getValueAtPercentile(99))
        + ", p99.9 " + micros(h.getValueAtPercentile(99.9))
        + ", max " + micros(h.getMaxValue())
        + " (" + count(h.getTotalCount()) + " samples)";
  }

  static String seconds(double s) {
    return String.format(Locale.ROOT, "%.2f s", s);
  }

  static String percent(double fraction) {
    return String.format(Locale.ROOT, "%.0f%%", fraction * 100);
  }

  static String fixed(double v, int decimals) {
    return String.format(Locale.ROOT, "%." + decimals + "f", v);
  }
}
