package dev.kafkaping.client;

import static dev.kafkaping.client.PingConfigs.config;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

class KafkaSettingsTest {
  private static final Duration W15 = Duration.ofSeconds(15);

  @Test
  void shouldBoundProducerBlockingByTheDeadlineWhenItIsShorterThanThePongWait() {
    Map<String, Object> producer = KafkaSettings.producer(config(W15, Duration.ofSeconds(4)));

    assertThat(producer).containsEntry(ProducerConfig.MAX_BLOCK_MS_CONFIG, 4000L);
  }

  @Test
  void shouldBoundProducerBlockingByThePongWaitWhenNoDeadlineIsGiven() {
    Map<String, Object> producer = KafkaSettings.producer(config(W15, null));

    assertThat(producer).containsEntry(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15000L);
  }

  @Test
  void shouldSendPingsWithoutIdempotenceOrLingerWhenOnePingIsInFlight() {
    Map<String, Object> producer = KafkaSettings.producer(config(W15, null));

    assertThat(producer)
        .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false)
        .containsEntry(ProducerConfig.LINGER_MS_CONFIG, 0)
        .containsEntry(ProducerConfig.ACKS_CONFIG, "all");
  }

  @Test
  void shouldLetPingsShareRequestsWhenSeveralAreInFlight() {
    Map<String, Object> producer = KafkaSettings.producer(config(W15, null, 8, Map.of()));

    assertThat(producer).containsEntry(ProducerConfig.LINGER_MS_CONFIG, 5);
  }

  @Test
  void shouldKeepTheUsersPropertiesWhenTheyNameTheClientsOwnSettings() {
    Map<String, String> user =
        Map.of(
            ProducerConfig.MAX_BLOCK_MS_CONFIG, "999",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
            ProducerConfig.LINGER_MS_CONFIG, "1",
            ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "777");

    PingConfig config = config(W15, null, 8, user);

    assertThat(KafkaSettings.producer(config))
        .containsEntry(ProducerConfig.MAX_BLOCK_MS_CONFIG, "999")
        .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true")
        .containsEntry(ProducerConfig.LINGER_MS_CONFIG, "1");
    assertThat(KafkaSettings.consumer(config))
        .containsEntry(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "777");
  }

  @Test
  void shouldGiveTheConsumerTheSetupTimeoutForItsCalls() {
    Map<String, Object> consumer = KafkaSettings.consumer(config(W15, Duration.ofSeconds(30)));

    assertThat(consumer).containsEntry(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
  }
}
