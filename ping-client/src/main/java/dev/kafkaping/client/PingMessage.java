package dev.kafkaping.client;

import dev.kafkaping.message.Ping;
import dev.kafkaping.message.Pong;
import io.opentelemetry.context.Context;

/** The messages of the Ping state machine. */
sealed interface PingMessage {

  /** Emitted by {@link PingState} on entry: the ping to send. */
  record SendPing(Ping ping) implements PingMessage {}

  /** The ping could not be handed to the broker. */
  record PingSendFailed(String reason) implements PingMessage {}

  /** The pong listener stopped for good (e.g. not allowed to read the pong topic). */
  record ListenerFailed(String reason) implements PingMessage {}

  /** A pong for this session arrived. */
  record PongReceived(Pong pong, int partition, long offset, long receivedNanos, Context sender)
      implements PingMessage {}
}
