package chat.bench;

import chat.server.ChatServer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;

/**
 * A server started inside the generator. CPU time is the sum over the server's own threads
 * (named {@link ChatServer#THREAD_NAME_PREFIX}...) from the {@link ThreadMXBean}; threads that
 * ended during the run are missed, which the server's long-lived event loops do not. RSS and heap
 * are the whole process's, generator included.
 */
final class InProcessProbe implements ServerProbe {

  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

  @Override
  public String describe() {
    return "in-process";
  }

  @Override
  public long cpuNanos() {
    if (!threads.isThreadCpuTimeSupported()) {
      return -1;
    }
    long total = 0;
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null && info.getThreadName().startsWith(ChatServer.THREAD_NAME_PREFIX)) {
        long t = threads.getThreadCpuTime(info.getThreadId());
        if (t > 0) {
          total += t;
        }
      }
    }
    return total;
  }

  @Override
  public long rssBytes() {
    return Proc.statusBytes("self", "VmRSS");
  }

  @Override
  public long heapUsedBytes(boolean collectFirst) {
    if (collectFirst) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  @Override
  public boolean sharesProcess() {
    return true;
  }
}
