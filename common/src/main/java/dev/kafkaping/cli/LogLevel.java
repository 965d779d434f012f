package dev.kafkaping.cli;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Log levels accepted by {@code --log-level} and {@code LOG_LEVEL}. slf4j-simple reads its
 * configuration once, when the first logger is created, so {@link #configure} must run before any
 * class that holds a logger is loaded.
 */
public enum LogLevel {
  TRACE,
  DEBUG,
  INFO,
  WARN,
  ERROR;

  public static final String ENV = "LOG_LEVEL";

  /** The accepted names, for messages. */
  public static final String NAMES = "trace, debug, info, warn or error";

  /**
   * Finds the level in the raw arguments or the environment and configures slf4j-simple. A bad
   * value means info here; the command then refuses it in one line (see {@link ConnectionOptions}).
   */
  public static void configure(String[] args) {
    LogLevel level = fromArgs(args);
    if (level == null) {
      level = parseOrNull(System.getenv(ENV));
    }
    apply(level == null ? INFO : level);
  }

  /**
   * The level {@code LOG_LEVEL} names, or info when it is unset or blank.
   *
   * @throws UserError when it names no level: a silent fallback would hide a typo
   */
  public static LogLevel fromEnvironment(Function<String, String> env) {
    String value = env.apply(ENV);
    if (value == null || value.isBlank()) {
      return INFO;
    }
    return parse(value)
        .orElseThrow(() -> new UserError(ENV + " needs one of " + NAMES + ", got '" + value + "'"));
  }

  /** True when the configured level shows debug lines (stack traces of user errors, say). */
  public static boolean debugging() {
    String level = System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "info");
    return level.equals("debug") || level.equals("trace");
  }

  /** The level named by {@code text}, in any case; empty if it names none. */
  public static Optional<LogLevel> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String name = text.trim().toUpperCase(Locale.ROOT);
    return Arrays.stream(values()).filter(level -> level.name().equals(name)).findFirst();
  }

  static LogLevel fromArgs(String[] args) {
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--log-level") && i + 1 < args.length) {
        return parseOrNull(args[i + 1]);
      }
      if (args[i].startsWith("--log-level=")) {
        return parseOrNull(args[i].substring("--log-level=".length()));
      }
    }
    return null;
  }

  private static LogLevel parseOrNull(String text) {
    return parse(text).orElse(null);
  }

  private static void apply(LogLevel level) {
    String name = level.name().toLowerCase(Locale.ROOT);
    setDefault("org.slf4j.simpleLogger.defaultLogLevel", name);
    // Kafka's clients log their whole configuration at info, retries at warn and failed logins at
    // error; our own one-line errors say what matters, so theirs only show when debugging.
    String kafkaLevel = level.compareTo(DEBUG) <= 0 ? name : "off";
    setDefault("org.slf4j.simpleLogger.log.org.apache.kafka", kafkaLevel);
    setDefault("org.slf4j.simpleLogger.showDateTime", "true");
    setDefault("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS");
    setDefault("org.slf4j.simpleLogger.showThreadName", "false");
    setDefault("org.slf4j.simpleLogger.showShortLogName", "true");
    setDefault("org.slf4j.simpleLogger.logFile", "System.err");
  }

  private static void setDefault(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }
}
