package dev.kafkaping.cli;

import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import java.io.PrintWriter;
import java.time.Duration;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine;

/**
 * Runs a picocli command with this project's error policy: a wrong argument, a {@link UserError} or
 * a rejected Kafka or {@code OTEL_*} setting is one line on stderr with its exit code (the stack
 * trace only at {@code --log-level debug}); anything else is a bug and prints its stack trace.
 */
public final class CommandRunner {
  private CommandRunner() {}

  public static CommandLine commandLine(Object command) {
    CommandLine commandLine = new CommandLine(command);
    commandLine.registerConverter(Duration.class, new DurationConverter());
    commandLine.setParameterExceptionHandler(CommandRunner::onBadArguments);
    commandLine.setExecutionExceptionHandler(CommandRunner::onFailure);
    return commandLine;
  }

  private static int onBadArguments(CommandLine.ParameterException e, String[] args) {
    CommandLine commandLine = e.getCommandLine();
    PrintWriter err = commandLine.getErr();
    String name = commandLine.getCommandName();
    err.println(name + ": " + e.getMessage());
    err.println("Try '" + name + " --help' for more information.");
    err.flush();
    return ExitCode.ERROR;
  }

  private static int onFailure(
      Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
    PrintWriter err = commandLine.getErr();
    String name = commandLine.getCommandName();
    UserError userError = asUserError(e);
    if (userError != null) {
      err.println(name + ": " + userError.getMessage());
      if (userError != e && LogLevel.debugging()) {
        e.printStackTrace(err);
      }
      err.flush();
      return userError.exitCode();
    }
    err.println(name + ": internal error, please report it:");
    e.printStackTrace(err);
    err.flush();
    return ExitCode.ERROR;
  }

  /** The user's mistake behind {@code e} (anywhere in its causes), or null. */
  public static UserError asUserError(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      switch (cause) {
        case UserError userError -> {
          return userError;
        }
        case ConfigException config -> {
          return new UserError("invalid Kafka client setting: " + config.getMessage());
        }
        case ConfigurationException config -> {
          return new UserError("invalid OpenTelemetry setting: " + config.getMessage());
        }
        default -> {}
      }
    }
    return null;
  }
}
