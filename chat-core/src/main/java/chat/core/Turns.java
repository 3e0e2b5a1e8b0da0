package chat.core;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Keeps one session's commands in order even when one of them finishes on another thread
 * (a login waits for password hashing): later commands wait for it, so every reply and effect
 * comes in the order the commands were sent.
 *
 * <p>A command that must finish elsewhere calls {@link #defer} while it runs; the work starts
 * only after the command returns, and the next waiting command runs when that work is done.
 */
final class Turns {

  static final int MAX_WAITING = 256;

  private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
  private boolean running;
  private Runnable deferred;
  private Runnable onRejected;

  /** Runs {@code task} now, or after the commands before it; false if too many wait. */
  boolean submit(Runnable task, Executor executor) {
    synchronized (this) {
      if (running) {
        if (waiting.size() >= MAX_WAITING) {
          return false;
        }
        waiting.add(task);
        return true;
      }
      running = true;
    }
    drain(task, executor);
    return true;
  }

  /** Called by the running command: {@code work} finishes it, on {@code executor}. */
  synchronized void defer(Runnable work, Runnable rejected) {
    deferred = work;
    onRejected = rejected;
  }

  private void drain(Runnable task, Executor executor) {
    while (task != null) {
      task.run();
      Runnable work;
      Runnable rejected;
      synchronized (this) {
        work = deferred;
        rejected = onRejected;
        deferred = null;
        onRejected = null;
      }
      if (work != null) {
        try {
          executor.execute(() -> {
            try {
              work.run();
            } finally {
              Runnable next = next();
              if (next != null) {
                drain(next, executor);
              }
            }
          });
          return;
        } catch (RejectedExecutionException e) {
          rejected.run();
        }
      }
      task = next();
    }
  }

  private synchronized Runnable next() {
    Runnable next = waiting.poll();
    if (next == null) {
      running = false;
    }
    return next;
  }
}
