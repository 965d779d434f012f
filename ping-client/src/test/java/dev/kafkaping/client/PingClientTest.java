package dev.kafkaping.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kafkaping.avro.RegistryConnection;
import dev.kafkaping.cli.ExitCode;
import dev.kafkaping.cli.UserError;
import dev.kafkaping.kafka.KafkaConnection;
import dev.kafkaping.message.WireFormat;
import io.opentelemetry.api.OpenTelemetry;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class PingClientTest {

  @Test
  void shouldGiveUpTheSetUpAtTheDeadlineWhenWhatItWaitsForNeverAnswers() throws Exception {
    // Accepts connections (the kernel does, into the backlog) and never answers: a broker and a
    // schema registry that hang. The broker probe alone would wait for all of -W (15 s).
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      String address = "127.0.0.1:" + silent.getLocalPort();
      Deadline deadline = Deadline.startingNow(Optional.of(Duration.ofSeconds(1)));
      PingConfig config =
          new PingConfig(
              new KafkaConnection(address, Map.of()),
              "ping",
              "pong",
              "pong-server",
              1,
              Duration.ofSeconds(1),
              Duration.ofSeconds(15),
              deadline,
              1,
              3,
              true,
              WireFormat.AVRO,
              Optional.of(
                  new RegistryConnection(
                      List.of(URI.create("http://" + address)), Optional.empty())),
              Optional.empty(),
              Optional.empty(),
              false);

      assertThatThrownBy(() -> PingClient.connect(config, OpenTelemetry.noop(), PingMetrics.none()))
          .isInstanceOfSatisfying(
              UserError.class,
              e -> {
                assertThat(e).hasMessage("cannot reach Kafka at " + address + " within 1000 ms");
                assertThat(e.exitCode()).isEqualTo(ExitCode.ERROR);
              });
      assertThat(Duration.ofNanos(-deadline.nanosLeft()))
          .as("gave up after the deadline by")
          .isBetween(Duration.ZERO, Duration.ofSeconds(2));
    }
  }
}
