package dev.kafkaping.devkafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaIT {

  @Test
  void shouldKeepRecordsWhenRestartedOnTheSameDataDir(@TempDir Path dataDir) throws Exception {
    BrokerSettings settings = new BrokerSettings(0, dataDir, 3, BrokerSettings.DEFAULT_TOPICS);
    try (EmbeddedKafka kafka = EmbeddedKafka.start(settings)) {
      try (Admin admin = admin(kafka)) {
        assertThat(admin.listTopics().names().get()).contains("ping", "pong", "ping.DLT");
        assertThat(
                admin
                    .describeTopics(List.of("ping"))
                    .allTopicNames()
                    .get()
                    .get("ping")
                    .partitions())
            .hasSize(3);
      }
      try (KafkaProducer<String, String> producer = producer(kafka)) {
        producer.send(new ProducerRecord<>("ping", 0, "key-1", "hello")).get();
      }
      assertThat(readAll(kafka, new TopicPartition("ping", 0))).containsExactly("key-1=hello");
    }

    try (EmbeddedKafka restarted = EmbeddedKafka.start(settings)) {
      assertThat(readAll(restarted, new TopicPartition("ping", 0))).containsExactly("key-1=hello");
    }
  }

  private static Admin admin(EmbeddedKafka kafka) {
    return Admin.create(
        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
  }

  private static KafkaProducer<String, String> producer(EmbeddedKafka kafka) {
    return new KafkaProducer<>(
        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
        new StringSerializer(),
        new StringSerializer());
  }

  private static List<String> readAll(EmbeddedKafka kafka, TopicPartition partition) {
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(
            Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
            new StringDeserializer(),
            new StringDeserializer())) {
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long end = consumer.endOffsets(List.of(partition)).get(partition);
      List<String> values = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (consumer.position(partition) < end && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          values.add(record.key() + "=" + record.value());
        }
      }
      return values;
    }
  }
}
