package dev.kafkaping.cli;

/** Process exit codes, as iputils ping uses them. */
public final class ExitCode {
  /** Every expected pong arrived (or the server shut down cleanly). */
  public static final int OK = 0;

  /** Some or all pongs are missing, or nobody is there to answer. */
  public static final int NO_REPLY = 1;

  /** Anything else: bad arguments, unreachable broker, failed authentication or authorisation. */
  public static final int ERROR = 2;

  private ExitCode() {}
}
