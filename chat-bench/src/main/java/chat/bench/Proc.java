package chat.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Reading Linux's /proc: process CPU and memory, kernel socket memory, machine facts. */
final class Proc {
  private Proc() {}

  private static volatile long clockTicks;
  private static volatile long pageSize;

  /** utime + stime of a process in nanoseconds, from /proc/<pid>/stat; -1 if unreadable. */
  static long cpuNanos(long pid) {
    String stat = read(Path.of("/proc", Long.toString(pid), "stat"));
    if (stat == null) {
      return -1;
    }
    // The command name (field 2) is in parentheses and may contain spaces: count from after it.
    int close = stat.lastIndexOf(')');
    if (close < 0) {
      return -1;
    }
    String[] f = stat.substring(close + 2).trim().split(" +");
    // f[0] is field 3 (state); utime is field 14, stime field 15.
    if (f.length < 13) {
      return -1;
    }
    try {
      long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
      return ticks * (1_000_000_000L / clockTicks());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * Time the threads of a process spent runnable but waiting for a CPU, in nanoseconds: the sum
   * of the second field of /proc/<pid>/task/<tid>/schedstat over its threads; -1 if unreadable. High values mean the
   * process was short of CPU (other processes on its cores), not that it was slow.
   */
  static long runQueueWaitNanos(String pidOrSelf) {
    Path tasks = Path.of("/proc", pidOrSelf, "task");
    long total = 0;
    boolean any = false;
    try (var dirs = Files.newDirectoryStream(tasks)) {
      for (Path task : dirs) {
        String stat = read(task.resolve("schedstat"));
        if (stat == null) {
          continue; // the thread ended meanwhile
        }
        String[] f = stat.trim().split("\\s+");
        if (f.length >= 2) {
          total += Long.parseLong(f[1]);
          any = true;
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return any ? total : -1;
  }

  /** A "VmRSS"-like field of /proc/<pid>/status in bytes; -1 if unreadable. */
  static long statusBytes(String pidOrSelf, String field) {
    String status = read(Path.of("/proc", pidOrSelf, "status"));
    if (status == null) {
      return -1;
    }
    for (String line : status.split("\n")) {
      if (line.startsWith(field + ":")) {
        String[] parts = line.substring(field.length() + 1).trim().split("\\s+");
        try {
          long value = Long.parseLong(parts[0]);
          return parts.length > 1 && parts[1].equalsIgnoreCase("kB") ? value * 1024 : value;
        } catch (NumberFormatException e) {
          return -1;
        }
      }
    }
    return -1;
  }

  static boolean processExists(long pid) {
    return Files.isReadable(Path.of("/proc", Long.toString(pid), "stat"));
  }

  /**
   * Kernel memory of TCP sockets in bytes ({@code mem} pages of the TCP line of
   * /proc/net/sockstat: buffers holding queued data), and TCP sockets allocated ({@code alloc};
   * {@code inuse} is not kept up to date everywhere); {-1, -1} if unreadable. The counts cover
   * the whole network namespace: both ends of loopback connections and every other process.
   */
  static long[] tcpSocketMemory() {
    String sockstat = read(Path.of("/proc/net/sockstat"));
    if (sockstat == null) {
      return new long[] {-1, -1};
    }
    for (String line : sockstat.split("\n")) {
      if (line.startsWith("TCP:")) {
        String[] f = line.substring(4).trim().split("\\s+");
        long mem = -1;
        long allocated = -1;
        for (int i = 0; i + 1 < f.length; i += 2) {
          try {
            if (f[i].equals("mem")) {
              mem = Long.parseLong(f[i + 1]) * pageSize();
            } else if (f[i].equals("alloc")) {
              allocated = Long.parseLong(f[i + 1]);
            }
          } catch (NumberFormatException e) {
            return new long[] {-1, -1};
          }
        }
        return new long[] {mem, allocated};
      }
    }
    return new long[] {-1, -1};
  }

  /** The CPU model from /proc/cpuinfo, or "unknown". */
  static String cpuModel() {
    String info = read(Path.of("/proc/cpuinfo"));
    if (info != null) {
      for (String line : info.split("\n")) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    }
    return "unknown";
  }

  static long clockTicks() {
    long t = clockTicks;
    if (t == 0) {
      t = getconf("CLK_TCK", 100);
      clockTicks = t;
    }
    return t;
  }

  static long pageSize() {
    long p = pageSize;
    if (p == 0) {
      p = getconf("PAGESIZE", 4096);
      pageSize = p;
    }
    return p;
  }

  private static long getconf(String name, long fallback) {
    try {
      Process p = new ProcessBuilder("getconf", name).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
      if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0) {
        long v = Long.parseLong(out);
        return v > 0 ? v : fallback;
      }
    } catch (IOException | NumberFormatException e) {
      return fallback;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return fallback;
  }

  static String read(Path path) {
    try {
      return Files.readString(path, StandardCharsets.US_ASCII);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** Runs a command, returns its output, or null if it failed or took over 60 s. */
  static String run(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return null;
      }
      return p.exitValue() == 0 ? out : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
