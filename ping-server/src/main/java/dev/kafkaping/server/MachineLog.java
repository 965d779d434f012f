package dev.kafkaping.server;

import dev.kafkaping.statemachine.MachineListener;
import dev.kafkaping.statemachine.State;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Debug lines that carry the machine id, like the original's instrumented logs. */
record MachineLog(String machineId) implements MachineListener<PongMessage> {
  private static final Logger log = LoggerFactory.getLogger(MachineLog.class);

  /** Whether its lines would be printed at all. */
  static boolean enabled() {
    return log.isDebugEnabled();
  }

  @Override
  public void entered(State<PongMessage> state) {
    log.debug("{} entered {}", machineId, state.name());
  }

  @Override
  public void delivered(State<PongMessage> state, PongMessage message) {
    log.debug("{} {} accepted {}", machineId, state.name(), message.getClass().getSimpleName());
  }

  @Override
  public void parked(State<PongMessage> state, PongMessage message) {
    log.debug("{} {} parked {}", machineId, state.name(), message.getClass().getSimpleName());
  }
}
