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

  /** Tells both listeners everything, first {@code first}. */
  static <M> MachineListener<M> both(MachineListener<M> first, MachineListener<M> second) {
    return new MachineListener<>() {
      @Override
      public void entered(State<M> state) {
        first.entered(state);
        second.entered(state);
      }

      @Override
      public void delivered(State<M> state, M message) {
        first.delivered(state, message);
        second.delivered(state, message);
      }

      @Override
      public void parked(State<M> state, M message) {
        first.parked(state, message);
        second.parked(state, message);
      }

      @Override
      public void finished(Outcome<M> outcome) {
        first.finished(outcome);
        second.finished(outcome);
      }
    };
  }
}
