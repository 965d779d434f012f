package dev.kafkaping.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkaping.devkafka.KafkaBroker;
import dev.kafkaping.devkafka.KafkaBrokerExtension;
import dev.kafkaping.system.OtlpReceiver.ReceivedSpan;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaBrokerExtension.class)
class TracingIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  private static Map<String, String> tracingTo(OtlpReceiver receiver) {
    return Map.of(
        "OTEL_TRACES_EXPORTER", "otlp",
        "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf",
        "OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint(),
        "OTEL_BSP_SCHEDULE_DELAY", "100");
  }

  private static ReceivedSpan only(List<ReceivedSpan> spans, String service, String name) {
    List<ReceivedSpan> matching =
        spans.stream().filter(s -> s.service().equals(service) && s.name().equals(name)).toList();
    assertThat(matching).as(service + ":" + name).hasSize(1);
    return matching.get(0);
  }

  private static Predicate<List<ReceivedSpan>> hasAll(String... serviceAndNames) {
    return spans ->
        List.of(serviceAndNames).stream()
            .allMatch(
                wanted ->
                    spans.stream().anyMatch(s -> (s.service() + ":" + s.name()).equals(wanted)));
  }

  @Test
  void shouldTraceOneRoundTripAsOneTraceAcrossBothServices(KafkaBroker broker) throws Exception {
    try (Wire wire = new Wire(broker.bootstrapServers());
        OtlpReceiver receiver = new OtlpReceiver();
        JavaProcess server = wire.startServer("pong", tracingTo(receiver))) {
      try (JavaProcess ping =
          JavaProcess.start("ping", Jars.PING, wire.clientArgs("-v"), tracingTo(receiver))) {
        assertThat(ping.awaitExit(WAIT)).isZero();
        assertThat(ping.stderr()).noneMatch(line -> line.contains("could not be exported"));
        String printedTraceId =
            ping.stdout().get(0).replaceAll(".*trace_id=([0-9a-f]{32}).*", "$1");

        List<ReceivedSpan> spans =
            receiver.awaitSpans(
                hasAll(
                    "ping:ping",
                    "ping:send ping",
                    "ping:process pong",
                    "pong:process ping",
                    "pong:send pong"),
                WAIT);

        ReceivedSpan root = only(spans, "ping", "ping");
        ReceivedSpan sendPing = only(spans, "ping", "send ping");
        ReceivedSpan processPing = only(spans, "pong", "process ping");
        ReceivedSpan sendPong = only(spans, "pong", "send pong");
        ReceivedSpan processPong = only(spans, "ping", "process pong");

        assertThat(List.of(root, sendPing, processPing, sendPong, processPong))
            .extracting(ReceivedSpan::traceId)
            .containsOnly(printedTraceId);
        assertThat(root.parentSpanId()).isEmpty();
        assertThat(sendPing.parentSpanId()).isEqualTo(root.spanId());
        assertThat(processPing.parentSpanId()).isEqualTo(sendPing.spanId());
        assertThat(sendPong.parentSpanId()).isEqualTo(processPing.spanId());
        assertThat(processPong.parentSpanId()).isEqualTo(root.spanId());
        assertThat(processPong.span().getLinks(0).getSpanId())
            .isEqualTo(sendPong.span().getSpanId());

        assertThat(sendPing.span().getKind()).isEqualTo(SpanKind.SPAN_KIND_PRODUCER);
        assertThat(processPing.span().getKind()).isEqualTo(SpanKind.SPAN_KIND_CONSUMER);
        assertThat(sendPong.span().getKind()).isEqualTo(SpanKind.SPAN_KIND_PRODUCER);
        assertThat(processPong.span().getKind()).isEqualTo(SpanKind.SPAN_KIND_CONSUMER);

        String session = root.attribute("ping.session_id");
        assertThat(session).matches("[0-9a-f-]{36}");
        assertThat(processPing.attribute("messaging.system")).isEqualTo("kafka");
        assertThat(processPing.attribute("messaging.destination.name")).isEqualTo(wire.pingTopic);
        assertThat(processPing.attribute("messaging.operation.type")).isEqualTo("process");
        assertThat(processPing.attribute("messaging.consumer.group.name")).isEqualTo(wire.group);
        assertThat(processPing.attribute("messaging.kafka.message.key")).isEqualTo(session);
        assertThat(processPing.attribute("messaging.destination.partition.id")).matches("\\d+");
        assertThat(processPing.attribute("messaging.kafka.offset")).matches("\\d+");
        assertThat(processPing.attribute("ping.session_id")).isEqualTo(session);
        assertThat(sendPing.attribute("messaging.destination.name")).isEqualTo(wire.pingTopic);
        assertThat(sendPong.attribute("messaging.destination.name")).isEqualTo(wire.pongTopic);
        assertThat(processPong.attribute("messaging.destination.name")).isEqualTo(wire.pongTopic);

        assertThat(processPing.statesEntered()).containsExactly("ListeningForPing", "SendingPong");
        assertThat(processPing.eventNames())
            .containsSubsequence(
                "state entered",
                "message delivered",
                "state entered",
                "message delivered",
                "terminal");
        assertThat(root.statesEntered()).containsExactly("PingState");
        assertThat(root.eventNames())
            .containsSubsequence("state entered", "message delivered", "terminal");
      }
    }
  }

  @Test
  void shouldPropagateTheClientsTraceWhenTheClientExportsNothing(KafkaBroker broker)
      throws Exception {
    try (Wire wire = new Wire(broker.bootstrapServers());
        OtlpReceiver receiver = new OtlpReceiver();
        JavaProcess server = wire.startServer("pong", tracingTo(receiver))) {
      try (JavaProcess ping =
          JavaProcess.start("ping", Jars.PING, wire.clientArgs("-v"), Map.of())) {
        assertThat(ping.awaitExit(WAIT)).isZero();
        String clientTraceId = ping.stdout().get(0).replaceAll(".*trace_id=([0-9a-f]{32}).*", "$1");
        assertThat(clientTraceId).matches("[0-9a-f]{32}").isNotEqualTo("0".repeat(32));

        List<ReceivedSpan> spans = receiver.awaitSpans(hasAll("pong:process ping"), WAIT);

        assertThat(only(spans, "pong", "process ping").traceId()).isEqualTo(clientTraceId);
      }
    }
  }

  @Test
  void shouldJoinTheCallersTraceWhenThePingCarriesOnlyTheJsonContext(KafkaBroker broker)
      throws Exception {
    try (Wire wire = new Wire(broker.bootstrapServers());
        OtlpReceiver receiver = new OtlpReceiver();
        JavaProcess server = wire.startServer("pong", tracingTo(receiver))) {
      String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
      String parentId = "00f067aa0ba902b7";
      UUID session = UUID.randomUUID();
      String ping =
          "{\"context\":{\"traceparent\":\"00-"
              + traceId
              + "-"
              + parentId
              + "-01\"},\"body\":{\"session_id\":\""
              + session
              + "\"}}";
      wire.send(
          wire.pingTopic,
          session.toString().getBytes(StandardCharsets.UTF_8),
          ping.getBytes(StandardCharsets.UTF_8));

      List<ReceivedSpan> spans =
          receiver.awaitSpans(hasAll("pong:process ping", "pong:send pong"), WAIT);

      ReceivedSpan processPing = only(spans, "pong", "process ping");
      assertThat(processPing.traceId()).isEqualTo(traceId);
      assertThat(processPing.parentSpanId()).isEqualTo(parentId);
      assertThat(only(spans, "pong", "send pong").traceId()).isEqualTo(traceId);
    }
  }

  @Test
  void shouldExitZeroWithOneWarningWithinTheFlushBoundWhenTheCollectorHangs(KafkaBroker broker)
      throws Exception {
    // A collector that accepts connections and never answers: the worst case for an exporter.
    try (Wire wire = new Wire(broker.bootstrapServers());
        ServerSocket silentCollector = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        JavaProcess server = wire.startServer("pong", Map.of())) {
      Map<String, String> env =
          Map.of(
              "OTEL_TRACES_EXPORTER", "otlp",
              "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf",
              "OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + silentCollector.getLocalPort());
      try (JavaProcess ping =
          JavaProcess.start("ping-silent-collector", Jars.PING, wire.clientArgs(), env)) {
        // Measured from the reply, so that a slow JVM start on a loaded machine does not count.
        ping.awaitLine(line -> line.startsWith("pong session_id="), WAIT);
        long replied = System.nanoTime();
        assertThat(ping.awaitExit(WAIT)).isZero();
        Duration took = Duration.ofNanos(System.nanoTime() - replied);
        assertThat(ping.stdout())
            .singleElement()
            .satisfies(line -> assertThat(line).startsWith("pong session_id="));
        assertThat(ping.stderr().stream().filter(line -> line.startsWith("ping:")))
            .containsExactly(
                "ping: warning: traces could not be exported to http://127.0.0.1:"
                    + silentCollector.getLocalPort()
                    + "/v1/traces"); // where http/protobuf sends them
        // The exporter's own timeout is 10 s; the client gives up after its 2 s flush bound.
        assertThat(took).isLessThan(Duration.ofSeconds(5));
      }
    }
  }
}
