package dev.kafkaping.server;

import dev.kafkaping.message.Ping;
import dev.kafkaping.statemachine.Delivery;
import dev.kafkaping.statemachine.State;
import dev.kafkaping.statemachine.Transition;
import java.util.Optional;

/** The first state of the Pong machine: waits for its ping. */
final class ListeningForPing implements State<PongMessage> {
  private Optional<Ping> receivedPing = Optional.empty();

  @Override
  public Delivery deliver(PongMessage message) {
    if (message instanceof PongMessage.PingReceived received && receivedPing.isEmpty()) {
      receivedPing = Optional.of(received.envelope().body());
      return new Delivery.Delivered();
    }
    return new Delivery.Unexpected();
  }

  @Override
  public Transition<PongMessage> advance() {
    return receivedPing
        .<Transition<PongMessage>>map(ping -> new Transition.Next<>(new SendingPong(ping)))
        .orElseGet(Transition.Same::new);
  }
}
