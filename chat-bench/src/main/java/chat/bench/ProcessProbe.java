package chat.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server running as its own process: CPU from /proc/<pid>/stat, RSS from /proc/<pid>/status,
 * and, when the JDK's {@code jcmd} is at hand and the server is a JVM of the same user, heap in
 * use after a full collection ({@code jcmd <pid> GC.run} then {@code GC.heap_info}). Note that a
 * JVM pinned to one CPU ({@code taskset -c 0}) picks the Serial collector by itself.
 */
final class ProcessProbe implements ServerProbe {

  private static final Pattern USED = Pattern.compile("\\bused (\\d+)K");

  private final long pid;
  private final boolean useJcmd;

  ProcessProbe(long pid, boolean useJcmd) {
    this.pid = pid;
    this.useJcmd = useJcmd;
  }

  @Override
  public String describe() {
    return "pid " + pid;
  }

  @Override
  public long cpuNanos() {
    return Proc.cpuNanos(pid);
  }

  @Override
  public long runQueueWaitNanos() {
    return Proc.runQueueWaitNanos(Long.toString(pid));
  }

  @Override
  public long rssBytes() {
    return Proc.statusBytes(Long.toString(pid), "VmRSS");
  }

  @Override
  public long heapUsedBytes(boolean collectFirst) {
    if (!useJcmd) {
      return -1;
    }
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    if (!Files.isExecutable(jcmd) || !isJvm(pid)) {
      return -1; // jcmd attaches with SIGQUIT, which ends a C server (ngIRCd quits on it)
    }
    if (collectFirst && Proc.run(List.of(jcmd.toString(), Long.toString(pid), "GC.run")) == null) {
      return -1;
    }
    String info = Proc.run(List.of(jcmd.toString(), Long.toString(pid), "GC.heap_info"));
    if (info == null) {
      return -1;
    }
    return heapUsed(info);
  }

  /** Whether the process is a JVM: a {@code libjvm.so} among its mappings. */
  static boolean isJvm(long pid) {
    try (var lines = Files.lines(Path.of("/proc", Long.toString(pid), "maps"))) {
      return lines.anyMatch(line -> line.endsWith("/libjvm.so"));
    } catch (java.io.IOException | java.io.UncheckedIOException e) {
      return false;
    }
  }

  /**
   * Heap in use from {@code GC.heap_info}: the sum of the "used" of every heap or generation line
   * ("garbage-first heap total ..., used 5998K"; Serial and Parallel GC list one line per
   * generation), not counting Metaspace and class space.
   */
  static long heapUsed(String heapInfo) {
    long total = -1;
    for (String line : heapInfo.split("\n")) {
      String trimmed = line.trim();
      if (!trimmed.contains(" total ") || trimmed.startsWith("Metaspace")
          || trimmed.startsWith("class space")) {
        continue;
      }
      Matcher m = USED.matcher(trimmed);
      if (m.find()) {
        total = Math.max(total, 0) + Long.parseLong(m.group(1)) * 1024;
      }
    }
    return total;
  }

  @Override
  public boolean sharesProcess() {
    return false;
  }
}
