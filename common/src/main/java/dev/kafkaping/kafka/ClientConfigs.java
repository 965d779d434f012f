package dev.kafkaping.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Client configurations with the settings this project depends on. One precedence rule for all of
 * them: these defaults, then the caller's {@code settings}, then the user's properties ({@code
 * --command-config}, {@code -X}), which always win. Keys and values stay bytes so that a malformed
 * record can be dead-lettered exactly as it arrived.
 */
public final class ClientConfigs {
  private ClientConfigs() {}

  /** A producer for small request/reply records: durable, ordered, not batched on purpose. */
  public static Map<String, Object> producer(
      KafkaConnection connection, String clientId, Map<String, Object> settings) {
    Map<String, Object> config = connection.clientConfig(clientId);
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    // Kafka 4 waits 5 ms by default to fill batches; every ping and pong is someone's latency, and
    // records still batch behind a request already in flight when load is high.
    config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    return connection.withUserProperties(config, settings);
  }

  /**
   * Raises {@code delivery.timeout.ms} to {@code linger.ms + request.timeout.ms} when a user's
   * request timeout makes the caller's delivery timeout one the producer would refuse; a delivery
   * timeout the user set is left as it is.
   */
  public static Map<String, Object> withConsistentDeliveryTimeout(
      KafkaConnection connection, Map<String, Object> config) {
    if (connection.properties().containsKey(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG)) {
      return config; // the producer itself refuses an inconsistent pair, in the user's terms
    }
    long floor =
        longSetting(config, ProducerConfig.LINGER_MS_CONFIG, 5)
            + longSetting(config, ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 30_000);
    if (deliveryTimeout(config).toMillis() < floor) {
      config.put(
          ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, floor));
    }
    return config;
  }

  /** The producer's delivery timeout in this configuration (Kafka's default when unset). */
  public static Duration deliveryTimeout(Map<String, Object> config) {
    return Duration.ofMillis(
        longSetting(config, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000));
  }

  /**
   * A numeric setting in this configuration, or {@code defaultValue} when it is unset or not a
   * number (the client itself then refuses the value, naming the setting).
   */
  public static long longSetting(Map<String, Object> config, String key, long defaultValue) {
    Object value = config.get(key);
    try {
      return value == null ? defaultValue : Long.parseLong(String.valueOf(value).trim());
    } catch (NumberFormatException e) {
      return defaultValue; // the client refuses the value itself, naming the setting
    }
  }

  /** A consumer without a group, positioned by assign/seek (the ping client). */
  public static Map<String, Object> assignedConsumer(
      KafkaConnection connection, String clientId, Map<String, Object> settings) {
    Map<String, Object> config = connection.clientConfig(clientId);
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    config.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    return connection.withUserProperties(config, settings);
  }

  /** A consumer in the server's group; offsets are committed by hand, only for answered pings. */
  public static Map<String, Object> groupConsumer(
      KafkaConnection connection, String clientId, String groupId, Map<String, Object> settings) {
    Map<String, Object> config = connection.clientConfig(clientId);
    config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    config.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // A new group starts at the beginning so pings sent before the first server are answered.
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    // Classic protocol with a short session: a crashed server's partitions move within ~6 s on any
    // broker (the broker-side minimum is 6 s; the new protocol's session timeout is broker-side, 45
    // s by default). Cooperative rebalancing keeps the surviving servers answering meanwhile.
    config.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
    config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 6000);
    config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 1500);
    config.put(
        ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
        CooperativeStickyAssignor.class.getName());
    Map<String, Object> result = connection.withUserProperties(config, settings);
    if ("consumer"
        .equalsIgnoreCase(String.valueOf(result.get(ConsumerConfig.GROUP_PROTOCOL_CONFIG)))) {
      // The user chose the new protocol (KIP-848): the broker owns these; the client refuses them.
      for (String classicOnly : CLASSIC_ONLY) {
        if (!connection.properties().containsKey(classicOnly)) {
          result.remove(classicOnly);
        }
      }
    }
    return result;
  }

  private static final List<String> CLASSIC_ONLY =
      List.of(
          ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG,
          ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG,
          ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG);

  public static Map<String, Object> admin(
      KafkaConnection connection, String clientId, Duration timeout) {
    Map<String, Object> config = connection.clientConfig(clientId);
    int millis = (int) Math.max(1, timeout.toMillis());
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis);
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis);
    return connection.withUserProperties(config, Map.of());
  }
}
