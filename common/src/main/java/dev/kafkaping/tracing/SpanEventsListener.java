package dev.kafkaping.tracing;

import dev.kafkaping.statemachine.MachineListener;
import dev.kafkaping.statemachine.Outcome;
import dev.kafkaping.statemachine.State;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;

/** Tells a machine's story as events on a span, the way the original's instrumented logs did. */
public final class SpanEventsListener<M> implements MachineListener<M> {
  private static final AttributeKey<String> STATE = AttributeKey.stringKey("state");
  private static final AttributeKey<String> MESSAGE = AttributeKey.stringKey("message");

  private final Span span;

  public SpanEventsListener(Span span) {
    this.span = span;
  }

  @Override
  public void entered(State<M> state) {
    span.addEvent("state entered", Attributes.of(STATE, state.name()));
  }

  @Override
  public void delivered(State<M> state, M message) {
    span.addEvent(
        "message delivered", Attributes.of(STATE, state.name(), MESSAGE, messageName(message)));
  }

  @Override
  public void parked(State<M> state, M message) {
    span.addEvent(
        "message parked", Attributes.of(STATE, state.name(), MESSAGE, messageName(message)));
  }

  @Override
  public void finished(Outcome<M> outcome) {
    String state = outcome.lastState().name();
    switch (outcome) {
      case Outcome.Finished<M> f -> span.addEvent("terminal", Attributes.of(STATE, state));
      case Outcome.TimedOut<M> t -> {
        span.addEvent("timeout", Attributes.of(STATE, state));
        span.setStatus(StatusCode.ERROR, "timed out after " + t.budget() + " in " + state);
      }
      case Outcome.StateFailed<M> f -> {
        span.addEvent("failed", Attributes.of(STATE, state));
        span.setStatus(StatusCode.ERROR, f.reason());
      }
      case Outcome.ChannelClosed<M> c -> {
        span.addEvent("channel closed", Attributes.of(STATE, state));
        span.setStatus(StatusCode.ERROR, "stopped before finishing in " + state);
      }
    }
  }

  private String messageName(M message) {
    return message.getClass().getSimpleName();
  }
}
