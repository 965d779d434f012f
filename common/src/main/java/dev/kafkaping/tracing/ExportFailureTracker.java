package dev.kafkaping.tracing;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Remembers whether any export failed. The batch processor swallows export failures (its flush
 * succeeds either way), and a short-lived client wants to say so once before it exits.
 */
final class ExportFailureTracker {
  private final AtomicBoolean failed = new AtomicBoolean();

  boolean anyFailed() {
    return failed.get();
  }

  SpanExporter watch(SpanExporter exporter) {
    return new SpanExporter() {
      @Override
      public CompletableResultCode export(Collection<SpanData> spans) {
        CompletableResultCode result = exporter.export(spans);
        result.whenComplete(
            () -> {
              if (!result.isSuccess()) {
                failed.set(true);
              }
            });
        return result;
      }

      @Override
      public CompletableResultCode flush() {
        return exporter.flush();
      }

      @Override
      public CompletableResultCode shutdown() {
        return exporter.shutdown();
      }

      @Override
      public String toString() {
        return exporter.toString();
      }
    };
  }
}
