package dev.kafkaping.client;

import dev.kafkaping.avro.RegistryConnection;
import dev.kafkaping.cli.UserError;
import dev.kafkaping.kafka.KafkaConnection;
import dev.kafkaping.message.WireFormat;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything one run of the ping client needs, validated once.
 *
 * @param count pings to send; 0 means until the deadline or Ctrl-C
 * @param timeout how long to wait for each pong (-W)
 * @param deadline how long the whole run may take (-w)
 * @param inFlight pings kept outstanding at once (1 unless flooding)
 * @param format how pings are written; pongs are read in either format
 * @param registry the schema registry, needed for Avro
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
    WireFormat format,
    Optional<RegistryConnection> registry) {

  /**
   * How long the broker may take to answer our setup requests once something listens at the
   * bootstrap address (a refused or silent address fails within -W, in the TCP probe). Much longer
   * than the pong wait on purpose: 32 single shots starting at once on a two-core machine spend
   * most of their first minute waiting for the CPU, not for Kafka (measured: up to about 50 s).
   */
  private static final Duration SETUP_BOUND = Duration.ofSeconds(120);

  PingConfig {
    Objects.requireNonNull(connection, "connection");
    Objects.requireNonNull(deadline, "deadline");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(registry, "registry");
    if (format == WireFormat.AVRO && registry.isEmpty()) {
      throw new UserError(
          "--format avro needs a schema registry: --schema-registry URL or SCHEMA_REGISTRY_URL");
    }
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

  /** How long setting up (topics, consumer position) may take. */
  Duration setupTimeout() {
    return shorterOf(SETUP_BOUND);
  }

  /** The longest the user lets a send block: -W, or -w when the whole run is shorter. */
  Duration sendTimeout() {
    return shorterOf(timeout);
  }

  private Duration shorterOf(Duration bound) {
    return deadline.filter(d -> d.compareTo(bound) < 0).orElse(bound);
  }
}
