package chat.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * The command's logging, set up in code (found by Logback through {@code META-INF/services}):
 * lines to stderr, so that piped client output on stdout stays clean; Netty, Flyway and HikariCP
 * only from WARN (migrations and pools say what they do at every start; only problems are worth
 * a line); the root level from {@code CHAT_LOG_LEVEL} (default INFO). Code instead of a
 * {@code logback.xml}: parsing XML cost every start about a tenth of a second
 * (docs/BENCHMARKS.md, "Start-up"). A {@code -Dlogback.configurationFile} or a
 * {@code logback-test.xml} on the class path (the tests') still wins.
 */
public final class LogConfig extends ContextAwareBase implements Configurator {

  static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{24} - %msg%n";

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (System.getProperty("logback.configurationFile") != null
        || LogConfig.class.getClassLoader().getResource("logback-test.xml") != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY; // Logback's own search finds and reads it
    }
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(PATTERN);
    encoder.start();
    ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
    stderr.setContext(context);
    stderr.setName("STDERR");
    stderr.setTarget("System.err");
    stderr.setEncoder(encoder);
    stderr.start();
    for (String quiet : new String[] {"io.netty", "org.flywaydb", "com.zaxxer.hikari"}) {
      context.getLogger(quiet).setLevel(Level.WARN);
    }
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.toLevel(System.getenv("CHAT_LOG_LEVEL"), Level.INFO));
    root.addAppender(stderr);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }
}
