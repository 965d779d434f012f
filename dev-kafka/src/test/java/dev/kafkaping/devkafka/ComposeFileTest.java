package dev.kafkaping.devkafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** docker-compose.yml without Docker: what can be checked by reading it; see ComposeKafkaIT. */
class ComposeFileTest {
  private static ComposeFile compose;

  @BeforeAll
  static void read() throws IOException {
    compose = ComposeFile.load();
  }

  @Test
  void shouldRunTheKafkaVersionOfTheBuildWhenStartingKafkaContainers() {
    String version = System.getProperty("kafka.version");
    assertThat(version).as("system property kafka.version, set by the dev-kafka pom").isNotNull();
    String image = "apache/kafka:" + version;

    assertThat(compose.image("kafka")).isEqualTo(image);
    assertThat(compose.image("kafka-init")).isEqualTo(image);
    assertThat(TestcontainersBroker.IMAGE).isEqualTo(image);
  }

  @Test
  void shouldRunTheSchemaRegistryOfBinSchemaRegistryWhereKafkaUiAndTheHostLookForIt() {
    String version = System.getProperty("apicurio.version");
    assertThat(version)
        .as("system property apicurio.version, set by the dev-kafka pom")
        .isNotNull();

    assertThat(compose.image("schema-registry")).isEqualTo("apicurio/apicurio-registry:" + version);
    // The image serves on 8080; README and --schema-registry examples use localhost:8081.
    assertThat(compose.ports("schema-registry")).containsExactly("8081:8080");
    assertThat(compose.environment("kafka-ui"))
        .containsEntry(
            "KAFKA_CLUSTERS_0_SCHEMAREGISTRY", "http://schema-registry:8080/apis/ccompat/v7");
  }

  @Test
  void shouldGiveKafkaAClusterIdThatTheStorageFormatAcceptsWhenTheContainerStarts() {
    String clusterId = compose.environment("kafka").get("CLUSTER_ID");

    assertThat(clusterId).isNotNull();
    assertThatCode(() -> Uuid.fromString(clusterId)).doesNotThrowAnyException();
    assertThat(Uuid.RESERVED).doesNotContain(Uuid.fromString(clusterId));
  }

  @Test
  void shouldTurnTheEnvironmentIntoBrokerSettingsExactlyAsTheImageDoes() {
    Map<String, String> environment = new LinkedHashMap<>(compose.environment("kafka"));
    environment.put("KAFKA_SOME___DASHED__UNDERSCORED_SETTING", "x");
    environment.put("KAFKA_HEAP_OPTS", "-Xmx1G");
    environment.put("PATH", "/usr/bin");

    Properties ours = ImageEnvironment.serverProperties(environment);

    assertThat(ours).isEqualTo(ImageEnvironment.serverPropertiesByTheImage(environment));
    assertThat(ours)
        .containsEntry("some-dashed_underscored.setting", "x")
        .containsEntry("controller.quorum.voters", "1@kafka:9093")
        .doesNotContainKeys("heap.opts", "path");
  }

  @Test
  void shouldSetTheListenersWhenTheImageWouldOtherwiseDeriveThemFromTheAdvertisedOnes() {
    assertThat(compose.environment("kafka")).containsKeys("KAFKA_LISTENERS", "KAFKA_PROCESS_ROLES");
  }

  @Test
  void shouldPointEveryClientAtAnAdvertisedListenerWhenItConnectsToKafka() {
    Properties kafka = ImageEnvironment.serverProperties(compose.environment("kafka"));
    Map<String, String> advertised = listeners(kafka.getProperty("advertised.listeners"));
    Map<String, String> listeners = listeners(kafka.getProperty("listeners"));

    assertThat(advertised)
        .containsValue(compose.environment("kafka-ui").get("KAFKA_CLUSTERS_0_BOOTSTRAPSERVERS"));
    Matcher initBootstrap =
        Pattern.compile("--bootstrap-server (\\S+)").matcher(compose.command("kafka-init"));
    assertThat(initBootstrap.find()).isTrue();
    assertThat(advertised).containsValue(initBootstrap.group(1));
    // Clients on the host get localhost:PORT back, so PORT must be published to that listener.
    advertised.forEach(
        (name, address) -> {
          if (address.startsWith("localhost:")) {
            String containerPort = port(listeners.get(name));
            assertThat(compose.ports("kafka")).contains(port(address) + ":" + containerPort);
          }
        });
  }

  /** {@code NAME://host:port,…} by listener name. */
  private static Map<String, String> listeners(String value) {
    Map<String, String> byName = new LinkedHashMap<>();
    for (String listener : value.split(",")) {
      String[] nameAddress = listener.trim().split("://", 2);
      byName.put(nameAddress[0], nameAddress[1]);
    }
    return byName;
  }

  private static String port(String address) {
    return address.substring(address.lastIndexOf(':') + 1);
  }
}
