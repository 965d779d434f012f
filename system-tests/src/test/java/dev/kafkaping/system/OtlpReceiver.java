package dev.kafkaping.system;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * An OTLP/HTTP trace receiver: decodes the protobuf that the exporters really send, the same bytes
 * Jaeger would receive on port 4318.
 */
final class OtlpReceiver implements AutoCloseable {
  /** One received span with the service that sent it. */
  record ReceivedSpan(String service, Span span) {
    String traceId() {
      return HexFormat.of().formatHex(span.getTraceId().toByteArray());
    }

    String spanId() {
      return HexFormat.of().formatHex(span.getSpanId().toByteArray());
    }

    String parentSpanId() {
      return HexFormat.of().formatHex(span.getParentSpanId().toByteArray());
    }

    String name() {
      return span.getName();
    }

    String attribute(String key) {
      return span.getAttributesList().stream()
          .filter(a -> a.getKey().equals(key))
          .map(
              a ->
                  a.getValue().hasIntValue()
                      ? Long.toString(a.getValue().getIntValue())
                      : a.getValue().getStringValue())
          .findFirst()
          .orElse(null);
    }

    List<String> eventNames() {
      return span.getEventsList().stream().map(Span.Event::getName).toList();
    }

    List<String> statesEntered() {
      return span.getEventsList().stream()
          .filter(e -> e.getName().equals("state entered"))
          .map(e -> e.getAttributes(0).getValue().getStringValue())
          .toList();
    }
  }

  private final HttpServer server;
  private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();

  OtlpReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/v1/traces",
        exchange -> {
          try (InputStream body = exchange.getRequestBody()) {
            ExportTraceServiceRequest request =
                ExportTraceServiceRequest.parseFrom(body.readAllBytes());
            for (ResourceSpans resource : request.getResourceSpansList()) {
              String service =
                  resource.getResource().getAttributesList().stream()
                      .filter(a -> a.getKey().equals("service.name"))
                      .map(a -> a.getValue().getStringValue())
                      .findFirst()
                      .orElse("?");
              for (ScopeSpans scope : resource.getScopeSpansList()) {
                scope.getSpansList().forEach(span -> spans.add(new ReceivedSpan(service, span)));
              }
            }
            byte[] response = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
            exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, response.length);
            exchange.getResponseBody().write(response);
          } finally {
            exchange.close();
          }
        });
    server.start();
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Waits (with a deadline) until the spans received so far satisfy the condition. */
  List<ReceivedSpan> awaitSpans(Predicate<List<ReceivedSpan>> condition, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.test(List.copyOf(spans))) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("spans not received within " + timeout + "; got " + names());
      }
      TimeUnit.MILLISECONDS.sleep(50); // polling interval of a deadline-bounded wait
    }
    return List.copyOf(spans);
  }

  private List<String> names() {
    List<String> names = new ArrayList<>();
    spans.forEach(s -> names.add(s.service() + ":" + s.name()));
    return names;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
