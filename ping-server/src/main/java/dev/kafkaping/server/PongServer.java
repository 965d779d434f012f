package dev.kafkaping.server;

import dev.kafkaping.avro.AvroCodec;
import dev.kafkaping.avro.SchemaRegistryClient;
import dev.kafkaping.cli.UserError;
import dev.kafkaping.kafka.BootstrapProbe;
import dev.kafkaping.kafka.ClientConfigs;
import dev.kafkaping.kafka.KafkaErrors;
import dev.kafkaping.kafka.TopicSetup;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the pong server together, runs it until {@link #stop()}, and closes each Kafka client once,
 * within a bound.
 */
final class PongServer {
  private static final Logger log = LoggerFactory.getLogger(PongServer.class);
  // Leaving the group is one request; pongs still buffered after the final wait belong to pings
  // left uncommitted, which the next owner answers.
  private static final Duration CLOSE_BOUND = Duration.ofMillis(500);

  private final PongServerConfig config;
  private final OpenTelemetry openTelemetry;
  private final ServerStats stats = new ServerStats();
  private volatile PollLoop loop;
  private volatile boolean stopRequested;

  PongServer(PongServerConfig config, OpenTelemetry openTelemetry) {
    this.config = config;
    this.openTelemetry = openTelemetry;
  }

  /** Runs until stopped; throws {@link UserError} when the broker cannot be used at all. */
  void run() throws InterruptedException {
    String bootstrap = config.connection().bootstrapServers();
    BootstrapProbe.requireListening(bootstrap, config.startupTimeout());
    createTopics();
    ScheduledExecutorService reporter =
        Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().factory());
    KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig());
    KafkaConsumer<byte[], byte[]> consumer;
    try {
      consumer = new KafkaConsumer<>(consumerConfig());
    } catch (RuntimeException e) {
      producer.close(Duration.ZERO);
      throw e;
    }
    try {
      Optional<AvroCodec> avro =
          config
              .registry()
              .map(registry -> new AvroCodec(new SchemaRegistryClient(registry, config.budget())));
      PingAnswerer answerer =
          new PingAnswerer(
              new PongResponder(
                  producer,
                  config.pongTopic(),
                  config.group(),
                  config.budget(),
                  avro,
                  openTelemetry),
              new DeadLetters(producer, config.deadLetterTopic(), config.budget()),
              avro,
              stats);
      loop =
          new PollLoop(
              consumer,
              new PingHandler(answerer::tryOnce, stats),
              new PollLoop.Settings(
                  config.pingTopic(), config.maxInFlight(), config.budget(), bootstrap),
              stats);
      if (stopRequested) {
        return;
      }
      long interval = config.statsInterval().toMillis();
      reporter.scheduleAtFixedRate(
          () -> log.info(stats.summary()), interval, interval, TimeUnit.MILLISECONDS);
      log.info(
          "pong server answering {} -> {} at {} (group {}, budget {} ms, max in flight {}, {})",
          config.pingTopic(),
          config.pongTopic(),
          bootstrap,
          config.group(),
          config.budget().toMillis(),
          config.maxInFlight(),
          config
              .registry()
              .map(registry -> "JSON and Avro with schema registry " + registry)
              .orElse("JSON only: no --schema-registry"));
      loop.run();
    } finally {
      reporter.shutdownNow();
      closeQuietly("consumer", () -> consumer.close(CloseOptions.timeout(CLOSE_BOUND)));
      closeQuietly("producer", () -> producer.close(CLOSE_BOUND));
      log.info("stopped: {}", stats.summary());
    }
  }

  /** A failing close must neither skip the other client's close nor hide why the loop ended. */
  private static void closeQuietly(String client, Runnable close) {
    try {
      close.run();
    } catch (RuntimeException e) {
      log.warn("closing the {} failed: {}", client, e.getMessage());
    }
  }

  /** Stops polling; machines already running finish within their budget. Safe from any thread. */
  void stop() {
    stopRequested = true;
    PollLoop running = loop;
    if (running != null) {
      running.requestStop();
    }
  }

  private Map<String, Object> producerConfig() {
    // A pong's send() must not block longer than its machine's budget (metadata, full buffer).
    return ClientConfigs.producer(
        config.connection(),
        "pong-server",
        Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, config.budget().toMillis()));
  }

  private Map<String, Object> consumerConfig() {
    // A poll batch never needs to be larger than what may run at once.
    return ClientConfigs.groupConsumer(
        config.connection(),
        "pong-server",
        config.group(),
        Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Math.min(500, config.maxInFlight())));
  }

  private void createTopics() {
    try (Admin admin =
        Admin.create(
            ClientConfigs.admin(
                config.connection(), "pong-server-admin", config.startupTimeout()))) {
      TopicSetup.ensure(
          admin,
          TopicSetup.topics(
              config.partitions(),
              config.pingTopic(),
              config.pongTopic(),
              config.deadLetterTopic()),
          config.startupTimeout());
    } catch (Exception e) {
      throw KafkaErrors.asUserError(
          e, config.connection().bootstrapServers(), config.startupTimeout());
    }
  }
}
