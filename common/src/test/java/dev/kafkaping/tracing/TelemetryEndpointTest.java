package dev.kafkaping.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The endpoint named in the "traces could not be exported to …" warning. */
class TelemetryEndpointTest {
  private static String describe(Map<String, String> env) {
    return Telemetry.endpointDescription(env::get);
  }

  @Test
  void shouldNameTheGrpcDefaultWhenNothingIsSet() {
    assertThat(describe(Map.of())).isEqualTo("http://localhost:4317");
  }

  @Test
  void shouldNameTheHttpDefaultAndPathForHttpProtobuf() {
    assertThat(describe(Map.of("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")))
        .isEqualTo("http://localhost:4318/v1/traces");
  }

  @Test
  void shouldAppendTheTracesPathToTheGeneralEndpointOverHttp() {
    assertThat(
            describe(
                Map.of(
                    "OTEL_EXPORTER_OTLP_ENDPOINT", "http://jaeger:4318/",
                    "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "http/protobuf")))
        .isEqualTo("http://jaeger:4318/v1/traces");
  }

  @Test
  void shouldTakeTheTracesEndpointAsGiven() {
    assertThat(
            describe(
                Map.of(
                    "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://jaeger:4318/custom",
                    "OTEL_EXPORTER_OTLP_ENDPOINT", "http://other:4317",
                    "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")))
        .isEqualTo("http://jaeger:4318/custom");
  }

  @Test
  void shouldTakeTheGeneralEndpointAsGivenOverGrpc() {
    assertThat(describe(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://jaeger:4317")))
        .isEqualTo("http://jaeger:4317");
  }
}
