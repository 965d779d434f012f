package dev.kafkaping.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkaping.message.Ping;
import dev.kafkaping.message.PingEnvelope;
import dev.kafkaping.statemachine.MachineListener;
import dev.kafkaping.statemachine.Outcome;
import dev.kafkaping.statemachine.StateMachineRunner;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class PongStateMachineTest {
  private final UUID session = UUID.randomUUID();
  private final List<PongMessage> sent = new CopyOnWriteArrayList<>();

  @Test
  void shouldFinishInSendingPongOnlyWhenPongSentArrives() {
    StateMachineRunner<PongMessage> machine =
        new StateMachineRunner<>(
            new ListeningForPing(),
            Duration.ofSeconds(5),
            (message, replyTo) -> {
              sent.add(message);
              replyTo.accept(new PongMessage.PongSent());
            },
            MachineListener.none());
    machine.deliver(new PongMessage.PingReceived(PingEnvelope.of(new Ping(session))));

    Outcome<PongMessage> outcome = machine.run();

    assertThat(outcome).isInstanceOf(Outcome.Finished.class);
    assertThat(outcome.lastState()).isInstanceOf(SendingPong.class);
    assertThat(sent)
        .singleElement()
        .isInstanceOfSatisfying(
            PongMessage.SendPong.class,
            send -> assertThat(send.pong().sessionId()).isEqualTo(session));
  }

  @Test
  void shouldTimeOutInSendingPongWhenTheBrokerNeverAcknowledges() {
    StateMachineRunner<PongMessage> machine =
        new StateMachineRunner<>(
            new ListeningForPing(),
            Duration.ofMillis(150),
            (message, replyTo) -> sent.add(message),
            MachineListener.none());
    machine.deliver(new PongMessage.PingReceived(PingEnvelope.of(new Ping(session))));

    Outcome<PongMessage> outcome = machine.run();

    assertThat(outcome).isInstanceOf(Outcome.TimedOut.class);
    assertThat(outcome.lastState()).isInstanceOf(SendingPong.class);
  }

  @Test
  void shouldFailWithTheReasonWhenThePongCannotBeSent() {
    StateMachineRunner<PongMessage> machine =
        new StateMachineRunner<>(
            new ListeningForPing(),
            Duration.ofSeconds(5),
            (message, replyTo) ->
                replyTo.accept(
                    new PongMessage.PongSendFailed(new IllegalStateException("broker said no"))),
            MachineListener.none());
    machine.deliver(new PongMessage.PingReceived(PingEnvelope.of(new Ping(session))));

    assertThat(machine.run())
        .isInstanceOfSatisfying(
            Outcome.StateFailed.class,
            failed -> assertThat(failed.reason()).isEqualTo("pong not sent: broker said no"));
  }

  @Test
  void shouldParkAnEarlyPongSentUntilSendingPongWhenMessagesArriveOutOfOrder() {
    StateMachineRunner<PongMessage> machine =
        new StateMachineRunner<>(
            new ListeningForPing(),
            Duration.ofSeconds(5),
            (message, replyTo) -> sent.add(message),
            MachineListener.none());
    machine.deliver(new PongMessage.PongSent());
    machine.deliver(new PongMessage.PingReceived(PingEnvelope.of(new Ping(session))));

    assertThat(machine.run()).isInstanceOf(Outcome.Finished.class);
  }
}
