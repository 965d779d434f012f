package dev.kafkaping.devkafka;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import kafka.docker.KafkaDockerWrapper$;
import scala.jdk.javaapi.CollectionConverters;

/**
 * What the apache/kafka image makes of its container's environment. Its entry point, {@code
 * kafka.docker.KafkaDockerWrapper} (shipped in kafka_2.13), writes every {@code KAFKA_*} variable
 * into server.properties, formats the storage with {@code CLUSTER_ID}, then starts Kafka on that
 * file.
 */
final class ImageEnvironment {
  /** Variables the image's scripts hand to the JVM or to logging, not to the broker. */
  private static final Set<String> NOT_BROKER_SETTINGS =
      Set.of(
          "KAFKA_VERSION",
          "KAFKA_HEAP_OPTS",
          "KAFKA_LOG4J_OPTS",
          "KAFKA_OPTS",
          "KAFKA_JMX_OPTS",
          "KAFKA_JVM_PERFORMANCE_OPTS",
          "KAFKA_GC_LOG_OPTS",
          "KAFKA_LOG4J_ROOT_LOGLEVEL",
          "KAFKA_LOG4J_LOGGERS",
          "KAFKA_TOOLS_LOG4J_LOGLEVEL",
          "KAFKA_JMX_HOSTNAME");

  private ImageEnvironment() {}

  /** The broker settings the image derives from the environment. */
  static Properties serverProperties(Map<String, String> environment) {
    Properties properties = new Properties();
    environment.forEach(
        (name, value) -> {
          if (name.startsWith("KAFKA_") && !NOT_BROKER_SETTINGS.contains(name)) {
            properties.setProperty(propertyName(name), value);
          }
        });
    return properties;
  }

  /**
   * {@code KAFKA_FOO_BAR} is {@code foo.bar}; {@code __} stands for {@code _}, {@code ___} for -.
   */
  static String propertyName(String variable) {
    return variable
        .substring("KAFKA_".length())
        .toLowerCase(Locale.ROOT)
        .replace("_", ".")
        .replace("...", "-")
        .replace("..", "_");
  }

  /** The same settings, computed by the image's own code: the reference for the rule above. */
  static Properties serverPropertiesByTheImage(Map<String, String> environment) {
    Properties properties = new Properties();
    for (String line :
        CollectionConverters.asJava(
            KafkaDockerWrapper$.MODULE$.getServerConfigsFromEnv(scalaMap(environment)))) {
      String[] keyValue = line.split("=", 2);
      properties.setProperty(keyValue[0], keyValue[1]);
    }
    return properties;
  }

  /** The image's storage format command for a server.properties in {@code configDir}. */
  static List<String> formatCommand(Path configDir, Map<String, String> environment) {
    return List.of(KafkaDockerWrapper$.MODULE$.formatStorageCmd(configDir, scalaMap(environment)));
  }

  private static scala.collection.immutable.Map<String, String> scalaMap(Map<String, String> map) {
    return scala.collection.immutable.Map$.MODULE$.from(CollectionConverters.asScala(map));
  }
}
