package dev.kafkaping.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * Runs a picocli command with this project's error policy: a wrong argument or a {@link UserError}
 * is one line on stderr with its exit code; anything else is a bug and prints its stack trace.
 */
public final class CommandRunner {
  private CommandRunner() {}

  public static CommandLine commandLine(Object command) {
    CommandLine commandLine = new CommandLine(command);
    commandLine.registerConverter(java.time.Duration.class, new DurationConverter());
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
    if (e instanceof UserError userError) {
      err.println(commandLine.getCommandName() + ": " + userError.getMessage());
      err.flush();
      return userError.exitCode();
    }
    err.println(commandLine.getCommandName() + ": internal error, please report it:");
    e.printStackTrace(err);
    err.flush();
    return ExitCode.ERROR;
  }
}
