package dev.kafkaping.client;

import dev.kafkaping.message.Ping;
import dev.kafkaping.statemachine.Delivery;
import dev.kafkaping.statemachine.State;
import dev.kafkaping.statemachine.Transition;
import java.util.List;
import java.util.Optional;

/**
 * The only state of the Ping machine: sends the ping on entry, finishes on the matching pong. It is
 * also the round trip's record: when the ping went out, the pong, or the message that failed it.
 */
final class PingState implements State<PingMessage> {
  private final Ping pingToSend;
  private long sentNanos;
  private Optional<PingMessage.PongReceived> receivedPong = Optional.empty();
  private PingMessage failure;

  PingState(Ping pingToSend) {
    this.pingToSend = pingToSend;
  }

  @Override
  public List<PingMessage> initialize() {
    return List.of(new PingMessage.SendPing(pingToSend));
  }

  @Override
  public Delivery deliver(PingMessage message) {
    return switch (message) {
      case PingMessage.PingHandedOver(long nanos) -> {
        sentNanos = nanos;
        yield new Delivery.Delivered();
      }
      case PingMessage.PongReceived pong
          when pong.sessionId().equals(pingToSend.sessionId()) && receivedPong.isEmpty() -> {
        receivedPong = Optional.of(pong);
        yield new Delivery.Delivered();
      }
      case PingMessage.PingSendFailed failed ->
          fail(failed, "ping not sent: " + failed.error().getMessage());
      case PingMessage.ListenerFailed failed -> fail(failed, failed.error().getMessage());
      default -> new Delivery.Unexpected();
    };
  }

  @Override
  public Transition<PingMessage> advance() {
    return receivedPong.isPresent() ? new Transition.Terminal<>() : new Transition.Same<>();
  }

  Optional<PingMessage.PongReceived> receivedPong() {
    return receivedPong;
  }

  /** From handing the ping to the producer to reading its pong; only once the pong is here. */
  double roundTripMillis() {
    return (receivedPong.orElseThrow().receivedNanos() - sentNanos) / 1e6;
  }

  /** The message that made the machine fail, or null when none did. */
  PingMessage failure() {
    return failure;
  }

  private Delivery fail(PingMessage message, String reason) {
    failure = message;
    return new Delivery.Failed(reason);
  }
}
