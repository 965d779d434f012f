package dev.kafkaping.statemachine;

/** Observes a machine's story (for logs and span events). Called on the machine's own thread. */
public interface MachineListener<M> {

  default void entered(State<M> state) {}

  default void delivered(State<M> state, M message) {}

  default void parked(State<M> state, M message) {}

  default void finished(Outcome<M> outcome) {}

  static <M> MachineListener<M> none() {
    return new MachineListener<>() {};
  }
}
