package dev.kafkaping.server;

import dev.kafkaping.avro.AvroCodec;
import dev.kafkaping.avro.RegistryConnection;
import dev.kafkaping.avro.SchemaRegistryClient;
import dev.kafkaping.avro.SchemaRegistryException;
import dev.kafkaping.cli.UserError;
import dev.kafkaping.kafka.BootstrapProbe;
import dev.kafkaping.kafka.ClientConfigs;
import dev.kafkaping.kafka.KafkaErrors;
import dev.kafkaping.kafka.TopicSetup;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.metrics.Meter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
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
  // The producer reports a send's fate within its delivery timeout; this covers its I/O thread.
  private static final Duration VERDICT_MARGIN = Duration.ofSeconds(1);
  private static final Duration BROKER_CHECK_INTERVAL = Duration.ofSeconds(1);

  private static final int DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

  private final PongServerConfig config;
  private final OpenTelemetry openTelemetry;
  private final ServerStats stats;
  private volatile PollLoop loop;
  private volatile BrokerWatch brokerWatch;
  private volatile boolean stopRequested;
  private final AtomicReference<Health.Phase> phase = new AtomicReference<>(Health.Phase.STARTING);

  PongServer(PongServerConfig config, OpenTelemetry openTelemetry, Meter meter) {
    this.config = config;
    this.openTelemetry = openTelemetry;
    ServerMetrics metrics = new ServerMetrics(meter, config.pingTopic(), config.group());
    this.stats = new ServerStats(metrics);
    metrics.observe(
        stats,
        () -> {
          PollLoop running = loop;
          return running == null ? 0 : running.partitionsOwned();
        });
    // /readyz for Prometheus, which cannot read the endpoint's JSON.
    meter
        .gaugeBuilder("kafkaping.pong.ready")
        .ofLongs()
        .setDescription("1 when /readyz would answer 200: serving, partitions assigned, broker up")
        .buildWithCallback(measurement -> measurement.record(health().ready().ok() ? 1 : 0));
  }

  /** Runs until stopped; throws {@link UserError} when the broker cannot be used at all. */
  void run() throws InterruptedException {
    Optional<HealthEndpoint> health = config.health().map(this::startHealthEndpoint);
    try {
      connectAndServe();
    } finally {
      health.ifPresent(HealthEndpoint::close);
    }
  }

  private HealthEndpoint startHealthEndpoint(InetSocketAddress address) {
    HealthEndpoint endpoint =
        HealthEndpoint.start(
            new InetSocketAddress(address.getHostString(), address.getPort()), this::health);
    log.info("health: http://{}:{}/livez and /readyz", address.getHostString(), endpoint.port());
    return endpoint;
  }

  /** What /livez and /readyz answer now; safe from any thread. */
  Health health() {
    PollLoop running = loop;
    BrokerWatch watch = brokerWatch;
    long now = System.nanoTime();
    return Health.of(
        Health.Phase.of(phase.get(), running != null && running.stopping()),
        now,
        running == null ? now : running.lastPollNanos(),
        new Health.Numbers(
            running == null ? 0 : running.partitionsOwned(),
            watch == null || watch.connected(),
            stats.receivedCount(),
            stats.answeredCount(),
            stats.inFlight(),
            stats.deadLetteredCount(),
            stats.failureCount()));
  }

  private void connectAndServe() throws InterruptedException {
    String bootstrap = config.connection().bootstrapServers();
    BootstrapProbe.requireKafka(config.connection(), config.startupTimeout());
    config.registry().ifPresent(this::probeRegistry);
    // One admin client: it creates the topics, then watches that the cluster answers.
    Admin admin;
    try {
      admin =
          Admin.create(
              ClientConfigs.admin(
                  config.connection(), "pong-server-admin", config.startupTimeout()));
    } catch (RuntimeException e) {
      throw KafkaErrors.asUserError(e, bootstrap, config.startupTimeout());
    }
    try {
      createTopics(admin);
      serve(admin);
    } finally {
      closeQuietly("admin client", () -> admin.close(CLOSE_BOUND));
    }
  }

  private void serve(Admin admin) throws InterruptedException {
    String bootstrap = config.connection().bootstrapServers();
    ScheduledExecutorService reporter = daemonScheduler("status-line");
    ScheduledExecutorService watcher = daemonScheduler("broker-watch");
    Map<String, Object> producerConfig = producerConfig();
    Duration verdictBound = ClientConfigs.deliveryTimeout(producerConfig).plus(VERDICT_MARGIN);
    KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig);
    KafkaConsumer<byte[], byte[]> consumer;
    try {
      consumer = new KafkaConsumer<>(consumerConfig());
    } catch (RuntimeException e) {
      producer.close(Duration.ZERO);
      throw e;
    }
    try {
      Optional<AvroCodec> avro = config.registry().map(this::avroCodec);
      PingAnswerer answerer =
          new PingAnswerer(
              new PongResponder(
                  producer, config.group(), config.budget(), verdictBound, avro, openTelemetry),
              new ReplyRoutes(config.replyTopics(), config.pingTopic(), config.pongTopic()),
              new ReplyTopics(admin, config.budget()),
              new DeadLetters(producer, config.deadLetterTopic(), verdictBound),
              avro,
              stats);
      loop =
          new PollLoop(
              consumer,
              new PingHandler(answerer::tryOnce, stats),
              new PollLoop.Settings(
                  config.pingTopic(),
                  config.group(),
                  config.maxInFlight(),
                  config.budget(),
                  bootstrap),
              stats);
      if (stopRequested) {
        return;
      }
      long interval = config.statsInterval().toMillis();
      reporter.scheduleAtFixedRate(
          () -> log.info(stats.summary()), interval, interval, TimeUnit.MILLISECONDS);
      BrokerWatch watch = new BrokerWatch(bootstrap, System.nanoTime());
      brokerWatch = watch;
      watcher.scheduleWithFixedDelay(
          () -> watch.check(admin),
          BROKER_CHECK_INTERVAL.toMillis(),
          BROKER_CHECK_INTERVAL.toMillis(),
          TimeUnit.MILLISECONDS);
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
      phase.compareAndSet(Health.Phase.STARTING, Health.Phase.SERVING);
      loop.run();
    } finally {
      // Unless it is stopping: then it ended as asked.
      phase.compareAndSet(Health.Phase.SERVING, Health.Phase.ENDED);
      reporter.shutdownNow();
      watcher.shutdownNow();
      closeQuietly("consumer", () -> consumer.close(CloseOptions.timeout(CLOSE_BOUND)));
      closeQuietly("producer", () -> producer.close(CLOSE_BOUND));
      log.info("stopped: {}", stats.summary());
    }
  }

  private AvroCodec avroCodec(RegistryConnection registry) {
    return new AvroCodec(new SchemaRegistryClient(registry, config.budget()));
  }

  /**
   * A registry that refuses (wrong URL, credentials) is a setting to fix before starting; one that
   * is down is an outage, which only Avro pings wait out, so the server starts anyway.
   */
  private void probeRegistry(RegistryConnection registry) {
    try {
      new SchemaRegistryClient(registry, config.startupTimeout()).probe(config.startupTimeout());
    } catch (SchemaRegistryException e) {
      switch (e) {
        case SchemaRegistryException.Misconfigured refused ->
            throw new UserError(refused.getMessage());
        case SchemaRegistryException.Unavailable outage ->
            log.warn("{}; Avro pings wait for it, JSON pings are answered", outage.getMessage());
      }
    }
  }

  private static ScheduledExecutorService daemonScheduler(String name) {
    return Executors.newSingleThreadScheduledExecutor(
        Thread.ofPlatform().name(name).daemon().factory());
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
    // A loop that already ended for good stays ended: a late signal does not make it live again.
    phase.updateAndGet(now -> now == Health.Phase.ENDED ? now : Health.Phase.STOPPING);
    PollLoop running = loop;
    if (running != null) {
      running.requestStop();
    }
  }

  private Map<String, Object> producerConfig() {
    int budget = (int) Math.min(Integer.MAX_VALUE, config.budget().toMillis());
    return ClientMemory.producer(
        config.connection(),
        ClientConfigs.withConsistentDeliveryTimeout(
            config.connection(),
            ClientConfigs.producer(
                config.connection(),
                "pong-server",
                Map.of(
                    // A pong's send() must not block longer than its machine's budget.
                    ProducerConfig.MAX_BLOCK_MS_CONFIG,
                    budget,
                    // The producer gives a pong up after one budget, instead of keeping it for two
                    // minutes while the server retries: each ping then has at most one pong queued.
                    ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                    budget,
                    // Half of it, so that a slow acknowledgement is retried within the delivery
                    // timeout as the same batch, which the idempotent producer's broker writes
                    // only once.
                    ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                    Math.min(Math.max(budget / 2, 1), DEFAULT_REQUEST_TIMEOUT_MS)))));
  }

  private Map<String, Object> consumerConfig() {
    Map<String, Object> settings = new HashMap<>(ClientMemory.consumer());
    // A poll batch never needs to be larger than what may run at once.
    settings.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Math.min(500, config.maxInFlight()));
    return ClientConfigs.groupConsumer(
        config.connection(), "pong-server", config.group(), settings);
  }

  private void createTopics(Admin admin) {
    try {
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
