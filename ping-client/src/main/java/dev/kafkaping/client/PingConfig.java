package dev.kafkaping.client;

import dev.kafkaping.avro.RegistryConnection;
import dev.kafkaping.cli.UserError;
import dev.kafkaping.kafka.KafkaConnection;
import dev.kafkaping.message.WireFormat;
import dev.kafkaping.reply.ReplyConvention;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything one run of the ping client needs, validated once.
 *
 * @param count pings to send; 0 means until the deadline or Ctrl-C
 * @param timeout how long to wait for each pong (-W)
 * @param deadline when the whole command must be over (-w, counted from its start)
 * @param inFlight pings kept outstanding at once (1 unless flooding)
 * @param format how pings are written; pongs are read in either format
 * @param registry the schema registry, needed for Avro
 * @param replyConvention whose headers pings carry, to probe any request/reply service
 * @param payload the request value instead of the ping envelope; only with a reply convention
 * @param everyPartition ping each partition of the ping topic in turn (a canary)
 */
record PingConfig(
    KafkaConnection connection,
    String pingTopic,
    String pongTopic,
    String serverGroup,
    int count,
    Duration interval,
    Duration timeout,
    Deadline deadline,
    int inFlight,
    int partitions,
    boolean responderCheck,
    WireFormat format,
    Optional<RegistryConnection> registry,
    Optional<ReplyConvention> replyConvention,
    Optional<Payload> payload,
    boolean everyPartition) {

  /**
   * How long the broker may take to answer our setup requests once something listens at the
   * bootstrap address (a refused or silent address fails within -W, in the TCP probe). Much longer
   * than the pong wait on purpose: 32 single shots starting at once on a two-core machine spend
   * most of their first minute waiting for the CPU, not for Kafka (measured: up to about 50 s).
   */
  private static final Duration SETUP_BOUND = Duration.ofSeconds(120);

  /** How long the last spans may take to leave at the end of a run. */
  private static final Duration FLUSH_BOUND = Duration.ofSeconds(2);

  /**
   * What a flush gets even when -w has passed: enough for a collector that answers, at the cost of
   * overrunning -w by that much at most.
   */
  static final Duration MIN_FLUSH = Duration.ofMillis(250);

  PingConfig {
    Objects.requireNonNull(connection, "connection");
    Objects.requireNonNull(deadline, "deadline");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(replyConvention, "replyConvention");
    Objects.requireNonNull(payload, "payload");
    if (format == WireFormat.AVRO && registry.isEmpty()) {
      throw new UserError(
          "--format avro needs a schema registry: --schema-registry URL or SCHEMA_REGISTRY_URL");
    }
    if (payload.isPresent() && replyConvention.isEmpty()) {
      // A pong server answers only pings: without a convention, no service could answer it.
      throw new UserError("--payload needs --reply-convention spring or smallrye");
    }
    if (payload.isPresent() && format == WireFormat.AVRO) {
      throw new UserError("--payload is sent as it is: it cannot be combined with --format avro");
    }
    if (pingTopic.isBlank() || pongTopic.isBlank() || serverGroup.isBlank()) {
      throw new UserError("topic and group names must not be empty");
    }
    if (everyPartition && replyConvention.isPresent()) {
      throw new UserError(
          "--every-partition follows pong's partitions: it cannot be combined with"
              + " --reply-convention");
    }
    if (count < 0) {
      throw new UserError("-c/--count must not be negative, got " + count);
    }
    if (timeout.isZero()) {
      throw new UserError("-W/--timeout must be positive");
    }
    if (deadline.limit().filter(Duration::isZero).isPresent()) {
      throw new UserError("-w/--deadline must be positive");
    }
    if (inFlight < 1) {
      throw new UserError("--in-flight must be at least 1, got " + inFlight);
    }
    if (partitions < 1) {
      throw new UserError("--partitions must be at least 1, got " + partitions);
    }
  }

  /**
   * The command's config: the -w clock starts here, as the command builds its config before doing
   * anything else.
   */
  PingConfig(
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
      Optional<RegistryConnection> registry,
      Optional<ReplyConvention> replyConvention,
      Optional<Payload> payload,
      boolean everyPartition) {
    this(
        connection,
        pingTopic,
        pongTopic,
        serverGroup,
        count,
        interval,
        timeout,
        Deadline.startingNow(deadline),
        inFlight,
        partitions,
        responderCheck,
        format,
        registry,
        replyConvention,
        payload,
        everyPartition);
  }

  /** How pings ask and replies are recognised under the reply convention, if one was chosen. */
  Optional<RequestReply> requestReply() {
    return replyConvention.map(convention -> new RequestReply(convention, payload));
  }

  /** Print a summary? Always, except for the default single shot. */
  boolean wantsSummary() {
    return count != 1 || deadline.given();
  }

  /**
   * How long each set-up step (topics, consumer position) may take; {@link PingClient#connect} ends
   * the whole set-up at the deadline besides.
   */
  Duration setupTimeout() {
    return shorterOf(SETUP_BOUND);
  }

  /** The longest the user lets a send block: -W, or -w when the whole run is shorter. */
  Duration sendTimeout() {
    return shorterOf(timeout);
  }

  /**
   * How long the last spans may take to leave: 2 s, cut to what is left of -w, but at least {@link
   * #MIN_FLUSH}.
   */
  Duration flushTimeout() {
    Duration left = deadline.within(FLUSH_BOUND);
    return left.compareTo(MIN_FLUSH) < 0 ? MIN_FLUSH : left;
  }

  private Duration shorterOf(Duration bound) {
    return deadline.limit().filter(d -> d.compareTo(bound) < 0).orElse(bound);
  }
}
