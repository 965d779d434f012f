package dev.kafkaping.statemachine;

import java.time.Duration;
import java.util.List;

/** The single result of running a machine: its final state, or why and where it stopped. */
public sealed interface Outcome<M> {

  /** The state the machine was in when it finished or failed. */
  State<M> lastState();

  /** The machine reached a terminal state. */
  record Finished<M>(State<M> lastState, Duration elapsed) implements Outcome<M> {}

  /** The budget ran out before the machine finished. */
  record TimedOut<M>(State<M> lastState, List<M> undelivered, Duration budget)
      implements Outcome<M> {}

  /** A state rejected a message or threw. */
  record StateFailed<M>(State<M> lastState, List<M> undelivered, String reason)
      implements Outcome<M> {}

  /** The inbox was closed before the machine finished. */
  record ChannelClosed<M>(State<M> lastState, List<M> undelivered) implements Outcome<M> {}
}
