package dev.kafkaping.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkaping.kafka.KafkaConnection;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClientMemoryTest {
  private static final KafkaConnection PLAIN = new KafkaConnection("localhost:9092", Map.of());

  @Test
  void shouldGiveTheProducerAFourMebibytePoolByDefault() {
    Map<String, Object> config = ClientMemory.producer(PLAIN, new HashMap<>());
    assertThat(config).containsEntry("buffer.memory", 4L * 1024 * 1024);
  }

  @Test
  void shouldKeepRoomForTwoOfTheLargestRequestsTheUserAllows() {
    Map<String, Object> config = new HashMap<>(Map.of("max.request.size", "5000000"));
    assertThat(ClientMemory.producer(PLAIN, config)).containsEntry("buffer.memory", 10_000_000L);
  }

  @Test
  void shouldLeaveAMalformedRequestSizeForTheProducerToRefuseByName() {
    Map<String, Object> config = new HashMap<>(Map.of("max.request.size", "lots"));
    assertThat(ClientMemory.producer(PLAIN, config))
        .containsEntry("buffer.memory", 4L * 1024 * 1024)
        .containsEntry("max.request.size", "lots");
  }

  @Test
  void shouldLeaveTheUsersPoolAlone() {
    KafkaConnection tuned =
        new KafkaConnection("localhost:9092", Map.of("buffer.memory", "67108864"));
    Map<String, Object> config = new HashMap<>(Map.of("buffer.memory", "67108864"));
    assertThat(ClientMemory.producer(tuned, config)).containsEntry("buffer.memory", "67108864");
  }

  @Test
  void shouldBoundWhatOneFetchMayBringToAMebibyte() {
    assertThat(ClientMemory.consumer())
        .containsEntry("fetch.max.bytes", 1024 * 1024)
        .containsEntry("max.partition.fetch.bytes", 256 * 1024);
  }
}
