package dev.kafkaping.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkaping.devkafka.KafkaBroker;
import dev.kafkaping.devkafka.KafkaBrokerExtension;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A single shot where no collector runs: it must not wait for one. */
@ExtendWith(KafkaBrokerExtension.class)
class NoCollectorIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  /** A local port with nothing listening: connections to it are refused at once. */
  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  @Test
  void shouldExitSoonAfterTheReplyWithOneWarningWhenNoCollectorListens(KafkaBroker broker)
      throws Exception {
    String endpoint = "http://127.0.0.1:" + closedPort();
    try (Wire wire = new Wire(broker.bootstrapServers());
        JavaProcess server = wire.startServer("pong", Map.of())) {
      Map<String, String> env =
          Map.of(
              "OTEL_TRACES_EXPORTER", "otlp",
              "OTEL_EXPORTER_OTLP_PROTOCOL", "grpc",
              "OTEL_EXPORTER_OTLP_ENDPOINT", endpoint);
      try (JavaProcess ping =
          JavaProcess.start("ping-no-collector", Jars.PING, wire.clientArgs(), env)) {
        ping.awaitLine(line -> line.startsWith("pong session_id="), WAIT);
        long replied = System.nanoTime();
        assertThat(ping.awaitExit(WAIT)).isZero();
        Duration afterReply = Duration.ofNanos(System.nanoTime() - replied);

        assertThat(ping.stdout())
            .singleElement()
            .satisfies(line -> assertThat(line).startsWith("pong session_id="));
        assertThat(ping.stderr().stream().filter(line -> line.startsWith("ping:")))
            .containsExactly("ping: warning: traces could not be exported to " + endpoint);
        // Timed from the reply, not from the JVM's start. Retrying the refused connection (backoff
        // 1 s then 1.5 s, each +-20 %) always ran into the 2 s flush bound, so the client spent
        // more than 2 s after its reply; a refusal that ends the export costs ~0.2 s here.
        assertThat(afterReply).isLessThan(Duration.ofMillis(1500));
      }
    }
  }

  @Test
  void shouldPrintTheSpansOnStderrWhenTheConsoleExporterIsChosen(KafkaBroker broker)
      throws Exception {
    try (Wire wire = new Wire(broker.bootstrapServers());
        JavaProcess server = wire.startServer("pong", Map.of())) {
      try (JavaProcess ping =
          JavaProcess.start(
              "ping-console",
              Jars.PING,
              wire.clientArgs("-v"),
              Map.of("OTEL_TRACES_EXPORTER", "console"))) {
        assertThat(ping.awaitExit(WAIT)).isZero();
        String traceId = ping.stdout().get(0).replaceAll(".*trace_id=([0-9a-f]{32}).*", "$1");

        assertThat(traceId).matches("[0-9a-f]{32}");
        // One line a span: 'name' : trace-id span-id KIND [tracer: …] attributes
        assertThat(ping.stderr())
            .anySatisfy(line -> assertThat(line).startsWith("'ping' : " + traceId + " "))
            .anySatisfy(line -> assertThat(line).startsWith("'send ping' : " + traceId + " "))
            .anySatisfy(line -> assertThat(line).startsWith("'process pong' : " + traceId + " "))
            .noneMatch(line -> line.startsWith("ping:"));
      }
    }
  }
}
