package dev.kafkaping.cli;

/** An error the user can fix; printed as one line without a stack trace. */
public final class UserError extends RuntimeException {
  private final int exitCode;

  public UserError(String message) {
    this(message, ExitCode.ERROR);
  }

  public UserError(String message, int exitCode) {
    super(message, null, false, false);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
