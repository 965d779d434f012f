package dev.kafkaping.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.extension.trace.propagation.JaegerPropagator;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class EnvelopeContextTest {
  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String SPAN = "00f067aa0ba902b7";
  private static final String OTHER_TRACE = "0af7651916cd43dd8448eb211c80319c";
  private static final String OTHER_SPAN = "b7ad6b7169203331";
  // What the default OTEL_PROPAGATORS (tracecontext,baggage) reads from headers.
  private static final TextMapPropagator W3C = W3CTraceContextPropagator.getInstance();

  private static Context contextOf(String traceId, String spanId) {
    return Context.root()
        .with(
            Span.wrap(
                SpanContext.create(
                    traceId, spanId, TraceFlags.getSampled(), TraceState.getDefault())));
  }

  private static SpanContext parent(Context context) {
    return Span.fromContext(context).getSpanContext();
  }

  private static Headers headers(String key, String value) {
    return new RecordHeaders().add(key, value.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void shouldWriteTraceparentAndUberTraceIdForTheSameSpanWhenASpanIsCurrent() {
    Map<String, String> fields = EnvelopeContext.fieldsOf(contextOf(TRACE, SPAN));

    assertThat(fields)
        .containsOnly(
            Map.entry("traceparent", "00-" + TRACE + "-" + SPAN + "-01"),
            // The original's exact form: 32 hex digits, 16 hex digits, deprecated parent 0, flags.
            Map.entry("uber-trace-id", TRACE + ":" + SPAN + ":0:1"));
  }

  @Test
  void shouldWriteOnlyTheSampledBitIntoUberTraceIdWhenTheTraceIdIsMarkedRandom() {
    // The SDK sets W3C level 2's random-trace-id flag (0x02); in Jaeger's flags 0x02 means debug.
    Context context =
        Context.root()
            .with(
                Span.wrap(
                    SpanContext.create(
                        TRACE, SPAN, TraceFlags.fromByte((byte) 0x03), TraceState.getDefault())));

    Map<String, String> fields = EnvelopeContext.fieldsOf(context);

    assertThat(fields.get("traceparent")).isEqualTo("00-" + TRACE + "-" + SPAN + "-03");
    assertThat(fields.get("uber-trace-id")).isEqualTo(TRACE + ":" + SPAN + ":0:1");
  }

  @Test
  void shouldWriteNothingWhenNoSpanIsValid() {
    assertThat(EnvelopeContext.fieldsOf(Context.root())).isEmpty();
  }

  @Test
  void shouldJoinTheOriginalClientsTraceWhenTheEnvelopeCarriesOnlyUberTraceId() {
    SpanContext parent =
        parent(
            EnvelopeContext.parentOf(
                W3C, new RecordHeaders(), Map.of("uber-trace-id", TRACE + ":" + SPAN + ":0:1")));

    assertThat(parent.getTraceId()).isEqualTo(TRACE);
    assertThat(parent.getSpanId()).isEqualTo(SPAN);
    assertThat(parent.isRemote()).isTrue();
    assertThat(parent.isSampled()).isTrue();
  }

  @Test
  void shouldJoinTheTraceWhenTheEnvelopeCarriesOnlyTraceparent() {
    SpanContext parent =
        parent(
            EnvelopeContext.parentOf(
                W3C,
                new RecordHeaders(),
                Map.of("traceparent", "00-" + TRACE + "-" + SPAN + "-01")));

    assertThat(parent.getTraceId()).isEqualTo(TRACE);
    assertThat(parent.getSpanId()).isEqualTo(SPAN);
  }

  @Test
  void shouldPreferTheHeadersWhenTheyCarryAValidContext() {
    SpanContext parent =
        parent(
            EnvelopeContext.parentOf(
                W3C,
                headers("traceparent", "00-" + TRACE + "-" + SPAN + "-01"),
                Map.of("uber-trace-id", OTHER_TRACE + ":" + OTHER_SPAN + ":0:1")));

    assertThat(parent.getTraceId()).isEqualTo(TRACE);
    assertThat(parent.getSpanId()).isEqualTo(SPAN);
  }

  @Test
  void shouldReadTheHeadersWithTheConfiguredPropagatorOnlyWhenTheyCarryAContext() {
    Headers jaegerHeaders = headers("uber-trace-id", TRACE + ":" + SPAN + ":0:1");
    Map<String, String> envelope =
        Map.of("traceparent", "00-" + OTHER_TRACE + "-" + OTHER_SPAN + "-01");

    assertThat(
            parent(
                    EnvelopeContext.parentOf(
                        JaegerPropagator.getInstance(), jaegerHeaders, envelope))
                .getTraceId())
        .isEqualTo(TRACE);
    assertThat(parent(EnvelopeContext.parentOf(W3C, jaegerHeaders, envelope)).getTraceId())
        .isEqualTo(OTHER_TRACE);
  }

  @Test
  void shouldPreferTraceparentWhenTheEnvelopeCarriesBothForms() {
    SpanContext parent =
        parent(
            EnvelopeContext.parentOf(
                W3C,
                new RecordHeaders(),
                Map.of(
                    "uber-trace-id", OTHER_TRACE + ":" + OTHER_SPAN + ":0:1",
                    "traceparent", "00-" + TRACE + "-" + SPAN + "-01")));

    assertThat(parent.getTraceId()).isEqualTo(TRACE);
  }

  @Test
  void shouldUseUberTraceIdWhenTheEnvelopesTraceparentIsMalformed() {
    SpanContext parent =
        parent(
            EnvelopeContext.parentOf(
                W3C,
                new RecordHeaders(),
                Map.of(
                    "traceparent",
                    "00-not-a-trace-01",
                    "uber-trace-id",
                    TRACE + ":" + SPAN + ":0:1")));

    assertThat(parent.getTraceId()).isEqualTo(TRACE);
  }

  @Test
  void shouldStartANewTraceWhenNeitherHeadersNorEnvelopeCarryAContext() {
    assertThat(parent(EnvelopeContext.parentOf(W3C, new RecordHeaders(), Map.of())).isValid())
        .isFalse();
  }

  @Test
  void shouldReadBackWhatItWroteWhenNoHeadersArePropagated() {
    Map<String, String> fields = EnvelopeContext.fieldsOf(contextOf(TRACE, SPAN));

    for (String key : fields.keySet()) {
      SpanContext parent =
          parent(
              EnvelopeContext.parentOf(
                  TextMapPropagator.noop(), new RecordHeaders(), Map.of(key, fields.get(key))));
      assertThat(parent.getTraceId()).as(key).isEqualTo(TRACE);
      assertThat(parent.getSpanId()).as(key).isEqualTo(SPAN);
    }
  }
}
