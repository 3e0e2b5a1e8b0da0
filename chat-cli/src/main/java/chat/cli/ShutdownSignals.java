package chat.cli;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets a long-running command stop cleanly on SIGINT and SIGTERM: instead of the JVM's default
 * (run shutdown hooks, exit 130 or 143) the given action runs, so the command can close its
 * resources and return normally with exit code 0.
 *
 * <p>The JDK's only API for this is {@code sun.misc.Signal} in module {@code jdk.unsupported}. It
 * is looked up reflectively so that the build stays free of internal-API warnings and a runtime
 * without it degrades to the default behaviour (callers keep a shutdown hook for that case).
 */
public final class ShutdownSignals {

  private static final Logger log = LoggerFactory.getLogger(ShutdownSignals.class);

  private ShutdownSignals() {}

  /**
   * Routes SIGINT and SIGTERM to {@code action}. Returns whether at least one signal was trapped.
   */
  public static boolean trap(Runnable action) {
    boolean trapped = false;
    for (String name : new String[] {"INT", "TERM"}) {
      trapped |= trap(name, action);
    }
    return trapped;
  }

  private static boolean trap(String name, Runnable action) {
    try {
      Class<?> signalClass = Class.forName("sun.misc.Signal");
      Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
      Object handler =
          Proxy.newProxyInstance(
              handlerClass.getClassLoader(),
              new Class<?>[] {handlerClass},
              (proxy, method, args) ->
                  switch (method.getName()) {
                    case "handle" -> {
                      action.run();
                      yield null;
                    }
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "SIG" + name + " handler";
                    default -> null;
                  });
      Object signal = signalClass.getConstructor(String.class).newInstance(name);
      Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
      handle.invoke(null, signal, handler);
      return true;
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      // Unknown signal on this platform (e.g. TERM on Windows) or no jdk.unsupported module.
      log.debug("cannot trap SIG{}: {}", name, e.toString());
      return false;
    }
  }
}
