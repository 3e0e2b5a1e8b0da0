package chat.cli.echo;

import java.util.Locale;

/** The transport an echo server or client speaks. */
public enum Transport {
  TCP,
  UDP;

  /** Lower-case name as printed in output, e.g. {@code tcp}. */
  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
