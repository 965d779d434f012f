package dev.kafkaping.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kafkaping.cli.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaConnectionTest {

  @Test
  void shouldLetOverridesWinOverTheCommandConfigWhenBothSetAProperty(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("client.properties");
    Files.writeString(file, "security.protocol=SASL_PLAINTEXT\nsasl.mechanism=SCRAM-SHA-512\n");

    KafkaConnection connection =
        KafkaConnection.load("localhost:9092", file, Map.of("sasl.mechanism", "PLAIN"));

    assertThat(connection.properties())
        .containsEntry("security.protocol", "SASL_PLAINTEXT")
        .containsEntry("sasl.mechanism", "PLAIN");
    assertThat(connection.bootstrapServers()).isEqualTo("localhost:9092");
  }

  @Test
  void shouldTakeBootstrapServersFromTheCommandConfigWhenItNamesThem(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("client.properties");
    Files.writeString(file, "bootstrap.servers=broker:9093\n");

    KafkaConnection connection = KafkaConnection.load("localhost:9092", file, Map.of());

    assertThat(connection.bootstrapServers()).isEqualTo("broker:9093");
    assertThat(connection.properties()).doesNotContainKey("bootstrap.servers");
  }

  @Test
  void shouldKeepTheSchemaRegistrysSettingsAwayFromKafkasClients(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("client.properties");
    Files.writeString(
        file,
        "security.protocol=SASL_SSL\nschema.registry.url=http://registry:8081\n"
            + "basic.auth.credentials.source=USER_INFO\nbasic.auth.user.info=alice:secret\n");

    KafkaConnection connection = KafkaConnection.load("localhost:9092", file, Map.of());

    assertThat(connection.properties()).containsOnlyKeys("security.protocol");
  }

  @Test
  void shouldFailWithOneLineWhenTheCommandConfigIsMissing(@TempDir Path dir) {
    assertThatThrownBy(() -> KafkaConnection.load("localhost:9092", dir.resolve("nope"), Map.of()))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("cannot read --command-config")
        .hasMessageContaining("no such file");
  }

  @Test
  void shouldPutUserPropertiesOverOurDefaultsWhenBuildingAProducerConfig() {
    KafkaConnection connection = new KafkaConnection("localhost:9092", Map.of("linger.ms", "7"));

    assertThat(ClientConfigs.producer(connection, "id", Map.of("linger.ms", 3, "acks", "1")))
        .containsEntry("linger.ms", "7")
        .containsEntry("acks", "1")
        .containsEntry("enable.idempotence", true);
  }

  @Test
  void shouldLeaveOutClassicGroupSettingsWhenTheUserChoosesTheConsumerProtocol() {
    KafkaConnection connection =
        new KafkaConnection("localhost:9092", Map.of("group.protocol", "consumer"));

    assertThat(ClientConfigs.groupConsumer(connection, "id", "group", Map.of()))
        .containsEntry("group.protocol", "consumer")
        .doesNotContainKeys(
            "session.timeout.ms", "heartbeat.interval.ms", "partition.assignment.strategy");
  }
}
