package dev.kafkaping.client;

import dev.kafkaping.cli.ExitCode;

/** The exit status of a run that got to ping, by the rule of iputils ping(8). */
final class ExitStatus {
  private ExitStatus() {}

  /**
   * 0 when at least one pong came back; 1 when none did, or when a deadline was given with a count
   * and fewer than the count came back. (Errors exit 2 and never get here.)
   *
   * @param count the -c count; 0 for unlimited
   * @param deadlineGiven whether -w was given
   */
  static int of(int received, int count, boolean deadlineGiven) {
    if (received == 0) {
      return ExitCode.NO_REPLY;
    }
    // As iputils: "ping -c 5" with 3 replies succeeds; "ping -c 5 -w 10" promised 5 by then.
    if (deadlineGiven && received < count) {
      return ExitCode.NO_REPLY;
    }
    return ExitCode.OK;
  }
}
