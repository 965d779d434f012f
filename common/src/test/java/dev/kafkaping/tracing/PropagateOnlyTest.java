package dev.kafkaping.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** With export off, spans record nothing but ids, flags and state travel as the SDK sets them. */
class PropagateOnlyTest {
  private static final SpanContext CALLER =
      SpanContext.createFromRemoteParent(
          "0af7651916cd43dd8448eb211c80319c",
          "b7ad6b7169203331",
          TraceFlags.getSampled(),
          TraceState.builder().put("vendor", "x").build());

  @Test
  void aChildSpanJoinsTheCallersTraceWithoutRecording() {
    withTelemetry(
        Map.of("otel.traces.exporter", "none"),
        otel -> {
          Span span = tracer(otel).spanBuilder("process ping").setParent(caller()).startSpan();
          assertThat(span.isRecording()).isFalse();
          SpanContext context = span.getSpanContext();
          assertThat(context.isValid()).isTrue();
          assertThat(context.getTraceId()).isEqualTo(CALLER.getTraceId());
          assertThat(context.getSpanId()).isNotEqualTo(CALLER.getSpanId());
          assertThat(context.isSampled()).isTrue();
          assertThat(context.getTraceState().get("vendor")).isEqualTo("x");
          assertThat(context.getTraceFlags().isTraceIdRandom()).isFalse();
          assertThat(injected(otel, span).get("traceparent"))
              .isEqualTo("00-" + CALLER.getTraceId() + "-" + context.getSpanId() + "-01");
        });
  }

  @Test
  void aSpanStartedInsideTheCallersScopeJoinsItToo() {
    withTelemetry(
        Map.of("otel.traces.exporter", "none"),
        otel -> {
          Tracer built = otel.getTracerProvider().tracerBuilder("test").build();
          try (Scope ignored = caller().makeCurrent()) {
            Span span = built.spanBuilder("send pong").startSpan();
            assertThat(span.getSpanContext().isValid()).isTrue();
            assertThat(span.getSpanContext().getTraceId()).isEqualTo(CALLER.getTraceId());
            assertThat(span.getSpanContext().isSampled()).isTrue();
          }
        });
  }

  @Test
  void anUnsampledCallerStaysUnsampled() {
    withTelemetry(
        Map.of("otel.traces.exporter", "none"),
        otel -> {
          SpanContext unsampled =
              SpanContext.createFromRemoteParent(
                  CALLER.getTraceId(),
                  CALLER.getSpanId(),
                  TraceFlags.getDefault(),
                  TraceState.getDefault());
          Span span =
              tracer(otel)
                  .spanBuilder("process ping")
                  .setParent(Context.root().with(Span.wrap(unsampled)))
                  .startSpan();
          assertThat(span.getSpanContext().isValid()).isTrue();
          assertThat(span.getSpanContext().isSampled()).isFalse();
        });
  }

  @Test
  void aRootSpanFollowsTheConfiguredSampler() {
    withTelemetry(
        Map.of("otel.traces.exporter", "none"),
        otel -> {
          Span root = tracer(otel).spanBuilder("send ping").setNoParent().startSpan();
          assertThat(root.getSpanContext().isValid()).isTrue();
          assertThat(root.getSpanContext().isSampled()).isTrue();
          assertThat(root.isRecording()).isFalse();
          // W3C level 2, as the SDK sets it: a new trace id is random.
          assertThat(root.getSpanContext().getTraceFlags().asHex()).isEqualTo("03");
        });
    withTelemetry(
        Map.of("otel.traces.exporter", "none", "otel.traces.sampler", "always_off"),
        otel -> {
          Span root = tracer(otel).spanBuilder("send ping").setNoParent().startSpan();
          assertThat(root.getSpanContext().isValid()).isTrue();
          assertThat(root.getSpanContext().isSampled()).isFalse();
        });
  }

  @Test
  void withExportOnSpansAreRecorded() {
    withTelemetry(
        Map.of("otel.traces.exporter", "console"),
        otel -> {
          Span span = tracer(otel).spanBuilder("process ping").setParent(caller()).startSpan();
          assertThat(span.isRecording()).isTrue();
          assertThat(span.getSpanContext().getTraceId()).isEqualTo(CALLER.getTraceId());
          // The flags the propagate-only spans copy.
          Span root = tracer(otel).spanBuilder("send ping").setNoParent().startSpan();
          assertThat(root.getSpanContext().getTraceFlags().asHex()).isEqualTo("03");
          assertThat(span.getSpanContext().getTraceFlags().asHex()).isEqualTo("01");
          root.end();
          span.end();
        });
  }

  private static Context caller() {
    return Context.root().with(Span.wrap(CALLER));
  }

  private static Tracer tracer(OpenTelemetry otel) {
    return otel.getTracer("test");
  }

  private static Map<String, String> injected(OpenTelemetry otel, Span span) {
    Map<String, String> carrier = new HashMap<>();
    otel.getPropagators()
        .getTextMapPropagator()
        .inject(Context.root().with(span), carrier, (map, key, value) -> map.put(key, value));
    return carrier;
  }

  /** Telemetry configured by system properties, which the SDK reads like OTEL_* variables. */
  private static void withTelemetry(Map<String, String> properties, Consumer<OpenTelemetry> test) {
    properties.forEach(System::setProperty);
    try {
      Telemetry telemetry = Telemetry.autoconfigure("test");
      try {
        test.accept(telemetry.openTelemetry());
      } finally {
        telemetry.shutdown(Duration.ofSeconds(1));
      }
    } finally {
      properties.keySet().forEach(System::clearProperty);
    }
  }
}
