package dev.kafkaping.tracing;

import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;

/**
 * A span processor that does nothing, added only when OTEL_TRACES_EXPORTER=none. Without any
 * processor the SDK hands out invalid spans, so no trace context would travel in the ping and the
 * server could not join the caller's trace; with this one, ids are generated and propagated even
 * when this process exports nothing.
 */
final class PropagateWithoutExport implements SpanProcessor {
  @Override
  public void onStart(Context parentContext, ReadWriteSpan span) {}

  @Override
  public boolean isStartRequired() {
    return false;
  }

  @Override
  public void onEnd(ReadableSpan span) {}

  @Override
  public boolean isEndRequired() {
    return true;
  }
}
