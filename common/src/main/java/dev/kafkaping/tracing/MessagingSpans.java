package dev.kafkaping.tracing;

import static dev.kafkaping.tracing.MessagingAttributes.*;

import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;

/** Span builders carrying the messaging attributes that every ping and pong span shares. */
public final class MessagingSpans {
  private MessagingSpans() {}

  /** A PRODUCER span for a record keyed by its session id. */
  public static SpanBuilder send(Tracer tracer, String name, String topic, String sessionId) {
    return tracer
        .spanBuilder(name)
        .setSpanKind(SpanKind.PRODUCER)
        .setAttribute(SYSTEM, KAFKA)
        .setAttribute(DESTINATION, topic)
        .setAttribute(OPERATION_TYPE, "send")
        .setAttribute(MESSAGE_KEY, sessionId)
        .setAttribute(SESSION_ID, sessionId);
  }

  /** A CONSUMER span for a record that was read at this position. */
  public static SpanBuilder process(
      Tracer tracer,
      String name,
      String topic,
      int partition,
      long offset,
      String key,
      String sessionId) {
    return tracer
        .spanBuilder(name)
        .setSpanKind(SpanKind.CONSUMER)
        .setAttribute(SYSTEM, KAFKA)
        .setAttribute(DESTINATION, topic)
        .setAttribute(OPERATION_TYPE, "process")
        .setAttribute(PARTITION, Integer.toString(partition))
        .setAttribute(OFFSET, offset)
        .setAttribute(MESSAGE_KEY, key)
        .setAttribute(SESSION_ID, sessionId);
  }
}
