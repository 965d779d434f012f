package dev.kafkaping.statemachine;

/** The outcome of {@link State#advance()}. */
public sealed interface Transition<M> {

  /** Stay in the current state and wait for the next message. */
  record Same<M>() implements Transition<M> {}

  /** Enter another state. */
  record Next<M>(State<M> state) implements Transition<M> {}

  /** The machine has finished in the current state. */
  record Terminal<M>() implements Transition<M> {}
}
