package chat.bench;

/**
 * What the generator can learn about the server's resource use: CPU time, resident memory and
 * heap. Each value is -1 when unknown.
 */
interface ServerProbe {

  /** Where the figures come from, e.g. {@code pid 1234} or {@code in-process}. */
  String describe();

  /** CPU time (user + system) the server has used so far, in nanoseconds. */
  long cpuNanos();

  /** Time the server's threads were runnable but waiting for a CPU, in nanoseconds. */
  default long runQueueWaitNanos() {
    return -1;
  }

  /** Resident set size of the server's process, in bytes. */
  long rssBytes();

  /** Heap in use, in bytes; after a full collection when {@code collectFirst}. */
  long heapUsedBytes(boolean collectFirst);

  /** True when {@link #rssBytes()} counts the generator as well (in-process mode). */
  boolean sharesProcess();

  /** A probe that knows nothing (no server pid, not in-process). */
  ServerProbe NONE = new ServerProbe() {
    @Override
    public String describe() {
      return "unknown (give --server-pid or --in-process)";
    }

    @Override
    public long cpuNanos() {
      return -1;
    }

    @Override
    public long rssBytes() {
      return -1;
    }

    @Override
    public long heapUsedBytes(boolean collectFirst) {
      return -1;
    }

    @Override
    public boolean sharesProcess() {
      return false;
    }
  };
}
