package dev.kafkaping.client;

import dev.kafkaping.cli.UserError;
import dev.kafkaping.kafka.BootstrapProbe;
import dev.kafkaping.kafka.KafkaErrors;
import dev.kafkaping.kafka.TopicSetup;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.errors.TopicAuthorizationException;

/**
 * The Kafka side of the client: a producer for pings and a listener for pongs, both ready before
 * the first ping goes out.
 */
final class PingClient implements AutoCloseable {
  private final KafkaProducer<byte[], byte[]> producer;
  private final PongListener pongs;
  private final Pinger pinger;
  private final Optional<LateResponderCheck> responderCheck;
  private final Optional<PartitionCanary> canary;

  private PingClient(
      KafkaProducer<byte[], byte[]> producer,
      PongListener pongs,
      Pinger pinger,
      Optional<LateResponderCheck> responderCheck,
      Optional<PartitionCanary> canary) {
    this.producer = producer;
    this.pongs = pongs;
    this.pinger = pinger;
    this.responderCheck = responderCheck;
    this.canary = canary;
  }

  /**
   * Checks that the broker listens (within -W), then prepares the topics, the pong listener and the
   * producer (each within {@link PingConfig#setupTimeout()}), all by the -w deadline.
   */
  static PingClient connect(PingConfig config, OpenTelemetry openTelemetry, PingMetrics metrics)
      throws InterruptedException {
    // -w is a hard limit, so the set-up runs on a thread of its own: whatever blocks in it (a
    // broker that never answers, a starved CPU) cannot keep the command past the deadline.
    CompletableFuture<PingClient> opening =
        CompletableFuture.supplyAsync(
            () -> open(config, openTelemetry, metrics), PingClient::startThread);
    try {
      return opening.get(config.deadline().nanosLeft(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      opening.thenAccept(PingClient::close); // ready too late: nobody else would close it
      throw KafkaErrors.asUserError(
          e, config.connection().bootstrapServers(), config.deadline().limit().orElseThrow());
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException failure
          ? failure
          : new IllegalStateException(e.getCause());
    }
  }

  private static PingClient open(
      PingConfig config, OpenTelemetry openTelemetry, PingMetrics metrics) {
    String bootstrap = config.connection().bootstrapServers();
    BootstrapProbe.requireKafka(config.connection(), config.timeout());

    // A single shot is a fresh JVM, where building a client is mostly class loading: build the
    // consumer and check the topics on a thread of its own while this one builds the producer.
    CompletableFuture<KafkaConsumer<byte[], byte[]>> consumer =
        CompletableFuture.supplyAsync(() -> consumerWithTopics(config), PingClient::startThread);
    CompletableFuture<PingWire> wire =
        CompletableFuture.supplyAsync(() -> PingWire.connect(config), PingClient::startThread);
    KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(KafkaSettings.producer(config));

    PendingPongs pending = new PendingPongs();
    PongListener pongs;
    PingWire pingWire;
    Optional<PartitionCanary> canary;
    try {
      pingWire = wire.join();
      KafkaConsumer<byte[], byte[]> ready = consumer.join();
      // Fetch the ping topic's metadata now so that the first round trip does not pay for it.
      int partitions = producer.partitionsFor(config.pingTopic()).size();
      canary =
          config.everyPartition()
              ? Optional.of(canary(config, producer, partitions))
              : Optional.empty();
      pongs =
          PongListener.start(
              ready,
              config.pongTopic(),
              config.setupTimeout(),
              pending,
              matcher(config, pingWire, pending),
              openTelemetry.getPropagators().getTextMapPropagator());
    } catch (RuntimeException | InterruptedException e) {
      // Until the listener has started, the consumer is ours to close.
      consumer.thenAccept(c -> c.close(Duration.ZERO));
      producer.close(Duration.ZERO);
      throw KafkaErrors.asUserError(e, bootstrap, config.setupTimeout());
    }
    Optional<LateResponderCheck> responderCheck =
        config.responderCheck()
            ? Optional.of(LateResponderCheck.start(config, pending))
            : Optional.empty();
    Pinger pinger =
        new Pinger(
            producer,
            pending,
            pingWire,
            config.requestReply(),
            config.pingTopic(),
            config.pongTopic(),
            openTelemetry,
            metrics);
    canary.ifPresent(
        partitionCanary -> {
          pinger.sessionIds(partitionCanary::sessionFor);
          metrics.perPartition(partitionCanary);
        });
    return new PingClient(producer, pongs, pinger, responderCheck, canary);
  }

  /** Each partition's pong comes back on the same partition only if both topics have as many. */
  private static PartitionCanary canary(
      PingConfig config, KafkaProducer<byte[], byte[]> producer, int partitions) {
    int pongPartitions = producer.partitionsFor(config.pongTopic()).size();
    if (pongPartitions != partitions) {
      throw new UserError(
          "--every-partition needs as many partitions in '"
              + config.pongTopic()
              + "' ("
              + pongPartitions
              + ") as in '"
              + config.pingTopic()
              + "' ("
              + partitions
              + ")");
    }
    return new PartitionCanary(
        partitions,
        partition ->
            producer.partitionsFor(config.pingTopic()).stream()
                .filter(info -> info.partition() == partition && info.leader() != null)
                .mapToInt(info -> info.leader().id())
                .filter(id -> id >= 0)
                .findFirst());
  }

  private static ReplyMatcher matcher(PingConfig config, PingWire wire, PendingPongs pending) {
    return config
        .requestReply()
        .<ReplyMatcher>map(CorrelationMatcher::new)
        .orElseGet(() -> new PongBodyMatcher(wire, pending));
  }

  Pinger pinger() {
    return pinger;
  }

  /** With --every-partition: the round trips of each partition. */
  Optional<PartitionCanary> canary() {
    return canary;
  }

  @Override
  public void close() {
    responderCheck.ifPresent(LateResponderCheck::close);
    pongs.close();
    // Every ping that mattered has been answered or given up on; nothing is worth waiting for.
    producer.close(Duration.ZERO);
  }

  /**
   * The consumer, once both topics exist. Its metadata tells whether they do (it never creates a
   * topic); only a missing or invisible one costs an admin client, which creates it.
   */
  private static KafkaConsumer<byte[], byte[]> consumerWithTopics(PingConfig config) {
    long deadline = System.nanoTime() + config.setupTimeout().toNanos();
    KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(KafkaSettings.consumer(config));
    try {
      if (!exists(consumer, config.pingTopic(), deadline)
          || !exists(consumer, config.pongTopic(), deadline)) {
        createTopics(config, remaining(deadline));
      }
      return consumer;
    } catch (RuntimeException e) {
      consumer.close(Duration.ZERO);
      throw e;
    }
  }

  private static Duration remaining(long deadline) {
    return Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
  }

  private static boolean exists(KafkaConsumer<?, ?> consumer, String topic, long deadline) {
    try {
      return !consumer.partitionsFor(topic, remaining(deadline)).isEmpty();
    } catch (TopicAuthorizationException e) {
      return false; // the admin client's attempt says so in the user's terms
    }
  }

  private static void createTopics(PingConfig config, Duration timeout) {
    try (Admin admin = Admin.create(KafkaSettings.admin(config))) {
      TopicSetup.ensure(
          admin,
          TopicSetup.topics(config.partitions(), config.pingTopic(), config.pongTopic()),
          timeout);
    } catch (Exception e) {
      throw KafkaErrors.asUserError(
          e, config.connection().bootstrapServers(), config.setupTimeout());
    }
  }

  private static void startThread(Runnable task) {
    Thread.ofPlatform().daemon().start(task);
  }
}
