package dev.kafkaping.client;

import static dev.kafkaping.tracing.MessagingAttributes.*;

import dev.kafkaping.kafka.KafkaErrors;
import dev.kafkaping.message.Ping;
import dev.kafkaping.message.PingEnvelope;
import dev.kafkaping.message.WireCodec;
import dev.kafkaping.statemachine.Outcome;
import dev.kafkaping.statemachine.StateMachine;
import dev.kafkaping.tracing.KafkaHeadersSetter;
import dev.kafkaping.tracing.MessagingSpans;
import dev.kafkaping.tracing.SpanEventsListener;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Performs one round trip: runs a Ping state machine for a new session inside a root span. */
final class Pinger {
  private final Producer<byte[], byte[]> producer;
  private final PongListener pongs;
  private final String pingTopic;
  private final String pongTopic;
  private final Tracer tracer;
  private final TextMapPropagator propagator;
  // Machines still waiting, so that Ctrl-C can close them.
  private final Set<StateMachine<PingMessage>> running = ConcurrentHashMap.newKeySet();

  Pinger(
      Producer<byte[], byte[]> producer,
      PongListener pongs,
      String pingTopic,
      String pongTopic,
      OpenTelemetry openTelemetry) {
    this.producer = producer;
    this.pongs = pongs;
    this.pingTopic = pingTopic;
    this.pongTopic = pongTopic;
    this.tracer = openTelemetry.getTracer("dev.kafkaping.client");
    this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
  }

  /**
   * Sends one ping and waits up to {@code wait} for its pong; blocks the calling thread. Throws the
   * send error when retrying cannot help (authentication, authorisation).
   */
  RoundTrip ping(int sequence, Duration wait) {
    UUID sessionId = UUID.randomUUID();
    Span session =
        tracer
            .spanBuilder("ping")
            .setNoParent()
            .setSpanKind(SpanKind.INTERNAL)
            .setAttribute(SESSION_ID, sessionId.toString())
            .setAttribute("ping.sequence", sequence)
            .startSpan();
    String traceId =
        session.getSpanContext().isValid() ? session.getSpanContext().getTraceId() : null;
    try (Scope ignored = session.makeCurrent()) {
      PingState state = new PingState(new Ping(sessionId));
      long[] sentNanos = new long[1];
      AtomicReference<Throwable> sendError = new AtomicReference<>();
      StateMachine<PingMessage> machine =
          new StateMachine<>(
              "Ping:" + sessionId,
              state,
              wait,
              (message, replyTo) -> {
                if (message instanceof PingMessage.SendPing(Ping ping)) {
                  sentNanos[0] = send(ping, replyTo, sendError);
                }
              },
              new SpanEventsListener<>(session));
      pongs.register(sessionId, machine::deliver);
      running.add(machine);
      Outcome<PingMessage> outcome;
      try {
        outcome = machine.run();
      } finally {
        running.remove(machine);
        pongs.unregister(sessionId);
      }
      return switch (outcome) {
        case Outcome.Finished<PingMessage> f ->
            answered(sequence, sessionId, state, sentNanos[0], traceId, session);
        case Outcome.TimedOut<PingMessage> t ->
            new RoundTrip.Lost(
                sequence, sessionId, "no pong within " + wait.toMillis() + " ms", traceId);
        case Outcome.StateFailed<PingMessage> f -> {
          if (sendError.get() != null && KafkaErrors.isFatal(sendError.get())) {
            throw new FatalException(sendError.get(), "WRITE");
          }
          if (pongs.failure() != null) {
            throw new FatalException(pongs.failure(), "READ");
          }
          yield new RoundTrip.Lost(sequence, sessionId, f.reason(), traceId);
        }
        case Outcome.ChannelClosed<PingMessage> c ->
            new RoundTrip.Lost(sequence, sessionId, "interrupted", traceId);
      };
    } finally {
      session.end();
    }
  }

  /** Ends every round trip still waiting (Ctrl-C). */
  void stopAll() {
    running.forEach(StateMachine::close);
  }

  private long send(
      Ping ping, Consumer<PingMessage> machine, AtomicReference<Throwable> sendError) {
    String sessionId = ping.sessionId().toString();
    Span span = MessagingSpans.send(tracer, "send ping", pingTopic, sessionId).startSpan();
    Context context = Context.current().with(span);
    Map<String, String> fields = new HashMap<>();
    propagator.inject(context, fields, (carrier, key, value) -> carrier.put(key, value));
    ProducerRecord<byte[], byte[]> record =
        new ProducerRecord<>(
            pingTopic,
            sessionId.getBytes(StandardCharsets.UTF_8),
            WireCodec.encodePing(new PingEnvelope(fields, ping)));
    propagator.inject(context, record.headers(), KafkaHeadersSetter.INSTANCE);
    long sentNanos = System.nanoTime();
    try {
      producer.send(
          record,
          (metadata, error) -> {
            if (error == null) {
              span.setAttribute(PARTITION, Integer.toString(metadata.partition()));
              span.setAttribute(OFFSET, metadata.offset());
            } else {
              sendError.set(error);
              span.setStatus(StatusCode.ERROR, "ping not sent: " + error.getMessage());
              machine.accept(
                  new PingMessage.PingSendFailed("ping not sent: " + error.getMessage()));
            }
            span.end();
          });
    } catch (RuntimeException e) {
      sendError.set(e);
      span.setStatus(StatusCode.ERROR, "ping not sent: " + e.getMessage());
      span.end();
      machine.accept(new PingMessage.PingSendFailed("ping not sent: " + e.getMessage()));
    }
    return sentNanos;
  }

  private RoundTrip answered(
      int sequence, UUID sessionId, PingState state, long sentNanos, String traceId, Span session) {
    PingMessage.PongReceived pong = state.receivedPong().orElseThrow();
    long nanos = pong.receivedNanos() - sentNanos;
    Instant receivedAt = Instant.now().minusNanos(System.nanoTime() - pong.receivedNanos());
    Span process =
        MessagingSpans.process(
                tracer,
                "process pong",
                pongTopic,
                pong.partition(),
                pong.offset(),
                sessionId.toString(),
                sessionId.toString())
            .setParent(Context.current().with(session))
            .addLink(Span.fromContext(pong.sender()).getSpanContext())
            .setStartTimestamp(receivedAt)
            .startSpan();
    process.end();
    session.setAttribute("ping.rtt_ms", nanos / 1e6);
    return new RoundTrip.Answered(
        sequence, sessionId, pong.partition(), pong.offset(), nanos / 1e6, traceId);
  }

  /** Pinging cannot go on: retrying cannot help (authentication, authorisation). */
  static final class FatalException extends RuntimeException {
    private final String operation;

    FatalException(Throwable cause, String operation) {
      super(cause.getMessage(), cause);
      this.operation = operation;
    }

    /** The ACL operation that was refused: WRITE (sending pings) or READ (reading pongs). */
    String operation() {
      return operation;
    }
  }
}
