package dev.kafkaping.tracing;

import static dev.kafkaping.tracing.MessagingAttributes.OFFSET;
import static dev.kafkaping.tracing.MessagingAttributes.PARTITION;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Sends one record inside a {@code PRODUCER} span, with the span's context in the record headers,
 * and reports what the broker said: the one traced send that both ping and pong use.
 */
public final class TracedSend {
  private final Producer<byte[], byte[]> producer;
  private final Tracer tracer;
  private final TextMapPropagator propagator;

  public TracedSend(
      Producer<byte[], byte[]> producer, Tracer tracer, TextMapPropagator propagator) {
    this.producer = producer;
    this.tracer = tracer;
    this.propagator = propagator;
  }

  /** What became of a send. */
  public sealed interface Result {
    /** From the hand-over to the producer to its verdict. */
    Duration took();

    /** The broker has the record. */
    record Sent(int partition, long offset, Duration took) implements Result {}

    /** The record was not written; {@code error} says why. */
    record NotSent(Throwable error, Duration took) implements Result {}
  }

  /**
   * Builds the record from the new span's context (so that the payload may carry it too), sends it
   * and reports the result once, from the producer's I/O thread or, when {@code send} itself
   * throws, from the calling thread. Never throws.
   */
  public void send(
      String spanName,
      String topic,
      String sessionId,
      Function<Context, ProducerRecord<byte[], byte[]>> record,
      Consumer<Result> onResult) {
    Span span = MessagingSpans.send(tracer, spanName, topic, sessionId).startSpan();
    long started = System.nanoTime();
    try {
      Context context = Context.current().with(span);
      ProducerRecord<byte[], byte[]> built = record.apply(context);
      propagator.inject(context, built.headers(), KafkaHeadersSetter.INSTANCE);
      // Building the record (encoding) is not the send's time.
      long handedOver = System.nanoTime();
      producer.send(
          built,
          (metadata, error) -> {
            if (error == null) {
              span.setAttribute(PARTITION, Integer.toString(metadata.partition()));
              span.setAttribute(OFFSET, metadata.offset());
              span.end();
              onResult.accept(
                  new Result.Sent(metadata.partition(), metadata.offset(), since(handedOver)));
            } else {
              fail(span, error);
              onResult.accept(new Result.NotSent(error, since(handedOver)));
            }
          });
    } catch (RuntimeException e) {
      fail(span, e);
      onResult.accept(new Result.NotSent(e, since(started)));
    }
  }

  private static Duration since(long nanos) {
    return Duration.ofNanos(System.nanoTime() - nanos);
  }

  private static void fail(Span span, Throwable error) {
    span.recordException(error);
    span.setStatus(StatusCode.ERROR, "not sent: " + error.getMessage());
    span.end();
  }
}
