package chat.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server running as its own process: CPU from /proc/<pid>/stat, RSS from /proc/<pid>/status,
 * and, when the JDK's {@code jcmd} is at hand and the server is a JVM of the same user, heap in
 * use after a full collection ({@code jcmd <pid> GC.run} then {@code GC.heap_info}).
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
  public long rssBytes() {
    return Proc.statusBytes(Long.toString(pid), "VmRSS");
  }

  @Override
  public long heapUsedBytes(boolean collectFirst) {
    if (!useJcmd) {
      return -1;
    }
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    if (!Files.isExecutable(jcmd)) {
      return -1;
    }
    if (collectFirst && Proc.run(List.of(jcmd.toString(), Long.toString(pid), "GC.run")) == null) {
      return -1;
    }
    String info = Proc.run(List.of(jcmd.toString(), Long.toString(pid), "GC.heap_info"));
    if (info == null) {
      return -1;
    }
    // The first "used NK" is the whole heap's (G1: "garbage-first heap total ..., used ...").
    Matcher m = USED.matcher(info);
    return m.find() ? Long.parseLong(m.group(1)) * 1024 : -1;
  }

  @Override
  public boolean sharesProcess() {
    return false;
  }
}
