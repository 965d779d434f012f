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
  private boolean pongSent;
  private Optional<Throwable> sendError = Optional.empty();

  SendingPong(Ping receivedPing) {
    this.receivedPing = receivedPing;
  }

  /** Why the pong could not be sent, once the machine failed on it. */
  Optional<Throwable> sendError() {
    return sendError;
  }

  @Override
  public List<PongMessage> initialize() {
    return List.of(new PongMessage.SendPong(new Pong(receivedPing.sessionId())));
  }

  @Override
  public Delivery deliver(PongMessage message) {
    return switch (message) {
      case PongMessage.PongSent sent -> {
        pongSent = true;
        yield new Delivery.Delivered();
      }
      case PongMessage.PongSendFailed failed -> {
        sendError = Optional.of(failed.error());
        yield new Delivery.Failed("pong not sent: " + failed.error().getMessage());
      }
      default -> new Delivery.Unexpected();
    };
  }

  @Override
  public Transition<PongMessage> advance() {
    return pongSent ? new Transition.Terminal<>() : new Transition.Same<>();
  }
}
