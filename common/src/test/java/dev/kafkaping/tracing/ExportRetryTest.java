package dev.kafkaping.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.internal.DefaultConfigProperties;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.testing.trace.TestSpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class ExportRetryTest {
  // Each failed export is logged with a stack trace; here failing is the point. Held in a field
  // because java.util.logging keeps loggers weakly.
  private static final Logger EXPORTER_LOG = Logger.getLogger("io.opentelemetry.exporter");

  static {
    EXPORTER_LOG.setLevel(Level.OFF);
  }

  private static final ConfigProperties DEFAULTS = DefaultConfigProperties.createFromMap(Map.of());

  private static String closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return "http://127.0.0.1:" + socket.getLocalPort();
    }
  }

  /** What an export had come to when the test stopped waiting. */
  private record Export(boolean done, boolean succeeded) {}

  /**
   * Exports one span and waits at most 5 s. The exporter's default policy would still be backing
   * off then: its first four waits are at least 0.8 + 1.2 + 1.8 + 2.7 s.
   */
  private static Export exportOneSpan(SpanExporter exporter) {
    try {
      CompletableResultCode result =
          exporter
              .export(
                  List.of(
                      TestSpanData.builder()
                          .setName("ping")
                          .setKind(SpanKind.INTERNAL)
                          .setStartEpochNanos(1)
                          .setEndEpochNanos(2)
                          .setHasEnded(true)
                          .setStatus(StatusData.unset())
                          .build()))
              .join(5, TimeUnit.SECONDS);
      // Read before shutdown, which would fail an export still in progress.
      return new Export(result.isDone(), result.isSuccess());
    } finally {
      exporter.shutdown();
    }
  }

  @Test
  void shouldNotRetryWhenNothingListensOrTheHostIsUnknown() {
    assertThat(ExportRetry.isTransient(new ConnectException("Connection refused"))).isFalse();
    assertThat(ExportRetry.isTransient(new UnknownHostException("jaeger"))).isFalse();
  }

  @Test
  void shouldRetryWhenACollectorTimesOutOrResetsTheConnection() {
    assertThat(ExportRetry.isTransient(new SocketTimeoutException("timeout"))).isTrue();
    assertThat(ExportRetry.isTransient(new SocketException("Connection reset"))).isTrue();
  }

  @Test
  void shouldNotRetryOtherIoErrorsWhichTheExportersDefaultDoesNotRetryEither() {
    assertThat(ExportRetry.isTransient(new IOException("unexpected end of stream"))).isFalse();
  }

  @Test
  void shouldFailAGrpcExportAtOnceWhenTheConnectionIsRefused() throws IOException {
    SpanExporter exporter =
        ExportRetry.apply(
            OtlpGrpcSpanExporter.builder()
                .setEndpoint(closedPort())
                .setTimeout(Duration.ofSeconds(60))
                .build(),
            DEFAULTS);

    assertThat(exportOneSpan(exporter)).isEqualTo(new Export(true, false));
  }

  @Test
  void shouldFailAnHttpExportAtOnceWhenTheConnectionIsRefused() throws IOException {
    SpanExporter exporter =
        ExportRetry.apply(
            OtlpHttpSpanExporter.builder()
                .setEndpoint(closedPort() + "/v1/traces")
                .setTimeout(Duration.ofSeconds(60))
                .build(),
            DEFAULTS);

    assertThat(exportOneSpan(exporter)).isEqualTo(new Export(true, false));
  }

  @Test
  void shouldLeaveTheExporterAloneWhenRetriesAreSwitchedOffOrItIsNotOtlp() {
    SpanExporter otlp = OtlpGrpcSpanExporter.getDefault();
    SpanExporter inMemory = InMemorySpanExporter.create();

    assertThat(
            ExportRetry.apply(
                otlp,
                DefaultConfigProperties.createFromMap(
                    Map.of("otel.java.exporter.otlp.retry.disabled", "true"))))
        .isSameAs(otlp);
    assertThat(ExportRetry.apply(inMemory, DEFAULTS)).isSameAs(inMemory);
    otlp.shutdown();
  }
}
