package dev.kafkaping.server;

import dev.kafkaping.message.PingEnvelope;
import dev.kafkaping.message.Pong;

/** The messages of the Pong state machine. */
sealed interface PongMessage {

  /** A ping arrived from Kafka. */
  record PingReceived(PingEnvelope envelope) implements PongMessage {}

  /** Emitted by {@link SendingPong}: the pong to send. */
  record SendPong(Pong pong) implements PongMessage {}

  /** The broker acknowledged the pong. */
  record PongSent() implements PongMessage {}

  /** The pong could not be sent; {@code error} says why. */
  record PongSendFailed(Throwable error) implements PongMessage {}
}
