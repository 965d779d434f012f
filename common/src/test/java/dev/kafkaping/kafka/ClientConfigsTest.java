package dev.kafkaping.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

class ClientConfigsTest {
  private static Map<String, Object> pongProducer(KafkaConnection connection) {
    return ClientConfigs.withConsistentDeliveryTimeout(
        connection,
        ClientConfigs.producer(
            connection,
            "pong-server",
            Map.of(
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 5000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000)));
  }

  @Test
  void shouldKeepTheCallersDeliveryTimeoutWhenItCoversTheRequestTimeout() {
    Map<String, Object> config = pongProducer(KafkaConnection.of("b:9092", Map.of()));

    assertThat(ClientConfigs.deliveryTimeout(config)).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void shouldRaiseTheDeliveryTimeoutWhenTheUsersRequestTimeoutNeedsIt() {
    Map<String, Object> config =
        pongProducer(KafkaConnection.of("b:9092", Map.of("request.timeout.ms", "30000")));

    // The producer refuses delivery.timeout.ms < linger.ms + request.timeout.ms.
    assertThat(ClientConfigs.deliveryTimeout(config)).isEqualTo(Duration.ofMillis(30_000));
  }

  @Test
  void shouldLeaveAUsersOwnDeliveryTimeoutAlone() {
    Map<String, Object> config =
        pongProducer(KafkaConnection.of("b:9092", Map.of("delivery.timeout.ms", "7000")));

    assertThat(ClientConfigs.deliveryTimeout(config)).isEqualTo(Duration.ofSeconds(7));
  }

  @Test
  void shouldGiveUpAConnectionAttemptAfterTwoSecondsUnlessTheUserSaysOtherwise() {
    assertThat(
            ClientConfigs.producer(KafkaConnection.of("b:9092", Map.of()), "c", new HashMap<>())
                .get(CommonClientConfigs.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG))
        .isEqualTo(2000);
    assertThat(
            ClientConfigs.producer(
                    KafkaConnection.of(
                        "b:9092", Map.of("socket.connection.setup.timeout.ms", "10000")),
                    "c",
                    new HashMap<>())
                .get(CommonClientConfigs.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG))
        .isEqualTo("10000");
  }
}
