package chat.cli.server;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a start's time went: {@link #mark} after each phase, {@link #summary} for the log line
 * ("ready 640 ms after the JVM started (JVM and command line 150, tls 120, ...)"). For finding what a
 * start waits on (docs/BENCHMARKS.md, "Start-up"); it measures, it does not change anything.
 */
final class StartupTimes {

  private final long begun = System.nanoTime();
  private long last = begun;
  private final List<String> phases = new ArrayList<>();

  /** Ends the phase {@code name} now. */
  synchronized void mark(String name) {
    long now = System.nanoTime();
    phases.add(name + " " + (now - last) / 1_000_000);
    last = now;
  }

  /** Records {@code name} as taking {@code nanos}, measured elsewhere (another thread). */
  synchronized void add(String name, long nanos) {
    phases.add(name + " " + nanos / 1_000_000);
  }

  /** The summary: how long since the JVM started and since the server command began, then each phase. */
  synchronized String summary() {
    long total = (System.nanoTime() - begun) / 1_000_000;
    long uptime = java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime();
    return "ready " + uptime + " ms after the JVM started (JVM and command line "
        + (uptime - total) + ", " + String.join(", ", phases) + ")";
  }
}
