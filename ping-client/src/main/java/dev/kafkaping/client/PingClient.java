package dev.kafkaping.client;

import dev.kafkaping.kafka.BootstrapProbe;
import dev.kafkaping.kafka.ClientConfigs;
import dev.kafkaping.kafka.KafkaErrors;
import dev.kafkaping.kafka.TopicSetup;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The Kafka side of the client: a producer for pings and a listener for pongs, set up so that the
 * first ping can go out as soon as possible. A single shot is a fresh JVM, so the admin work, the
 * consumer and the producer are built on separate threads (most of their cost is class loading).
 */
final class PingClient implements AutoCloseable {
  private final KafkaProducer<byte[], byte[]> producer;
  private final PongListener pongs;
  private final Pinger pinger;

  private PingClient(KafkaProducer<byte[], byte[]> producer, PongListener pongs, Pinger pinger) {
    this.producer = producer;
    this.pongs = pongs;
    this.pinger = pinger;
  }

  /**
   * How long the broker may take to answer our setup requests once something listens at the
   * bootstrap address (a refused or silent address fails within -W, in the TCP probe). Much longer
   * than the pong wait on purpose: 32 single shots starting at once on a two-core machine spend
   * most of their first minute waiting for the CPU, not for Kafka (measured: up to about 50 s).
   */
  private static final Duration SETUP_BOUND = Duration.ofSeconds(120);

  static PingClient connect(PingConfig config, OpenTelemetry openTelemetry) {
    String bootstrap = config.connection().bootstrapServers();
    BootstrapProbe.requireListening(bootstrap, config.timeout());
    Duration timeout =
        config.deadline().filter(d -> d.compareTo(SETUP_BOUND) < 0).orElse(SETUP_BOUND);
    CompletableFuture<Void> adminWork =
        CompletableFuture.runAsync(() -> prepareBroker(config, timeout), PingClient::startThread);
    CompletableFuture<KafkaConsumer<byte[], byte[]>> consumer =
        CompletableFuture.supplyAsync(
            () -> new KafkaConsumer<byte[], byte[]>(consumerConfig(config, timeout)),
            PingClient::startThread);
    KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig(config));
    PongListener pongs = null;
    try {
      adminWork.join();
      pongs =
          PongListener.start(
              consumer.join(),
              config.pongTopic(),
              timeout,
              openTelemetry.getPropagators().getTextMapPropagator());
      // Fetch the ping topic's metadata now so that the first round trip does not pay for it.
      producer.partitionsFor(config.pingTopic());
    } catch (RuntimeException e) {
      if (pongs != null) {
        pongs.close();
      } else {
        consumer.thenAccept(c -> c.close(Duration.ZERO));
      }
      producer.close(Duration.ZERO);
      throw KafkaErrors.asUserError(e, bootstrap, timeout);
    }
    Pinger pinger =
        new Pinger(producer, pongs, config.pingTopic(), config.pongTopic(), openTelemetry);
    return new PingClient(producer, pongs, pinger);
  }

  Pinger pinger() {
    return pinger;
  }

  @Override
  public void close() {
    pongs.close();
    // Every ping that mattered has been answered or given up on; nothing is worth waiting for.
    producer.close(Duration.ZERO);
  }

  private static void prepareBroker(PingConfig config, Duration timeout) {
    try (Admin admin =
        Admin.create(ClientConfigs.admin(config.connection(), "ping-admin", timeout))) {
      TopicSetup.ensure(
          admin,
          TopicSetup.topics(config.partitions(), config.pingTopic(), config.pongTopic()),
          timeout);
      if (config.responderCheck()) {
        ResponderCheck.requireMembers(admin, config.serverGroup(), config.timeout().dividedBy(3));
      }
    } catch (Exception e) {
      throw KafkaErrors.asUserError(e, config.connection().bootstrapServers(), timeout);
    }
  }

  private static Map<String, Object> producerConfig(PingConfig config) {
    Map<String, Object> producer = ClientConfigs.producer(config.connection(), "ping");
    // send() must not block longer than the user is willing to wait for the pong.
    producer.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, config.timeout().toMillis());
    // Idempotence costs an extra round trip (InitProducerId) before the first ping; a retried
    // duplicate ping only earns a duplicate pong, which the listener ignores.
    if (!config.connection().properties().containsKey(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG)) {
      producer.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
    }
    // Generating load (--in-flight > 1) is about throughput: let pings share produce requests.
    if (config.inFlight() > 1
        && !config.connection().properties().containsKey(ProducerConfig.LINGER_MS_CONFIG)) {
      producer.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    }
    return producer;
  }

  private static Map<String, Object> consumerConfig(PingConfig config, Duration timeout) {
    Map<String, Object> consumer = ClientConfigs.assignedConsumer(config.connection(), "ping");
    consumer.putIfAbsent(
        org.apache.kafka.clients.consumer.ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
        (int) timeout.toMillis());
    return consumer;
  }

  private static void startThread(Runnable task) {
    Thread.ofPlatform().daemon().start(task);
  }
}
