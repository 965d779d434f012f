package dev.kafkaping.statemachine;

import java.util.List;

/**
 * One state of a machine, described the way the oblivious-state-machine crate does: what it sends
 * on entry, what it accepts, and where it goes next. A state is owned by the single thread that
 * runs its machine, so it may keep mutable fields.
 *
 * @param <M> the message type the machine exchanges
 */
public interface State<M> {

  /** Messages to send when the machine enters this state. */
  default List<M> initialize() {
    return List.of();
  }

  /** Offers a message to this state; anything it does not recognise is parked for later. */
  default Delivery deliver(M message) {
    return new Delivery.Unexpected();
  }

  /** Decides, after entry and after each delivered message, whether to stay, move on or stop. */
  Transition<M> advance();

  /** The name shown in logs and span events. */
  default String name() {
    return getClass().getSimpleName();
  }
}
