package dev.kafkaping.server;

import static dev.kafkaping.tracing.MessagingAttributes.CONSUMER_GROUP;

import dev.kafkaping.avro.AvroCodec;
import dev.kafkaping.avro.SchemaRegistryException;
import dev.kafkaping.kafka.KafkaErrors;
import dev.kafkaping.message.PingEnvelope;
import dev.kafkaping.message.Pong;
import dev.kafkaping.message.WireCodec;
import dev.kafkaping.message.WireFormat;
import dev.kafkaping.statemachine.MachineListener;
import dev.kafkaping.statemachine.Outcome;
import dev.kafkaping.statemachine.StateMachineRunner;
import dev.kafkaping.tracing.EnvelopeContext;
import dev.kafkaping.tracing.MessagingSpans;
import dev.kafkaping.tracing.SpanEventsListener;
import dev.kafkaping.tracing.TracedSend;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Answers one valid ping by running a Pong state machine inside a {@code process ping} span. */
final class PongResponder {
  private final TracedSend sender;
  private final Tracer tracer;
  private final TextMapPropagator propagator;
  private final String pongTopic;
  private final String group;
  private final Duration budget;
  private final Optional<AvroCodec> avro;

  PongResponder(
      Producer<byte[], byte[]> producer,
      String pongTopic,
      String group,
      Duration budget,
      Optional<AvroCodec> avro,
      OpenTelemetry otel) {
    this.tracer = otel.getTracer("dev.kafkaping.server");
    this.propagator = otel.getPropagators().getTextMapPropagator();
    this.sender = new TracedSend(producer, tracer, propagator);
    this.pongTopic = pongTopic;
    this.group = group;
    this.budget = budget;
    this.avro = avro;
  }

  /**
   * Runs one attempt, answering in the ping's own format; blocks the calling (virtual) thread for
   * at most the budget.
   */
  Attempt answer(ConsumerRecord<byte[], byte[]> record, PingEnvelope envelope, WireFormat format) {
    Function<Pong, byte[]> encoder;
    try {
      encoder = pongEncoder(format);
    } catch (SchemaRegistryException e) {
      return new Attempt.Failed(e.getMessage());
    }
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
            .setAttribute(CONSUMER_GROUP, group)
            .startSpan();
    try (Scope ignored = span.makeCurrent()) {
      StateMachineRunner<PongMessage> machine =
          new StateMachineRunner<>(
              new ListeningForPing(),
              budget,
              (message, events) -> send(message, encoder, events),
              listener(span, sessionId));
      machine.deliver(new PongMessage.PingReceived(envelope));
      return attemptOf(machine.run());
    } finally {
      span.end();
    }
  }

  /**
   * Span events and debug lines, each only when something will read them: with export off the span
   * records nothing, and building its events for every ping would cost a busy server for nothing.
   */
  private static MachineListener<PongMessage> listener(Span span, String sessionId) {
    MachineListener<PongMessage> events =
        span.isRecording() ? new SpanEventsListener<>(span) : MachineListener.none();
    return MachineLog.enabled()
        ? MachineListener.both(events, new MachineLog("Pong:" + sessionId))
        : events;
  }

  private static Attempt attemptOf(Outcome<PongMessage> outcome) {
    return switch (outcome) {
      case Outcome.Finished<PongMessage> f -> new Attempt.Done(new Handled.Answered());
      case Outcome.StateFailed<PongMessage> f
          when f.lastState() instanceof SendingPong sending
              && sending.sendError().filter(KafkaErrors::isFatal).isPresent() ->
          new Attempt.Fatal(sending.sendError().get());
      case Outcome.StateFailed<PongMessage> f ->
          new Attempt.Failed(f.reason() + " (state " + f.lastState().name() + ")");
      case Outcome.TimedOut<PongMessage> t ->
          new Attempt.Failed(
              "no PongSent within "
                  + t.budget().toMillis()
                  + " ms (state "
                  + t.lastState().name()
                  + ")");
      case Outcome.ChannelClosed<PongMessage> c ->
          new Attempt.Failed("stopped in state " + c.lastState().name());
    };
  }

  /**
   * Headers first (whatever OTEL_PROPAGATORS names); the JSON context as a fallback, in W3C or
   * Jaeger form, so that the original client's {@code uber-trace-id} is joined by default.
   */
  private Context parentContext(ConsumerRecord<byte[], byte[]> record, PingEnvelope envelope) {
    return EnvelopeContext.parentOf(propagator, record.headers(), envelope.context());
  }

  /** The pong's bytes in the given format; Avro needs the Pong schema's id (cached once known). */
  private Function<Pong, byte[]> pongEncoder(WireFormat format) throws SchemaRegistryException {
    return switch (format) {
      case JSON -> WireCodec::encodePong;
      case AVRO -> {
        // Only reached with a codec: without one an Avro ping is dead-lettered before this.
        int schemaId = avro.orElseThrow().registerPong(pongTopic);
        yield pong -> AvroCodec.encodePong(pong, schemaId);
      }
    };
  }

  /** Sends what the machine emits; the send's result goes back into the machine. */
  private void send(
      PongMessage message, Function<Pong, byte[]> encoder, Consumer<PongMessage> machine) {
    if (!(message instanceof PongMessage.SendPong(var pong))) {
      return;
    }
    String sessionId = pong.sessionId().toString();
    sender.send(
        "send pong",
        pongTopic,
        sessionId,
        context ->
            new ProducerRecord<>(
                pongTopic, sessionId.getBytes(StandardCharsets.UTF_8), encoder.apply(pong)),
        result ->
            machine.accept(
                switch (result) {
                  case TracedSend.Result.Sent sent -> new PongMessage.PongSent();
                  case TracedSend.Result.NotSent notSent ->
                      new PongMessage.PongSendFailed(notSent.error());
                }));
  }
}
