package dev.kafkaping.client;

import dev.kafkaping.kafka.BootstrapProbe;
import dev.kafkaping.kafka.KafkaErrors;
import dev.kafkaping.kafka.TopicSetup;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * The Kafka side of the client: a producer for pings and a listener for pongs, both ready before
 * the first ping goes out.
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
   * Checks that the broker listens (within -W), then prepares the topics, the pong listener and the
   * producer (within {@link PingConfig#setupTimeout()}).
   */
  static PingClient connect(PingConfig config, OpenTelemetry openTelemetry) {
    String bootstrap = config.connection().bootstrapServers();
    BootstrapProbe.requireListening(bootstrap, config.timeout());

    // A single shot is a fresh JVM, where building a client is mostly class loading: build the
    // admin work and the consumer on threads of their own while this one builds the producer.
    CompletableFuture<Void> brokerReady =
        CompletableFuture.runAsync(() -> prepareBroker(config), PingClient::startThread);
    CompletableFuture<KafkaConsumer<byte[], byte[]>> consumer =
        CompletableFuture.supplyAsync(
            () -> new KafkaConsumer<byte[], byte[]>(KafkaSettings.consumer(config)),
            PingClient::startThread);
    KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(KafkaSettings.producer(config));

    PendingPongs pending = new PendingPongs();
    PongListener pongs;
    try {
      brokerReady.join();
      // Fetch the ping topic's metadata now so that the first round trip does not pay for it.
      producer.partitionsFor(config.pingTopic());
      pongs =
          PongListener.start(
              consumer.join(),
              config.pongTopic(),
              config.setupTimeout(),
              pending,
              openTelemetry.getPropagators().getTextMapPropagator());
    } catch (RuntimeException | InterruptedException e) {
      // Until the listener has started, the consumer is ours to close.
      consumer.thenAccept(c -> c.close(Duration.ZERO));
      producer.close(Duration.ZERO);
      throw KafkaErrors.asUserError(e, bootstrap, config.setupTimeout());
    }
    Pinger pinger =
        new Pinger(producer, pending, config.pingTopic(), config.pongTopic(), openTelemetry);
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

  /** Creates missing topics and, unless disabled, checks that a pong server is there. */
  private static void prepareBroker(PingConfig config) {
    try (Admin admin = Admin.create(KafkaSettings.admin(config))) {
      TopicSetup.ensure(
          admin,
          TopicSetup.topics(config.partitions(), config.pingTopic(), config.pongTopic()),
          config.setupTimeout());
      if (config.responderCheck()) {
        ResponderCheck.requireMembers(admin, config.serverGroup(), config.timeout().dividedBy(3));
      }
    } catch (Exception e) {
      throw KafkaErrors.asUserError(
          e, config.connection().bootstrapServers(), config.setupTimeout());
    }
  }

  private static void startThread(Runnable task) {
    Thread.ofPlatform().daemon().start(task);
  }
}
