package dev.kafkaping.client;

import dev.kafkaping.kafka.KafkaConnection;
import dev.kafkaping.message.WireFormat;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Builds {@link PingConfig}s for tests, with the command's defaults for what a test leaves out. */
final class PingConfigs {
  private PingConfigs() {}

  static PingConfig config(
      Duration timeout, Duration deadline, int inFlight, Map<String, String> userProperties) {
    return new PingConfig(
        new KafkaConnection("localhost:9092", userProperties),
        "ping",
        "pong",
        "pong-server",
        1,
        Duration.ofSeconds(1),
        timeout,
        Optional.ofNullable(deadline),
        inFlight,
        3,
        true,
        WireFormat.JSON,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        false);
  }

  static PingConfig config(Duration timeout, Duration deadline) {
    return config(timeout, deadline, 1, Map.of());
  }

  /** A run of {@code count} pings, {@code interval} apart, under a deadline started by the test. */
  static PingConfig run(int count, Duration interval, Duration timeout, Deadline deadline) {
    return new PingConfig(
        new KafkaConnection("localhost:9092", Map.of()),
        "ping",
        "pong",
        "pong-server",
        count,
        interval,
        timeout,
        deadline,
        1,
        3,
        true,
        WireFormat.JSON,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        false);
  }
}
