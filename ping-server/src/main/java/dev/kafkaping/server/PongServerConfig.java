package dev.kafkaping.server;

import dev.kafkaping.avro.RegistryConnection;
import dev.kafkaping.cli.UserError;
import dev.kafkaping.kafka.KafkaConnection;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/** Everything the pong server needs to know, validated once. */
record PongServerConfig(
    KafkaConnection connection,
    String pingTopic,
    String pongTopic,
    String group,
    Duration budget,
    int partitions,
    int maxInFlight,
    Duration startupTimeout,
    Duration statsInterval,
    Optional<RegistryConnection> registry) {

  PongServerConfig {
    Objects.requireNonNull(connection, "connection");
    Objects.requireNonNull(registry, "registry");
    requireName("--ping-topic", pingTopic);
    requireName("--pong-topic", pongTopic);
    requireName("--group", group);
    if (pingTopic.equals(pongTopic)) {
      throw new UserError("--ping-topic and --pong-topic must differ");
    }
    requirePositive("--budget", budget);
    requirePositive("--startup-timeout", startupTimeout);
    requirePositive("stats interval", statsInterval);
    if (partitions < 1) {
      throw new UserError("--partitions must be at least 1, got " + partitions);
    }
    if (maxInFlight < 1) {
      throw new UserError("--max-in-flight must be at least 1, got " + maxInFlight);
    }
  }

  /** Where records that are not valid pings are copied. */
  String deadLetterTopic() {
    return pingTopic + ".DLT";
  }

  private static void requireName(String option, String value) {
    if (value == null || value.isBlank()) {
      throw new UserError(option + " must not be empty");
    }
  }

  private static void requirePositive(String option, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new UserError(option + " must be positive");
    }
  }
}
