package dev.kafkaping.server;

import static dev.kafkaping.tracing.MessagingAttributes.*;

import dev.kafkaping.kafka.KafkaErrors;
import dev.kafkaping.message.PingEnvelope;
import dev.kafkaping.message.WireCodec;
import dev.kafkaping.statemachine.MachineListener;
import dev.kafkaping.statemachine.Outcome;
import dev.kafkaping.statemachine.State;
import dev.kafkaping.statemachine.StateMachine;
import dev.kafkaping.tracing.KafkaHeadersGetter;
import dev.kafkaping.tracing.KafkaHeadersSetter;
import dev.kafkaping.tracing.MapGetter;
import dev.kafkaping.tracing.MessagingSpans;
import dev.kafkaping.tracing.SpanEventsListener;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Answers one ping by running a Pong state machine inside a {@code process ping} span. */
final class PongResponder {
  private static final Logger log = LoggerFactory.getLogger(PongResponder.class);

  private final Producer<byte[], byte[]> producer;
  private final PongServerConfig config;
  private final Tracer tracer;
  private final TextMapPropagator propagator;
  // Set by a send callback when the broker refuses us for good (authorisation); read by the poll
  // loop.
  private final AtomicReference<Throwable> fatalError = new AtomicReference<>();

  PongResponder(Producer<byte[], byte[]> producer, PongServerConfig config, OpenTelemetry otel) {
    this.producer = producer;
    this.config = config;
    this.tracer = otel.getTracer("dev.kafkaping.server");
    this.propagator = otel.getPropagators().getTextMapPropagator();
  }

  /** Runs one attempt and returns the machine's outcome; blocks the calling (virtual) thread. */
  Outcome<PongMessage> answer(ConsumerRecord<byte[], byte[]> record, PingEnvelope envelope) {
    String sessionId = envelope.body().sessionId().toString();
    Span span =
        MessagingSpans.process(
                tracer,
                "process ping",
                record.topic(),
                record.partition(),
                record.offset(),
                PingRecords.keyText(record),
                sessionId)
            .setParent(parentContext(record, envelope))
            .setAttribute(CONSUMER_GROUP, config.group())
            .startSpan();
    try (Scope ignored = span.makeCurrent()) {
      String machineId = "Pong:" + sessionId;
      StateMachine<PongMessage> machine =
          new StateMachine<>(
              machineId,
              new ListeningForPing(),
              config.budget(),
              this::send,
              new Listeners(new SpanEventsListener<>(span), new LoggingListener(machineId)));
      machine.deliver(new PongMessage.PingReceived(envelope));
      return machine.run();
    } finally {
      span.end();
    }
  }

  /** An error that makes answering impossible (e.g. no WRITE permission on the pong topic). */
  Throwable fatalError() {
    return fatalError.get();
  }

  /** Headers first (W3C and whatever OTEL_PROPAGATORS names); the JSON context as a fallback. */
  private Context parentContext(ConsumerRecord<byte[], byte[]> record, PingEnvelope envelope) {
    Context fromHeaders =
        propagator.extract(Context.root(), record.headers(), KafkaHeadersGetter.INSTANCE);
    if (Span.fromContext(fromHeaders).getSpanContext().isValid()) {
      return fromHeaders;
    }
    return propagator.extract(Context.root(), envelope.context(), MapGetter.INSTANCE);
  }

  /** Sends what the machine emits; the send callback feeds {@code PongSent} back into it. */
  private void send(PongMessage message, Consumer<PongMessage> machine) {
    if (!(message instanceof PongMessage.SendPong(var pong))) {
      return;
    }
    String sessionId = pong.sessionId().toString();
    Span span = MessagingSpans.send(tracer, "send pong", config.pongTopic(), sessionId).startSpan();
    ProducerRecord<byte[], byte[]> record =
        new ProducerRecord<>(
            config.pongTopic(),
            sessionId.getBytes(StandardCharsets.UTF_8),
            WireCodec.encodePong(pong));
    propagator.inject(Context.current().with(span), record.headers(), KafkaHeadersSetter.INSTANCE);
    try {
      producer.send(
          record,
          (metadata, error) -> {
            if (error == null) {
              span.setAttribute(PARTITION, Integer.toString(metadata.partition()));
              span.setAttribute(OFFSET, metadata.offset());
              span.end();
              machine.accept(new PongMessage.PongSent(metadata.partition(), metadata.offset()));
            } else {
              if (KafkaErrors.isFatal(error)) {
                fatalError.compareAndSet(null, error);
              }
              span.recordException(error);
              span.setStatus(StatusCode.ERROR, "pong not sent: " + error.getMessage());
              span.end();
              machine.accept(
                  new PongMessage.PongSendFailed("pong not sent: " + error.getMessage()));
            }
          });
    } catch (RuntimeException e) {
      span.setStatus(StatusCode.ERROR, "pong not sent: " + e.getMessage());
      span.end();
      machine.accept(new PongMessage.PongSendFailed("pong not sent: " + e.getMessage()));
    }
  }

  /** Debug lines that carry the machine id, like the original's instrumented logs. */
  private record LoggingListener(String machineId) implements MachineListener<PongMessage> {
    @Override
    public void entered(State<PongMessage> state) {
      log.debug("{} entered {}", machineId, state.name());
    }

    @Override
    public void delivered(State<PongMessage> state, PongMessage message) {
      log.debug("{} {} accepted {}", machineId, state.name(), message.getClass().getSimpleName());
    }

    @Override
    public void parked(State<PongMessage> state, PongMessage message) {
      log.debug("{} {} parked {}", machineId, state.name(), message.getClass().getSimpleName());
    }
  }

  /** Fans one machine's events out to several listeners. */
  private record Listeners(MachineListener<PongMessage> first, MachineListener<PongMessage> second)
      implements MachineListener<PongMessage> {
    @Override
    public void entered(State<PongMessage> state) {
      first.entered(state);
      second.entered(state);
    }

    @Override
    public void delivered(State<PongMessage> state, PongMessage message) {
      first.delivered(state, message);
      second.delivered(state, message);
    }

    @Override
    public void parked(State<PongMessage> state, PongMessage message) {
      first.parked(state, message);
      second.parked(state, message);
    }

    @Override
    public void finished(Outcome<PongMessage> outcome) {
      first.finished(outcome);
      second.finished(outcome);
    }
  }

  static String describe(Outcome<PongMessage> outcome) {
    return switch (outcome) {
      case Outcome.Finished<PongMessage> f -> "answered in " + f.elapsed().toMillis() + " ms";
      case Outcome.TimedOut<PongMessage> t ->
          "no PongSent within "
              + t.budget().toMillis()
              + " ms (state "
              + t.lastState().name()
              + ")";
      case Outcome.StateFailed<PongMessage> f ->
          f.reason() + " (state " + f.lastState().name() + ")";
      case Outcome.ChannelClosed<PongMessage> c -> "stopped in state " + c.lastState().name();
    };
  }
}
