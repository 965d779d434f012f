package dev.kafkaping.devkafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
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

  @Test
  void shouldLetAPingPongUserDescribeTheServersGroupAndGrantOnceWhenRestarted(@TempDir Path dataDir)
      throws Exception {
    ScramUsers users =
        new ScramUsers("admin-secret", Map.of("alice", "alice-secret"), List.of("alice"));
    BrokerSettings settings =
        new BrokerSettings(0, dataDir, 3, BrokerSettings.DEFAULT_TOPICS, Optional.of(users));
    int granted = settings.pingPongAcls().orElseThrow().bindings().size();
    for (int start = 1; start <= 2; start++) {
      try (EmbeddedKafka kafka = EmbeddedKafka.start(settings);
          Admin admin = admin(kafka, "admin", "admin-secret");
          Admin alice = admin(kafka, "alice", "alice-secret")) {
        assertThat(admin.describeAcls(AclBindingFilter.ANY).values().get()).hasSize(granted);
        // ping's responder check: told that no server has joined yet, not refused
        assertThatThrownBy(
                () -> alice.describeConsumerGroups(List.of(PingPongAcls.SERVER_GROUP)).all().get())
            .hasCauseInstanceOf(GroupIdNotFoundException.class);
        assertThat(alice.listTopics().names().get())
            .containsExactlyInAnyOrderElementsOf(BrokerSettings.DEFAULT_TOPICS);
      }
    }
  }

  private static Admin admin(EmbeddedKafka kafka, String user, String password) {
    return Admin.create(
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka.bootstrapServers(),
            AdminClientConfig.SECURITY_PROTOCOL_CONFIG,
            "SASL_PLAINTEXT",
            SaslConfigs.SASL_MECHANISM,
            ScramUsers.MECHANISM,
            SaslConfigs.SASL_JAAS_CONFIG,
            ScramUsers.jaas(user, password)));
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
