package dev.kafkaping.tracing;

import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;

/**
 * The OTLP exporter's retry policy without retries when no collector is there. The exporter's
 * default retries a refused connection with backoff (1 s, 1.5 s, …) for up to its 10 s timeout: a
 * short-lived client then spends its whole flush bound waiting for a collector that was never
 * started. A refused connection or an unknown host is known at once; the next batch tries again. A
 * collector that accepts and then stalls is still retried, within the exporter's timeout.
 */
final class ExportRetry {
  static final RetryPolicy POLICY =
      RetryPolicy.getDefault().toBuilder()
          .setRetryExceptionPredicate(ExportRetry::isTransient)
          .build();

  private ExportRetry() {}

  /**
   * The exporter's own I/O errors worth a retry (timeouts, resets), minus "nobody there". The
   * exporter's default predicate is internal; this is it with the two exclusions.
   */
  static boolean isTransient(IOException error) {
    if (error instanceof ConnectException || error instanceof UnknownHostException) {
      return false;
    }
    return error instanceof SocketException || error instanceof SocketTimeoutException;
  }

  /**
   * OTLP exporters rebuilt with {@link #POLICY}, unless the user switched retries off. The exporter
   * replaced has sent nothing: its HTTP client starts threads and connections only on first use.
   */
  static SpanExporter apply(SpanExporter exporter, ConfigProperties config) {
    if (config.getBoolean("otel.java.exporter.otlp.retry.disabled", false)) {
      return exporter;
    }
    return switch (exporter) {
      case OtlpGrpcSpanExporter grpc -> grpc.toBuilder().setRetryPolicy(POLICY).build();
      case OtlpHttpSpanExporter http -> http.toBuilder().setRetryPolicy(POLICY).build();
      default -> exporter;
    };
  }
}
