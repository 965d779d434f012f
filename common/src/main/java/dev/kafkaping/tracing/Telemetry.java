package dev.kafkaping.tracing;

import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Builds the OpenTelemetry SDK from the standard {@code OTEL_*} variables, with this project's
 * defaults underneath them, and shuts it down within a bound.
 */
public final class Telemetry {
  private Telemetry() {}

  public static OpenTelemetrySdk autoconfigure(String defaultServiceName) {
    // The exporter reports each failed export through java.util.logging with a stack trace; we
    // print one line of our own at shutdown instead.
    Logger.getLogger("io.opentelemetry.exporter").setLevel(Level.OFF);
    Logger.getLogger("io.opentelemetry.sdk").setLevel(Level.SEVERE);
    return AutoConfiguredOpenTelemetrySdk.builder()
        .addPropertiesSupplier(
            () ->
                Map.of(
                    "otel.service.name", defaultServiceName,
                    "otel.metrics.exporter", "none",
                    "otel.logs.exporter", "none"))
        .build()
        .getOpenTelemetrySdk();
  }

  /** Flushes and shuts down; returns false when the spans could not be exported in time. */
  public static boolean shutdown(OpenTelemetrySdk sdk, Duration bound) {
    CompletableResultCode flushed = sdk.getSdkTracerProvider().forceFlush();
    flushed.join(bound.toMillis(), TimeUnit.MILLISECONDS);
    CompletableResultCode closed = sdk.shutdown();
    closed.join(Math.max(100, bound.toMillis() / 4), TimeUnit.MILLISECONDS);
    return flushed.isSuccess();
  }

  /** Where spans go, for the one warning line when they could not be sent. */
  public static String endpointDescription() {
    String endpoint = System.getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
    if (endpoint == null) {
      endpoint = System.getenv("OTEL_EXPORTER_OTLP_ENDPOINT");
    }
    return endpoint == null ? "http://localhost:4317" : endpoint;
  }
}
