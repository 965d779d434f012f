package dev.kafkaping.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerBuilder;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.trace.IdGenerator;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Tracing for OTEL_TRACES_EXPORTER=none: spans that record nothing but carry real ids, so the trace
 * context still travels in every ping and pong and a process downstream can join the trace. Trace
 * id, flags and state come from the parent, or for a root from the configured sampler, exactly as
 * the SDK would choose them; only the recording (attributes, events, timestamps), which nothing
 * would read, is left out. The jars carry no sampler, id-generator or customizer plug-ins, so the
 * sampler is one of the SDK's own, and those decide on ids and the parent alone, never on the
 * attributes and links these spans do not keep.
 */
record PropagateOnly(ContextPropagators propagators, Sampler sampler) implements OpenTelemetry {
  private static final IdGenerator IDS = IdGenerator.random();
  // What the SDK shows a sampler for a root span whose new trace id is random.
  private static final Span RANDOM_TRACE_ID_MARK =
      Span.wrap(
          SpanContext.create(
              TraceId.getInvalid(),
              SpanId.getInvalid(),
              TraceFlags.builder().setRandomTraceId(true).build(),
              TraceState.getDefault()));

  @Override
  public TracerProvider getTracerProvider() {
    Tracer tracer = Builder::new;
    return new TracerProvider() {
      @Override
      public Tracer get(String instrumentationScopeName) {
        return tracer;
      }

      @Override
      public Tracer get(String instrumentationScopeName, String instrumentationScopeVersion) {
        return tracer;
      }

      @Override
      public TracerBuilder tracerBuilder(String instrumentationScopeName) {
        return new TracerBuilder() {
          @Override
          public TracerBuilder setSchemaUrl(String schemaUrl) {
            return this;
          }

          @Override
          public TracerBuilder setInstrumentationVersion(String instrumentationScopeVersion) {
            return this;
          }

          @Override
          public Tracer build() {
            return tracer;
          }
        };
      }
    };
  }

  @Override
  public ContextPropagators getPropagators() {
    return propagators;
  }

  private final class Builder implements SpanBuilder {
    private final String name;
    private Context parent;
    private SpanKind kind = SpanKind.INTERNAL;

    Builder(String name) {
      this.name = name;
    }

    @Override
    public Span startSpan() {
      Context parentContext = parent == null ? Context.current() : parent;
      SpanContext parentSpan = Span.fromContext(parentContext).getSpanContext();
      String traceId;
      boolean randomTraceId;
      Context samplerContext = parentContext;
      if (parentSpan.isValid()) {
        traceId = parentSpan.getTraceId();
        randomTraceId = parentSpan.getTraceFlags().isTraceIdRandom();
      } else {
        // As the SDK does: a new trace id is random, which W3C level 2 marks in the flags.
        traceId = IDS.generateTraceId();
        randomTraceId = IDS.generatesRandomTraceIds();
        if (randomTraceId) {
          samplerContext = parentContext.with(RANDOM_TRACE_ID_MARK);
        }
      }
      SamplingResult decision =
          sampler.shouldSample(samplerContext, traceId, name, kind, Attributes.empty(), List.of());
      TraceFlags flags =
          TraceFlags.builder()
              .setSampled(decision.getDecision() == SamplingDecision.RECORD_AND_SAMPLE)
              .setRandomTraceId(randomTraceId)
              .build();
      return Span.wrap(
          SpanContext.create(
              traceId,
              IDS.generateSpanId(),
              flags,
              decision.getUpdatedTraceState(parentSpan.getTraceState())));
    }

    @Override
    public SpanBuilder setParent(Context context) {
      if (context != null) {
        parent = context;
      }
      return this;
    }

    @Override
    public SpanBuilder setNoParent() {
      parent = Context.root();
      return this;
    }

    @Override
    public SpanBuilder setSpanKind(SpanKind spanKind) {
      if (spanKind != null) {
        kind = spanKind;
      }
      return this;
    }

    @Override
    public SpanBuilder addLink(SpanContext spanContext) {
      return this;
    }

    @Override
    public SpanBuilder addLink(SpanContext spanContext, Attributes attributes) {
      return this;
    }

    @Override
    public SpanBuilder setAttribute(String key, String value) {
      return this;
    }

    @Override
    public SpanBuilder setAttribute(String key, long value) {
      return this;
    }

    @Override
    public SpanBuilder setAttribute(String key, double value) {
      return this;
    }

    @Override
    public SpanBuilder setAttribute(String key, boolean value) {
      return this;
    }

    @Override
    public <T> SpanBuilder setAttribute(AttributeKey<T> key, T value) {
      return this;
    }

    @Override
    public SpanBuilder setStartTimestamp(long startTimestamp, TimeUnit unit) {
      return this;
    }
  }
}
