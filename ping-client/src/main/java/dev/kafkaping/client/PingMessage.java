package dev.kafkaping.client;

import dev.kafkaping.message.Ping;
import dev.kafkaping.message.Pong;
import io.opentelemetry.context.Context;

/** The messages of the Ping state machine. */
sealed interface PingMessage {

  /** Emitted by {@link PingState} on entry: the ping to send. */
  record SendPing(Ping ping) implements PingMessage {}

  /**
   * The outbox is handing the ping to the producer now; the round trip is timed from {@code
   * sentNanos}. It always reaches the machine before the pong: it is delivered before the send.
   */
  record PingHandedOver(long sentNanos) implements PingMessage {}

  /** The ping could not be handed to the broker. */
  record PingSendFailed(Throwable error) implements PingMessage {}

  /** The pong listener stopped for good (e.g. not allowed to read the pong topic). */
  record ListenerFailed(RuntimeException error) implements PingMessage {}

  /** A pong for this session arrived. */
  record PongReceived(Pong pong, int partition, long offset, long receivedNanos, Context sender)
      implements PingMessage {}
}
