package dev.kafkaping.server;

import java.time.Duration;
import java.util.Locale;

/**
 * The answers of {@code /livez} and {@code /readyz}, from what the server knows of itself. Live:
 * the poll loop makes progress (a loop stuck on a poll error that never goes away, or one that
 * ended while the server was not stopping, is not). Ready: live, partitions assigned, the broker
 * answering, and not stopping.
 */
record Health(Verdict live, Verdict ready, Numbers numbers) {
  /** How long the poll loop may go without a successful poll before the server is not live. */
  static final Duration STALLED_AFTER = Duration.ofSeconds(15);

  /** {@code reason}: why, in a few words ("polling", "the broker does not answer"). */
  record Verdict(boolean ok, String reason) {}

  /** The status line's numbers, for the JSON body. */
  record Numbers(
      int partitions,
      boolean brokerAnswering,
      long pingsReceived,
      long pongsSent,
      int inFlight,
      long deadLettered,
      long failedAttempts) {}

  /** Where the server is in its life. */
  enum Phase {
    STARTING,
    SERVING,
    STOPPING,
    ENDED;

    /**
     * The phase to report: a loop that an error ended finishes its running pings before the
     * server's own phase says it ended, and meanwhile it takes no new pings.
     */
    static Phase of(Phase declared, boolean loopStopping) {
      return declared == SERVING && loopStopping ? STOPPING : declared;
    }
  }

  static Health of(Phase phase, long nowNanos, long lastPollNanos, Numbers numbers) {
    Verdict live = live(phase, nowNanos, lastPollNanos);
    // A stuck loop answers nothing, whatever else holds.
    Verdict ready = live.ok() ? ready(phase, numbers) : live;
    return new Health(live, ready, numbers);
  }

  private static Verdict live(Phase phase, long nowNanos, long lastPollNanos) {
    return switch (phase) {
      case STARTING -> new Verdict(true, "starting");
      case STOPPING -> new Verdict(true, "stopping");
      case ENDED -> new Verdict(false, "the poll loop has ended");
      case SERVING -> {
        long silentMillis = (nowNanos - lastPollNanos) / 1_000_000;
        yield silentMillis > STALLED_AFTER.toMillis()
            ? new Verdict(false, "no successful poll for " + silentMillis / 1000 + " s")
            : new Verdict(true, "polling");
      }
    };
  }

  private static Verdict ready(Phase phase, Numbers numbers) {
    return switch (phase) {
      case STARTING -> new Verdict(false, "starting");
      case STOPPING -> new Verdict(false, "stopping");
      case ENDED -> new Verdict(false, "the poll loop has ended");
      case SERVING -> {
        if (!numbers.brokerAnswering()) {
          yield new Verdict(false, "the broker does not answer");
        }
        yield numbers.partitions() == 0
            ? new Verdict(false, "no partitions assigned")
            : new Verdict(true, "answering");
      }
    };
  }

  /**
   * A small JSON body: {@code status} is {@code what} or "not " + {@code what}, then the numbers.
   */
  String json(String what, Verdict verdict) {
    return String.format(
        Locale.ROOT,
        "{\"status\":\"%s\",\"reason\":\"%s\",\"partitions\":%d,\"broker\":\"%s\",\"pings_received\":%d,"
            + "\"pongs_sent\":%d,\"in_flight\":%d,\"dead_lettered\":%d,\"failed_attempts\":%d}",
        verdict.ok() ? what : "not " + what,
        verdict.reason(),
        numbers.partitions(),
        numbers.brokerAnswering() ? "answering" : "lost",
        numbers.pingsReceived(),
        numbers.pongsSent(),
        numbers.inFlight(),
        numbers.deadLettered(),
        numbers.failedAttempts());
  }
}
