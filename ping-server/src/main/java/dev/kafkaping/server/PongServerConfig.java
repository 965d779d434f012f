package dev.kafkaping.server;

import dev.kafkaping.avro.RegistryConnection;
import dev.kafkaping.cli.UserError;
import dev.kafkaping.kafka.KafkaConnection;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Everything the pong server needs to know, validated once. */
record PongServerConfig(
    KafkaConnection connection,
    String pingTopic,
    String pongTopic,
    String group,
    Duration budget,
    int partitions,
    int maxInFlight,
    Duration startupTimeout,
    Duration statsInterval,
    Optional<RegistryConnection> registry,
    Pattern replyTopics,
    Optional<InetSocketAddress> health) {

  /**
   * Reply topics answered on by default: names with "reply" or "replies" in them, as Spring's
   * examples and SmallRye's {@code <topic>-replies} use, and nothing else.
   */
  static final String DEFAULT_REPLY_TOPICS = "(?i).*repl(y|ies).*";

  PongServerConfig {
    Objects.requireNonNull(connection, "connection");
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(replyTopics, "replyTopics");
    Objects.requireNonNull(health, "health");
    requireName("--ping-topic", pingTopic);
    requireName("--pong-topic", pongTopic);
    requireName("--group", group);
    if (pingTopic.equals(pongTopic)) {
      throw new UserError("--ping-topic and --pong-topic must differ");
    }
    requirePositive("--budget", budget);
    requirePositive("--startup-timeout", startupTimeout);
    requirePositive("stats interval", statsInterval);
    if (partitions < 1) {
      throw new UserError("--partitions must be at least 1, got " + partitions);
    }
    if (maxInFlight < 1) {
      throw new UserError("--max-in-flight must be at least 1, got " + maxInFlight);
    }
  }

  /** The {@code --reply-topics} pattern; a malformed one is the user's error. */
  static Pattern replyTopicPattern(String regex) {
    try {
      return Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new UserError(
          "--reply-topics is not a regular expression: "
              + e.getDescription()
              + " in '"
              + regex
              + "'");
    }
  }

  /**
   * Where {@code /livez} and {@code /readyz} listen: none without {@code --health-port}; port 0
   * takes any free port (the server logs which).
   */
  static Optional<InetSocketAddress> healthAddress(Integer port, String host) {
    if (port == null) {
      return Optional.empty();
    }
    if (port < 0 || port > 65535) {
      throw new UserError("--health-port must be between 0 and 65535, got " + port);
    }
    return Optional.of(InetSocketAddress.createUnresolved(host, port));
  }

  /** Where records that are not valid pings are copied. */
  String deadLetterTopic() {
    return pingTopic + ".DLT";
  }

  private static void requireName(String option, String value) {
    if (value == null || value.isBlank()) {
      throw new UserError(option + " must not be empty");
    }
  }

  private static void requirePositive(String option, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new UserError(option + " must be positive");
    }
  }
}
