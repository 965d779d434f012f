package dev.kafkaping.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkaping.devkafka.KafkaBroker;
import dev.kafkaping.devkafka.KafkaBrokerExtension;
import dev.kafkaping.system.OtlpReceiver.ReceivedSpan;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Trace context between this port and the original Rust programs, which wrote and read only
 * Jaeger's {@code uber-trace-id} in the JSON envelope and no record headers.
 */
@ExtendWith(KafkaBrokerExtension.class)
class InteropTracingIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Pattern CONTEXT = Pattern.compile("\"context\":\\{([^}]*)}");
  private static final Pattern FIELD = Pattern.compile("\"([^\"]+)\":\"([^\"]*)\"");

  /** Spans to the receiver, with the default propagators whatever the test's environment says. */
  private static Map<String, String> tracingTo(OtlpReceiver receiver) {
    return Map.of(
        "OTEL_TRACES_EXPORTER", "otlp",
        "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf",
        "OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint(),
        "OTEL_BSP_SCHEDULE_DELAY", "100",
        "OTEL_PROPAGATORS", "tracecontext,baggage");
  }

  private static ReceivedSpan only(List<ReceivedSpan> spans, String service, String name) {
    List<ReceivedSpan> matching =
        spans.stream().filter(s -> s.service().equals(service) && s.name().equals(name)).toList();
    assertThat(matching).as(service + ":" + name).hasSize(1);
    return matching.get(0);
  }

  /** The string fields of a ping's {@code context} object, read by hand as a third party would. */
  private static Map<String, String> envelopeContext(ConsumerRecord<byte[], byte[]> ping) {
    Matcher context = CONTEXT.matcher(Wire.text(ping.value()));
    assertThat(context.find()).as("context in " + Wire.text(ping.value())).isTrue();
    Map<String, String> fields = new LinkedHashMap<>();
    Matcher field = FIELD.matcher(context.group(1));
    while (field.find()) {
      fields.put(field.group(1), field.group(2));
    }
    return fields;
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String key) {
    Header header = record.headers().lastHeader(key);
    return header == null ? null : Wire.text(header.value());
  }

  /** The record one run of our client produced, and the trace id it printed. */
  private record Pinged(ConsumerRecord<byte[], byte[]> record, String printedTraceId) {}

  /** Runs one ping with our client against a running server. */
  private static Pinged pingOnce(Wire wire, Map<String, String> env) throws Exception {
    String printedTraceId;
    try (JavaProcess ping = JavaProcess.start("ping", Jars.PING, wire.clientArgs("-v"), env)) {
      assertThat(ping.awaitExit(WAIT)).isZero();
      printedTraceId = ping.stdout().get(0).replaceAll(".*trace_id=([0-9a-f]{32}).*", "$1");
    }
    List<ConsumerRecord<byte[], byte[]>> pings =
        wire.readUntil(wire.pingTopic, records -> !records.isEmpty(), WAIT);
    assertThat(pings).hasSize(1);
    return new Pinged(pings.get(0), printedTraceId);
  }

  @Test
  void shouldJoinTheOriginalClientsTraceWhenThePingCarriesOnlyUberTraceId(KafkaBroker broker)
      throws Exception {
    try (Wire wire = new Wire(broker.bootstrapServers());
        OtlpReceiver receiver = new OtlpReceiver();
        JavaProcess server = wire.startServer("pong", tracingTo(receiver))) {
      String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
      String parentId = "00f067aa0ba902b7";
      UUID session = UUID.randomUUID();
      // Exactly what the original Rust client produced: no headers, Jaeger's field only.
      String ping =
          "{\"context\":{\"uber-trace-id\":\""
              + traceId
              + ":"
              + parentId
              + ":0:1\"},\"body\":{\"session_id\":\""
              + session
              + "\"}}";
      wire.send(
          wire.pingTopic,
          session.toString().getBytes(StandardCharsets.UTF_8),
          ping.getBytes(StandardCharsets.UTF_8));

      List<ReceivedSpan> spans =
          receiver.awaitSpans(
              received ->
                  received.stream().anyMatch(s -> s.name().equals("process ping"))
                      && received.stream().anyMatch(s -> s.name().equals("send pong")),
              WAIT);

      ReceivedSpan processPing = only(spans, "pong", "process ping");
      ReceivedSpan sendPong = only(spans, "pong", "send pong");
      assertThat(processPing.traceId()).isEqualTo(traceId);
      assertThat(processPing.parentSpanId()).isEqualTo(parentId);
      assertThat(processPing.attribute("ping.session_id")).isEqualTo(session.toString());
      assertThat(sendPong.traceId()).isEqualTo(traceId);
      assertThat(sendPong.parentSpanId()).isEqualTo(processPing.spanId());
    }
  }

  @Test
  void shouldWriteBothTraceparentAndUberTraceIdIntoTheEnvelopeWhenOurClientPings(KafkaBroker broker)
      throws Exception {
    try (Wire wire = new Wire(broker.bootstrapServers());
        JavaProcess server = wire.startServer("pong", Map.of())) {
      Pinged pinged = pingOnce(wire, Map.of("OTEL_PROPAGATORS", "tracecontext,baggage"));
      ConsumerRecord<byte[], byte[]> ping = pinged.record();

      Map<String, String> context = envelopeContext(ping);
      String traceId = pinged.printedTraceId();
      assertThat(traceId).matches("[0-9a-f]{32}");
      assertThat(context).containsOnlyKeys("traceparent", "uber-trace-id");
      // Flags 03: sampled, and (W3C level 2) a random trace id, which the SDK now marks.
      assertThat(context.get("traceparent")).matches("00-" + traceId + "-[0-9a-f]{16}-03");
      String spanId = context.get("traceparent").substring(36, 52);
      // The form the original server parses: 32 hex : 16 hex : deprecated parent 0 : sampled.
      // Jaeger's flag 2 would mean "debug", so only the sampled bit may cross over.
      assertThat(context.get("uber-trace-id")).isEqualTo(traceId + ":" + spanId + ":0:1");
      // Headers follow OTEL_PROPAGATORS, here the default.
      assertThat(header(ping, "traceparent")).isEqualTo(context.get("traceparent"));
      assertThat(header(ping, "uber-trace-id")).isNull();
    }
  }

  @Test
  void shouldKeepTheHeadersAsOtelPropagatorsSaysWhenOnlyJaegerIsConfigured(KafkaBroker broker)
      throws Exception {
    try (Wire wire = new Wire(broker.bootstrapServers());
        JavaProcess server = wire.startServer("pong", Map.of())) {
      Pinged pinged = pingOnce(wire, Map.of("OTEL_PROPAGATORS", "jaeger"));
      ConsumerRecord<byte[], byte[]> ping = pinged.record();

      Map<String, String> context = envelopeContext(ping);
      assertThat(context).containsOnlyKeys("traceparent", "uber-trace-id");
      assertThat(pinged.printedTraceId()).matches("[0-9a-f]{32}");
      assertThat(context.get("traceparent")).contains(pinged.printedTraceId());
      assertThat(context.get("uber-trace-id")).startsWith(pinged.printedTraceId() + ":");
      assertThat(header(ping, "uber-trace-id")).isEqualTo(context.get("uber-trace-id"));
      assertThat(header(ping, "traceparent")).isNull();
    }
  }

  @Test
  void shouldCarryBothHeadersAndContinueTheTraceWhenThePropagatorsAreTracecontextAndJaeger(
      KafkaBroker broker) throws Exception {
    Map<String, String> both = Map.of("OTEL_PROPAGATORS", "tracecontext,jaeger");
    try (Wire wire = new Wire(broker.bootstrapServers());
        OtlpReceiver receiver = new OtlpReceiver()) {
      Map<String, String> serverEnv = new HashMap<>(tracingTo(receiver));
      serverEnv.putAll(both);
      try (JavaProcess server = wire.startServer("pong", serverEnv)) {
        Pinged pinged = pingOnce(wire, both);
        ConsumerRecord<byte[], byte[]> ping = pinged.record();
        String traceId = pinged.printedTraceId();

        // Both headers, each the same as its field in the envelope: one span, two notations.
        Map<String, String> context = envelopeContext(ping);
        assertThat(header(ping, "traceparent")).isEqualTo(context.get("traceparent"));
        assertThat(header(ping, "uber-trace-id")).isEqualTo(context.get("uber-trace-id"));
        String sendPingId = context.get("traceparent").substring(36, 52);
        assertThat(context.get("traceparent")).startsWith("00-" + traceId + "-");
        assertThat(context.get("uber-trace-id")).startsWith(traceId + ":" + sendPingId + ":");

        List<ReceivedSpan> spans =
            receiver.awaitSpans(
                received ->
                    received.stream().anyMatch(s -> s.name().equals("process ping"))
                        && received.stream().anyMatch(s -> s.name().equals("send pong")),
                WAIT);
        ReceivedSpan processPing = only(spans, "pong", "process ping");
        ReceivedSpan sendPong = only(spans, "pong", "send pong");
        assertThat(processPing.traceId()).isEqualTo(traceId);
        assertThat(processPing.parentSpanId()).isEqualTo(sendPingId);
        assertThat(sendPong.traceId()).isEqualTo(traceId);
        assertThat(sendPong.parentSpanId()).isEqualTo(processPing.spanId());

        // The server writes both headers on its pong too, naming its own send.
        ConsumerRecord<byte[], byte[]> pong =
            wire.readUntil(wire.pongTopic, records -> !records.isEmpty(), WAIT).get(0);
        assertThat(header(pong, "traceparent"))
            .startsWith("00-" + traceId + "-" + sendPong.spanId() + "-");
        assertThat(header(pong, "uber-trace-id"))
            .startsWith(traceId + ":" + sendPong.spanId() + ":");
      }
    }
  }
}
