package dev.kafkaping.cli;

import dev.kafkaping.kafka.KafkaConnection;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The connection options shared by ping and pong, modelled on Kafka's own CLI tools and kcat. */
public final class ConnectionOptions {
  @Option(
      names = {"-b", "--bootstrap-server"},
      paramLabel = "HOST:PORT",
      defaultValue = "${env:KAFKA_BOOTSTRAP_SERVERS:-localhost:9092}",
      description =
          "Kafka bootstrap servers (env KAFKA_BOOTSTRAP_SERVERS; default: ${DEFAULT-VALUE}).")
  String bootstrapServers;

  @Option(
      names = "--command-config",
      paramLabel = "FILE",
      description = "Kafka client properties file, e.g. for SASL or TLS settings.")
  Path commandConfig;

  @Option(
      names = "-X",
      paramLabel = "KEY=VALUE",
      description = "Kafka client property overriding the command config (repeatable).")
  Map<String, String> overrides = new LinkedHashMap<>();

  @Option(
      names = "--log-level",
      paramLabel = "LEVEL",
      defaultValue = "${env:LOG_LEVEL:-info}",
      description = "trace, debug, info, warn or error (env LOG_LEVEL; default: info).")
  String logLevel; // applied by LogLevel.configure before picocli runs; declared here for --help

  public KafkaConnection toConnection() {
    return KafkaConnection.load(bootstrapServers, commandConfig, overrides);
  }
}
