package dev.kafkaping.server;

import dev.kafkaping.cli.UserError;
import dev.kafkaping.kafka.BootstrapProbe;
import dev.kafkaping.kafka.ClientConfigs;
import dev.kafkaping.kafka.KafkaErrors;
import dev.kafkaping.kafka.TopicSetup;
import io.opentelemetry.api.OpenTelemetry;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires the pong server together and runs it until {@link #stop()}. */
final class PongServer {
  private static final Logger log = LoggerFactory.getLogger(PongServer.class);

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
  void run() {
    String bootstrap = config.connection().bootstrapServers();
    BootstrapProbe.requireListening(bootstrap, config.startupTimeout());
    createTopics();
    Map<String, Object> consumerConfig =
        ClientConfigs.groupConsumer(config.connection(), "pong-server", config.group());
    consumerConfig.putIfAbsent(
        ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Math.min(500, config.maxInFlight()));
    ScheduledExecutorService reporter =
        Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().factory());
    try (KafkaProducer<byte[], byte[]> producer =
            new KafkaProducer<>(ClientConfigs.producer(config.connection(), "pong-server"));
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig)) {
      PingHandler handler =
          new PingHandler(
              new PongResponder(producer, config, openTelemetry),
              new DeadLetters(producer, config.deadLetterTopic()),
              stats,
              config.deadLetterTopic());
      loop = new PollLoop(consumer, handler, config, stats);
      if (stopRequested) {
        return;
      }
      long interval = config.statsInterval().toMillis();
      reporter.scheduleAtFixedRate(
          () -> log.info(stats.summary()), interval, interval, TimeUnit.MILLISECONDS);
      log.info(
          "pong server answering {} -> {} at {} (group {}, budget {} ms)",
          config.pingTopic(),
          config.pongTopic(),
          bootstrap,
          config.group(),
          config.budget().toMillis());
      loop.run();
    } finally {
      reporter.shutdownNow();
      log.info("stopped: {}", stats.summary());
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
