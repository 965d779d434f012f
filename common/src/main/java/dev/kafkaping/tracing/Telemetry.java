package dev.kafkaping.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The OpenTelemetry SDK, built from the standard {@code OTEL_*} variables with this project's
 * defaults underneath them, and shut down within a bound.
 */
public final class Telemetry {
  // Held here because java.util.logging keeps loggers only weakly: a collected logger would take
  // its level with it.
  private static final Logger EXPORTERS = Logger.getLogger("io.opentelemetry.exporter");
  private static final Logger SDK = Logger.getLogger("io.opentelemetry.sdk");
  private static final Logger CONSOLE_EXPORTER =
      Logger.getLogger("io.opentelemetry.exporter.logging");

  private final OpenTelemetrySdk sdk;
  private final OpenTelemetry api;
  private final ExportFailureTracker failures;

  private final boolean metricsOff;

  private Telemetry(
      OpenTelemetrySdk sdk, OpenTelemetry api, ExportFailureTracker failures, boolean metricsOff) {
    this.sdk = sdk;
    this.api = api;
    this.failures = failures;
    this.metricsOff = metricsOff;
  }

  public static Telemetry autoconfigure(String defaultServiceName) {
    // The exporter reports each failed export through java.util.logging with a stack trace; we
    // print one line of our own instead.
    EXPORTERS.setLevel(Level.OFF);
    SDK.setLevel(Level.SEVERE);
    printConsoleSpansOnePerLine();
    ExportFailureTracker failures = new ExportFailureTracker();
    AtomicReference<Sampler> sampler = new AtomicReference<>();
    AtomicBoolean exportOff = new AtomicBoolean();
    AtomicBoolean metricsOff = new AtomicBoolean(true);
    OpenTelemetrySdk sdk =
        AutoConfiguredOpenTelemetrySdk.builder()
            .addPropertiesSupplier(
                () ->
                    Map.of(
                        "otel.service.name", defaultServiceName,
                        "otel.metrics.exporter", "none",
                        "otel.logs.exporter", "none"))
            .addSpanExporterCustomizer(
                (exporter, config) -> failures.watch(ExportRetry.apply(exporter, config)))
            .addSamplerCustomizer(
                (configured, config) -> {
                  sampler.set(configured);
                  exportOff.set(config.getList("otel.traces.exporter").contains("none"));
                  metricsOff.set(config.getList("otel.metrics.exporter").equals(List.of("none")));
                  return configured;
                })
            .disableShutdownHook()
            .build()
            .getOpenTelemetrySdk();
    // With OTEL_SDK_DISABLED the sampler is never asked for and the SDK is a no-op throughout.
    OpenTelemetry api =
        exportOff.get() && sampler.get() != null
            ? new PropagateOnly(sdk.getPropagators(), sampler.get())
            : sdk;
    return new Telemetry(sdk, api, failures, metricsOff.get());
  }

  /**
   * OTEL_TRACES_EXPORTER=console logs each span through java.util.logging, by default as two lines
   * with a date header; on stderr, one line a span, spans are readable in a terminal.
   */
  private static void printConsoleSpansOnePerLine() {
    if (CONSOLE_EXPORTER.getHandlers().length > 0) {
      return;
    }
    ConsoleHandler handler = new ConsoleHandler();
    handler.setFormatter(
        new Formatter() {
          @Override
          public String format(LogRecord record) {
            return formatMessage(record) + System.lineSeparator();
          }
        });
    CONSOLE_EXPORTER.setLevel(Level.INFO);
    CONSOLE_EXPORTER.setUseParentHandlers(false);
    CONSOLE_EXPORTER.addHandler(handler);
  }

  public OpenTelemetry openTelemetry() {
    return api;
  }

  /**
   * Where this process's instruments go: whatever OTEL_METRICS_EXPORTER chose (none by default),
   * whether or not spans are exported.
   */
  public Meter meter() {
    // Without an exporter the SDK's instruments would record for nobody, and a single shot would
    // load their classes for nothing.
    MeterProvider provider = metricsOff ? MeterProvider.noop() : sdk.getMeterProvider();
    return provider.get("dev.kafkaping");
  }

  /**
   * Exports what is left and shuts down, waiting at most about {@code bound}. Returns false when
   * some spans could not be exported (collector down or too slow).
   */
  public boolean shutdown(Duration bound) {
    CompletableResultCode flushed = sdk.getSdkTracerProvider().forceFlush();
    flushed.join(bound.toMillis(), TimeUnit.MILLISECONDS);
    CompletableResultCode closed = sdk.shutdown();
    closed.join(Math.max(100, bound.toMillis() / 4), TimeUnit.MILLISECONDS);
    return flushed.isDone() && !failures.anyFailed();
  }

  /** Where spans go, for the one warning line when they could not be sent. */
  public static String endpointDescription() {
    return endpointDescription(System::getenv);
  }

  /**
   * Where the OTLP exporter sends spans, by the specification's rules: the traces endpoint as
   * given; otherwise, over http/protobuf, the general endpoint (default port 4318) plus {@code
   * /v1/traces}; over gRPC the general endpoint (default port 4317) as given.
   */
  static String endpointDescription(UnaryOperator<String> env) {
    String traces = env.apply("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
    if (traces != null) {
      return traces;
    }
    String protocol = env.apply("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL");
    if (protocol == null) {
      protocol = env.apply("OTEL_EXPORTER_OTLP_PROTOCOL");
    }
    boolean http = "http/protobuf".equals(protocol);
    String endpoint = env.apply("OTEL_EXPORTER_OTLP_ENDPOINT");
    if (endpoint == null) {
      return http ? "http://localhost:4318/v1/traces" : "http://localhost:4317";
    }
    return http ? endpoint.replaceAll("/+$", "") + "/v1/traces" : endpoint;
  }
}
