package dev.kafkaping.client;

import dev.kafkaping.message.Ping;
import dev.kafkaping.statemachine.Delivery;
import dev.kafkaping.statemachine.State;
import dev.kafkaping.statemachine.Transition;
import java.util.List;
import java.util.Optional;

/** The only state of the Ping machine: sends the ping on entry, finishes on the matching pong. */
final class PingState implements State<PingMessage> {
  private final Ping pingToSend;
  private Optional<PingMessage.PongReceived> receivedPong = Optional.empty();

  PingState(Ping pingToSend) {
    this.pingToSend = pingToSend;
  }

  Optional<PingMessage.PongReceived> receivedPong() {
    return receivedPong;
  }

  @Override
  public List<PingMessage> initialize() {
    return List.of(new PingMessage.SendPing(pingToSend));
  }

  @Override
  public Delivery deliver(PingMessage message) {
    return switch (message) {
      case PingMessage.PongReceived pong
          when pong.pong().sessionId().equals(pingToSend.sessionId()) && receivedPong.isEmpty() -> {
        receivedPong = Optional.of(pong);
        yield new Delivery.Delivered();
      }
      case PingMessage.PingSendFailed failed -> new Delivery.Failed(failed.reason());
      case PingMessage.ListenerFailed failed -> new Delivery.Failed(failed.reason());
      default -> new Delivery.Unexpected();
    };
  }

  @Override
  public Transition<PingMessage> advance() {
    return receivedPong.isPresent() ? new Transition.Terminal<>() : new Transition.Same<>();
  }
}
