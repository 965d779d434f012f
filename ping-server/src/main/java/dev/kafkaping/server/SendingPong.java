package dev.kafkaping.server;

import dev.kafkaping.message.Ping;
import dev.kafkaping.message.Pong;
import dev.kafkaping.statemachine.Delivery;
import dev.kafkaping.statemachine.State;
import dev.kafkaping.statemachine.Transition;
import java.util.List;
import java.util.Optional;

/**
 * The second state of the Pong machine: emits the pong on entry and stays until the broker has
 * acknowledged it ({@code PongSent}); only then is the ping answered.
 */
final class SendingPong implements State<PongMessage> {
  private final Ping receivedPing;
  private Optional<Pong> sentPong = Optional.empty();

  SendingPong(Ping receivedPing) {
    this.receivedPing = receivedPing;
  }

  @Override
  public List<PongMessage> initialize() {
    return List.of(new PongMessage.SendPong(new Pong(receivedPing.sessionId())));
  }

  @Override
  public Delivery deliver(PongMessage message) {
    return switch (message) {
      case PongMessage.PongSent sent -> {
        sentPong = Optional.of(new Pong(receivedPing.sessionId()));
        yield new Delivery.Delivered();
      }
      case PongMessage.PongSendFailed failed -> new Delivery.Failed(failed.reason());
      default -> new Delivery.Unexpected();
    };
  }

  @Override
  public Transition<PongMessage> advance() {
    return sentPong.isPresent() ? new Transition.Terminal<>() : new Transition.Same<>();
  }
}
