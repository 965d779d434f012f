package dev.kafkaping.client;

import dev.kafkaping.kafka.ClientConfigs;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The ping client's Kafka client configurations: the project's defaults, then this client's own
 * settings, then the user's {@code -X} / {@code --command-config} properties, which always win.
 */
final class KafkaSettings {
  private KafkaSettings() {}

  static Map<String, Object> producer(PingConfig config) {
    Map<String, Object> settings = new HashMap<>();
    // send() must not block longer than the user is willing to wait.
    settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, config.sendTimeout().toMillis());
    // Idempotence costs an extra round trip (InitProducerId) before the first ping; a retried
    // duplicate ping only earns a duplicate pong, which the listener ignores.
    settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
    if (config.inFlight() > 1) {
      // Generating load (--in-flight > 1) is about throughput: let pings share produce requests.
      settings.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    }
    return ClientConfigs.producer(config.connection(), "ping", settings);
  }

  static Map<String, Object> consumer(PingConfig config) {
    // Positioning the consumer at the end of the pong topic is part of the setup.
    Map<String, Object> settings =
        Map.of(
            ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
            (int) config.setupTimeout().toMillis(),
            // Asking for a missing topic's partitions must not create it with the broker's
            // defaults: the client creates it itself, with --partitions.
            ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG,
            false);
    return ClientConfigs.assignedConsumer(config.connection(), "ping", settings);
  }

  static Map<String, Object> admin(PingConfig config) {
    return ClientConfigs.admin(config.connection(), "ping-admin", config.setupTimeout());
  }
}
