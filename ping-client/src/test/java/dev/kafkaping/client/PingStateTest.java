package dev.kafkaping.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkaping.message.Ping;
import dev.kafkaping.statemachine.Delivery;
import dev.kafkaping.statemachine.Transition;
import io.opentelemetry.context.Context;
import java.util.UUID;
import org.apache.kafka.common.KafkaException;
import org.junit.jupiter.api.Test;

class PingStateTest {
  private final UUID sessionId = UUID.randomUUID();
  private final PingState state = new PingState(new Ping(sessionId));

  @Test
  void shouldAskToSendItsPingWhenEntered() {
    assertThat(state.initialize()).containsExactly(new PingMessage.SendPing(new Ping(sessionId)));
    assertThat(state.advance()).isInstanceOf(Transition.Same.class);
  }

  @Test
  void shouldFinishAndTimeTheRoundTripWhenItsPongArrives() {
    assertThat(state.deliver(new PingMessage.PingHandedOver(1_000_000)))
        .isInstanceOf(Delivery.Delivered.class);
    assertThat(state.advance()).isInstanceOf(Transition.Same.class);

    assertThat(state.deliver(pong(sessionId, 3_500_000))).isInstanceOf(Delivery.Delivered.class);

    assertThat(state.advance()).isInstanceOf(Transition.Terminal.class);
    assertThat(state.roundTripMillis()).isEqualTo(2.5);
    assertThat(state.failure()).isNull();
  }

  @Test
  void shouldParkAPongWhenItIsForAnotherSession() {
    state.deliver(new PingMessage.PingHandedOver(0));

    assertThat(state.deliver(pong(UUID.randomUUID(), 1))).isInstanceOf(Delivery.Unexpected.class);
    assertThat(state.advance()).isInstanceOf(Transition.Same.class);
    assertThat(state.receivedPong()).isEmpty();
  }

  @Test
  void shouldFailAndKeepTheErrorWhenThePingCannotBeSent() {
    PingMessage.PingSendFailed failed =
        new PingMessage.PingSendFailed(new KafkaException("buffer exhausted"));

    assertThat(state.deliver(failed))
        .isEqualTo(new Delivery.Failed("ping not sent: buffer exhausted"));
    assertThat(state.failure()).isSameAs(failed);
  }

  @Test
  void shouldFailAndKeepTheErrorWhenTheListenerStops() {
    PingMessage.ListenerFailed failed =
        new PingMessage.ListenerFailed(new KafkaException("not allowed"));

    assertThat(state.deliver(failed)).isEqualTo(new Delivery.Failed("not allowed"));
    assertThat(state.failure()).isSameAs(failed);
  }

  private static PingMessage.PongReceived pong(UUID sessionId, long receivedNanos) {
    return new PingMessage.PongReceived(sessionId, 0, 0, 60, receivedNanos, Context.root());
  }
}
