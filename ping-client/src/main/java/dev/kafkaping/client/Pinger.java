package dev.kafkaping.client;

import static dev.kafkaping.tracing.MessagingAttributes.SESSION_ID;

import dev.kafkaping.kafka.KafkaErrors;
import dev.kafkaping.message.Ping;
import dev.kafkaping.statemachine.Outcome;
import dev.kafkaping.statemachine.StateMachineRunner;
import dev.kafkaping.tracing.MessagingSpans;
import dev.kafkaping.tracing.SpanEventsListener;
import dev.kafkaping.tracing.TracedSend;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Performs one round trip: runs a Ping state machine for a new session inside a root span. */
final class Pinger implements RoundTripper {
  private final TracedSend tracedSend;
  private final PendingPongs pending;
  private final PingRecords records;
  private final AnswerKind answerKind;
  private final String pingTopic;
  private final String pongTopic;
  private final Tracer tracer;
  private final TextMapPropagator propagator;
  // Machines still waiting, so that Ctrl-C can close them.
  private final Set<StateMachineRunner<PingMessage>> running = ConcurrentHashMap.newKeySet();
  private final PingMetrics metrics;
  // Set once before the first ping (--every-partition draws ids for a partition).
  private IntFunction<UUID> sessionIds = sequence -> UUID.randomUUID();
  private volatile boolean stopped;

  Pinger(
      Producer<byte[], byte[]> producer,
      PendingPongs pending,
      PingWire wire,
      Optional<RequestReply> requestReply,
      String pingTopic,
      String pongTopic,
      OpenTelemetry openTelemetry,
      PingMetrics metrics) {
    this.metrics = metrics;
    this.pending = pending;
    this.records = new PingRecords(pingTopic, pongTopic, wire, requestReply);
    this.answerKind = AnswerKind.of(requestReply);
    this.pingTopic = pingTopic;
    this.pongTopic = pongTopic;
    this.tracer = openTelemetry.getTracer("dev.kafkaping.client");
    this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
    this.tracedSend = new TracedSend(producer, tracer, propagator);
  }

  /** Where the session ids of the pings come from; called before the first ping. */
  void sessionIds(IntFunction<UUID> ids) {
    this.sessionIds = ids;
  }

  @Override
  public PingResult ping(int sequence, Duration wait) {
    Optional<RuntimeException> listenerFailed = pending.failure();
    if (listenerFailed.isPresent()) {
      return new PingResult.Fatal(listenerFailed.get(), "READ"); // no ping nobody will answer
    }
    UUID sessionId = sessionIds.apply(sequence);
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
      StateMachineRunner<PingMessage> machine =
          new StateMachineRunner<>(state, wait, this::send, new SpanEventsListener<>(session));
      PendingPongs.Session registered =
          new PendingPongs.Session(sessionId, sequence, traceId, machine::deliver);
      return switch (runRegistered(registered, machine)) {
        case Outcome.Finished<PingMessage> f ->
            answered(sequence, sessionId, state, session, traceId);
        case Outcome.TimedOut<PingMessage> t ->
            new RoundTrip.Lost(
                sequence,
                sessionId,
                "no " + answerKind.noun() + " within " + wait.toMillis() + " ms",
                traceId);
        case Outcome.StateFailed<PingMessage> f ->
            switch (state.failure()) {
              case PingMessage.PingSendFailed(Throwable error) when KafkaErrors.isFatal(error) ->
                  new PingResult.Fatal(error, "WRITE");
              case PingMessage.ListenerFailed(RuntimeException error) ->
                  new PingResult.Fatal(error, "READ");
              case null, default -> new RoundTrip.Lost(sequence, sessionId, f.reason(), traceId);
            };
        case Outcome.ChannelClosed<PingMessage> c ->
            new RoundTrip.Lost(sequence, sessionId, "interrupted", traceId);
      };
    } finally {
      session.end();
    }
  }

  @Override
  public void stopAll() {
    stopped = true;
    running.forEach(StateMachineRunner::close);
  }

  @Override
  public void onDuplicate(Consumer<DuplicatePong> sink) {
    pending.onDuplicate(sink);
  }

  private Outcome<PingMessage> runRegistered(
      PendingPongs.Session session, StateMachineRunner<PingMessage> machine) {
    pending.register(session);
    running.add(machine);
    // stopAll() may have come after the caller decided to ping but before the add above, and then
    // missed this machine; it sets the flag before it looks, so one of the two closes it.
    if (stopped) {
      machine.close();
    }
    try {
      return machine.run();
    } finally {
      running.remove(machine);
      pending.unregister(session.id());
    }
  }

  /** The machine's outbox: sends the ping, telling the machine when it went and if it failed. */
  private void send(PingMessage message, Consumer<PingMessage> machine) {
    if (!(message instanceof PingMessage.SendPing(Ping ping))) {
      return;
    }
    tracedSend.send(
        "send ping",
        pingTopic,
        ping.sessionId().toString(),
        context -> {
          ProducerRecord<byte[], byte[]> record = records.of(ping, context);
          // Timed after encoding, as ping(8) times from sendto(): in a fresh JVM the first
          // encoding costs milliseconds that are not the round trip's.
          long sentNanos = System.nanoTime();
          pending.handedOver(ping.sessionId(), sentNanos);
          machine.accept(new PingMessage.PingHandedOver(sentNanos));
          return record;
        },
        result -> {
          metrics.sendEnded(result);
          switch (result) {
            case TracedSend.Result.Sent sent -> {} // the pong is what the machine waits for
            case TracedSend.Result.NotSent notSent ->
                machine.accept(new PingMessage.PingSendFailed(notSent.error()));
          }
        });
  }

  private RoundTrip.Answered answered(
      int sequence, UUID sessionId, PingState state, Span session, String traceId) {
    PingMessage.PongReceived pong = state.receivedPong().orElseThrow();
    Instant receivedAt = Instant.now().minusNanos(System.nanoTime() - pong.receivedNanos());
    SpanBuilder process =
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
            .setStartTimestamp(receivedAt);
    if (answerKind == AnswerKind.REPLY) {
      process.setAttribute(RequestReply.CONVERSATION_ID, sessionId.toString());
    }
    process.startSpan().end();
    double millis = state.roundTripMillis();
    session.setAttribute("ping.rtt_ms", millis);
    return new RoundTrip.Answered(
        sequence, sessionId, pong.partition(), pong.offset(), pong.bytes(), millis, traceId);
  }
}
