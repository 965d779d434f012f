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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Answers one valid ping by running a Pong state machine inside a {@code process ping} span. */
final class PongResponder {
  private static final Logger log = LoggerFactory.getLogger(PongResponder.class);
  private final TracedSend sender;
  private final Tracer tracer;
  private final TextMapPropagator propagator;
  private final String group;
  private final Duration budget;
  private final Duration verdictBound;
  private final Optional<AvroCodec> avro;

  PongResponder(
      Producer<byte[], byte[]> producer,
      String group,
      Duration budget,
      Duration verdictBound,
      Optional<AvroCodec> avro,
      OpenTelemetry otel) {
    this.tracer = otel.getTracer("dev.kafkaping.server");
    this.propagator = otel.getPropagators().getTextMapPropagator();
    this.sender = new TracedSend(producer, tracer, propagator);
    this.group = group;
    this.budget = budget;
    this.verdictBound = verdictBound;
    this.avro = avro;
  }

  /**
   * Runs one attempt, answering with the given encoder (the ping's own format); blocks the calling
   * (virtual) thread for at most the budget.
   */
  Attempt answer(
      ConsumerRecord<byte[], byte[]> record,
      PingEnvelope envelope,
      ReplyRoute route,
      Function<Pong, byte[]> encoder) {
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
      CompletableFuture<TracedSend.Result> verdict = new CompletableFuture<>();
      StateMachineRunner<PongMessage> machine =
          new StateMachineRunner<>(
              new ListeningForPing(),
              budget,
              (message, events) -> send(message, record, route, encoder, events, verdict),
              listener(span, sessionId));
      machine.deliver(new PongMessage.PingReceived(envelope));
      Outcome<PongMessage> outcome = machine.run();
      return switch (outcome) {
        case Outcome.TimedOut<PongMessage> t when t.lastState() instanceof SendingPong ->
            afterVerdict(attemptOf(t), verdict, sessionId);
        case Outcome.ChannelClosed<PongMessage> c when c.lastState() instanceof SendingPong ->
            afterVerdict(attemptOf(c), verdict, sessionId);
        default -> attemptOf(outcome);
      };
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
   * A machine that ran out of budget may have left its pong in the producer's buffer. Starting
   * another send for the same ping now would queue a second copy, and every queued copy is
   * delivered once the broker is back (three pongs for one ping after an outage). So the attempt
   * ends when its send ends (the producer's delivery timeout decides it, see {@link Verdicts}), and
   * a pong the broker took after all answers the ping.
   */
  private Attempt afterVerdict(
      Attempt failed, CompletableFuture<TracedSend.Result> verdict, String sessionId) {
    try {
      TracedSend.Result result = Verdicts.await(verdict, verdictBound, "Pong:" + sessionId);
      return switch (result) {
        case TracedSend.Result.Sent sent -> {
          log.debug("Pong:{} acknowledged after the budget: answered", sessionId);
          yield new Attempt.Done(new Handled.Answered());
        }
        case TracedSend.Result.NotSent notSent -> failed;
      };
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return failed;
    } catch (ExecutionException e) {
      return failed; // the callback completes the verdict normally; nothing fails it
    }
  }

  /**
   * Headers first (whatever OTEL_PROPAGATORS names); the JSON context as a fallback, in W3C or
   * Jaeger form, so that the original client's {@code uber-trace-id} is joined by default.
   */
  private Context parentContext(ConsumerRecord<byte[], byte[]> record, PingEnvelope envelope) {
    return EnvelopeContext.parentOf(propagator, record.headers(), envelope.context());
  }

  /**
   * The pong's bytes in the given format; Avro needs the Pong schema's id under the topic the pong
   * goes to (cached once known).
   */
  Function<Pong, byte[]> encoder(WireFormat format, String topic) throws SchemaRegistryException {
    return switch (format) {
      case JSON -> WireCodec::encodePong;
      case AVRO -> {
        // Only reached with a codec: without one an Avro ping is dead-lettered before this.
        int schemaId = avro.orElseThrow().registerPong(topic);
        yield pong -> AvroCodec.encodePong(pong, schemaId);
      }
    };
  }

  /** Sends what the machine emits; the send's result goes back into the machine. */
  private void send(
      PongMessage message,
      ConsumerRecord<byte[], byte[]> ping,
      ReplyRoute route,
      Function<Pong, byte[]> encoder,
      Consumer<PongMessage> machine,
      CompletableFuture<TracedSend.Result> verdict) {
    if (!(message instanceof PongMessage.SendPong(var pong))) {
      return;
    }
    String sessionId = pong.sessionId().toString();
    sender.send(
        "send pong",
        route.topic(),
        sessionId,
        context -> pongRecord(route, ping, sessionId, encoder.apply(pong)),
        result -> {
          verdict.complete(result);
          machine.accept(
              switch (result) {
                case TracedSend.Result.Sent sent -> new PongMessage.PongSent();
                case TracedSend.Result.NotSent notSent ->
                    new PongMessage.PongSendFailed(notSent.error());
              });
        });
  }

  /**
   * On the pong topic keyed by the session id; on a request/reply client's topic as {@code @SendTo}
   * answers: the request's key, its partition if it named one, its correlation id back.
   */
  private static ProducerRecord<byte[], byte[]> pongRecord(
      ReplyRoute route, ConsumerRecord<byte[], byte[]> ping, String sessionId, byte[] value) {
    return switch (route) {
      case ReplyRoute.PongTopic pongTopic ->
          new ProducerRecord<>(
              pongTopic.topic(), sessionId.getBytes(StandardCharsets.UTF_8), value);
      case ReplyRoute.RequestReply reply -> {
        ProducerRecord<byte[], byte[]> record =
            new ProducerRecord<>(reply.topic(), reply.partition().orElse(null), ping.key(), value);
        record.headers().add(reply.convention().correlationHeader(), reply.correlationId());
        yield record;
      }
    };
  }
}
