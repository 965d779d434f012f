package dev.kafkaping.devkafka;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/** The opt-in broker for machines with Docker: the official apache/kafka image. */
final class TestcontainersBroker {
  /** The Kafka version the project builds against, as in docker-compose.yml (a test checks). */
  static final String IMAGE = "apache/kafka:4.4.0";

  private TestcontainersBroker() {}

  static KafkaBroker start() {
    Assumptions.assumeTrue(
        DockerClientFactory.instance().isDockerAvailable(),
        "-Dkafkaping.broker=testcontainers asks for Docker, and no Docker engine answers here");
    KafkaContainer container = new KafkaContainer(IMAGE);
    container.start();
    String bootstrap = container.getBootstrapServers();
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      List<NewTopic> topics =
          BrokerSettings.DEFAULT_TOPICS.stream()
              .map(name -> new NewTopic(name, Optional.of(3), Optional.empty()))
              .toList();
      admin.createTopics(topics).all().get();
    } catch (Exception e) {
      container.stop();
      throw new IllegalStateException("cannot create topics in the Kafka container", e);
    }
    return new KafkaBroker() {
      @Override
      public String bootstrapServers() {
        return bootstrap;
      }

      @Override
      public void close() {
        container.stop();
      }
    };
  }
}
