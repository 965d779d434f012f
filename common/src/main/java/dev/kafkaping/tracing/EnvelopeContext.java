package dev.kafkaping.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.extension.trace.propagation.JaegerPropagator;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.header.Headers;

/**
 * The trace context in a ping's JSON {@code context} map, in both W3C {@code traceparent} and
 * Jaeger {@code uber-trace-id} form whatever OTEL_PROPAGATORS says: the original Rust programs
 * wrote and read only {@code uber-trace-id} there, this port's older builds only {@code
 * traceparent}, and record headers (which the original ignored) keep the configured propagator.
 */
public final class EnvelopeContext {
  // Extraction runs in this order and a later find replaces an earlier one: traceparent, the
  // standard and the one that carries tracestate, wins when both are present.
  private static final TextMapPropagator ENVELOPE =
      TextMapPropagator.composite(
          JaegerPropagator.getInstance(), W3CTraceContextPropagator.getInstance());

  private EnvelopeContext() {}

  /** The fields to write into a ping's {@code context} map; empty without a valid span. */
  public static Map<String, String> fieldsOf(Context context) {
    Map<String, String> fields = new HashMap<>();
    ENVELOPE.inject(context, fields, (carrier, key, value) -> carrier.put(key, value));
    return fields;
  }

  /**
   * The parent of a received ping's span: the record headers read with the configured propagator
   * when they carry a valid span context, else the envelope in either form, else none.
   */
  public static Context parentOf(
      TextMapPropagator headerPropagator, Headers headers, Map<String, String> envelope) {
    Context fromHeaders =
        headerPropagator.extract(Context.root(), headers, KafkaHeadersGetter.INSTANCE);
    if (Span.fromContext(fromHeaders).getSpanContext().isValid()) {
      return fromHeaders;
    }
    return ENVELOPE.extract(Context.root(), envelope, MapGetter.INSTANCE);
  }
}
