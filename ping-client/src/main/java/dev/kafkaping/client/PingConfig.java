package dev.kafkaping.client;

import dev.kafkaping.cli.UserError;
import dev.kafkaping.kafka.KafkaConnection;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything one run of the ping client needs, validated once.
 *
 * @param count pings to send; 0 means until the deadline or Ctrl-C
 * @param inFlight pings kept outstanding at once (1 unless flooding)
 */
record PingConfig(
    KafkaConnection connection,
    String pingTopic,
    String pongTopic,
    String serverGroup,
    int count,
    Duration interval,
    Duration timeout,
    Optional<Duration> deadline,
    int inFlight,
    int partitions,
    boolean responderCheck,
    Output output) {

  /** How replies are shown. */
  record Output(boolean quiet, boolean json, boolean verbose) {}

  PingConfig {
    Objects.requireNonNull(connection, "connection");
    Objects.requireNonNull(deadline, "deadline");
    Objects.requireNonNull(output, "output");
    if (pingTopic.isBlank() || pongTopic.isBlank() || serverGroup.isBlank()) {
      throw new UserError("topic and group names must not be empty");
    }
    if (count < 0) {
      throw new UserError("-c/--count must not be negative, got " + count);
    }
    if (count == 0 && deadline.isEmpty()) {
      throw new UserError("-c/--count 0 (unlimited) needs -w/--deadline");
    }
    if (timeout.isZero()) {
      throw new UserError("-W/--timeout must be positive");
    }
    if (deadline.isPresent() && deadline.get().isZero()) {
      throw new UserError("-w/--deadline must be positive");
    }
    if (inFlight < 1) {
      throw new UserError("--in-flight must be at least 1, got " + inFlight);
    }
    if (partitions < 1) {
      throw new UserError("--partitions must be at least 1, got " + partitions);
    }
  }

  /** Print a summary? Always, except for the default single shot. */
  boolean wantsSummary() {
    return count != 1 || deadline.isPresent();
  }
}
