package dev.kafkaping.server;

import dev.kafkaping.kafka.ClientConfigs;
import dev.kafkaping.kafka.KafkaConnection;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The Kafka clients' buffers, sized to what a pong server can have in hand (--max-in-flight pings
 * being answered, one poll batch of at most 500 waiting) instead of Kafka's defaults, a 32 MiB
 * producer pool and fetch responses of up to 50 MiB, which a 128 MiB heap cannot spare (bench/run's
 * P4 row). A record larger than a fetch limit is still fetched, alone; the user's own settings (-X,
 * --command-config) win.
 */
final class ClientMemory {
  static final int FETCH_MAX_BYTES = 1024 * 1024;
  static final int PARTITION_FETCH_MAX_BYTES = 256 * 1024;
  static final long MIN_BUFFER_MEMORY = 4L * 1024 * 1024;
  private static final int DEFAULT_MAX_REQUEST_SIZE = 1024 * 1024;

  private ClientMemory() {}

  static Map<String, Object> consumer() {
    return Map.of(
        ConsumerConfig.FETCH_MAX_BYTES_CONFIG,
        FETCH_MAX_BYTES,
        ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
        PARTITION_FETCH_MAX_BYTES);
  }

  /**
   * Sets the producer's pool to twice its largest request (a dead-letter copy can be that large),
   * at least 4 MiB, unless the user chose one.
   */
  static Map<String, Object> producer(KafkaConnection connection, Map<String, Object> config) {
    if (!connection.properties().containsKey(ProducerConfig.BUFFER_MEMORY_CONFIG)) {
      long largest =
          ClientConfigs.longSetting(
              config, ProducerConfig.MAX_REQUEST_SIZE_CONFIG, DEFAULT_MAX_REQUEST_SIZE);
      config.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Math.max(MIN_BUFFER_MEMORY, 2 * largest));
    }
    return config;
  }
}
