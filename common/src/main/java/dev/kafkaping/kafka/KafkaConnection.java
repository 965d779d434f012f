package dev.kafkaping.kafka;

import dev.kafkaping.avro.RegistryConnection;
import dev.kafkaping.cli.UserError;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * Where and how to connect: bootstrap servers plus user-supplied client properties (from {@code
 * --command-config}, then {@code -X} overrides). Never print {@link #properties()}: it may hold
 * passwords.
 */
public record KafkaConnection(String bootstrapServers, Map<String, String> properties) {
  public KafkaConnection {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    if (bootstrapServers.isBlank()) {
      throw new UserError("--bootstrap-server must not be empty");
    }
    properties = Map.copyOf(properties);
  }

  public static KafkaConnection load(
      String bootstrapServers, Path commandConfig, Map<String, String> overrides) {
    return of(bootstrapServers, userProperties(commandConfig, overrides));
  }

  /** From the user's properties as {@link #userProperties} reads them. */
  public static KafkaConnection of(String bootstrapServers, Map<String, String> userProperties) {
    Map<String, String> properties = new LinkedHashMap<>(userProperties);
    // A Confluent client config file also holds the schema registry's settings; they are not
    // Kafka's, and Kafka's clients would warn about each of them.
    properties.keySet().removeIf(RegistryConnection::isRegistryProperty);
    String bootstrap =
        properties.getOrDefault(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    properties.remove(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
    return new KafkaConnection(bootstrap, properties);
  }

  /** The {@code --command-config} file's properties, then the {@code -X} overrides. */
  public static Map<String, String> userProperties(
      Path commandConfig, Map<String, String> overrides) {
    Map<String, String> properties = new LinkedHashMap<>();
    if (commandConfig != null) {
      properties.putAll(readProperties(commandConfig));
    }
    properties.putAll(overrides);
    return properties;
  }

  /** The base configuration every client of ours starts from. */
  public Map<String, Object> clientConfig(String clientId) {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
    // Client metrics pushed to the broker (KIP-714) cost a request per client and buy us nothing.
    config.put(CommonClientConfigs.ENABLE_METRICS_PUSH_CONFIG, false);
    // A bootstrap address that drops connection attempts would cost 10 s (the default) before the
    // client tries the next one; a TCP handshake that needs 2 s is already a failing network.
    config.put(CommonClientConfigs.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG, 2000);
    return config;
  }

  /**
   * Applies the caller's settings over {@code defaults}, then the user's properties last, so that
   * the user always wins.
   */
  public Map<String, Object> withUserProperties(
      Map<String, Object> defaults, Map<String, Object> settings) {
    defaults.putAll(settings);
    defaults.putAll(properties);
    return defaults;
  }

  private static Map<String, String> readProperties(Path file) {
    Properties loaded = new Properties();
    try (Reader reader = Files.newBufferedReader(file)) {
      loaded.load(reader);
    } catch (IOException e) {
      throw new UserError("cannot read --command-config " + file + ": " + describe(e));
    }
    Map<String, String> properties = new LinkedHashMap<>();
    loaded.stringPropertyNames().forEach(name -> properties.put(name, loaded.getProperty(name)));
    return properties;
  }

  private static String describe(IOException e) {
    return switch (e) {
      case java.nio.file.NoSuchFileException n -> "no such file";
      case java.nio.file.AccessDeniedException a -> "permission denied";
      default ->
          e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    };
  }
}
